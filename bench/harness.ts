/**
 * The benchmark harness: every measure is timed against its baseline in the same process and the same run, in
 * interleaved rounds (the order alternates, so drift in the machine's speed hits both sides alike) after warm-up
 * rounds, and reported as medians with their spread. A sample of many small operations interleaves them one by one
 * (baseline, candidate, candidate, baseline, …), each timed on its own and summed per side, so that a burst of load
 * from another process lands on both sides instead of on whichever happened to run then.
 *
 * @module
 */

/** One comparison: a candidate timed against a baseline doing the same work. */
export interface Measure {
  /** Unique, stable name: the key of the measure's entry in results.json. */
  name: string;
  /** The highest acceptable ratio candidate/baseline, e.g. 1.1. */
  goal: number;
  /** Runs one operation of the baseline. */
  baseline: () => Promise<unknown>;
  /** Runs one operation of the candidate. */
  candidate: () => Promise<unknown>;
  /** Operations per sample, interleaved one by one between the two sides; a sample's time is their sum. @default 1 */
  operations?: number;
  /** Measured rounds (one baseline and one candidate sample each). @default 15 */
  rounds?: number;
  /** Rounds run first and thrown away (JIT, connection pools, caches). @default 3 */
  warmup?: number;
}

/** A benchmark file's default export: sets up what its measures share and tears it down. */
export interface Benchmark {
  setup(): Promise<{ measures: Measure[]; teardown: () => Promise<void> }>;
}

/** One entry of results.json. */
export interface Result {
  name: string;
  unit: "ms";
  /** Median time of the candidate. */
  value: number;
  /** Median time of the baseline. */
  baseline: number;
  /** value / baseline. */
  ratio: number;
  goal: number;
  met: boolean;
  rounds: number;
  /** Interquartile ranges, and the median and IQR of the per-round ratios (a check on `ratio`). */
  spread: {
    value: [number, number];
    baseline: [number, number];
    roundRatio: { median: number; iqr: [number, number] };
  };
  /** When and where it was measured. */
  measuredAt: string;
  runtime: string;
}

/**
 * Declares a benchmark file.
 *
 * @param benchmark its setup
 * @returns the same object, typed
 */
export function defineBenchmark(benchmark: Benchmark): Benchmark {
  return benchmark;
}

/** The q-quantile (0 ≤ q ≤ 1) of a sample, linearly interpolated. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError("quantile() of an empty sample");
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** Turns paired samples into a result. */
export function summarize(name: string, goal: number, baseline: number[], candidate: number[]): Result {
  const value = quantile(candidate, 0.5);
  const base = quantile(baseline, 0.5);
  const ratios = candidate.map((c, i) => c / (baseline[i] as number));
  const ratio = value / base;
  const g = globalThis as { process?: { versions?: { node?: string }; platform?: string; arch?: string } };
  return {
    name,
    unit: "ms",
    value: round3(value),
    baseline: round3(base),
    ratio: round3(ratio),
    goal,
    met: ratio <= goal,
    rounds: candidate.length,
    spread: {
      value: [round3(quantile(candidate, 0.25)), round3(quantile(candidate, 0.75))],
      baseline: [round3(quantile(baseline, 0.25)), round3(quantile(baseline, 0.75))],
      roundRatio: {
        median: round3(quantile(ratios, 0.5)),
        iqr: [round3(quantile(ratios, 0.25)), round3(quantile(ratios, 0.75))],
      },
    },
    measuredAt: new Date().toISOString(),
    runtime: `node/${g.process?.versions?.node} ${g.process?.platform}/${g.process?.arch}`,
  };
}

/** Options of {@link runMeasure}. */
export interface RunOptions {
  /** Milliseconds now. @default performance.now */
  now?: () => number;
  /** Collects garbage before each sample when the runtime allows it (`--expose-gc`). */
  gc?: () => void;
}

/** Times one measure: warm-up, then interleaved rounds with alternating order. */
export async function runMeasure(measure: Measure, options: RunOptions = {}): Promise<Result> {
  const now = options.now ?? (() => performance.now());
  const gc = options.gc ?? (() => {});
  const operations = measure.operations ?? 1;
  // Big single operations get a clean heap each. Many small ones are left alone: their garbage is part of their
  // cost, and a forced full collection leaves a shrunken young generation that penalises whichever side allocates more.
  const gcEach = operations === 1;
  const time = async (fn: () => Promise<unknown>): Promise<number> => {
    if (gcEach) gc();
    const start = now();
    await fn();
    return now() - start;
  };
  const baseline: number[] = [];
  const candidate: number[] = [];
  const warmup = measure.warmup ?? 3;
  const rounds = measure.rounds ?? 15;
  let step = 0;
  for (let i = 0; i < warmup + rounds; i++) {
    let b = 0;
    let c = 0;
    for (let j = 0; j < operations; j++, step++) {
      if (step % 2 === 0) {
        b += await time(measure.baseline);
        c += await time(measure.candidate);
      } else {
        c += await time(measure.candidate);
        b += await time(measure.baseline);
      }
    }
    if (i < warmup) continue;
    baseline.push(b);
    candidate.push(c);
  }
  return summarize(measure.name, measure.goal, baseline, candidate);
}

/** results.json after a run: entries of measures run now replace those of the same name; the others stay. */
export function mergeResults(previous: readonly Result[], fresh: readonly Result[]): Result[] {
  const byName = new Map(fresh.map((r) => [r.name, r]));
  const merged = previous.map((r) => byName.get(r.name) ?? r);
  for (const r of fresh) if (!previous.some((p) => p.name === r.name)) merged.push(r);
  return merged;
}

/** One line of the console report. */
export function formatResult(r: Result): string {
  const [v25, v75] = r.spread.value;
  const [b25, b75] = r.spread.baseline;
  return [
    `${r.met ? "ok  " : "MISS"} ${r.name}`,
    `     ${r.value} ms (IQR ${v25}–${v75}) vs baseline ${r.baseline} ms (IQR ${b25}–${b75})`,
    `     ratio ${r.ratio} (goal ≤ ${r.goal}); per-round ratio median ${r.spread.roundRatio.median}, IQR ${r.spread.roundRatio.iqr.join("–")}; ${r.rounds} rounds`,
  ].join("\n");
}
