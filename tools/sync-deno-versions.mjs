#!/usr/bin/env node
// After `changeset version` bumps package.json versions, copy each version where changesets does not write it: the
// package's deno.json (JSR reads deno.json) and, where a package has one, the `VERSION` constant in src/_version.ts
// (transport's default user agent; a test keeps it equal to package.json). Run by `npm run version-packages`;
// `--check` only reports drift (exit 1).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const VERSION_CONSTANT = /^(export const VERSION(?:: string)? = )"([^"]*)";$/m;

/**
 * Brings deno.json and src/_version.ts of every workspace under `root` (packages/*, apps/*) to its package.json
 * version.
 * @param {string} root the repository
 * @param {{ check?: boolean }} options `check`: report without writing
 * @returns {string[]} one line per file that differed (`packages/x/deno.json 0.1.0 -> 0.2.0`)
 */
export function syncVersions(root, options = {}) {
  const changes = [];
  for (const kind of ["packages", "apps"]) {
    const base = join(root, kind);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const pkgPath = join(base, name, "package.json");
      if (!existsSync(pkgPath)) continue;
      const { version } = JSON.parse(readFileSync(pkgPath, "utf8"));
      const denoPath = join(base, name, "deno.json");
      if (existsSync(denoPath)) {
        const deno = JSON.parse(readFileSync(denoPath, "utf8"));
        if (deno.version !== undefined && deno.version !== version) {
          changes.push(`${kind}/${name}/deno.json ${deno.version} -> ${version}`);
          if (!options.check) writeFileSync(denoPath, `${JSON.stringify({ ...deno, version }, null, 2)}\n`);
        }
      }
      const versionPath = join(base, name, "src", "_version.ts");
      if (existsSync(versionPath)) {
        const text = readFileSync(versionPath, "utf8");
        const match = VERSION_CONSTANT.exec(text);
        if (match === null) {
          throw new Error(`${kind}/${name}/src/_version.ts: no line \`export const VERSION = "<version>";\` to update`);
        }
        if (match[2] !== version) {
          changes.push(`${kind}/${name}/src/_version.ts ${match[2]} -> ${version}`);
          if (!options.check) writeFileSync(versionPath, text.replace(VERSION_CONSTANT, `$1"${version}";`));
        }
      }
    }
  }
  return changes;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes("--check");
  const changes = syncVersions(join(fileURLToPath(import.meta.url), "../.."), { check });
  for (const line of changes) console.log(line);
  if (check && changes.length > 0) process.exit(1);
}
