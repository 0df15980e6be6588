import { sleep } from "./_sleep.ts";
import type { Clock } from "./clock.ts";

/**
 * A token bucket with reservations (the model of Go's `rate.Limiter`): a caller takes a token now if one is there,
 * else reserves the next one and waits for it, so waiters are served in arrival order without a queue. An abandoned
 * reservation gives its token back.
 */
export class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(qps: number, burst: number, clock: Clock) {
    this.#perMs = qps / 1000;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  /** Takes a token: `undefined` when one was available, else a promise that settles when the reserved one is. */
  take(signal?: AbortSignal): Promise<void> | undefined {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
    this.#tokens -= 1;
    if (this.#tokens >= 0) return undefined;
    const wait = -this.#tokens / this.#perMs;
    return sleep(wait, this.#clock, signal).catch((reason: unknown) => {
      this.#tokens += 1;
      throw reason;
    });
  }
}
