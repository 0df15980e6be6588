/**
 * The clock time-based middleware (retry backoff, rate limiting, timeouts) read and wait on, injectable so that tests
 * drive time by hand instead of sleeping.
 *
 * @module
 */

/** A source of time and timers. */
export interface Clock {
  /** Milliseconds since an arbitrary origin; only differences are used. */
  now(): number;
  /** Calls `callback` after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer set by {@link Clock.setTimeout}; unknown or fired handles are ignored. */
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock: `performance.now()` and the global timers.
 *
 * @example
 * ```ts
 * import { rateLimit, systemClock } from "@kubeshift/transport";
 * const limiter = rateLimit({ qps: 20, burst: 40, clock: systemClock });
 * ```
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
