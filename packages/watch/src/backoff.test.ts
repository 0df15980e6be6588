import { describe, expect, it } from "vitest";
import { createBackoff } from "./backoff.ts";

function manualNow(start = 0): { now(): number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

describe("createBackoff()", () => {
  it("follows client-go's defaults: 0.8 s doubling, each wait in [d, 2d), never above 30 s", () => {
    const clock = manualNow();
    for (const r of [0, 0.5, 0.999999]) {
      const backoff = createBackoff({ random: () => r, clock });
      const waits = Array.from({ length: 9 }, () => backoff.next());
      const bases = [800, 1600, 3200, 6400, 12_800, 15_000, 15_000, 15_000, 15_000];
      waits.forEach((w, i) => {
        const d = bases[i] as number;
        expect(w).toBeCloseTo(Math.min(30_000, d * (1 + r)), 6);
        expect(w).toBeGreaterThanOrEqual(d);
        expect(w).toBeLessThanOrEqual(30_000);
      });
    }
  });

  it("spreads waits with jitter (no two informers in lock step)", () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const backoff = createBackoff({ random });
    const first = new Set(
      Array.from({ length: 50 }, () => {
        backoff.reset();
        return Math.round(backoff.next());
      }),
    );
    expect(first.size).toBeGreaterThan(40);
    for (const w of first) {
      expect(w).toBeGreaterThanOrEqual(800);
      expect(w).toBeLessThanOrEqual(1600);
    }
  });

  it("starts again from the first wait after 2 minutes without a failure", () => {
    const clock = manualNow();
    const backoff = createBackoff({ random: () => 0, clock });
    for (let i = 0; i < 5; i++) {
      backoff.next();
      clock.advance(10_000);
    }
    expect(backoff.next()).toBe(15_000);
    clock.advance(119_999);
    expect(backoff.next()).toBe(15_000);
    clock.advance(120_000);
    expect(backoff.next()).toBe(800);
    expect(backoff.attempt).toBe(1);
  });

  it("honours custom parameters and rejects nonsense", () => {
    const backoff = createBackoff({ initialMs: 10, maxMs: 100, factor: 3, jitter: 0, random: () => 0.9 });
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([10, 30, 90, 100]);
    expect(() => createBackoff({ initialMs: -1 })).toThrow(RangeError);
    expect(() => createBackoff({ factor: 0.5 })).toThrow(RangeError);
    expect(() => createBackoff({ initialMs: 100, maxMs: 10 })).toThrow(RangeError);
    expect(() => createBackoff({ jitter: Number.NaN })).toThrow(RangeError);
  });
});
