#!/usr/bin/env node
// Creates the files every workspace package shares, so that packages stay uniform:
//   node tools/scaffold.mjs <name> "<description>" [--app] [--deps a,b]
// Existing files are never overwritten.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [name, description = "", ...rest] = process.argv.slice(2);
if (!name) {
  console.error('usage: node tools/scaffold.mjs <name> "<description>" [--app] [--deps transport,types]');
  process.exit(2);
}
const app = rest.includes("--app");
const depsArg = rest[rest.indexOf("--deps") + 1];
const deps = rest.includes("--deps") && depsArg ? depsArg.split(",") : [];
const dir = join(app ? "apps" : "packages", name);
const pkgName = app ? `@kubeshift/${name}-app` : `@kubeshift/${name}`;

function write(file, text) {
  const path = join(dir, file);
  if (existsSync(path)) return;
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}
const json = (v) => `${JSON.stringify(v, null, 2)}\n`;

write(
  "package.json",
  json({
    name: pkgName,
    version: "0.1.0",
    description,
    ...(app ? { private: true } : {}),
    type: "module",
    license: "Apache-2.0",
    ...(app ? {} : { sideEffects: false }),
    engines: { node: ">=22.19" },
    files: ["dist", "!dist/.tsbuildinfo", "src", "!src/**/*.test.ts", "!src/**/*.test.tsx"],
    exports: {
      ".": { "@kubeshift/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
    },
    scripts: {
      build: "tsc -b",
      typecheck: "tsc -p tsconfig.test.json",
      test: "vitest run",
      "test:deno": "deno test -A --permit-no-files --junit-path=.results/deno.xml",
    },
    dependencies: Object.fromEntries(deps.map((d) => [`@kubeshift/${d}`, "^0.1.0"])),
  }),
);
write(
  "deno.json",
  json(
    app
      ? {}
      : {
          name: pkgName,
          version: "0.1.0",
          license: "Apache-2.0",
          exports: { ".": "./src/index.ts" },
          publish: {
            exclude: [
              "src/**/*.test.ts",
              "src/**/*.test.tsx",
              "testdata/",
              "dist/",
              "tsconfig*.json",
              "vitest.config.ts",
            ],
          },
        },
  ),
);
write(
  "tsconfig.json",
  json({
    extends: "../../tsconfig.base.json",
    compilerOptions: { rootDir: "src", outDir: "dist", tsBuildInfoFile: "dist/.tsbuildinfo" },
    include: ["src"],
    exclude: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    references: deps.map((d) => ({ path: `../../packages/${d}` })),
  }),
);
write(
  "tsconfig.test.json",
  json({
    extends: "./tsconfig.json",
    compilerOptions: {
      noEmit: true,
      composite: false,
      declaration: false,
      declarationMap: false,
      isolatedDeclarations: false,
      rootDir: "../..",
      tsBuildInfoFile: null,
    },
    include: ["src"],
    exclude: [],
  }),
);
write("vitest.config.ts", 'export { default } from "../../tools/vitest.shared.ts";\n');
write("src/index.ts", `/**\n * ${description}\n *\n * @module\n */\nexport {};\n`);
write("README.md", `# ${pkgName}\n\n${description}\n`);
console.log(`scaffolded ${dir}`);
