// The programs of examples/ run as users run them (a fresh process of the runtime running this test: node with the
// source condition, or deno run), against the fake cluster over HTTPS through a kubeconfig in KUBECONFIG; and the
// README's example is the same code as examples/quick-start.ts.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./client.ts";
import { connect } from "./connect.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const examples = join(root, "examples");
const NS = "demo";

let cluster: FakeCluster;
let client: Client;
let dir: string;
let kubeconfig: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of an example: the kubeconfig, and no colours (Deno colours numbers when FORCE_COLOR is set). */
function plainEnv(config: string): Record<string, string | undefined> {
  const { FORCE_COLOR: _force, ...env } = process.env;
  return { ...env, KUBECONFIG: config, NO_COLOR: "1" };
}

/** Runs an example in a fresh process of the current runtime. */
function run(file: string, args: string[] = [], config = kubeconfig): Promise<Run> {
  const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
  const [command, argv] =
    deno === undefined
      ? [process.execPath, ["--conditions=@kubeshift/source", join(examples, file), ...args]]
      : [deno.execPath(), ["run", "-A", join(examples, file), ...args]];
  return new Promise((done, fail) => {
    const child = spawn(command, argv, {
      cwd: root,
      env: plainEnv(config),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += String(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += String(d);
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  cluster = await startFakeCluster({
    objects: [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: NS },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } },
        },
      },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "web-0", namespace: NS, labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx" }] },
      },
    ],
  });
  cluster.store.appendLog(NS, "web-0", "started\nlistening on :8080\n", "web");
  dir = mkdtempSync(join(tmpdir(), "kubeshift-examples-"));
  kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, cluster.kubeconfigFor({ token: cluster.token }, { namespace: NS }), { mode: 0o600 });
  client = await connect({ path: kubeconfig });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await cluster?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("examples/", () => {
  it("quick-start.ts lists by label, scales the Deployment, applies a ConfigMap and prints the pod's log", async () => {
    const r = await run("quick-start.ts");
    // stderr is not required to be empty: a runtime may print notices of its own (deno's lock and cache messages).
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^web-0 \S+$/);
    expect(lines).toContain("replicas: 3");
    expect(lines.slice(-2)).toEqual(["started", "listening on :8080"]);
    expect((await client.get(ConfigMap, "cfg")).data).toEqual({ k: "v" });
  }, 90_000);

  it("list-pods.ts prints the server-side Table of the namespace's pods", async () => {
    const r = await run("list-pods.ts");
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = r.stdout.trim().split("\n");
    expect(header?.split(/\s{2,}/)).toEqual(expect.arrayContaining(["NAME", "READY", "STATUS"]));
    expect(rows.some((row) => row.startsWith("web-0 "))).toBe(true);
  }, 90_000);

  it("dynamic-crd.ts creates a CRD and works on its objects through the dynamic client", async () => {
    const r = await run("dynamic-crd.ts");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual(['w1 {"size":5}', "short name wd → widgets"]);
  }, 90_000);
});

describe("examples/ on an OpenShift cluster", () => {
  let openshift: FakeCluster;
  let config: string;

  beforeAll(async () => {
    openshift = await startFakeCluster({
      openshift: true,
      objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }],
    });
    config = join(dir, "kubeconfig-openshift");
    writeFileSync(config, openshift.kubeconfigFor({ token: openshift.token }, { namespace: NS }), { mode: 0o600 });
  }, 60_000);

  afterAll(async () => {
    await openshift?.close();
  });

  it("openshift-service-account.ts lists /oapi/v1, grants admin to a new service account, and calls the API with its token", async () => {
    const r = await run("openshift-service-account.ts", [], config);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^\/oapi\/v1 serves \d+ resources$/);
    expect(lines.slice(1)).toEqual(["bound by admin", "token from TokenRequest", `robot sees 1 config maps in ${NS}`]);
  }, 90_000);
});

describe("packages/client/README.md", () => {
  it("shows the code of examples/quick-start.ts, line for line", () => {
    const readme = readFileSync(join(root, "packages/client/README.md"), "utf8");
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const example = readFileSync(join(examples, "quick-start.ts"), "utf8")
      .split("\n")
      .filter((line) => !line.startsWith("//"))
      .join("\n");
    expect(example.trim()).toBe(block?.trim());
  });
});
