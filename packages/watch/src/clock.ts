/**
 * The time source of informers and backoff: reading the time and arming timers go through it, so tests can run the
 * retry logic on a clock they move by hand, and `stop()` can prove that no timer is left behind.
 *
 * @module
 */

/** A time source with timers. */
export interface Clock {
  /** Milliseconds since the Unix epoch (or any fixed origin). */
  now(): number;
  /** Calls `callback` once after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer armed by {@link Clock.setTimeout}; unknown or fired handles are ignored. */
  clearTimeout(handle: unknown): void;
}

/**
 * The runtime's clock: `Date.now()` and the global `setTimeout`/`clearTimeout`.
 *
 * @example
 * ```ts
 * import { createInformer, systemClock } from "@kubeshift/watch";
 * createInformer(client, Pod, { clock: systemClock });
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: (): number => Date.now(),
  setTimeout: (callback: () => void, ms: number): unknown => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: unknown): void => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
});

/**
 * Waits on a clock; rejects with the signal's reason when it aborts, and leaves no timer behind either way.
 *
 * @param clock the clock
 * @param ms how long
 * @param signal aborts the wait
 * @returns settles after `ms`
 * @internal
 */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = clock.setTimeout(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
