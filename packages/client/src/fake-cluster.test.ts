// Integration: every verb and option of the client against @kubeshift/testing's fake cluster over HTTPS, connected
// the way users connect: connect() reads the cluster's kubeconfig and picks the runtime's transport adapter.
import { createStaticTokenSource, loadConnection, type ResolvedConnection } from "@kubeshift/auth";

import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import {
  ApiError,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isInvalid,
  isNotFound,
  isTooManyRequests,
  isUnauthorized,
} from "@kubeshift/transport";
import { defineResource } from "@kubeshift/types";
import { CustomResourceDefinition } from "@kubeshift/types/apiextensions.k8s.io/v1";
import { Deployment } from "@kubeshift/types/apps/v1";
import { ConfigMap, Namespace, Pod } from "@kubeshift/types/core/v1";
import { PodDisruptionBudget } from "@kubeshift/types/policy/v1";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { Client } from "./client.ts";
import { connect } from "./connect.ts";
import type { KubeObject } from "./kube-object.ts";
import { labels } from "./label-selector.ts";

let cluster: FakeCluster;
let client: Client;
let warnings: string[];
let resolved: ResolvedConnection;

/** A client of the same cluster with another bearer token. */
function clientWithToken(token: string, server = cluster): Promise<Client> {
  return connect({
    connection: { ...resolved, server: server.url, credentials: createStaticTokenSource(token) },
    retry: false,
  });
}

const NS = "it-client";

function deployment(name: string): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: "web", image: "nginx:1.19" },
            { name: "sidecar", image: "busybox:1.32", command: ["sleep", "3600"] },
          ],
        },
      },
    },
  };
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
}

beforeAll(async () => {
  cluster = await startFakeCluster();
  warnings = [];
  const path = await cluster.kubeconfig.writeTempFile();
  resolved = await loadConnection({ path });
  client = await connect({ path, namespace: NS, onWarning: (w) => warnings.push(w) });
  await client.create(Namespace, { metadata: { name: NS } });
});

afterAll(async () => {
  await client?.close();
  await cluster?.close();
});

describe("connect()", () => {
  it("reads the kubeconfig, talks HTTPS with the cluster CA, and applies the namespace override", async () => {
    expect(cluster.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    expect(client.server.href).toBe(`${cluster.url}/`);
    expect(client.namespace).toBe(NS);
    expect((await client.discovery.version()).gitVersion).toMatch(/^v1\./);
  });

  it("sends kubeshift's User-Agent, so the server records it as the field manager of updates", async () => {
    const cm = await client.create(ConfigMap, { metadata: { name: "ua-check" }, data: { k: "v" } });
    expect(cm.metadata?.managedFields?.[0]?.manager).toBe("kubeshift");
  });
});

describe("CRUD against the fake cluster", () => {
  it("create, get, list with label and field selectors, replace with a resourceVersion precondition", async () => {
    const created = await client.create(ConfigMap, {
      metadata: { name: "cm1", labels: { app: "fx", tier: "a" } },
      data: { k: "v" },
    });
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    await client.create(ConfigMap, { metadata: { name: "cm2", labels: { app: "fx", tier: "b" } } });
    await client.create(ConfigMap, { metadata: { name: "cm3", labels: { app: "other" } } });
    const got = await client.get(ConfigMap, "cm1");
    expect(got.data).toEqual({ k: "v" });
    const byBuilder = await client.list(ConfigMap, { labelSelector: labels({ app: "fx" }).in("tier", ["a", "b"]) });
    expect(byBuilder.items.map((i) => i.metadata?.name).sort()).toEqual(["cm1", "cm2"]);
    const byString = await client.list(ConfigMap, { labelSelector: "app!=fx,app" });
    expect(byString.items.map((i) => i.metadata?.name)).toEqual(["cm3"]);
    const byField = await client.list(ConfigMap, { fieldSelector: { "metadata.name": "cm2" } });
    expect(byField.items.map((i) => i.metadata?.name)).toEqual(["cm2"]);

    const replaced = await client.replace(ConfigMap, { ...got, data: { k: "v2" } });
    expect(replaced.data).toEqual({ k: "v2" });
    const stale = await caught(client.replace(ConfigMap, { ...got, data: { k: "v3" } }));
    expect(isConflict(stale)).toBe(true);
    const explicit = await caught(
      client.replace(ConfigMap, { ...replaced, data: { k: "v4" } }, { resourceVersion: "1" }),
    );
    expect(isConflict(explicit)).toBe(true);
  });

  it("create with generateName lets the server pick the name; a duplicate is AlreadyExists", async () => {
    const generated = await client.create(ConfigMap, { metadata: { generateName: "gen-" } });
    expect(generated.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(isAlreadyExists(await caught(client.create(ConfigMap, { metadata: { name: "cm1" } })))).toBe(true);
  });

  it("dryRun validates without persisting", async () => {
    const dry = await client.create(ConfigMap, { metadata: { name: "dry" } }, { dryRun: true });
    expect(dry.metadata?.name).toBe("dry");
    expect(isNotFound(await caught(client.get(ConfigMap, "dry")))).toBe(true);
    await client.delete(ConfigMap, "cm3", { dryRun: true });
    expect((await client.get(ConfigMap, "cm3")).metadata?.name).toBe("cm3");
  });

  it("fieldValidation=Strict rejects an unknown field; Warn reports it through onWarning", async () => {
    const bad = { metadata: { name: "strict" }, data: {}, bogus: 1 } as unknown as ConfigMap;
    const strict = await caught(client.create(ConfigMap, bad, { fieldValidation: "Strict" }));
    expect(strict).toBeInstanceOf(ApiError);
    expect((strict as ApiError).status).toBe(400);
    expect((strict as Error).message).toMatch(/bogus/);
    warnings.length = 0;
    await client.create(ConfigMap, bad, { fieldValidation: "Warn" });
    expect(warnings.join("\n")).toMatch(/unknown field "bogus"/);
  });

  it("delete returns the Status (or the object), honours preconditions, and a second delete is NotFound", async () => {
    const cm = await client.create(ConfigMap, { metadata: { name: "del-me" } });
    const wrongUid = await caught(client.delete(ConfigMap, "del-me", { preconditions: { uid: "not-the-uid" } }));
    expect(isConflict(wrongUid)).toBe(true);
    const result = await client.delete(ConfigMap, "del-me", {
      preconditions: { uid: cm.metadata?.uid ?? "" },
      gracePeriodSeconds: 0,
      propagationPolicy: "Background",
    });
    expect(result).toMatchObject({ kind: "Status", status: "Success" });
    expect(isNotFound(await caught(client.delete(ConfigMap, "del-me")))).toBe(true);
  });

  it("deleteCollection deletes what the selector matches", async () => {
    for (const n of ["batch-1", "batch-2"])
      await client.create(ConfigMap, { metadata: { name: n, labels: { batch: "x" } } });
    await client.deleteCollection(ConfigMap, { labelSelector: "batch=x" });
    expect((await client.list(ConfigMap, { labelSelector: "batch=x" })).items).toEqual([]);
  });

  it("rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    expect(await caught(client.list(ConfigMap, { signal: controller.signal }))).toBe(reason);
  });
});

describe("every patch type on a Deployment", () => {
  it("merge, json, strategic (containers merged by name) and apply", async () => {
    await client.create(Deployment, deployment("web"));
    const merged = await client.patch(Deployment, "web", { metadata: { labels: { patched: "merge" } } });
    expect(merged.metadata?.labels).toMatchObject({ app: "web", patched: "merge" });

    const json = await client.patch(Deployment, "web", [{ op: "replace", path: "/spec/replicas", value: 2 }], {
      type: "json",
    });
    expect(json.spec?.replicas).toBe(2);
    expect(
      isInvalid(
        await caught(
          client.patch(Deployment, "web", [{ op: "test", path: "/spec/replicas", value: 9 }], { type: "json" }),
        ),
      ),
    ).toBe(true);

    const strategic = await client.patch(
      Deployment,
      "web",
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: "web", image: "nginx:1.20" },
                { name: "extra", image: "busybox:1.33" },
              ],
            },
          },
        },
      },
      { type: "strategic" },
    );
    const containers = strategic.spec?.template.spec?.containers ?? [];
    expect(containers.map((c) => c.name).sort()).toEqual(["extra", "sidecar", "web"]);
    expect(containers.find((c) => c.name === "web")?.image).toBe("nginx:1.20");
    expect(containers.find((c) => c.name === "sidecar")?.command).toEqual(["sleep", "3600"]);

    // A merge patch replaces the whole list: the contrast that makes strategic merge matter.
    const mergeList = await client.patch(Deployment, "web", {
      spec: { template: { spec: { containers: [{ name: "only", image: "busybox:1.33" }] } } },
    });
    expect(mergeList.spec?.template.spec?.containers.map((c) => c.name)).toEqual(["only"]);

    // The earlier patches made the client's user agent the owner of spec.replicas: applying it conflicts.
    const intent = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 4 } };
    const conflict = await caught(client.patch(Deployment, "web", intent, { type: "apply", fieldManager: "scaler" }));
    expect(isConflict(conflict)).toBe(true);
    const applied = await client.patch(Deployment, "web", intent, {
      type: "apply",
      fieldManager: "scaler",
      force: true,
    });
    expect(applied.spec?.replicas).toBe(4);
    expect(applied.metadata?.managedFields?.some((f) => f.manager === "scaler" && f.operation === "Apply")).toBe(true);
  });

  it("server-side apply: a second field manager conflicts (409 with causes) until it forces", async () => {
    const a = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "ssa", labels: { owner: "a" } },
      data: { k: "from-a", "only-a": "1" },
    };
    await client.apply(a, { fieldManager: "a" });
    const b = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ssa" }, data: { k: "from-b" } };
    const conflict = await caught(client.apply(b, { fieldManager: "b" }));
    expect(isConflict(conflict)).toBe(true);
    expect((conflict as ApiError).causes).toEqual([
      expect.objectContaining({ reason: "FieldManagerConflict", field: ".data.k" }),
    ]);
    const forced = await client.apply(b, { fieldManager: "b", force: true });
    expect(forced.data).toEqual({ k: "from-b", "only-a": "1" });
    const managers = (forced.metadata?.managedFields as { manager: string }[] | undefined)
      ?.map((f) => f.manager)
      .sort();
    expect(managers).toEqual(["a", "b"]);
  });
});

describe("subresources", () => {
  it("status: getStatus, replaceStatus (spec changes ignored), patchStatus", async () => {
    await client.create(Deployment, deployment("st"));
    const d = await client.getStatus(Deployment, "st");
    const replaced = await client.replaceStatus(Deployment, {
      ...d,
      spec: { ...(d.spec as NonNullable<Deployment["spec"]>), replicas: 9 },
      status: { ...d.status, observedGeneration: 42 },
    });
    expect(replaced.status?.observedGeneration).toBe(42);
    expect(replaced.spec?.replicas).toBe(1);
    const patched = await client.patchStatus(Deployment, "st", { status: { observedGeneration: 43 } });
    expect(patched.status?.observedGeneration).toBe(43);
  });

  it("scale: getScale, patchScale and replaceScale", async () => {
    await client.create(Deployment, deployment("sc"));
    expect((await client.getScale(Deployment, "sc")).spec?.replicas).toBe(1);
    const scaled = await client.patchScale(Deployment, "sc", { spec: { replicas: 3 } });
    expect(scaled.spec?.replicas).toBe(3);
    expect((await client.get(Deployment, "sc")).spec?.replicas).toBe(3);
    const replaced = await client.replaceScale(Deployment, { ...scaled, spec: { replicas: 2 } });
    expect(replaced.spec?.replicas).toBe(2);
    expect((await client.get(Deployment, "sc")).spec?.replicas).toBe(2);
    const stale = await caught(client.replaceScale(Deployment, { ...scaled, spec: { replicas: 5 } }));
    expect(isConflict(stale)).toBe(true);
  });

  it("log: tailLines, timestamps, container, then follow delivers new lines as they are written", async () => {
    await client.create(Pod, {
      metadata: { name: "logger" },
      spec: {
        containers: [
          { name: "main", image: "busybox" },
          { name: "side", image: "busybox" },
        ],
      },
    });
    cluster.store.appendLog(NS, "logger", "one\ntwo\nthree\n", "main");
    cluster.store.appendLog(NS, "logger", "side-line\n", "side");
    const tail: string[] = [];
    for await (const line of await client.log("logger", { container: "main", tailLines: 2 })) tail.push(line);
    expect(tail).toEqual(["two", "three"]);
    const side: string[] = [];
    for await (const line of await client.log("logger", { container: "side", timestamps: true, sinceSeconds: 3600 }))
      side.push(line);
    expect(side).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\S+ side-line$/)]);

    const controller = new AbortController();
    // tailLines: 1 sends one stored line at once, so the response headers are not held back until new output.
    const followed = await client.log("logger", {
      container: "main",
      follow: true,
      tailLines: 1,
      signal: controller.signal,
    });
    const reader = followed.getReader();
    expect(await reader.read()).toEqual({ done: false, value: "three" });
    cluster.store.appendLog(NS, "logger", "four\n", "main");
    expect(await reader.read()).toEqual({ done: false, value: "four" });
    cluster.store.appendLog(NS, "logger", "five\n", "main");
    expect(await reader.read()).toEqual({ done: false, value: "five" });
    controller.abort(new Error("done following"));
    const end = await reader.read().catch((e: unknown) => e);
    expect(end).toEqual(expect.objectContaining({ message: "done following" }));
  });
});

describe("evict() against pods/eviction and PodDisruptionBudgets", () => {
  // The transport's retry middleware resends a refused eviction (429, every method) five times with backoff from
  // 250 ms before the caller sees it; shorter waits keep these tests quick and change nothing of what reaches them.
  let evicting: Client;
  beforeAll(async () => {
    evicting = await connect({ connection: { ...resolved, namespace: NS }, retry: { baseDelayMs: 5 } });
  });
  afterAll(() => evicting?.close());

  /** A pod on a node, Running and Ready (Pending pods are evicted whatever their budget says). */
  function runningPod(name: string, labels: Record<string, string>): void {
    const pod = cluster.store.create<Pod>({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: NS, labels },
      spec: { nodeName: "node-1", containers: [{ name: "c", image: "busybox:1.36" }] },
    });
    cluster.store.updateStatus<Pod>({
      ...pod,
      status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
    });
  }

  /** Creates a budget and waits until the cluster's disruption controller has computed its status. */
  async function budget(name: string, minAvailable: number, app: string): Promise<PodDisruptionBudget> {
    await client.create(PodDisruptionBudget, {
      metadata: { name },
      spec: { minAvailable, selector: { matchLabels: { app } } },
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const pdb = await client.get(PodDisruptionBudget, name);
      if (pdb.status?.observedGeneration === pdb.metadata?.generation) return pdb;
      if (Date.now() > deadline) throw new Error(`the status of ${name} was never computed`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async function gone(name: string): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const e = await caught(client.get(Pod, name));
      if (isNotFound(e)) return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  }

  it("evicts a pod: the server's 201 Success Status, then the pod goes", async () => {
    runningPod("evict-me", { app: "evict-me" });
    const status = await evicting.evict("evict-me");
    expect(status).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    expect(await gone("evict-me")).toBe(true);
  });

  it("a dry run answers Success and leaves the pod", async () => {
    runningPod("evict-dry", { app: "evict-dry" });
    expect((await evicting.evict("evict-dry", { dryRun: true })).status).toBe("Success");
    expect((await client.get(Pod, "evict-dry")).metadata?.deletionTimestamp).toBeUndefined();
  });

  it("a missing pod is an ApiError NotFound", async () => {
    const e = await caught(evicting.evict("evict-nobody"));
    expect(e).toBeInstanceOf(ApiError);
    expect(isNotFound(e)).toBe(true);
    expect((e as ApiError).message).toContain('pods "evict-nobody" not found');
  });

  it("a budget that would be violated is an ApiError TooManyRequests (429) with the DisruptionBudget cause", async () => {
    runningPod("guarded-0", { app: "guarded" });
    runningPod("guarded-1", { app: "guarded" });
    const pdb = await budget("guarded", 2, "guarded");
    expect(pdb.status).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 });
    const e = await caught(evicting.evict("guarded-0"));
    expect(e).toBeInstanceOf(ApiError);
    expect(isTooManyRequests(e)).toBe(true);
    const error = e as ApiError;
    expect(error.status).toBe(429);
    expect(error.message).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(error.causes).toEqual([
      { reason: "DisruptionBudget", message: "The disruption budget guarded needs 2 healthy pods and has 2 currently" },
    ]);
    expect(error.retryAfterSeconds).toBeUndefined();
    // Nothing happened to the pod.
    expect((await client.get(Pod, "guarded-0")).metadata?.deletionTimestamp).toBeUndefined();
  });

  it("two budgets over one pod: the server's Failure Status (sent with 201) is thrown as an ApiError, not returned", async () => {
    runningPod("double", { app: "double", tier: "double" });
    for (const [name, key] of [
      ["double-app", "app"],
      ["double-tier", "tier"],
    ] as const)
      await client.create(PodDisruptionBudget, {
        metadata: { name },
        spec: { minAvailable: 0, selector: { matchLabels: { [key]: "double" } } },
      });
    const e = await caught(evicting.evict("double"));
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(500);
    expect((e as ApiError).message).toContain(
      "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
    );
    expect((await client.get(Pod, "double")).metadata?.deletionTimestamp).toBeUndefined();
  });

  it("a budget with room takes one disruption, then refuses the next", async () => {
    for (const n of ["roomy-0", "roomy-1", "roomy-2"]) runningPod(n, { app: "roomy" });
    await budget("roomy", 2, "roomy");
    expect((await evicting.evict("roomy-0")).status).toBe("Success");
    expect(isTooManyRequests(await caught(evicting.evict("roomy-1")))).toBe(true);
  });
});

describe("pagination", () => {
  it("iterate() and listAll() page through limit/continue", async () => {
    for (let i = 0; i < 7; i++)
      await client.create(ConfigMap, { metadata: { name: `page-${i}`, labels: { paged: "yes" } } });
    const names: string[] = [];
    for await (const cm of client.iterate(ConfigMap, { limit: 3, labelSelector: "paged=yes" }))
      names.push(cm.metadata?.name ?? "");
    expect(names).toEqual(["page-0", "page-1", "page-2", "page-3", "page-4", "page-5", "page-6"]);
    const all = await client.listAll(ConfigMap, { limit: 2, labelSelector: "paged=yes" });
    expect(all.items).toHaveLength(7);
    expect(all.metadata?.continue).toBeUndefined();
  });

  it("listAll() starts again when a continue token expires (a 410 injected on the second page)", async () => {
    const fault = cluster.faults.add({
      match: { path: `/api/v1/namespaces/${NS}/configmaps`, query: { continue: true } },
      times: 1,
      respond: { status: 410, reason: "Expired", message: "The provided continue parameter is too old" },
    });
    try {
      const all = await client.listAll(ConfigMap, { limit: 3, labelSelector: "paged=yes" });
      expect(all.items.map((i) => i.metadata?.name)).toEqual([
        "page-0",
        "page-1",
        "page-2",
        "page-3",
        "page-4",
        "page-5",
        "page-6",
      ]);
      expect(fault.hits).toBe(1);
    } finally {
      fault.remove();
    }
  });

  it("a continue token expired by compaction restarts the listing (iterate) or throws (onExpired: 'throw')", async () => {
    const iterator = client.iterate(ConfigMap, { limit: 3, labelSelector: "paged=yes" });
    const first: string[] = [];
    for (let i = 0; i < 3; i++) first.push(((await iterator.next()).value as ConfigMap).metadata?.name ?? "");
    // Change the collection and compact etcd's history past the token, as `etcdctl compact` does.
    await client.create(ConfigMap, { metadata: { name: "page-7", labels: { paged: "yes" } } });
    await client.delete(ConfigMap, "page-0");
    cluster.store.compact();
    const rest: string[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value.metadata?.name ?? "");
    expect(first).toEqual(["page-0", "page-1", "page-2"]);
    expect(rest).toEqual(["page-3", "page-4", "page-5", "page-6", "page-7"]);

    const throwing = client.iterate(ConfigMap, { limit: 3, labelSelector: "paged=yes", onExpired: "throw" });
    for (let i = 0; i < 3; i++) await throwing.next();
    await client.patch(ConfigMap, "page-1", { data: { touched: "yes" } });
    cluster.store.compact();
    const error = await caught(throwing.next());
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).reason).toBe("Expired");
  });
});

describe("dynamic client on a CRD created in the test", () => {
  it("creates the CRD, then lists, creates, patches and deletes its objects by apiVersion/kind", async () => {
    await client.create(CustomResourceDefinition, {
      metadata: { name: "widgets.example.com" },
      spec: {
        group: "example.com",
        names: { kind: "Widget", plural: "widgets", singular: "widget", shortNames: ["wd"], listKind: "WidgetList" },
        scope: "Namespaced",
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
            subresources: { status: {} },
          },
        ],
      },
    });
    // Discovery was read before the CRD existed: the mapper refreshes once on the miss.
    await client.mapper.serverResources();
    const widgets = client.dynamic({ apiVersion: "example.com/v1", kind: "Widget" });
    const created = await widgets.create({ metadata: { name: "w1" }, spec: { size: 3 } });
    expectTypeOf(created).toEqualTypeOf<KubeObject>();
    expect(created).toMatchObject({ apiVersion: "example.com/v1", kind: "Widget", spec: { size: 3 } });
    const patched = await widgets.patch("w1", { spec: { size: 5 } });
    expect(patched.spec).toEqual({ size: 5 });
    expect((await widgets.list()).items.map((w) => w.metadata?.name)).toEqual(["w1"]);
    expect((await client.mapper.find("wd")).plural).toBe("widgets");
    await widgets.patchStatus("w1", { status: { ready: true } });
    expect((await widgets.getStatus("w1")).status).toEqual({ ready: true });
    // Strategic merge does not apply to custom resources: the server says so.
    const strategic = await caught(widgets.patch("w1", { spec: { size: 1 } }, { type: "strategic" }));
    expect((strategic as ApiError).status).toBe(415);
    await widgets.delete("w1");
    expect(isNotFound(await caught(widgets.get("w1")))).toBe(true);
  });

  it("a kind the cluster does not serve is NotFound, listing what it serves", async () => {
    const error = await caught(client.dynamic({ apiVersion: "example.com/v1", kind: "Gadget" }).list());
    expect(isNotFound(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /no matches for kind "Gadget" in version "example.com\/v1": example.com\/v1 serves: Widget/,
    );
  });

  it("a typed descriptor of an unserved kind gets the 404 hint listing the group's resources", async () => {
    const Gizmo = defineResource({ group: "apps", version: "v1", kind: "Gizmo", plural: "gizmos", namespaced: true });
    const error = await caught(client.list(Gizmo));
    expect(isNotFound(error)).toBe(true);
    expect((error as Error).message).toMatch(/does not serve "gizmos" in \/apis\/apps\/v1; it serves: .*deployments/);
  });
});

describe("discovery, table, raw, errors", () => {
  it("discovery reads /version, groups and every resource", async () => {
    expect((await client.discovery.version()).gitVersion).toMatch(/^v1\./);
    const all = await client.discovery.serverResources();
    expect(all.failed).toEqual([]);
    expect(all.resources.find((r) => r.plural === "deployments" && r.group === "apps")?.subresources).toEqual(
      expect.arrayContaining(["scale", "status"]),
    );
    expect((await client.mapper.find("po")).kind).toBe("Pod");
  });

  it("table() returns the server-printed Table of pods, with the objects when asked", async () => {
    const table = await client.table(Pod);
    expect(table.kind).toBe("Table");
    expect(table.columnDefinitions[0]?.name).toBe("Name");
    expect(table.rows.map((r) => r.cells[0])).toContain("logger");
    const withObjects = await client.table(Pod, { includeObject: "Object", name: "logger" });
    expect(withObjects.rows).toHaveLength(1);
    expect(withObjects.rows[0]?.object).toMatchObject({ kind: "Pod", metadata: { name: "logger" } });
  });

  it("raw() reads non-resource paths", async () => {
    expect(await (await client.raw("/healthz", { headers: { accept: "text/plain" } })).text()).toBe("ok");
  });

  it("a token the server does not know is 401 with the log-in hint, and the token never shows", async () => {
    const other = await clientWithToken("not-a-token-0123456789");
    const unauthorized = await caught(other.list(Pod));
    await other.close();
    expect(isUnauthorized(unauthorized)).toBe(true);
    expect((unauthorized as Error).message).toMatch(/log in again/);
    expect((unauthorized as Error).message).not.toContain("not-a-token-0123456789");
  });

  it("a user the authorizer denies gets 403 Forbidden", async () => {
    const c = await startFakeCluster({ authorizer: () => ({ allowed: false }) });
    const denied = await connect({ path: await c.kubeconfig.writeTempFile() });
    try {
      const error = await caught(denied.list(Pod));
      expect(isForbidden(error)).toBe(true);
      expect((error as Error).message).toMatch(/cannot list resource "pods"/);
    } finally {
      await denied.close();
      await c.close();
    }
  });
});
