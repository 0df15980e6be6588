#!/usr/bin/env node
// `npm test`: the one gate. Runs every check in order, keeps going after a failure so that the summary is complete,
// and ends with the line `N passed, N failed` (Node + Deno test results; a failed gate step that is not a test
// run, such as lint or the JSR dry run, adds one failure of its own). Exit status 1 if anything failed.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { collect } from "./test-summary.mjs";

const root = join(fileURLToPath(import.meta.url), "../..");
process.chdir(root);
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  TURBO_NO_UPDATE_NOTIFIER: "1",
  DENO_NO_UPDATE_CHECK: "1",
  FORCE_COLOR: process.env.FORCE_COLOR ?? "0",
};

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(
    `gate: running on Node ${process.versions.node}; run through npm (npm test) so that the project's Node 24 from node_modules/.bin is used`,
  );
  process.exit(1);
}

// Old result files must not be counted again.
for (const kind of ["packages", "apps", "tools", "bench"]) {
  const base = join(root, kind);
  if (!existsSync(base)) continue;
  const dirs =
    kind === "tools" || kind === "bench"
      ? [base]
      : readdirSync(base)
          .map((n) => join(base, n))
          .filter((d) => statSync(d).isDirectory());
  for (const d of dirs) rmSync(join(d, ".results"), { recursive: true, force: true });
}

const steps = [
  { name: "lint and format (biome ci)", cmd: ["npx", "biome", "ci", "--error-on-warnings", "."] },
  { name: "layering check", cmd: ["node", "tools/check-layering.mjs"] },
  { name: "repository tool tests", cmd: ["npx", "vitest", "run", "--config", "tools/vitest.config.ts"], tests: true },
  {
    name: "build, type-check, vitest on Node, deno test",
    // One task at a time by default: each test run already uses every core (vitest workers, deno), and piling
    // fourteen of them onto a small CI machine only makes the tests that wait for servers and terminals flaky.
    cmd: [
      "npx",
      "turbo",
      "run",
      "build",
      "typecheck",
      "test",
      "test:deno",
      "--continue",
      "--output-logs=errors-only",
      `--concurrency=${process.env.KUBESHIFT_GATE_CONCURRENCY ?? "1"}`,
    ],
    tests: true,
  },
  { name: "JSR dry run (deno publish --dry-run)", cmd: ["npx", "deno", "publish", "--dry-run", "--allow-dirty"] },
];

const only = process.argv.slice(2);
const results = [];
for (const step of steps) {
  if (only.length > 0 && !only.some((o) => step.name.includes(o))) continue;
  console.log(`\n=== gate: ${step.name} ===`);
  const started = Date.now();
  const r = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: "inherit", env });
  const ok = r.status === 0;
  results.push({ ...step, ok, seconds: (Date.now() - started) / 1000 });
  console.log(
    `=== gate: ${step.name}: ${ok ? "ok" : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`,
  );
}

const rows = collect(root);
console.log("\n=== gate: summary ===");
let passed = 0;
let failed = 0;
let skipped = 0;
for (const row of rows) {
  passed += row.passed;
  failed += row.failed;
  skipped += row.skipped;
  console.log(
    `${row.label.padEnd(22)} ${row.runtime.padEnd(5)} ${String(row.passed).padStart(5)} passed ${String(row.failed).padStart(4)} failed${row.skipped ? ` ${row.skipped} skipped` : ""}`,
  );
  for (const name of row.skippedNames) console.log(`  skipped: ${name}`);
}
const untested = [...new Set(rows.map((r) => r.label))].filter((label) =>
  rows.filter((r) => r.label === label).every((r) => r.passed + r.failed === 0),
);
for (const label of untested) console.log(`warning: ${label} ran no tests`);
for (const step of results) {
  if (step.ok) continue;
  // A failed step adds a failure of its own unless its failed tests already show in the counts.
  if (!step.tests || failed === 0) failed += 1;
  console.log(`gate step failed: ${step.name}`);
}
if (rows.length === 0 && only.length === 0) {
  console.log("gate: no test results were found");
  failed += 1;
}
if (skipped > 0) console.log(`${skipped} skipped (listed above)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.every((s) => s.ok) ? 0 : 1);
