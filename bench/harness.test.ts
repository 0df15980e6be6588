import { describe, expect, it } from "vitest";
import { mergeResults, quantile, type Result, runMeasure, summarize } from "./harness.ts";

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
    expect(r.spread.baseline).toEqual([10, 11]);
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
