/**
 * Retry middleware: exponential backoff with full jitter, `Retry-After` honoured (and capped), and a precise rule for
 * what is safe to send again.
 *
 * @module
 */

import { deriveRequest } from "./_derived-request.ts";
import { canReplay, discard } from "./_replay.ts";
import { retryAfterMs } from "./_retry-after.ts";
import { sleep } from "./_sleep.ts";
import { ApiError } from "./api-error.ts";
import { type Clock, systemClock } from "./clock.ts";
import { isIdempotent, type Middleware, type Transport, type WebSocketConnection } from "./transport.ts";
import { TransportError, type TransportErrorKind } from "./transport-error.ts";

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Retries after the first attempt (so at most `maxRetries + 1` sends). @default 5 */
  maxRetries?: number;
  /** Backoff cap of the first retry; doubles each retry. @default 250 */
  baseDelayMs?: number;
  /** Upper bound of one backoff wait. @default 10000 */
  maxDelayMs?: number;
  /** Upper bound of one wait asked for by `Retry-After`; longer requests wait this long. @default 30000 */
  maxRetryAfterMs?: number;
  /** Random numbers in [0, 1) for the jitter. @default Math.random */
  random?: () => number;
  /** The clock waits are measured on. @default systemClock */
  clock?: Clock;
}

/**
 * The connection failures retried for idempotent requests: the connection was refused or never resolved (the request
 * never left), or it broke before any response (the server may or may not have acted, which is harmless only for an
 * idempotent request). Not retried: `tls` and `proxy` (configuration, will fail again), `timeout` (the caller's time
 * budget is spent, and the server may still be working), `protocol`, `websocket`, `unknown`.
 *
 * @example
 * ```ts
 * if (e instanceof TransportError && RETRIED_TRANSPORT_ERRORS.has(e.kind)) scheduleAnotherTry();
 * ```
 */
export const RETRIED_TRANSPORT_ERRORS: ReadonlySet<TransportErrorKind> = new Set<TransportErrorKind>([
  "refused",
  "dns",
  "reset",
  "aborted-by-server",
]);

/**
 * Retries what the server did not act on, and connection failures of idempotent requests:
 *
 * - 429 and 503 responses, for every method: the server (API Priority and Fairness, a restarting apiserver) refused
 *   the request before acting on it. Other 5xx responses only when they carry `Retry-After` (client-go's rule).
 *   The wait is the `Retry-After` value, capped at `maxRetryAfterMs`, else the backoff.
 * - `TransportError`s of the kinds in {@link RETRIED_TRANSPORT_ERRORS}, for idempotent requests only (GET, HEAD,
 *   OPTIONS, PUT, DELETE, or `FetchOptions.idempotent`).
 * - Never a request whose body cannot be sent again (`FetchOptions.replayable` not set), never after the caller
 *   aborted, never with `FetchOptions.noRetry`; at most `maxRetries` times. An abort during a wait ends it at once
 *   with the signal's reason.
 *
 * Backoff is "full jitter": a uniformly random wait in [0, min(maxDelayMs, baseDelayMs × 2^retry)]. Websocket
 * upgrades follow the same rules (an upgrade is an idempotent GET).
 *
 * @param options limits, jitter source and clock
 * @returns the middleware
 * @throws {RangeError} when a limit is negative or not a number
 * @example
 * ```ts
 * import { composeTransport, rateLimit, retry } from "@kubeshift/transport";
 * // retry outside the rate limiter, so that every retry is rate limited too
 * const transport = composeTransport(base, retry({ maxRetries: 3 }), rateLimit());
 * ```
 */
export function retry(options: RetryOptions = {}): Middleware {
  const maxRetries = options.maxRetries ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  for (const [name, value] of Object.entries({ maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs })) {
    if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`retry(): ${name} must be a finite number ≥ 0`);
  }
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;
  const backoff = (retryIndex: number): number =>
    random() * Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(retryIndex, 30));
  const capped = (ms: number): number => Math.min(ms, maxRetryAfterMs);

  // The wait before retrying a response, or undefined when it must be returned as is.
  const responseDelay = (status: number, retryAfter: number | undefined, retryIndex: number): number | undefined => {
    if (status === 429 || status === 503) return retryAfter === undefined ? backoff(retryIndex) : capped(retryAfter);
    if (status >= 500 && status <= 599 && retryAfter !== undefined) return capped(retryAfter);
    return undefined;
  };
  const errorDelay = (error: unknown, idempotent: boolean, retryIndex: number): number | undefined => {
    if (error instanceof TransportError) {
      return idempotent && RETRIED_TRANSPORT_ERRORS.has(error.kind) ? backoff(retryIndex) : undefined;
    }
    if (error instanceof ApiError) {
      const after = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000;
      return responseDelay(error.status, after, retryIndex);
    }
    return undefined;
  };

  return (next: Transport): Transport => ({
    async fetch(request, fetchOptions) {
      if (fetchOptions?.noRetry === true || maxRetries === 0 || !canReplay(request, fetchOptions)) {
        return next.fetch(request, fetchOptions);
      }
      const signal = request.signal;
      const idempotent = isIdempotent(request, fetchOptions);
      // A body can be read once: read it once, and send a copy of the request with the same bytes each attempt.
      const body = request.body === null ? null : await request.arrayBuffer();
      for (let retryIndex = 0; ; retryIndex++) {
        const last = retryIndex >= maxRetries;
        const send = body === null ? request : deriveRequest(request, { body });
        let delay: number | undefined;
        try {
          const response = await next.fetch(send, fetchOptions);
          if (last || signal.aborted) return response;
          delay = responseDelay(response.status, retryAfterMs(response.headers.get("retry-after")), retryIndex);
          if (delay === undefined) return response;
          await discard(response);
        } catch (error) {
          if (last || signal.aborted) throw error;
          delay = errorDelay(error, idempotent, retryIndex);
          if (delay === undefined) throw error;
        }
        await sleep(delay, clock, signal);
      }
    },

    async websocket(url, wsOptions = {}): Promise<WebSocketConnection> {
      for (let retryIndex = 0; ; retryIndex++) {
        try {
          return await next.websocket(url, wsOptions);
        } catch (error) {
          if (retryIndex >= maxRetries || wsOptions.signal?.aborted) throw error;
          const delay = errorDelay(error, true, retryIndex);
          if (delay === undefined) throw error;
          await sleep(delay, clock, wsOptions.signal);
        }
      }
    },
  });
}
