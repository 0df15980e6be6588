// Differential test: every fixture under testdata/kubectl-diff is shown by real kubectl and by our loader, and the
// JSON must be equal (or both must refuse). kubectl must be on PATH: a missing kubectl fails, it never skips.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isKubeError } from "@kubeshift/transport";
import { describe, expect, it } from "vitest";
import type { AuthHost } from "./auth-host.ts";
import { KubeconfigError } from "./kubeconfig-error.ts";
import { loadKubeconfig } from "./load-kubeconfig.ts";
import { nodeAuthHost } from "./node/node-auth-host.ts";
import { stringifyKubeconfig } from "./stringify-kubeconfig.ts";

const here = dirname(fileURLToPath(import.meta.url));
const casesDir = resolve(here, "..", "testdata", "kubectl-diff");
const emptyHome = mkdtempSync(join(tmpdir(), "kubeshift-auth-home-"));

interface Case {
  description: string;
  /** What the case is about: kubectl must load (`ok`) or refuse (`error`) it in the merged view. */
  kubectlMerge?: "ok" | "error";
  env: Record<string, string>;
  kubeconfig?: string;
  contexts?: string[];
}

interface View {
  label: string;
  args: string[];
  minify?: boolean;
  flatten?: boolean;
  raw?: boolean;
  context?: string;
}

function findKubectl(): string {
  const which = spawnSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" });
  const path = which.stdout.trim();
  if (which.status !== 0 || path === "") {
    throw new Error("kubectl is not on PATH: the kubeconfig differential test needs the real kubectl (install it)");
  }
  return path;
}

/** kubectl on PATH, plus the oldest and newest versioned binaries installed beside it (kubectl.1.27 …). */
function kubectls(): string[] {
  const main = findKubectl();
  const dir = dirname(realpathSync(main));
  const versions = readdirSync(dir)
    .filter((f) => /^kubectl\.\d+\.\d+$/.test(f))
    .sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2]));
  const extra = [versions[0], versions[versions.length - 1]].filter((v): v is string => v !== undefined);
  return [main, ...new Set(extra.map((v) => join(dir, v)))];
}

function views(spec: Case): View[] {
  const out: View[] = [
    { label: "--merge --flatten", args: ["--merge", "--flatten"], flatten: true },
    { label: "--minify --flatten", args: ["--minify", "--flatten"], minify: true, flatten: true },
    { label: "(redacted)", args: [] },
    { label: "--raw", args: ["--raw"], raw: true },
    { label: "--minify --raw", args: ["--minify", "--raw"], minify: true, raw: true },
  ];
  for (const context of spec.contexts ?? []) {
    out.push({
      label: `--minify --flatten --context ${context}`,
      args: ["--minify", "--flatten", "--context", context],
      minify: true,
      flatten: true,
      context,
    });
  }
  return out;
}

function caseEnv(dir: string, spec: Case): Record<string, string> {
  const env: Record<string, string> = { HOME: emptyHome };
  for (const [k, v] of Object.entries(spec.env)) env[k] = k === "HOME" ? join(dir, v) : v;
  return env;
}

type Outcome = { ok: true; json: unknown } | { ok: false; error: string };

function runKubectl(kubectl: string, dir: string, spec: Case, view: View): Outcome {
  const args = ["config", "view", ...view.args, "-o", "json"];
  if (spec.kubeconfig !== undefined) args.push("--kubeconfig", spec.kubeconfig);
  const r = spawnSync(kubectl, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...caseEnv(dir, spec) },
    encoding: "utf8",
  });
  if (r.status !== 0) return { ok: false, error: (r.stderr || r.stdout).trim() };
  return { ok: true, json: JSON.parse(r.stdout) };
}

async function runOurs(dir: string, spec: Case, view: View): Promise<Outcome> {
  const env = caseEnv(dir, spec);
  const base = nodeAuthHost();
  const host: AuthHost = { ...base, env, homeDir: env.HOME, cwd: dir };
  try {
    const config = await loadKubeconfig({
      host,
      ...(spec.kubeconfig === undefined ? {} : { path: spec.kubeconfig }),
    });
    const text = await stringifyKubeconfig(config, {
      format: "json",
      host,
      ...(view.minify === true ? { minify: true } : {}),
      ...(view.flatten === true ? { flatten: true } : {}),
      ...(view.raw === true ? { raw: true } : {}),
      ...(view.context === undefined ? {} : { context: view.context }),
    });
    return { ok: true, json: JSON.parse(text) };
  } catch (error) {
    // Only typed errors count as an agreeing refusal.
    if (error instanceof KubeconfigError || (isKubeError(error) && error.code === "ERR_CONFIG")) {
      return { ok: false, error: (error as Error).message };
    }
    throw error;
  }
}

const cases = readdirSync(casesDir)
  .filter((name) => existsSync(join(casesDir, name, "case.json")))
  .sort();

describe("loadKubeconfig + stringifyKubeconfig agree with real kubectl config view", () => {
  const binaries = kubectls();

  it("has at least 20 kubeconfig fixtures", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of cases) {
    const dir = join(casesDir, name);
    const spec = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as Case;
    it(`${name}: ${spec.description}`, async () => {
      let compared = 0;
      for (const view of views(spec)) {
        const ours = await runOurs(dir, spec, view);
        // Every view against kubectl on PATH; the two views the issue names also against the other versions.
        const required = view.label === "--merge --flatten" || view.label === "--minify --flatten";
        for (const kubectl of required ? binaries : binaries.slice(0, 1)) {
          const theirs = runKubectl(kubectl, dir, spec, view);
          const where = `${kubectl} config view ${view.label}`;
          if (view.label === "--merge --flatten" && spec.kubectlMerge !== undefined) {
            expect(
              theirs.ok ? "ok" : "error",
              `${where}: the fixture expects kubectl to say ${spec.kubectlMerge}`,
            ).toBe(spec.kubectlMerge);
          }
          if (theirs.ok) {
            expect(ours, `${where} succeeded`).toEqual({ ok: true, json: theirs.json });
          } else {
            expect(ours.ok, `${where} failed with: ${theirs.error}; we returned ${JSON.stringify(ours)}`).toBe(false);
          }
          compared++;
        }
      }
      expect(compared).toBeGreaterThanOrEqual(5);
    });
  }
});

describe("kubeshift-config-view prints what kubectl prints", () => {
  const bin = resolve(here, "bin", "kubeshift-config-view.ts");
  const node = process.execPath;
  const runtimeArgs =
    (globalThis as { Deno?: unknown }).Deno === undefined
      ? ["--conditions=@kubeshift/source", bin]
      : ["run", "-A", bin];

  it.each([
    ["02-same-names-first-file-wins-whole-entry", ["--merge", "--flatten", "-o", "json"]],
    ["08-relative-paths-resolved-against-naming-file", ["--minify", "--flatten", "-o", "json", "--context", "inner"]],
    ["22-exec-and-auth-provider", ["-o", "json"]],
    ["40-merge-across-three-files-with-minify", ["--minify"]],
    ["24-extensions-and-preferences", []],
  ] as const)("%s with %j: byte-identical output", (name, args) => {
    const dir = join(casesDir, name);
    const spec = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as Case;
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", ...caseEnv(dir, spec) };
    const expected = execFileSync(findKubectl(), ["config", "view", ...args], { cwd: dir, env, encoding: "utf8" });
    const actual = execFileSync(node, [...runtimeArgs, ...args], { cwd: dir, env, encoding: "utf8" });
    expect(actual).toBe(expected);
  });

  it("fails like kubectl, with the same message, when minify meets a missing user", () => {
    const dir = join(casesDir, "20-minify-with-missing-user");
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: emptyHome, KUBECONFIG: "a.yaml" };
    const theirs = spawnSync(findKubectl(), ["config", "view", "--minify"], { cwd: dir, env, encoding: "utf8" });
    const ours = spawnSync(node, [...runtimeArgs, "--minify"], { cwd: dir, env, encoding: "utf8" });
    expect(theirs.status).toBe(1);
    expect(ours.status).toBe(1);
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.stdout).toBe("");
  });
});
