import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allowAuthenticated, type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBin, startBin } from "../test/bin.ts";
import { createPod, eventually } from "../test/harness.ts";

let cluster: FakeCluster;
let dir: string;

beforeAll(async () => {
  cluster = await startFakeCluster({
    authorizer: (a) => (a.user.name === "dev" && a.resource === "pods" ? { allowed: false } : allowAuthenticated(a)),
  });
  dir = await mkdtemp(join(tmpdir(), "kubeshift-watch-cli-"));
});
afterAll(async () => {
  await cluster?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function kubeconfigFor(user: string, token: string): Promise<string> {
  cluster.addUser({ name: user, token, groups: ["system:authenticated"] });
  const path = join(dir, `${user}.kubeconfig`);
  await writeFile(path, cluster.kubeconfigFor({ token }, { userName: user }), { mode: 0o600 });
  return path;
}

describe("kubeshift-watch (the bin, errors a user can act on)", () => {
  it("without a kubeconfig says where it looked and how to log in, exit status 1", async () => {
    const home = await mkdtemp(join(dir, "home-"));
    const r = await runBin(["pods"], { HOME: home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no kubeconfig found, and not running inside a cluster.");
    expect(r.stderr).toContain(`Looked in: ${join(home, ".kube", "config")} (KUBECONFIG is not set).`);
    expect(r.stderr).toContain("oc login https://api.<cluster>:6443");
    expect(r.stderr).toContain("--kubeconfig PATH or KUBECONFIG=PATH");
    expect(r.stderr).toContain("kubeshift-watch --demo");
    expect(r.stdout).toBe("");
  });

  it("with KUBECONFIG naming missing files names them", async () => {
    const missing = join(dir, "nope", "config");
    const r = await runBin(["pods"], { HOME: dir, KUBECONFIG: missing });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Looked in: KUBECONFIG=${missing} (the file does not exist).`);
  });

  it("with an expired (revoked) token says so and suggests logging in again", async () => {
    const token = "token-expired-user-1";
    const path = await kubeconfigFor("alice", token);
    cluster.revokeToken(token);
    const r = await runBin(["pods", "--kubeconfig", path], { HOME: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `the server refused the credentials of user "alice" (context "kubeshift-fake-cluster", server ${cluster.url}): the token has expired or was revoked (401 Unauthorized).`,
    );
    expect(r.stderr).toContain(`Log in again (oc login ${cluster.url}, or refresh the credentials of user "alice"`);
    expect(r.stderr).not.toContain(token);
  });

  it("when listing is forbidden prints the server's RBAC sentence", async () => {
    const path = await kubeconfigFor("dev", "token-dev-cli");
    const r = await runBin(["pods", "-n", "default", "--kubeconfig", path], { HOME: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    expect(r.stderr).toContain("Ask a cluster administrator for access");
  });

  it("for an unknown resource lists what the server serves", async () => {
    const path = await kubeconfigFor("bob", "token-bob-cli");
    const r = await runBin(["pods,widgets", "--kubeconfig", path], { HOME: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the server doesn't have a resource type "widgets"; it serves: .*configmaps.*pods/);
    expect(r.stderr).toContain("api-resources");
  });

  it("when the server cannot be reached says why and to check the context", async () => {
    const closed = await startFakeCluster();
    const text = closed.kubeconfig.text;
    const url = closed.url;
    await closed.close();
    const path = join(dir, "gone.kubeconfig");
    await writeFile(path, text, { mode: 0o600 });
    const r = await runBin(["pods", "--kubeconfig", path], { HOME: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the API server (context "kubeshift-fake-cluster", server ${url})`);
    expect(r.stderr).toMatch(/refused/i);
    expect(r.stderr).toContain("Is the cluster up, and is this the right context (--context, --kubeconfig)?");
  });

  it("a wrong command line exits with status 2 and points to --help; --help prints the usage", async () => {
    const bad = await runBin(["-n", "a", "-A"], { HOME: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--namespace and --all-namespaces cannot be used together");
    const help = await runBin(["--help"], { HOME: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: kubeshift-watch [RESOURCE ...]");
  });

  it("piped, streams kubectl-like lines and ends with status 0 on SIGTERM", async () => {
    createPod(cluster, "cli-stream", "web-1");
    const path = await kubeconfigFor("carol", "token-carol-cli");
    const run = startBin(["po", "-n", "cli-stream", "--kubeconfig", path], { HOME: dir });
    try {
      await eventually(() => /ADDED +web-1 +1\/1 +Running/.test(run.stdout()), "the pod", {
        timeoutMs: 45_000,
        last: () => `${run.stdout()}\n${run.stderr()}`,
      });
      createPod(cluster, "cli-stream", "web-2");
      await eventually(() => /ADDED +web-2 /.test(run.stdout()), "the new pod", { last: run.stdout });
    } finally {
      process.kill(run.child.pid as number, "SIGTERM");
    }
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^EVENT +NAME +READY +STATUS +RESTARTS +AGE$/);
  });
});
