#!/usr/bin/env node
// After `changeset version` bumps package.json versions, copy each version into the package's deno.json (JSR reads
// deno.json; changesets knows only package.json). Run by `npm run version-packages`; `--check` only reports drift.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "../..");
const check = process.argv.includes("--check");
let drift = 0;
for (const kind of ["packages", "apps"]) {
  const base = join(root, kind);
  if (!existsSync(base)) continue;
  for (const name of readdirSync(base)) {
    const pkgPath = join(base, name, "package.json");
    const denoPath = join(base, name, "deno.json");
    if (!existsSync(pkgPath) || !existsSync(denoPath)) continue;
    const pkg = JSON.parse(readFileSync(pkgPath, "utf8"));
    const deno = JSON.parse(readFileSync(denoPath, "utf8"));
    if (deno.version === undefined || deno.version === pkg.version) continue;
    drift++;
    console.log(`${kind}/${name}: deno.json ${deno.version} -> ${pkg.version}`);
    if (!check) writeFileSync(denoPath, `${JSON.stringify({ ...deno, version: pkg.version }, null, 2)}\n`);
  }
}
if (check && drift > 0) process.exit(1);
