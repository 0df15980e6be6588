/**
 * A clock for tests that moves only when told to: `advance(ms)` fires the timers that fall due, in order, letting
 * promise callbacks run between them.
 *
 * @module
 */
import type { Clock } from "../src/clock.ts";

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

/** Lets pending promise callbacks (and the microtasks they queue) run. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

export class ManualClock implements Clock {
  #now = 0;
  #seq = 0;
  #timers = new Map<number, Timer>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const seq = ++this.#seq;
    this.#timers.set(seq, { at: this.#now + Math.max(0, ms), seq, callback });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers not yet fired, soonest first, as delays from now. */
  pending(): number[] {
    return [...this.#timers.values()].sort((a, b) => a.at - b.at || a.seq - b.seq).map((t) => t.at - this.#now);
  }

  /** Moves time forward by `ms`, firing due timers in order and flushing microtasks after each. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushMicrotasks();
    for (;;) {
      const due = [...this.#timers.values()]
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.#timers.delete(due.seq);
      this.#now = due.at;
      due.callback();
      await flushMicrotasks();
    }
    this.#now = target;
    await flushMicrotasks();
  }
}
