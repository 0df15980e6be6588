import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkLayering, findImports } from "./check-layering.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));

describe("check-layering", () => {
  it("reports exactly the planted violations of the fixture repository, and nothing that is allowed", () => {
    const found = checkLayering(join(here, "testdata/layering"))
      .map((v) => `${v.file} ${v.specifier}`)
      .sort();
    expect(found).toEqual(
      [
        "apps/demo/src/main.ts ws",
        "packages/auth/src/kubeconfig.ts node:fs",
        "packages/client/package.json @kubeshift/watch",
        "packages/client/src/client.ts undici",
        "packages/transport/src/core.ts @kubeshift/client",
        "packages/transport/src/core.ts node:net",
        "packages/types/src/types.ts fs",
        "packages/watch/src/watch.test.ts ws",
        "packages/watch/src/watch.ts @kubeshift/testing",
        "packages/watch/src/watch.ts node:fs",
      ].sort(),
    );
  });

  it("the real repository passes the check", () => {
    expect(checkLayering(join(here, ".."))).toEqual([]);
  });

  it("findImports() sees every import form and ignores comments, strings, templates and regexes", () => {
    const text = [
      'import a from "a";',
      'import type { B } from "b";',
      'import * as c from "c";',
      'import "d";',
      'export { e } from "e";',
      'export type { F } from "f";',
      'export * from "g";',
      'const h = await import("h");',
      'const i = require("i");',
      'import {\n  j,\n  k,\n} from "jk";',
      '// import x from "comment";',
      '/* import y from "block"; */',
      "const s = \"import z from 'string'\";",
      'const t = `import w from "template"`;',
      'const r = /import v from "regex"/;',
      'export const from = 1; const q = obj.import("member");',
    ].join("\n");
    expect(findImports(text).map((f) => `${f.kind}:${f.specifier}`)).toEqual([
      "import:a",
      "import-type:b",
      "import:c",
      "side-effect:d",
      "re-export:e",
      "export-type:f",
      "re-export:g",
      "dynamic:h",
      "require:i",
      "import:jk",
    ]);
  });
});
