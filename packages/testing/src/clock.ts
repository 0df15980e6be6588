/**
 * The time source of the fake cluster: creation and deletion timestamps, managedFields times, log timestamps and
 * certificate validity read it, so tests can pin or advance time without fake timers.
 *
 * @module
 */

/** A time source. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** A clock the test moves by hand. */
export interface ManualClock extends Clock {
  /**
   * Sets the time.
   *
   * @param time a `Date` or milliseconds since the epoch
   */
  set(time: Date | number): void;
  /**
   * Moves the time forward.
   *
   * @param ms milliseconds to add (must not be negative)
   */
  advance(ms: number): void;
}

/**
 * The wall clock (`Date.now()`).
 *
 * @example
 * ```ts
 * import { systemClock } from "@kubeshift/testing";
 * systemClock.now();
 * ```
 */
export const systemClock: Clock = Object.freeze({ now: (): number => Date.now() });

/**
 * Creates a clock that only moves when told to.
 *
 * @param start the initial time (default: now)
 * @returns the clock
 * @throws {RangeError} when `start` is not a valid time, or `advance()` gets a negative or non-finite amount
 * @example
 * ```ts
 * import { createManualClock, startFakeCluster } from "@kubeshift/testing";
 * const clock = createManualClock(new Date("2030-01-01T00:00:00Z"));
 * await using cluster = await startFakeCluster({ clock });
 * clock.advance(60_000);
 * ```
 */
export function createManualClock(start: Date | number = Date.now()): ManualClock {
  let current = toMillis(start);
  return {
    now: () => current,
    set(time) {
      current = toMillis(time);
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`advance() needs a finite, non-negative number, got ${ms}`);
      current += ms;
    },
  };
}

function toMillis(time: Date | number): number {
  const ms = typeof time === "number" ? time : time.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid time: ${String(time)}`);
  return ms;
}

/**
 * Formats a time the way the API server writes `metav1.Time` (RFC 3339, whole seconds, UTC).
 *
 * @internal
 */
export function formatTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * Formats a time as `metav1.MicroTime` (RFC 3339 with microseconds), as leases and events.k8s.io use.
 *
 * @internal
 */
export function formatMicroTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000Z`;
}
