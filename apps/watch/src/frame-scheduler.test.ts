import { describe, expect, it } from "vitest";
import { createFrameScheduler, type SchedulerTimers } from "./frame-scheduler.ts";

function manualTimers(): SchedulerTimers & { time: number; advance(ms: number): void; pending: number } {
  let time = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let id = 0;
  return {
    get time() {
      return time;
    },
    get pending() {
      return timers.length;
    },
    now: () => time,
    setTimeout(fn, ms) {
      const t = { at: time + ms, fn, id: ++id };
      timers.push(t);
      return t.id;
    },
    clearTimeout(handle) {
      const i = timers.findIndex((t) => t.id === handle);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number) {
      const end = time + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (next === undefined || next.at > end) break;
        timers.shift();
        time = next.at;
        next.fn();
      }
      time = end;
    },
  };
}

describe("createFrameScheduler()", () => {
  it("draws at most once per interval however many changes arrive (200 changes in 1 s → ≤ 11 frames)", () => {
    const timers = manualTimers();
    let frames = 0;
    const s = createFrameScheduler(() => frames++, { intervalMs: 100, timers });
    for (let i = 0; i < 200; i++) {
      s.request();
      timers.advance(5);
    }
    timers.advance(200);
    expect(frames).toBeGreaterThanOrEqual(10);
    expect(frames).toBeLessThanOrEqual(11);
    expect(s.frames).toBe(frames);
  });

  it("draws the first change after a quiet period on the next turn, not an interval later", () => {
    const timers = manualTimers();
    let frames = 0;
    const s = createFrameScheduler(() => frames++, { intervalMs: 100, timers });
    s.request();
    timers.advance(0);
    expect(frames).toBe(1);
    timers.advance(500);
    s.request();
    timers.advance(0);
    expect(frames).toBe(2);
  });

  it("coalesces the requests of one turn into one frame", () => {
    const timers = manualTimers();
    let frames = 0;
    const s = createFrameScheduler(() => frames++, { intervalMs: 100, timers });
    for (let i = 0; i < 50; i++) s.request();
    timers.advance(0);
    expect(frames).toBe(1);
  });

  it("draws nothing after dispose() and leaves no timer", () => {
    const timers = manualTimers();
    let frames = 0;
    const s = createFrameScheduler(() => frames++, { intervalMs: 100, timers });
    s.request();
    s.dispose();
    expect(timers.pending).toBe(0);
    s.request();
    timers.advance(1000);
    expect(frames).toBe(0);
  });

  it("refuses a negative interval", () => {
    expect(() => createFrameScheduler(() => {}, { intervalMs: -1 })).toThrow(RangeError);
  });
});
