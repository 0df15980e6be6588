#!/usr/bin/env node
// Sums the results of every test run of the gate: vitest JSON reports (Node) and deno JUnit reports (Deno), per
// workspace, and prints one line per workspace and runtime, then `N passed, N failed`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Counts a vitest JSON report: passed, failed (failed tests plus files that failed to load), skipped. */
export function countVitest(json) {
  const report = JSON.parse(json);
  const loadFailures = (report.testResults ?? []).filter(
    (r) => r.status === "failed" && (r.assertionResults ?? []).length === 0,
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + loadFailures,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    skippedNames: (report.testResults ?? []).flatMap((r) =>
      (r.assertionResults ?? [])
        .filter((a) => a.status === "pending" || a.status === "todo" || a.status === "skipped")
        .map((a) => a.fullName),
    ),
  };
}

function unescapeXml(s) {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Counts a deno JUnit report by its leaf test cases (a describe block is a parent of its `A > b` steps). */
export function countDenoJunit(xml) {
  const cases = [];
  const re = /<testcase\s+name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    const body = m[3] ?? "";
    cases.push({ name: unescapeXml(m[1]), failed: /<failure|<error/.test(body), skipped: /<skipped/.test(body) });
  }
  const names = cases.map((c) => c.name);
  const leaves = cases.filter((c) => !names.some((other) => other.startsWith(`${c.name} > `)));
  return {
    passed: leaves.filter((c) => !c.failed && !c.skipped).length,
    failed: leaves.filter((c) => c.failed).length,
    skipped: leaves.filter((c) => c.skipped).length,
    skippedNames: leaves.filter((c) => c.skipped).map((c) => c.name),
  };
}

/** Finds every result file below the workspaces and tools. */
export function collect(root) {
  const rows = [];
  const dirs = [join(root, "tools")];
  for (const kind of ["packages", "apps"]) {
    const base = join(root, kind);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) if (statSync(join(base, name)).isDirectory()) dirs.push(join(base, name));
  }
  dirs.push(join(root, "bench"));
  for (const dir of dirs) {
    const label = relative(root, dir);
    const vitest = join(dir, ".results/vitest.json");
    const deno = join(dir, ".results/deno.xml");
    if (existsSync(vitest)) rows.push({ label, runtime: "node", ...countVitest(readFileSync(vitest, "utf8")) });
    if (existsSync(deno)) rows.push({ label, runtime: "deno", ...countDenoJunit(readFileSync(deno, "utf8")) });
  }
  return rows;
}
