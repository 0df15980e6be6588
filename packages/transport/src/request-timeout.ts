/**
 * Request timeout middleware: a whole exchange (headers and body) for ordinary requests, only the wait for headers
 * for streams, and a `TransportError` of kind `"timeout"` that is never confused with the caller's own abort.
 *
 * @module
 */

import { deriveRequest } from "./_derived-request.ts";
import { watchBody } from "./_response-body.ts";
import { pathOf } from "./api-error.ts";
import { type Clock, systemClock } from "./clock.ts";
import { isStreamingRequest, type Middleware, type Transport, type WebSocketConnection } from "./transport.ts";
import { TransportError } from "./transport-error.ts";

/** Options of {@link requestTimeout}. */
export interface RequestTimeoutOptions {
  /** The limit in milliseconds; `0` disables it. `FetchOptions.timeoutMs` overrides it per request. @default 60000 */
  timeoutMs?: number;
  /** The clock timers run on. @default systemClock */
  clock?: Clock;
}

/**
 * Aborts a request that takes too long. For ordinary requests the limit covers the whole exchange, body included (a
 * body still being read when the time is up fails with the timeout error); for streams (`isStreamingRequest`:
 * watches, followed logs) it covers only the wait for the response headers, and for websockets the opening
 * handshake. The failure is a `TransportError` with `kind: "timeout"`; an abort by the caller still rejects with the
 * caller's own reason.
 *
 * Place it outermost to bound the whole call including retries and their waits, or inside `retry()` to bound each
 * attempt (timeouts are then not retried; see `RETRIED_TRANSPORT_ERRORS`).
 *
 * @param options the limit and clock
 * @returns the middleware
 * @throws {RangeError} when `timeoutMs` is negative or not a number
 * @example
 * ```ts
 * import { composeTransport, requestTimeout } from "@kubeshift/transport";
 * const transport = composeTransport(base, requestTimeout({ timeoutMs: 30_000 }));
 * await transport.fetch(new Request(`${server}/api/v1/pods`), { timeoutMs: 120_000 }); // a large list
 * ```
 */
export function requestTimeout(options: RequestTimeoutOptions = {}): Middleware {
  const defaultMs = options.timeoutMs ?? 60_000;
  const clock = options.clock ?? systemClock;
  const check = (ms: number): number => {
    if (!(ms >= 0) || Number.isNaN(ms)) throw new RangeError("requestTimeout(): timeoutMs must be a number ≥ 0");
    return ms;
  };
  check(defaultMs);

  // A controller aborted with a timeout error after `ms`, and a way to stop its timer.
  const arm = (ms: number, describe: () => TransportError): { signal: AbortSignal; disarm: () => void } => {
    const controller = new AbortController();
    const handle = clock.setTimeout(() => controller.abort(describe()), ms);
    return { signal: controller.signal, disarm: () => clock.clearTimeout(handle) };
  };

  return (next: Transport): Transport => ({
    async fetch(request, fetchOptions) {
      const ms = check(fetchOptions?.timeoutMs ?? defaultMs);
      if (ms === 0 || !Number.isFinite(ms)) return next.fetch(request, fetchOptions);
      if (request.signal.aborted) throw request.signal.reason;
      const stream = isStreamingRequest(request, fetchOptions);
      const timer = arm(
        ms,
        () =>
          new TransportError(
            "timeout",
            stream ? `no response headers within ${ms} ms` : `the request did not complete within ${ms} ms`,
            { method: request.method, url: pathOf(request.url) },
          ),
      );
      const limited = deriveRequest(request, { signal: AbortSignal.any([request.signal, timer.signal]) });
      let response: Response;
      try {
        response = await next.fetch(limited, fetchOptions);
      } catch (error) {
        timer.disarm();
        if (request.signal.aborted) throw request.signal.reason;
        if (timer.signal.aborted) throw timer.signal.reason;
        throw error;
      }
      if (stream || response.body === null) {
        timer.disarm();
        return response;
      }
      return watchBody(response, timer.disarm, (error) =>
        timer.signal.aborted && !request.signal.aborted ? timer.signal.reason : error,
      );
    },

    async websocket(url, wsOptions = {}): Promise<WebSocketConnection> {
      if (defaultMs === 0 || !Number.isFinite(defaultMs)) return next.websocket(url, wsOptions);
      if (wsOptions.signal?.aborted) throw wsOptions.signal.reason;
      const timer = arm(
        defaultMs,
        () => new TransportError("timeout", `the websocket handshake did not complete within ${defaultMs} ms`),
      );
      const signal = wsOptions.signal === undefined ? timer.signal : AbortSignal.any([wsOptions.signal, timer.signal]);
      try {
        return await next.websocket(url, { ...wsOptions, signal });
      } catch (error) {
        if (wsOptions.signal?.aborted) throw wsOptions.signal.reason;
        if (timer.signal.aborted) throw timer.signal.reason;
        throw error;
      } finally {
        timer.disarm();
      }
    },
  });
}
