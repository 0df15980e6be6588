import { describe, expect, it } from "vitest";
import {
  formatResult,
  mergeResults,
  quantile,
  type Result,
  runMeasure,
  summarize,
  summarizeReading,
} from "./harness.ts";

describe("bench harness", () => {
  it("quantile() interpolates between order statistics", () => {
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });

  it("summarize() reports medians, their ratio against the goal, and the spread", () => {
    const r = summarize("x", 1.1, [10, 10, 12, 10, 11], [11, 10.5, 13, 11, 12]);
    expect(r.value).toBe(11);
    expect(r.baseline).toBe(10);
    expect(r.ratio).toBe(1.1);
    expect(r.met).toBe(true);
    expect(r.spread?.baseline).toEqual([10, 11]);
    expect(summarize("y", 1.1, [10], [12]).met).toBe(false);
  });

  it("runMeasure() interleaves operations one by one and sums them per sample", async () => {
    const order: string[] = [];
    let t = 0;
    const result = await runMeasure(
      {
        name: "ops",
        goal: 2,
        warmup: 0,
        rounds: 2,
        operations: 3,
        baseline: async () => {
          order.push("b");
          t += 1;
        },
        candidate: async () => {
          order.push("c");
          t += 2;
        },
      },
      { now: () => t },
    );
    expect(order.join("")).toBe("bccbbc" + "cbbccb");
    expect(result.baseline).toBe(3);
    expect(result.value).toBe(6);
  });

  it("runMeasure() discards warm-up rounds and alternates which side goes first", async () => {
    const order: string[] = [];
    let t = 0;
    const result = await runMeasure(
      {
        name: "m",
        goal: 2,
        warmup: 1,
        rounds: 4,
        baseline: async () => {
          order.push("b");
          t += 10;
        },
        candidate: async () => {
          order.push("c");
          t += 15;
        },
      },
      { now: () => t },
    );
    expect(order.join("")).toBe("bccbbccbbc");
    expect(result.rounds).toBe(4);
    expect(result.value).toBe(15);
    expect(result.baseline).toBe(10);
    expect(result.ratio).toBe(1.5);
  });

  it("summarizeReading() takes medians of samples and checks the ratio against a lower-is-better goal", () => {
    const r = summarizeReading({
      name: "heap",
      unit: "bytes",
      better: "lower",
      goal: 1.2,
      value: [130, 110, 120, 125, 115],
      baseline: [100, 100, 90, 110, 100],
    });
    expect([r.unit, r.value, r.baseline, r.ratio, r.goal, r.met, r.better, r.rounds]).toEqual([
      "bytes",
      120,
      100,
      1.2,
      1.2,
      true,
      "lower",
      5,
    ]);
    expect(r.spread).toEqual({ value: [115, 125], baseline: [100, 100] });
    expect(
      summarizeReading({ name: "heap", unit: "bytes", better: "lower", goal: 1.2, value: 121, baseline: 100 }).met,
    ).toBe(false);
  });

  it("summarizeReading() without a baseline checks the value itself, in the reading's direction", () => {
    const cpu = summarizeReading({ name: "cpu", unit: "percent", better: "lower", goal: 5, value: 4.2 });
    expect([cpu.value, cpu.baseline, cpu.ratio, cpu.met, cpu.rounds, cpu.spread]).toEqual([
      4.2,
      null,
      null,
      true,
      1,
      undefined,
    ]);
    const rate = { name: "rate", unit: "events/s", better: "higher", goal: 50_000 } as const;
    expect(summarizeReading({ ...rate, value: 60_000 }).met).toBe(true);
    expect(summarizeReading({ ...rate, value: 40_000 }).met).toBe(false);
    expect(summarizeReading({ ...rate, value: 50_000 }).met).toBe(true);
    const vsPlain = summarizeReading({ ...rate, goal: 0.8, value: 70_000, baseline: 100_000 });
    expect([vsPlain.ratio, vsPlain.met]).toEqual([0.7, false]);
  });

  it("summarizeReading() keeps details and refuses figures that give no answer", () => {
    const r = summarizeReading({
      name: "app cpu",
      unit: "percent",
      better: "lower",
      goal: 20,
      value: 9.2,
      details: { framesPerSecond: 7 },
    });
    expect(r.details).toEqual({ framesPerSecond: 7 });
    const base = { name: "x", unit: "bytes", better: "lower", goal: 1 } as const;
    expect(() => summarizeReading({ ...base, value: [] })).toThrow(RangeError);
    expect(() => summarizeReading({ ...base, value: Number.NaN })).toThrow(RangeError);
    expect(() => summarizeReading({ ...base, value: 1, baseline: 0 })).toThrow(RangeError);
  });

  it("formatResult() prints a reading with its unit and the goal's direction", () => {
    const text = formatResult(
      summarizeReading({ name: "rate", unit: "events/s", better: "higher", goal: 50_000, value: 40_000 }),
    );
    expect(text.split("\n")).toEqual(["MISS rate", "     40000 events/s (goal ≥ 50000 events/s); 1 sample"]);
    const heap = formatResult(
      summarizeReading({ name: "heap", unit: "bytes", better: "lower", goal: 1.2, value: 30e6, baseline: 25e6 }),
    );
    expect(heap.split("\n")).toEqual([
      "ok   heap",
      "     30.0 MB vs baseline 25.0 MB",
      "     ratio 1.2 (goal ≤ 1.2); 1 sample",
    ]);
  });

  it("mergeResults() replaces entries of the same name in place and appends new ones", () => {
    const entry = (name: string, value: number): Result => ({ ...summarize(name, 1, [1], [value]) });
    const merged = mergeResults([entry("a", 1), entry("other team", 5)], [entry("a", 2), entry("b", 3)]);
    expect(merged.map((r) => [r.name, r.value])).toEqual([
      ["a", 2],
      ["other team", 5],
      ["b", 3],
    ]);
  });
});
