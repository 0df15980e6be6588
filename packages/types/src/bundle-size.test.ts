import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

async function bundle(code: string): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: packageDir, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    conditions: ["@kubeshift/source"],
    write: false,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error("esbuild produced no output");
  return file.text;
}

describe("bundle size", () => {
  it("a bundle of one descriptor (Pod) stays under 4 KiB and holds no other descriptor", async () => {
    const code = await bundle(`import { Pod } from "@kubeshift/types/core/v1"; console.log(Pod.plural);`);
    expect(new TextEncoder().encode(code).length).toBeLessThan(4096);
    expect(code).toContain('"pods"');
    expect(code.match(/apiPath:/g)?.length).toBe(1);
    expect(code).not.toContain("configmaps");
    expect(code).not.toContain("JSON.parse");
  });

  it("the catalog pulls every descriptor and the schema module its data, and neither leaks into a Pod bundle", async () => {
    const catalog = await bundle(
      `import { resources } from "@kubeshift/types/catalog"; console.log(resources.length);`,
    );
    expect(catalog.match(/apiPath:/g)?.length ?? 0).toBeGreaterThan(200);
    const schema = await bundle(
      `import { schema } from "@kubeshift/types/schema"; console.log(Object.keys(schema.definitions).length);`,
    );
    expect(schema).toContain("io.k8s.api.core.v1.Pod");
    expect(schema).not.toContain("apiPath:");
  });
});
