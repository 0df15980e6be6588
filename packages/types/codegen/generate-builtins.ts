#!/usr/bin/env node
// Regenerates the built-in modules of @kubeshift/types from the shared specs: `npm run generate -w @kubeshift/types`.
// Writes src/generated/**, the subpath `exports` of package.json and deno.json, and the generated sections of
// README.md (source choices and counts). The same function runs in the determinism test, which compares its output
// with what is committed.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sharedDir } from "../../../tools/shared-dir.ts";
import { type BuiltinOutput, generateBuiltins } from "./builtin.ts";
import { DISCOVERY_EXCEPTIONS } from "./discovery-exceptions.ts";

/** The package folder (packages/types). */
export const packageDir: string = join(dirname(fileURLToPath(import.meta.url)), "..");

const BEGIN = "<!-- generated:sources:begin -->";
const END = "<!-- generated:sources:end -->";

/**
 * Runs the generator over the shared specs.
 *
 * @returns the generated files and notes
 */
export function generateFromShared(): BuiltinOutput {
  const shared = sharedDir();
  return generateBuiltins({
    specsDir: join(shared, "specs"),
    fixturesDir: join(shared, "fixtures"),
    dataDir: join(packageDir, "codegen", "data"),
  });
}

/** The module paths (`core/v1`, …) of a generator output, sorted. */
export function modulePaths(output: BuiltinOutput): string[] {
  return [...output.files.keys()].map((p) => p.replace(/\.ts$/, "")).sort();
}

/**
 * The package.json `exports` for the generated modules plus the main entry.
 *
 * @param modules module paths
 * @returns the `exports` object
 */
export function packageExports(modules: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ".": { "@kubeshift/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
  };
  for (const m of modules) {
    out[`./${m}`] = {
      "@kubeshift/source": `./src/generated/${m}.ts`,
      types: `./dist/generated/${m}.d.ts`,
      default: `./dist/generated/${m}.js`,
    };
  }
  return out;
}

/**
 * The deno.json `exports` for the generated modules plus the main entry.
 *
 * @param modules module paths
 * @returns the `exports` object
 */
export function denoExports(modules: string[]): Record<string, string> {
  const out: Record<string, string> = { ".": "./src/index.ts" };
  for (const m of modules) out[`./${m}`] = `./src/generated/${m}.ts`;
  return out;
}

const cell = (s: string): string => s.replaceAll("|", "\\|").replaceAll("\n", " ");

/**
 * The generated README section: counts per source and every recorded choice between sources.
 *
 * @param output the generator output
 * @returns markdown between the markers (markers included)
 */
export function readmeSection(output: BuiltinOutput): string {
  let md = `${BEGIN}\n<!-- Written by ${"`npm run generate -w @kubeshift/types`"}; edit codegen/builtin.ts instead. -->\n\n`;
  md += "| source | descriptors (kinds with a REST resource) | definitions (interfaces and aliases) | modules |\n";
  md += "|---|---:|---:|---:|\n";
  for (const [source, c] of Object.entries(output.counts).sort()) {
    md += `| ${source} | ${c.resources} | ${c.definitions} | ${c.modules} |\n`;
  }
  md += "\n| subject | field | what the sources say | what was generated |\n|---|---|---|---|\n";
  for (const n of output.notes) {
    md += `| ${cell(n.subject)} | ${cell(n.field)} | ${cell(n.sources)} | ${cell(n.choice)} |\n`;
  }
  md += "\nAccepted differences between the descriptors and the discovery documents of the recorded servers ";
  md += "(`codegen/discovery-exceptions.ts`; the cross-check test fails on any other difference):\n\n";
  md += "| server | resource | field | why |\n|---|---|---|---|\n";
  for (const e of DISCOVERY_EXCEPTIONS)
    md += `| ${e.server} | ${e.apiPath} ${e.plural} | ${e.field} | ${cell(e.reason)} |\n`;
  return `${md}\n${END}`;
}

/**
 * Replaces the generated section of a README text.
 *
 * @param readme the README text
 * @param section the new section, markers included
 * @returns the new text
 * @throws {Error} when the markers are missing
 */
export function replaceReadmeSection(readme: string, section: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${BEGIN} … ${END} section`);
  return `${readme.slice(0, start)}${section}${readme.slice(end + END.length)}`;
}

function main(): void {
  const output = generateFromShared();
  const target = join(packageDir, "src", "generated");
  rmSync(target, { recursive: true, force: true });
  for (const [path, text] of output.files) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), text);
  }
  const modules = modulePaths(output);
  const pkgPath = join(packageDir, "package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as Record<string, unknown>;
  pkg.exports = packageExports(modules);
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  const denoPath = join(packageDir, "deno.json");
  const deno = JSON.parse(readFileSync(denoPath, "utf8")) as Record<string, unknown>;
  deno.exports = denoExports(modules);
  writeFileSync(denoPath, `${JSON.stringify(deno, null, 2)}\n`);
  const readmePath = join(packageDir, "README.md");
  writeFileSync(readmePath, replaceReadmeSection(readFileSync(readmePath, "utf8"), readmeSection(output)));
  // Biome owns the formatting of these files; the determinism test compares their content, not their layout.
  spawnSync("npx", ["biome", "format", "--write", "package.json", "deno.json", "README.md"], {
    cwd: packageDir,
    stdio: "ignore",
  });
  const bytes = [...output.files.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
  console.log(`generated ${output.files.size} files (${bytes} bytes) into ${target}`);
  for (const [source, c] of Object.entries(output.counts)) {
    console.log(`  ${source}: ${c.resources} descriptors, ${c.definitions} definitions, ${c.modules} modules`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
