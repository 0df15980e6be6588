/**
 * The benchmark harness: every measure is timed against its baseline in the same process and the same run, in
 * interleaved rounds (the order alternates, so drift in the machine's speed hits both sides alike) after warm-up
 * rounds, and reported as medians with their spread. A sample of many small operations interleaves them one by one
 * (baseline, candidate, candidate, baseline, …), each timed on its own and summed per side, so that a burst of load
 * from another process lands on both sides instead of on whichever happened to run then.
 *
 * Measures that are not times (bytes, percent, events/s) are taken by the benchmark itself and recorded through the
 * `record()` its `setup()` is given ({@link Reading}): same entry format, with their own unit, goal and direction.
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

/**
 * A measure that is not a time — bytes kept, a share of CPU, events per second — taken by the benchmark itself and
 * handed to {@link BenchContext.record}. With a `baseline` the goal applies to `value / baseline`, else to `value`.
 */
export interface Reading {
  /** Unique, stable name: the key of the measure's entry in results.json. */
  name: string;
  /** What `value` counts: "bytes", "percent", "events/s", … ("ms" is for timed measures). */
  unit: string;
  /** Whether less ("lower": bytes, CPU) or more ("higher": throughput) is better. */
  better: "lower" | "higher";
  /** The limit, inclusive: `ratio` (or `value`, without a baseline) ≤ goal when lower is better, ≥ goal when higher. */
  goal: number;
  /** The candidate's figure, or its samples (the median is reported, with the interquartile range). */
  value: number | readonly number[];
  /** The same figure of what the candidate is compared with, or its samples. */
  baseline?: number | readonly number[];
  /** Other figures worth keeping beside it (frames per second, events received, …). */
  details?: Record<string, number | string | boolean>;
}

/** What a benchmark's `setup()` is given. */
export interface BenchContext {
  /**
   * Records a measure that is not a time: its entry goes into results.json beside the timed ones, is printed like
   * them, and counts towards the run's exit status.
   *
   * @param reading the figures and the goal
   * @returns the entry as written
   */
  record(reading: Reading): Result;
}

/** A benchmark file's default export: sets up what its measures share and tears it down. */
export interface Benchmark {
  setup(context: BenchContext): Promise<{ measures: Measure[]; teardown: () => Promise<void> }>;
}

/** One entry of results.json. */
export interface Result {
  name: string;
  /** "ms" for timed measures; a recorded {@link Reading}'s own unit otherwise. */
  unit: string;
  /** Median of the candidate. */
  value: number;
  /** Median of the baseline; `null` when the goal applies to `value` itself. */
  baseline: number | null;
  /** value / baseline, or `null` without a baseline. */
  ratio: number | null;
  goal: number;
  met: boolean;
  /** Which direction is better; timed measures are always "lower". Entries written before it existed mean "lower". */
  better: "lower" | "higher";
  /** Samples per side. */
  rounds: number;
  /**
   * Interquartile ranges (when there was more than one sample), and for timed measures the median and IQR of the
   * per-round ratios (a check on `ratio`).
   */
  spread?: {
    value: [number, number];
    baseline?: [number, number];
    roundRatio?: { median: number; iqr: [number, number] };
  };
  /** A reading's other figures. */
  details?: Record<string, number | string | boolean>;
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

function runtime(): string {
  const g = globalThis as { process?: { versions?: { node?: string }; platform?: string; arch?: string } };
  return `node/${g.process?.versions?.node} ${g.process?.platform}/${g.process?.arch}`;
}

/** Turns paired samples into a result. */
export function summarize(name: string, goal: number, baseline: number[], candidate: number[]): Result {
  const value = quantile(candidate, 0.5);
  const base = quantile(baseline, 0.5);
  const ratios = candidate.map((c, i) => c / (baseline[i] as number));
  const ratio = value / base;
  return {
    name,
    unit: "ms",
    value: round3(value),
    baseline: round3(base),
    ratio: round3(ratio),
    goal,
    met: ratio <= goal,
    better: "lower",
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
    runtime: runtime(),
  };
}

/**
 * Turns a {@link Reading} into a result: medians of samples, the ratio when there is a baseline, the goal checked in
 * the reading's direction.
 *
 * @param reading the figures and the goal
 * @returns the entry for results.json
 * @throws {RangeError} for an empty sample, a baseline of 0, or a figure or goal that is not a finite number
 */
export function summarizeReading(reading: Reading): Result {
  const samples = (figure: number | readonly number[]): readonly number[] =>
    typeof figure === "number" ? [figure] : figure;
  const values = samples(reading.value);
  const baselines = reading.baseline === undefined ? undefined : samples(reading.baseline);
  for (const n of [...values, ...(baselines ?? []), reading.goal]) {
    if (!Number.isFinite(n)) throw new RangeError(`${reading.name}: ${n} is not a finite number`);
  }
  const value = quantile(values, 0.5);
  const base = baselines === undefined ? null : quantile(baselines, 0.5);
  if (base === 0) throw new RangeError(`${reading.name}: a baseline of 0 gives no ratio`);
  const ratio = base === null ? null : value / base;
  const judged = ratio ?? value;
  const iqr = (xs: readonly number[]): [number, number] => [round3(quantile(xs, 0.25)), round3(quantile(xs, 0.75))];
  const spread =
    values.length > 1 || (baselines?.length ?? 0) > 1
      ? { value: iqr(values), ...(baselines === undefined ? {} : { baseline: iqr(baselines) }) }
      : undefined;
  return {
    name: reading.name,
    unit: reading.unit,
    value: round3(value),
    baseline: base === null ? null : round3(base),
    ratio: ratio === null ? null : round3(ratio),
    goal: reading.goal,
    met: reading.better === "lower" ? judged <= reading.goal : judged >= reading.goal,
    better: reading.better,
    rounds: Math.max(values.length, baselines?.length ?? 0),
    ...(spread === undefined ? {} : { spread }),
    ...(reading.details === undefined ? {} : { details: reading.details }),
    measuredAt: new Date().toISOString(),
    runtime: runtime(),
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

function figure(n: number, unit: string): string {
  if (unit === "bytes") return `${(n / 1e6).toFixed(1)} MB`;
  return unit === "percent" ? `${n} %` : `${n} ${unit}`;
}

/** The lines of the console report for one result. */
export function formatResult(r: Result): string {
  const range = (xs: [number, number] | undefined, unit: string): string =>
    xs === undefined ? "" : ` (IQR ${figure(xs[0], unit)}–${figure(xs[1], unit)})`;
  const compare = r.better === "lower" ? "≤" : "≥";
  const lines = [`${r.met ? "ok  " : "MISS"} ${r.name}`];
  const value = `${figure(r.value, r.unit)}${range(r.spread?.value, r.unit)}`;
  if (r.baseline === null || r.ratio === null) {
    lines.push(
      `     ${value} (goal ${compare} ${figure(r.goal, r.unit)}); ${r.rounds} sample${r.rounds === 1 ? "" : "s"}`,
    );
  } else {
    lines.push(`     ${value} vs baseline ${figure(r.baseline, r.unit)}${range(r.spread?.baseline, r.unit)}`);
    const roundRatio = r.spread?.roundRatio;
    lines.push(
      `     ratio ${r.ratio} (goal ${compare} ${r.goal})` +
        (roundRatio === undefined
          ? `; ${r.rounds} sample${r.rounds === 1 ? "" : "s"}`
          : `; per-round ratio median ${roundRatio.median}, IQR ${roundRatio.iqr.join("–")}; ${r.rounds} rounds`),
    );
  }
  if (r.details !== undefined) {
    lines.push(
      `     ${Object.entries(r.details)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
  }
  return lines.join("\n");
}
