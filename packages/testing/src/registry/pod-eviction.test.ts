import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallResult, call, events, stream } from "../_test-client.ts";
import type { KubeObject } from "../resources/kube-object.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

const NS = "evict";
const POD = { apiVersion: "v1", kind: "Pod" } as const;
const PDB = { apiVersion: "policy/v1", kind: "PodDisruptionBudget" } as const;

async function until<T>(what: string, fn: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("pods/eviction", () => {
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await startFakeCluster({ tls: false });
    cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  });
  afterAll(() => cluster.close());

  /** A pod that runs on a node; `ready` sets its Ready condition. */
  function runningPod(name: string, labels: Record<string, string>, ready = true): KubeObject {
    const pod = cluster.store.create<KubeObject>({
      ...POD,
      metadata: { name, namespace: NS, labels },
      spec: { nodeName: "node-1", containers: [{ name: "c", image: "busybox:1.36" }] },
    });
    return cluster.store.updateStatus<KubeObject>({
      ...pod,
      status: {
        phase: "Running",
        conditions: [
          { type: "Ready", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: null },
        ],
      },
    });
  }

  function budget(name: string, spec: Record<string, unknown>): void {
    cluster.store.create({ ...PDB, metadata: { name, namespace: NS }, spec });
  }

  /** Waits until the disruption controller has caught up with the budget's spec. */
  function synced(name: string): Promise<Record<string, unknown>> {
    return until(`the status of ${name}`, () => {
      const pdb = cluster.store.get<KubeObject>(PDB, name, NS);
      const status = pdb?.status as Record<string, unknown> | undefined;
      return status !== undefined && status.observedGeneration === pdb?.metadata?.generation ? status : undefined;
    });
  }

  const evict = (name: string, body?: object, query = ""): Promise<CallResult> =>
    call(cluster, "POST", `/api/v1/namespaces/${NS}/pods/${name}/eviction${query}`, {
      body: body ?? { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace: NS } },
    });

  it("evicts a pod without a budget: 201 Success, the DisruptionTarget condition, then a graceful deletion", async () => {
    const pod = runningPod("free", { app: "free" });
    const watch = await stream(
      cluster,
      `/api/v1/namespaces/${NS}/pods?watch=true&fieldSelector=metadata.name%3Dfree&resourceVersion=${pod.metadata?.resourceVersion}`,
    );
    try {
      const r = await evict("free");
      expect(r.status).toBe(201);
      expect(r.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
      const seen = events(await watch.waitFor(3));
      expect(seen.map((e) => e.type)).toEqual(["MODIFIED", "MODIFIED", "DELETED"]);
      // First the condition, then the deletion mark (a pod on a node waits for its kubelet), then the removal.
      expect(seen[0]?.object.status.conditions).toContainEqual(
        expect.objectContaining({
          type: "DisruptionTarget",
          status: "True",
          reason: "EvictionByEvictionAPI",
          message: "Eviction API: evicting",
        }),
      );
      expect(seen[0]?.object.metadata.deletionTimestamp).toBeUndefined();
      expect(seen[1]?.object.metadata).toMatchObject({ uid: pod.metadata?.uid, deletionGracePeriodSeconds: 30 });
      expect(seen[1]?.object.metadata.deletionTimestamp).toEqual(expect.any(String));
      // The condition is a storage write, not a request: no field manager takes it.
      expect(seen[0]?.object.metadata.managedFields).toEqual(pod.metadata?.managedFields);
    } finally {
      watch.close();
    }
  });

  it("removes an unscheduled (Pending) pod at once, whatever its budget says", async () => {
    cluster.store.create({
      ...POD,
      metadata: { name: "pending", namespace: NS, labels: { app: "guarded-pending" } },
      spec: { containers: [{ name: "c", image: "busybox:1.36" }] },
    });
    budget("pending-pdb", { minAvailable: 5, selector: { matchLabels: { app: "guarded-pending" } } });
    await synced("pending-pdb");
    const r = await evict("pending");
    expect(r.status).toBe(201);
    expect(cluster.store.get(POD, "pending", NS)).toBeUndefined();
  });

  it("a missing pod is 404 NotFound worded as a pod GET", async () => {
    const r = await evict("ghost");
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({
      reason: "NotFound",
      message: 'pods "ghost" not found',
      details: { name: "ghost", kind: "pods" },
      code: 404,
    });
  });

  it("a budget with minAvailable keeps its pods: the controller's status, then 429 with the DisruptionBudget cause", async () => {
    for (const n of ["web-0", "web-1", "web-2"]) runningPod(n, { app: "web" });
    budget("web-pdb", { minAvailable: 2, selector: { matchLabels: { app: "web" } } });
    const status = await synced("web-pdb");
    expect(status).toMatchObject({
      observedGeneration: 1,
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [expect.objectContaining({ type: "DisruptionAllowed", status: "True", reason: "SufficientPods" })],
    });

    const first = await evict("web-0");
    expect(first.status).toBe(201);
    // checkAndDecrement: the budget records the eviction until the pod is seen terminating.
    const after = cluster.store.get<KubeObject>(PDB, "web-pdb", NS)?.status as Record<string, unknown>;
    expect(after.disruptionsAllowed).toBe(0);

    await until("the budget to count the terminating pod out", () => {
      const s = cluster.store.get<KubeObject>(PDB, "web-pdb", NS)?.status as Record<string, unknown>;
      return s.currentHealthy === 2 && s.disruptedPods === undefined;
    });
    const refused = await evict("web-1");
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toBeUndefined();
    expect(refused.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: "TooManyRequests",
      details: {
        causes: [
          {
            reason: "DisruptionBudget",
            message: "The disruption budget web-pdb needs 2 healthy pods and has 2 currently",
          },
        ],
      },
      code: 429,
    });
    expect(cluster.store.get<KubeObject>(POD, "web-1", NS)?.metadata?.deletionTimestamp).toBeUndefined();
  });

  it("maxUnavailable counts from the scale of the pods' controller (a Deployment through its ReplicaSet)", async () => {
    const deployment = cluster.store.create<KubeObject>({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "api", namespace: NS },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: "api" } },
        template: {
          metadata: { labels: { app: "api" } },
          spec: { containers: [{ name: "c", image: "busybox:1.36" }] },
        },
      },
    });
    const rs = cluster.store.create<KubeObject>({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: "api-1",
        namespace: NS,
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: "api",
            uid: deployment.metadata?.uid as string,
            controller: true,
          },
        ],
      },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: "api" } },
        template: {
          metadata: { labels: { app: "api" } },
          spec: { containers: [{ name: "c", image: "busybox:1.36" }] },
        },
      },
    });
    // Two of the four pods exist and are ready.
    for (const n of ["api-1-a", "api-1-b"]) {
      const pod = runningPod(n, { app: "api" });
      cluster.store.update({
        ...pod,
        metadata: {
          ...pod.metadata,
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: "ReplicaSet",
              name: "api-1",
              uid: rs.metadata?.uid as string,
              controller: true,
            },
          ],
        },
      });
    }
    budget("api-pdb", { maxUnavailable: "25%", selector: { matchLabels: { app: "api" } } });
    expect(await synced("api-pdb")).toMatchObject({
      expectedPods: 4,
      desiredHealthy: 3,
      currentHealthy: 2,
      disruptionsAllowed: 0,
    });
    const r = await evict("api-1-a");
    expect(r.status).toBe(429);
    expect(r.json().details.causes[0].message).toBe(
      "The disruption budget api-pdb needs 3 healthy pods and has 2 currently",
    );
  });

  it("a budget the controller has not synced yet is 429 'still being processed' with Retry-After: 10", async () => {
    // Controllers act after a minute here: the budget has no status when the eviction comes.
    await using slow = await startFakeCluster({ tls: false, controllerDelayMs: 60_000 });
    slow.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    const pod = slow.store.create<KubeObject>({
      ...POD,
      metadata: { name: "fresh", namespace: NS, labels: { app: "fresh" } },
      spec: { nodeName: "node-1", containers: [{ name: "c", image: "busybox:1.36" }] },
    });
    slow.store.updateStatus({ ...pod, status: { phase: "Running" } });
    slow.store.create({
      ...PDB,
      metadata: { name: "fresh-pdb", namespace: NS },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: "fresh" } } },
    });
    const r = await call(slow, "POST", `/api/v1/namespaces/${NS}/pods/fresh/eviction`, {
      body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "fresh" } },
    });
    expect(r.status).toBe(429);
    expect(r.headers["retry-after"]).toBe("10");
    expect(r.json().details).toEqual({
      causes: [
        {
          reason: "DisruptionBudget",
          message: "The disruption budget fresh-pdb is still being processed by the server.",
        },
      ],
      retryAfterSeconds: 10,
    });
  });

  it("an unready pod may go while its budget is met, without using up a disruption", async () => {
    for (const n of ["db-0", "db-1"]) runningPod(n, { app: "db" });
    runningPod("db-2", { app: "db" }, false);
    budget("db-pdb", { minAvailable: 2, selector: { matchLabels: { app: "db" } } });
    expect(await synced("db-pdb")).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 });
    const r = await evict("db-2");
    expect(r.status).toBe(201);
    // Evicted: terminating, or already gone when the fake kubelet (no controller delay here) confirmed first.
    const evicted = cluster.store.get<KubeObject>(POD, "db-2", NS);
    if (evicted !== undefined) expect(evicted.metadata?.deletionTimestamp).toBeDefined();
    await until("the kubelet to remove db-2", () => cluster.store.get<KubeObject>(POD, "db-2", NS) === undefined);
    expect(
      (cluster.store.get<KubeObject>(PDB, "db-pdb", NS)?.status as { disruptedPods?: unknown } | undefined)
        ?.disruptedPods,
    ).toBeUndefined();
    // A ready one may not.
    expect((await evict("db-0")).status).toBe(429);
  });

  it("dry runs check the budget and change nothing: no deletion, no status write", async () => {
    for (const n of ["dry-0", "dry-1"]) runningPod(n, { app: "dry" });
    budget("dry-pdb", { minAvailable: 1, selector: { matchLabels: { app: "dry" } } });
    await synced("dry-pdb");
    const before = cluster.store.get<KubeObject>(PDB, "dry-pdb", NS);
    const podBefore = cluster.store.get<KubeObject>(POD, "dry-0", NS);
    const viaQuery = await evict("dry-0", undefined, "?dryRun=All");
    expect(viaQuery.status).toBe(201);
    const viaBody = await evict("dry-0", {
      apiVersion: "policy/v1",
      kind: "Eviction",
      metadata: { name: "dry-0" },
      deleteOptions: { dryRun: ["All"] },
    });
    expect(viaBody.status).toBe(201);
    expect(cluster.store.get<KubeObject>(POD, "dry-0", NS)).toEqual(podBefore);
    expect(cluster.store.get<KubeObject>(PDB, "dry-pdb", NS)).toEqual(before);
    // A dry run that would violate the budget is refused all the same.
    cluster.store.delete(POD, "dry-1", NS, { gracePeriodSeconds: 0 });
    await until("the budget to see one pod", () => {
      const s = cluster.store.get<KubeObject>(PDB, "dry-pdb", NS)?.status as Record<string, unknown>;
      return s.currentHealthy === 1;
    });
    expect((await evict("dry-0", undefined, "?dryRun=All")).status).toBe(429);
    const mismatch = await evict(
      "dry-0",
      { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "dry-0" }, deleteOptions: { dryRun: ["All"] } },
      "?dryRun=All&dryRun=All",
    );
    expect(mismatch.status).toBe(500);
    expect(mismatch.json().message).toBe("Non-matching dry-run options in request and content: [All All] and [All]");
  });

  it("accepts the policy/v1beta1 body; refuses a name mismatch (400) and other kinds (400)", async () => {
    runningPod("beta", { app: "beta" });
    const mismatch = await evict("beta", { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "other" } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json().message).toBe("name in URL does not match name in Eviction object");
    const wrongKind = await evict("beta", { apiVersion: "v1", kind: "Eviction", metadata: { name: "beta" } });
    expect(wrongKind.status).toBe(400);
    const r = await evict("beta", {
      apiVersion: "policy/v1beta1",
      kind: "Eviction",
      metadata: { name: "beta", namespace: NS },
      deleteOptions: { gracePeriodSeconds: 0 },
    });
    expect(r.status).toBe(201);
    // Grace period 0: gone at once.
    expect(cluster.store.get(POD, "beta", NS)).toBeUndefined();
  });

  it("two budgets selecting one pod: the Failure Status the real handler returns with its 201", async () => {
    runningPod("two", { app: "two", tier: "x" });
    budget("two-a", { minAvailable: 0, selector: { matchLabels: { app: "two" } } });
    budget("two-b", { minAvailable: 0, selector: { matchLabels: { tier: "x" } } });
    const r = await evict("two");
    expect(r.status).toBe(201);
    expect(r.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
      code: 500,
    });
    expect(cluster.store.get<KubeObject>(POD, "two", NS)?.metadata?.deletionTimestamp).toBeUndefined();
  });

  it("GET on pods/eviction is 405; a user without create on pods/eviction is 403", async () => {
    runningPod("guarded", { app: "guarded" });
    expect((await call(cluster, "GET", `/api/v1/namespaces/${NS}/pods/guarded/eviction`)).status).toBe(405);
    cluster.addUser({ name: "viewer", token: "viewer-token", groups: [] });
    cluster.store.create({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "viewer", namespace: NS },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "User", name: "viewer", apiGroup: "rbac.authorization.k8s.io" }],
    });
    const r = await call(cluster, "POST", `/api/v1/namespaces/${NS}/pods/guarded/eviction`, {
      token: "viewer-token",
      body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "guarded" } },
    });
    expect(r.status).toBe(403);
    expect(r.json().message).toBe(
      `pods "guarded" is forbidden: User "viewer" cannot create resource "pods/eviction" in API group "" in the namespace "${NS}"`,
    );
  });
});
