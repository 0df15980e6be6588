// The package's promise to browsers: bundling it for the "browser" platform pulls in no node: module (the default
// host resolves to a stub there), and on Node and Deno the default host loads by itself.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { getDefaultAuthHost } from "./auth-host.ts";
import { loadKubeconfig } from "./load-kubeconfig.ts";

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "kubeshift-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(source: string, platform: "browser" | "node"): Promise<string> {
  const entry = join(dir, `entry-${platform}-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(entry, source.replaceAll("@auth", resolve(here, "index.ts")));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform,
    write: false,
    conditions: ["@kubeshift/source"],
    logLevel: "silent",
  });
  return result.outputFiles.map((f) => f.text).join("\n");
}

describe("runtime neutrality", () => {
  it("bundles for the browser without any node: module, whatever is imported", async () => {
    const code = await bundle(
      `import * as auth from "@auth"; console.log(Object.keys(auth).length, auth.parseKubeconfig("current-context: x"));`,
      "browser",
    );
    expect(code).not.toMatch(/["']node:/);
    expect(code).toContain("has no default host in this runtime");
  });

  it("bundles for Node with the Node host inside", async () => {
    const code = await bundle(`import { loadKubeconfig } from "@auth"; console.log(await loadKubeconfig());`, "node");
    expect(code).toMatch(/["']node:fs\/promises["']/);
  });

  it("loads the default host by itself on Node and Deno", async () => {
    const host = await getDefaultAuthHost();
    expect(typeof host.fs.readFile).toBe("function");
    const file = join(dir, "kubeconfig");
    writeFileSync(file, "current-context: from-default-host\n");
    expect((await loadKubeconfig({ path: file })).currentContext).toBe("from-default-host");
  });
});
