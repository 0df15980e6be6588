/**
 * Interop: real kubectl (1.27 and 1.33, installed beside the `kubectl` on PATH as `kubectl.1.27`, `kubectl.1.33`)
 * against the fake cluster, with a temporary kubeconfig, `--cache-dir` and `$HOME`. A missing kubectl fails these
 * tests with the path it looked for.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTool, type ToolRun } from "./_test-client.ts";
import { type FakeCluster, startFakeCluster } from "./start-fake-cluster.ts";

function kubectlPath(version: string): string {
  let onPath: string;
  try {
    onPath = execFileSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(`kubectl is not on PATH; the interop tests need kubectl.${version} beside it`);
  }
  const path = join(dirname(realpathSync(onPath)), `kubectl.${version}`);
  if (!existsSync(path))
    throw new Error(`kubectl ${version} is missing: looked for ${path} (beside ${realpathSync(onPath)})`);
  return path;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
`;

for (const version of ["1.27", "1.33"]) {
  describe(`kubectl ${version}`, () => {
    let cluster: FakeCluster;
    let home: string;
    let kubeconfig: string;
    let binary: string;

    const kubectl = (args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<ToolRun> =>
      runTool(binary, [...args, "--kubeconfig", kubeconfig, "--cache-dir", join(home, "cache")], {
        env: { HOME: home },
        timeoutMs: options.timeoutMs ?? 30_000,
        ...(options.input === undefined ? {} : { input: options.input }),
      });

    const ok = async (args: readonly string[], input?: string): Promise<string> => {
      const r = await kubectl(args, input === undefined ? {} : { input });
      if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    };

    beforeAll(async () => {
      binary = kubectlPath(version);
      cluster = await startFakeCluster();
      home = mkdtempSync(join(tmpdir(), `kubectl-${version}-`));
      kubeconfig = join(home, "kubeconfig");
      writeFileSync(kubeconfig, cluster.kubeconfig.text, { mode: 0o600 });
    });
    afterAll(async () => {
      await cluster?.close();
      if (home !== undefined) rmSync(home, { recursive: true, force: true });
    });

    it("lists the API resources (aggregated discovery)", async () => {
      const out = await ok(["api-resources"]);
      expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
      expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    });

    it("creates from a file and gets it as a table, YAML, JSON and wide", async () => {
      const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\ndata:\n  a: '1'\n  b: '2'\n";
      expect(await ok(["create", "-f", "-"], cm)).toBe("configmap/cm1 created\n");
      expect(await ok(["get", "configmap", "cm1"])).toMatch(/^NAME\s+DATA\s+AGE\ncm1\s+2\s+\d+s\n$/);
      expect(await ok(["get", "configmap", "cm1", "-o", "yaml"])).toMatch(
        /^apiVersion: v1\ndata:\n {2}a: "1"\n {2}b: "2"\nkind: ConfigMap\n/,
      );
      expect(JSON.parse(await ok(["get", "configmap", "cm1", "-o", "json"]))).toMatchObject({
        kind: "ConfigMap",
        data: { a: "1", b: "2" },
      });
      cluster.store.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p1", namespace: "default" },
        spec: { containers: [{ name: "main", image: "busybox" }], nodeName: "node-a" },
      });
      const wide = await ok(["get", "pods", "-o", "wide"]);
      expect(wide).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/);
      expect(wide).toMatch(/^p1\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+node-a\s+<none>\s+<none>$/m);
    });

    it("validates fields server-side: kubectl sends fieldValidation=Strict and reports the unknown field", async () => {
      const typo = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndatta:\n  a: '1'\n";
      const r = await kubectl(["create", "-f", "-"], { input: typo });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('strict decoding error: unknown field "datta"');
      expect(cluster.store.get({ apiVersion: "v1", kind: "ConfigMap" }, "typo", "default")).toBeUndefined();
    });

    it("applies client-side (create, then update) and server-side", async () => {
      expect(await ok(["apply", "-f", "-"], DEPLOYMENT)).toBe("deployment.apps/web created\n");
      expect(await ok(["apply", "-f", "-"], DEPLOYMENT.replace("nginx:1.25", "nginx:1.26"))).toBe(
        "deployment.apps/web configured\n",
      );
      expect(
        await ok(
          ["apply", "--server-side", "--force-conflicts", "-f", "-"],
          DEPLOYMENT.replace("nginx:1.25", "nginx:1.27"),
        ),
      ).toBe("deployment.apps/web serverside-applied\n");
      const d = cluster.store.get<{
        spec: { template: { spec: { containers: { image: string; ports: unknown[] }[] } } };
        metadata: { generation: number };
      }>({ apiVersion: "apps/v1", kind: "Deployment" }, "web", "default");
      expect(d?.spec.template.spec.containers[0]?.image).toBe("nginx:1.27");
      expect(d?.spec.template.spec.containers[0]?.ports).toHaveLength(1);
      expect(d?.metadata.generation).toBe(3);
    });

    it("patches with all three --type values, labels and scales", async () => {
      expect(
        await ok(["patch", "deployment", "web", "--type=merge", "-p", '{"metadata":{"labels":{"patched":"merge"}}}']),
      ).toBe("deployment.apps/web patched\n");
      await ok([
        "patch",
        "deployment",
        "web",
        "--type=json",
        "-p",
        '[{"op":"add","path":"/metadata/labels/json","value":"yes"}]',
      ]);
      await ok([
        "patch",
        "deployment",
        "web",
        "--type=strategic",
        "-p",
        '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}',
      ]);
      expect(await ok(["label", "deployment", "web", "team=blue"])).toBe("deployment.apps/web labeled\n");
      expect(await ok(["scale", "deployment", "web", "--replicas=3"])).toBe("deployment.apps/web scaled\n");
      const d = cluster.store.get<{
        metadata: { labels: Record<string, string> };
        spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
      }>({ apiVersion: "apps/v1", kind: "Deployment" }, "web", "default");
      expect(d?.metadata.labels).toMatchObject({ patched: "merge", json: "yes", team: "blue" });
      expect(d?.spec.replicas).toBe(3);
      expect(d?.spec.template.spec.containers.map((c) => c.image)).toEqual(["nginx:1.28"]);
    });

    it("watches (get -w) and sees a create, a change and a delete", async () => {
      const child: ChildProcess = spawn(
        binary,
        ["get", "configmaps", "-w", "--kubeconfig", kubeconfig, "--cache-dir", join(home, "cache")],
        {
          env: { PATH: process.env.PATH ?? "", HOME: home },
        },
      );
      let out = "";
      child.stdout?.on("data", (d) => (out += d));
      const waitFor = async (re: RegExp): Promise<void> => {
        const deadline = Date.now() + 15_000;
        while (!re.test(out)) {
          if (Date.now() > deadline) throw new Error(`kubectl get -w printed: ${out}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      try {
        await waitFor(/^cm1\s/m);
        cluster.store.create({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "watched", namespace: "default" },
          data: { a: "1" },
        });
        await waitFor(/^watched\s+1\s/m);
        cluster.store.put({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "watched", namespace: "default" },
          data: { a: "1", b: "2" },
        });
        await waitFor(/^watched\s+2\s/m);
        cluster.store.delete({ apiVersion: "v1", kind: "ConfigMap" }, "watched", "default");
        await waitFor(/^watched\s+2\s[\s\S]*^watched\s+2\s/m);
        expect(out.split("\n").filter((l) => l.startsWith("watched")).length).toBe(3);
      } finally {
        child.kill("SIGINT");
      }
    });

    it("explains a field (OpenAPI v3) and reads logs", async () => {
      const explained = await ok(["explain", "deployment.spec.replicas"]);
      expect(explained).toContain("KIND:");
      expect(explained).toMatch(/FIELD:\s+replicas <integer>/);
      cluster.store.appendLog("default", "p1", "hello from p1\nsecond line\n");
      expect(await ok(["logs", "p1"])).toBe("hello from p1\nsecond line\n");
      expect(await ok(["logs", "p1", "--tail=1"])).toBe("second line\n");
    });

    it("explains from the protobuf /openapi/v2 when /openapi/v3 is not served", async () => {
      await using v2only = await startFakeCluster({ openapiV3: false });
      const path = join(home, "kubeconfig-v2");
      writeFileSync(path, v2only.kubeconfig.text, { mode: 0o600 });
      const r = await runTool(
        binary,
        ["explain", "pods.spec.restartPolicy", "--kubeconfig", path, "--cache-dir", join(home, "cache-v2")],
        { env: { HOME: home } },
      );
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/FIELD:\s+restartPolicy <string>/);
    });

    it("drains a node: evictions through pods/eviction, the PodDisruptionBudget's 429 retried until the timeout", async () => {
      const node = `drain-${version.replace(".", "-")}`;
      cluster.store.create({ apiVersion: "v1", kind: "Node", metadata: { name: node } });
      for (const name of [`${node}-a`, `${node}-b`]) {
        const pod = cluster.store.create({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name, namespace: "default", labels: { app: node } },
          spec: { nodeName: node, containers: [{ name: "c", image: "busybox:1.36" }] },
        });
        cluster.store.updateStatus({
          ...pod,
          status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
        });
      }
      cluster.store.create({
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: node, namespace: "default" },
        spec: { minAvailable: 1, selector: { matchLabels: { app: node } } },
      });
      const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget" };
      const deadline = Date.now() + 10_000;
      while (
        (cluster.store.get<{ status?: { disruptionsAllowed?: number } }>(pdb, node, "default")?.status
          ?.disruptionsAllowed ?? 0) < 1
      ) {
        if (Date.now() > deadline) throw new Error("the disruption controller never synced the budget");
        await new Promise((r) => setTimeout(r, 10));
      }
      // --force: the pods have no controller. kubectl waits 5 s after a 429, longer than the timeout.
      const r = await kubectl(["drain", node, "--force", "--timeout=2s"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`node/${node} cordoned`);
      expect(r.stderr).toContain(
        "(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.",
      );
      expect(r.stderr).toContain("global timeout reached: 2s");
      const node1 = cluster.store.get<{ spec?: { unschedulable?: boolean } }>({ apiVersion: "v1", kind: "Node" }, node);
      expect(node1?.spec?.unschedulable).toBe(true);
      // One pod was evicted, the budget kept the other.
      const left = cluster.store
        .list<{ metadata: { name: string; deletionTimestamp?: string } }>(
          { apiVersion: "v1", kind: "Pod" },
          { namespace: "default", labels: { app: node } },
        )
        .filter((p) => p.metadata.deletionTimestamp === undefined);
      expect(left).toHaveLength(1);
    });

    it("gets raw paths and deletes", async () => {
      expect(JSON.parse(await ok(["get", "--raw", "/api/v1"]))).toMatchObject({
        kind: "APIResourceList",
        groupVersion: "v1",
      });
      expect(await ok(["delete", "deployment", "web"])).toBe('deployment.apps "web" deleted\n');
      expect(await ok(["delete", "configmap", "cm1"])).toBe('configmap "cm1" deleted\n');
      const missing = await kubectl(["get", "configmap", "cm1"]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('Error from server (NotFound): configmaps "cm1" not found\n');
    });
  });
}
