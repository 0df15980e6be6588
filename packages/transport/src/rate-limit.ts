/**
 * Client-side rate limiting: a token bucket with a steady rate (QPS) and a burst, like client-go's, with saner
 * defaults and long-lived streams exempt.
 *
 * @module
 */

import { TokenBucket } from "./_token-bucket.ts";
import { type Clock, systemClock } from "./clock.ts";
import { isStreamingRequest, type Middleware, type Transport } from "./transport.ts";

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Steady rate, requests per second. @default 50 */
  qps?: number;
  /** Requests that may go at once after a quiet period (the bucket size). @default 100 */
  burst?: number;
  /** The clock waits are measured on. @default systemClock */
  clock?: Clock;
}

/**
 * Limits the request rate with a token bucket shared by every request through this middleware instance. Watches and
 * followed logs (`isStreamingRequest`) and websockets are exempt: they are long-lived and would otherwise hold the
 * rate of everything else hostage. A wait ends at once, with the signal's reason, when the request is aborted.
 *
 * The defaults (50 QPS, burst 100) are ten times client-go's 5/10, which were set before API Priority and Fairness
 * protected the server (GA in 1.29) and which throttle discovery and informer start-up badly; kubectl itself has used
 * 50 QPS / 300 burst since 1.27 and controller-runtime 20/30. The server answers 429 with `Retry-After` when a client
 * goes beyond its share, which {@link retry} honours.
 *
 * @param options QPS, burst and clock
 * @returns the middleware
 * @throws {RangeError} when `qps` is not a positive finite number or `burst` is below 1
 * @example
 * ```ts
 * import { composeTransport, rateLimit } from "@kubeshift/transport";
 * const transport = composeTransport(base, rateLimit({ qps: 20, burst: 30 }));
 * ```
 */
export function rateLimit(options: RateLimitOptions = {}): Middleware {
  const qps = options.qps ?? 50;
  const burst = options.burst ?? 100;
  if (!(qps > 0) || !Number.isFinite(qps)) throw new RangeError("rateLimit(): qps must be a positive finite number");
  if (!(burst >= 1) || !Number.isFinite(burst)) throw new RangeError("rateLimit(): burst must be a finite number ≥ 1");
  const bucket = new TokenBucket(qps, burst, options.clock ?? systemClock);
  return (next: Transport): Transport => ({
    async fetch(request, fetchOptions) {
      if (!isStreamingRequest(request, fetchOptions)) {
        if (request.signal.aborted) throw request.signal.reason;
        const wait = bucket.take(request.signal);
        if (wait !== undefined) await wait;
      }
      return next.fetch(request, fetchOptions);
    },
    websocket: (url, wsOptions) => next.websocket(url, wsOptions),
  });
}
