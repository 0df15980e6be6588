/**
 * Redraw throttling: a watch of a busy cluster changes hundreds of rows a second; the screen is redrawn at most once
 * per interval (10 times a second by default), with everything that changed meanwhile. The first change after a quiet
 * period is drawn at once, so a single key press or event never waits.
 *
 * @module
 */
import { type Clock, systemClock } from "@kubeshift/watch";

/** A scheduler of redraws. */
export interface FrameScheduler {
  /** Asks for a redraw: now if the last one is older than the interval, else at the end of it (once). */
  request(): void;
  /** Cancels a pending redraw; later requests are ignored. */
  dispose(): void;
  /** Redraws drawn so far. */
  readonly frames: number;
}

/** The timer functions a scheduler uses (injectable for tests): the informers' clock. */
export type SchedulerTimers = Clock;

// The system clock with a monotonic now(): intervals must not jump with the wall clock.
const systemTimers: SchedulerTimers = { ...systemClock, now: () => performance.now() };

/**
 * Creates a redraw scheduler.
 *
 * @param draw draws a frame
 * @param options the shortest interval between two frames (ms) and the timers
 * @returns the scheduler
 * @throws {RangeError} when the interval is negative
 * @example
 * ```ts
 * const frames = createFrameScheduler(() => setFrame((n) => n + 1), { intervalMs: 100 });
 * session.subscribe(() => frames.request());
 * ```
 */
export function createFrameScheduler(
  draw: () => void,
  options: { intervalMs?: number; timers?: SchedulerTimers } = {},
): FrameScheduler {
  const interval = options.intervalMs ?? 100;
  if (!(interval >= 0)) throw new RangeError(`intervalMs must be ≥ 0, got ${String(interval)}`);
  const timers = options.timers ?? systemTimers;
  let last = Number.NEGATIVE_INFINITY;
  let pending: unknown;
  let disposed = false;
  let frames = 0;
  const fire = (): void => {
    pending = undefined;
    if (disposed) return;
    last = timers.now();
    frames++;
    draw();
  };
  return {
    request(): void {
      if (disposed || pending !== undefined) return;
      const wait = last + interval - timers.now();
      if (wait <= 0) {
        // Drawn on the next turn: the changes of this turn (a burst of events) go into one frame.
        pending = timers.setTimeout(fire, 0);
        return;
      }
      pending = timers.setTimeout(fire, wait);
    },
    dispose(): void {
      disposed = true;
      if (pending !== undefined) timers.clearTimeout(pending);
      pending = undefined;
    },
    get frames(): number {
      return frames;
    },
  };
}
