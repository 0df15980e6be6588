// The size goal of a list-pods program for browsers and Deno (≤ 60 KiB minified, esbuild), and what must stay out
// of such bundles: another runtime's adapter, undici, node: modules, and the kubeconfig parser of connect().
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const KIB = 1024;

async function bundle(
  code: string,
  options: { platform: "browser" | "neutral"; conditions?: string[]; external?: string[] },
): Promise<{ text: string; inputs: string[] }> {
  const result = await build({
    stdin: { contents: code, resolveDir: packageDir, loader: "ts", sourcefile: "list-pods.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: options.platform,
    conditions: ["@kubeshift/source", ...(options.conditions ?? [])],
    external: options.external ?? [],
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  const output = Object.values(result.metafile.outputs)[0];
  if (file === undefined || output === undefined) throw new Error("esbuild produced no output");
  // Only the modules that contributed code: esbuild also lists modules it resolved and then dropped.
  const inputs = Object.entries(output.inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([k]) => k);
  return { text: file.text, inputs };
}

const LIST_PODS = (adapter: string, create: string): string => `
import { createClient } from "@kubeshift/client";
import { bearerAuth, composeTransport } from "@kubeshift/transport";
import { ${create} } from "@kubeshift/transport/${adapter}";
import { Pod } from "@kubeshift/types/core/v1";
const client = createClient({
  transport: composeTransport(${create}(), bearerAuth({ getToken: async () => "token" })),
  server: "https://api.example.com:6443",
});
for (const pod of (await client.list(Pod, { namespace: "default" })).items) console.log(pod.metadata?.name);
`;

describe("bundle size of a list-pods program", () => {
  it("web (browser platform): ≤ 60 KiB minified, no undici, no node: module, no kubeconfig parser", async () => {
    const { text, inputs } = await bundle(LIST_PODS("web", "createWebTransport"), { platform: "browser" });
    const size = new TextEncoder().encode(text).length;
    expect(size).toBeLessThanOrEqual(60 * KIB);
    expect(inputs.some((i) => i.includes("undici"))).toBe(false);
    // Only auth's token functions (getServiceAccountToken delegates to them), never its kubeconfig parser.
    expect(inputs.some((i) => i.includes("yaml") || i.includes("kubeconfig"))).toBe(false);
    expect(text).not.toMatch(/["']node:/);
    expect(text).toContain('"pods"');
  });

  it("Deno (deno condition): ≤ 60 KiB minified with the Deno adapter and nothing of Node's", async () => {
    const { text, inputs } = await bundle(LIST_PODS("deno", "createDenoTransport"), {
      platform: "neutral",
      conditions: ["deno"],
      external: ["node:*"],
    });
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(60 * KIB);
    expect(inputs.some((i) => i.includes("transport/src/deno/"))).toBe(true);
    expect(inputs.some((i) => i.includes("undici") || i.includes("transport/src/node/"))).toBe(false);
  });

  it("connect() in a browser bundle brings the web adapter only (the runtime adapter is chosen by condition)", async () => {
    const { inputs } = await bundle(
      `import { connect } from "@kubeshift/client"; const c = await connect(); console.log(c.namespace);`,
      { platform: "browser" },
    );
    expect(inputs.some((i) => i.includes("transport/src/web/"))).toBe(true);
    expect(
      inputs.some(
        (i) => i.includes("undici") || i.includes("transport/src/node/") || i.includes("transport/src/deno/"),
      ),
    ).toBe(false);
  });
});
