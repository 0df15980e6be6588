/**
 * `npm run bench [-- <filter>]`: runs every `bench/*.bench.ts` (or those whose file name contains the filter), prints
 * each measure against its baseline and each reading a benchmark recorded, and updates bench/results.json. Exits 1
 * when a goal was missed.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type BenchContext,
  type Benchmark,
  formatResult,
  mergeResults,
  type Result,
  runMeasure,
  summarizeReading,
} from "./harness.ts";

const dir = fileURLToPath(new URL(".", import.meta.url));
const filter = process.argv[2] ?? "";
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`bench: no *.bench.ts file matches ${JSON.stringify(filter)}`);
  process.exit(1);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) console.warn("bench: run with --expose-gc for steadier numbers (npm run bench does)");

const fresh: Result[] = [];
// Readings (not times) a benchmark records during its setup: printed and written like the timed measures.
const context: BenchContext = {
  record(reading) {
    if (fresh.some((r) => r.name === reading.name)) throw new Error(`bench: ${reading.name} recorded twice`);
    const result = summarizeReading(reading);
    console.log(formatResult(result));
    fresh.push(result);
    return result;
  },
};
for (const file of files) {
  const { default: benchmark } = (await import(pathToFileURL(join(dir, file)).href)) as { default: Benchmark };
  console.log(`\n# ${file}`);
  const { measures, teardown } = await benchmark.setup(context);
  try {
    for (const measure of measures) {
      const result = await runMeasure(measure, gc === undefined ? {} : { gc });
      console.log(formatResult(result));
      fresh.push(result);
    }
  } finally {
    await teardown();
  }
}

const path = join(dir, "results.json");
const previous = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Result[]) : [];
writeFileSync(path, `${JSON.stringify(mergeResults(previous, fresh), null, 2)}\n`);
const missed = fresh.filter((r) => !r.met);
console.log(`\n${fresh.length - missed.length} of ${fresh.length} goals met; results in bench/results.json`);
process.exit(missed.length === 0 ? 0 : 1);
