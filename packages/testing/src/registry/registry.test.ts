import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

let cluster: FakeCluster;
let n = 0;

beforeAll(async () => {
  cluster = await startFakeCluster({ tls: false });
});
afterAll(async () => {
  await cluster.close();
});

async function namespace(): Promise<string> {
  const name = `reg-${++n}`;
  const r = await call(cluster, "POST", "/api/v1/namespaces", { body: { metadata: { name } } });
  expect(r.status).toBe(201);
  return name;
}

const cmPath = (ns: string, name = ""): string => `/api/v1/namespaces/${ns}/configmaps${name === "" ? "" : `/${name}`}`;
const deployPath = (ns: string, name = ""): string =>
  `/apis/apps/v1/namespaces/${ns}/deployments${name === "" ? "" : `/${name}`}`;

function deployment(name: string, replicas = 1): object {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx:1.25" }] } },
    },
  };
}

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("create", () => {
  it("assigns uid, resourceVersion, creationTimestamp and managedFields, and answers 201", async () => {
    const ns = await namespace();
    const r = await call(cluster, "POST", cmPath(ns), {
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { k: "v" } },
    });
    expect(r.status).toBe(201);
    const o = r.json();
    expect(o.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(o.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(o.metadata.namespace).toBe(ns);
    expect(o.metadata.managedFields[0]).toMatchObject({
      manager: "unknown",
      operation: "Update",
      fieldsType: "FieldsV1",
    });
    expect(o.metadata.generation).toBeUndefined();
  });

  it("fills generateName with five random characters", async () => {
    const ns = await namespace();
    const r = await call(cluster, "POST", cmPath(ns), { body: { metadata: { generateName: "gen-" } } });
    expect(r.status).toBe(201);
    expect(r.json().metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("refuses a namespace that does not exist (404) and a duplicate name (409 AlreadyExists)", async () => {
    const missing = await call(cluster, "POST", cmPath("no-such-ns"), { body: { metadata: { name: "a" } } });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({
      reason: "NotFound",
      message: 'namespaces "no-such-ns" not found',
      details: { name: "no-such-ns", kind: "namespaces" },
    });
    const ns = await namespace();
    expect((await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "dup" } } })).status).toBe(201);
    const dup = await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "dup" } } });
    expect(dup.status).toBe(409);
    expect(dup.json()).toMatchObject({ reason: "AlreadyExists", message: 'configmaps "dup" already exists' });
  });

  it("validates names and keys with the server's messages (422 Invalid with causes)", async () => {
    const ns = await namespace();
    const bad = await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "Bad_Name" } } });
    expect(bad.status).toBe(422);
    const status = bad.json();
    expect(status.reason).toBe("Invalid");
    expect(status.message).toMatch(
      /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    expect(status.details.causes).toEqual([
      expect.objectContaining({ reason: "FieldValueInvalid", field: "metadata.name" }),
    ]);
    const noName = await call(cluster, "POST", cmPath(ns), { body: { metadata: {} } });
    expect(noName.json().message).toBe(
      'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    );
    const badKey = await call(cluster, "POST", cmPath(ns), {
      body: { metadata: { name: "k" }, data: { "no/slash": "v" } },
    });
    expect(badKey.json().details.causes[0].field).toBe("data[no/slash]");
    const pod = await call(cluster, "POST", `/api/v1/namespaces/${ns}/pods`, {
      body: { metadata: { name: "p" }, spec: { containers: [{}] } },
    });
    expect(pod.json().message).toBe(
      'Pod "p" is invalid: [spec.containers[0].name: Required value, spec.containers[0].image: Required value]',
    );
  });

  it("dry-run answers the object with a uid but stores nothing; dryRun=Yes is 422", async () => {
    const ns = await namespace();
    const r = await call(cluster, "POST", `${cmPath(ns)}?dryRun=All`, { body: { metadata: { name: "dry" } } });
    expect(r.status).toBe(201);
    expect(r.json().metadata.uid).toBeDefined();
    expect(r.json().metadata.resourceVersion).toBeUndefined();
    expect((await call(cluster, "GET", cmPath(ns, "dry"))).status).toBe(404);
    const bad = await call(cluster, "POST", `${cmPath(ns)}?dryRun=Yes`, { body: { metadata: { name: "dry" } } });
    expect(bad.status).toBe(422);
    expect(bad.json().message).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Yes"}: supported values: "All"',
    );
  });

  it("answers malformed bodies with Go's decoder wording (400)", async () => {
    const ns = await namespace();
    const cut = await call(cluster, "POST", cmPath(ns), {
      body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"',
    });
    expect(cut.status).toBe(400);
    expect(cut.json().message).toBe(
      'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":"v1","kind":"Con ...)',
    );
    const notJson = await call(cluster, "POST", cmPath(ns), { body: "not json" });
    expect(notJson.json().message).toBe(
      "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character 'o' in literal null (expecting 'u') (6e6f74206a736f6e)",
    );
    const wrongKind = await call(cluster, "POST", cmPath(ns), {
      body: { apiVersion: "v1", kind: "Secret", metadata: { name: "w" } },
    });
    expect(wrongKind.json().message).toBe(
      'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion',
    );
  });

  it("applies fieldValidation: Strict fails on unknown fields, Warn answers Warning headers, Ignore drops them", async () => {
    const ns = await namespace();
    const body = { metadata: { name: "fv" }, data: { k: "v" }, bogus: 1 };
    const strict = await call(cluster, "POST", `${cmPath(ns)}?fieldValidation=Strict`, { body });
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"',
    );
    const warn = await call(cluster, "POST", `${cmPath(ns)}?fieldValidation=Warn`, { body });
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"bogus\\""');
    expect(warn.json().bogus).toBeUndefined();
    const ignore = await call(cluster, "POST", `${cmPath(ns)}?fieldValidation=Ignore`, {
      body: { ...body, metadata: { name: "fv2" } },
    });
    expect(ignore.status).toBe(201);
    expect(ignore.headers.warning).toBeUndefined();
    const typed = await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "t" }, data: { k: 1 } } });
    expect(typed.status).toBe(400);
    expect(typed.json().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    );
  });

  it("fills the defaults of a Deployment and sets generation 1", async () => {
    const ns = await namespace();
    const r = await call(cluster, "POST", deployPath(ns), { body: deployment("web") });
    expect(r.status).toBe(201);
    const d = r.json();
    expect(d.metadata.generation).toBe(1);
    expect(d.spec).toMatchObject({
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: "RollingUpdate" },
    });
    expect(d.spec.template.spec.containers[0]).toMatchObject({
      imagePullPolicy: "IfNotPresent",
      terminationMessagePath: "/dev/termination-log",
    });
  });
});

describe("update", () => {
  it("rejects a stale resourceVersion with 409 Conflict and bumps the resourceVersion on success", async () => {
    const ns = await namespace();
    const created = (
      await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "s" }, data: { k: "1" } } })
    ).json();
    const ok = await call(cluster, "PUT", cmPath(ns, "s"), { body: { ...created, data: { k: "2" } } });
    expect(ok.status).toBe(200);
    expect(Number(ok.json().metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const stale = await call(cluster, "PUT", cmPath(ns, "s"), { body: { ...created, data: { k: "3" } } });
    expect(stale.status).toBe(409);
    expect(stale.json().message).toBe(
      'Operation cannot be fulfilled on configmaps "s": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it("keeps status apart: PUT ignores status, PUT /status ignores spec; generation follows spec changes only", async () => {
    const ns = await namespace();
    const d = (await call(cluster, "POST", deployPath(ns), { body: deployment("st") })).json();
    const statusPut = await call(cluster, "PUT", `${deployPath(ns, "st")}/status`, {
      body: { ...d, spec: { ...d.spec, replicas: 5 }, status: { replicas: 1, observedGeneration: 1 } },
    });
    expect(statusPut.status).toBe(200);
    expect(statusPut.json().spec.replicas).toBe(1);
    expect(statusPut.json().status.replicas).toBe(1);
    expect(statusPut.json().metadata.generation).toBe(1);
    const mainPut = await call(cluster, "PUT", deployPath(ns, "st"), {
      body: { ...statusPut.json(), spec: { ...d.spec, replicas: 3 }, status: { replicas: 99 } },
    });
    expect(mainPut.json().spec.replicas).toBe(3);
    expect(mainPut.json().status.replicas).toBe(1);
    expect(mainPut.json().metadata.generation).toBe(2);
  });

  it("does not write when nothing changes (same resourceVersion, no event)", async () => {
    const ns = await namespace();
    const created = (
      await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "same" }, data: { k: "1" } } })
    ).json();
    const again = await call(cluster, "PUT", cmPath(ns, "same"), { body: created });
    expect(again.json().metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });
});

describe("patch", () => {
  it("applies merge, JSON and strategic merge patches", async () => {
    const ns = await namespace();
    await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "p" }, data: { a: "1", b: "2" } } });
    const merge = await call(cluster, "PATCH", cmPath(ns, "p"), {
      body: { data: { b: null, c: "3" } },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    expect(merge.json().data).toEqual({ a: "1", c: "3" });
    const json = await call(cluster, "PATCH", cmPath(ns, "p"), {
      body: [{ op: "replace", path: "/data/a", value: "x" }],
      headers: { "Content-Type": "application/json-patch+json" },
    });
    expect(json.json().data).toEqual({ a: "x", c: "3" });
    const failed = await call(cluster, "PATCH", cmPath(ns, "p"), {
      body: [{ op: "test", path: "/data/a", value: "nope" }],
      headers: { "Content-Type": "application/json-patch+json" },
    });
    expect(failed.status).toBe(422);
    await call(cluster, "POST", deployPath(ns), {
      body: {
        ...deployment("smp"),
        spec: {
          ...(deployment("smp") as { spec: object }).spec,
          template: {
            metadata: { labels: { app: "smp" } },
            spec: {
              containers: [
                { name: "web", image: "nginx:1.19" },
                { name: "side", image: "busybox" },
              ],
            },
          },
        },
      },
    });
    const smp = await call(cluster, "PATCH", deployPath(ns, "smp"), {
      body: { spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.20" }] } } } },
      headers: { "Content-Type": "application/strategic-merge-patch+json" },
    });
    expect(
      smp.json().spec.template.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`),
    ).toEqual(["web=nginx:1.20", "side=busybox"]);
    expect(smp.json().metadata.generation).toBe(2);
  });

  it("server-side apply: creates, records managers, answers 409 on a conflict, takes over with force", async () => {
    const ns = await namespace();
    const a = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: from-a\n";
    const created = await call(cluster, "PATCH", `${cmPath(ns, "ssa")}?fieldManager=a`, {
      body: a,
      headers: { "Content-Type": "application/apply-patch+yaml" },
    });
    expect(created.status).toBe(201);
    expect(created.json().metadata.managedFields).toEqual([
      expect.objectContaining({ manager: "a", operation: "Apply", fieldsV1: { "f:data": { "f:k": {} } } }),
    ]);
    const b = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: from-b\n";
    const conflict = await call(cluster, "PATCH", `${cmPath(ns, "ssa")}?fieldManager=b`, {
      body: b,
      headers: { "Content-Type": "application/apply-patch+yaml" },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.json().details.causes).toEqual([
      { reason: "FieldManagerConflict", message: 'conflict with "a"', field: ".data.k" },
    ]);
    const forced = await call(cluster, "PATCH", `${cmPath(ns, "ssa")}?fieldManager=b&force=true`, {
      body: b,
      headers: { "Content-Type": "application/apply-patch+yaml" },
    });
    expect(forced.status).toBe(200);
    expect(forced.json().data.k).toBe("from-b");
    const noManager = await call(cluster, "PATCH", cmPath(ns, "ssa"), {
      body: b,
      headers: { "Content-Type": "application/apply-patch+yaml" },
    });
    expect(noManager.status).toBe(422);
    expect(noManager.json().message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  });

  it("server-side apply of ports without a protocol: matched by the schema default (TCP), not owned by the applier, re-applied without a change", async () => {
    const ns = await namespace();
    const yaml = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: web",
      "spec:",
      "  selector:",
      "    matchLabels: {app: web}",
      "  template:",
      "    metadata:",
      "      labels: {app: web}",
      "    spec:",
      "      containers:",
      "      - name: web",
      "        image: nginx:1.27",
      "        ports:",
      "        - containerPort: 80",
      "",
    ].join("\n");
    const apply = () =>
      call(cluster, "PATCH", `${deployPath(ns, "web")}?fieldManager=deployer`, {
        body: yaml,
        headers: { "Content-Type": "application/apply-patch+yaml" },
      });
    const created = await apply();
    expect(created.status).toBe(201);
    const body = created.json();
    expect(body.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: "TCP" }]);
    const entry = body.metadata.managedFields.find((e: { manager: string }) => e.manager === "deployer");
    expect(entry.operation).toBe("Apply");
    const web = entry.fieldsV1["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"web"}'];
    // The item is named with the defaulted protocol; the protocol itself was defaulted, not applied.
    expect(web["f:ports"]).toEqual({ 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } });
    const again = await apply();
    expect(again.status).toBe(200);
    expect(again.json().metadata.resourceVersion).toBe(body.metadata.resourceVersion);
    expect(again.json().spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: "TCP" }]);
  });

  it("answers 404 for a missing object and 415 for a content type that is no patch type", async () => {
    const ns = await namespace();
    const missing = await call(cluster, "PATCH", cmPath(ns, "nope"), {
      body: { data: {} },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    expect(missing.status).toBe(404);
    await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "e" } } });
    const plain = await call(cluster, "PATCH", cmPath(ns, "e"), {
      body: "{}",
      headers: { "Content-Type": "text/plain" },
    });
    expect(plain.status).toBe(415);
    expect(plain.json().message).toBe("415: Unsupported Media Type");
  });
});

describe("scale subresource", () => {
  it("reads and writes spec.replicas through autoscaling/v1 Scale", async () => {
    const ns = await namespace();
    await call(cluster, "POST", deployPath(ns), { body: deployment("sc", 1) });
    const scale = await call(cluster, "GET", `${deployPath(ns, "sc")}/scale`);
    expect(scale.json()).toMatchObject({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      spec: { replicas: 1 },
      status: { selector: "app=sc" },
    });
    const patched = await call(cluster, "PATCH", `${deployPath(ns, "sc")}/scale`, {
      body: { spec: { replicas: 4 } },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    expect(patched.json().spec.replicas).toBe(4);
    const put = await call(cluster, "PUT", `${deployPath(ns, "sc")}/scale`, {
      body: {
        apiVersion: "autoscaling/v1",
        kind: "Scale",
        metadata: { name: "sc", namespace: ns },
        spec: { replicas: 2 },
      },
    });
    expect(put.json().spec.replicas).toBe(2);
    expect((await call(cluster, "GET", deployPath(ns, "sc"))).json().spec.replicas).toBe(2);
  });
});

describe("delete", () => {
  it("answers a Status for a configmap, the object for a pod, then 404", async () => {
    const ns = await namespace();
    const cm = (await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "d" } } })).json();
    const r = await call(cluster, "DELETE", cmPath(ns, "d"));
    expect(r.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name: "d", kind: "configmaps", uid: cm.metadata.uid },
    });
    expect((await call(cluster, "DELETE", cmPath(ns, "d"))).status).toBe(404);
    await call(cluster, "POST", `/api/v1/namespaces/${ns}/pods`, {
      body: { metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "i" }] } },
    });
    const pod = await call(cluster, "DELETE", `/api/v1/namespaces/${ns}/pods/p`);
    expect(pod.json()).toMatchObject({ kind: "Pod", metadata: { name: "p", deletionGracePeriodSeconds: 0 } });
  });

  it("keeps an object with finalizers until they are removed, with a deletionTimestamp meanwhile", async () => {
    const ns = await namespace();
    await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "f", finalizers: ["example.com/hold"] } } });
    const r = await call(cluster, "DELETE", cmPath(ns, "f"));
    expect(r.status).toBe(200);
    expect(r.json().metadata.deletionTimestamp).toBeDefined();
    const held = (await call(cluster, "GET", cmPath(ns, "f"))).json();
    expect(held.metadata.finalizers).toEqual(["example.com/hold"]);
    await call(cluster, "PATCH", cmPath(ns, "f"), {
      body: { metadata: { finalizers: null } },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    expect((await call(cluster, "GET", cmPath(ns, "f"))).status).toBe(404);
  });

  it("garbage-collects dependents: background deletes them, orphan keeps them without the owner reference", async () => {
    const ns = await namespace();
    const owner = (await call(cluster, "POST", deployPath(ns), { body: deployment("own") })).json();
    const ref = { apiVersion: "apps/v1", kind: "Deployment", name: "own", uid: owner.metadata.uid, controller: true };
    await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "dep", ownerReferences: [ref] } } });
    const bg = await call(cluster, "DELETE", deployPath(ns, "own"));
    expect(bg.json()).toMatchObject({
      kind: "Status",
      status: "Success",
      details: { group: "apps", kind: "deployments" },
    });
    await until(async () => ((await call(cluster, "GET", cmPath(ns, "dep"))).status === 404 ? true : undefined));

    const owner2 = (await call(cluster, "POST", deployPath(ns), { body: deployment("own2") })).json();
    await call(cluster, "POST", cmPath(ns), {
      body: { metadata: { name: "dep2", ownerReferences: [{ ...ref, name: "own2", uid: owner2.metadata.uid }] } },
    });
    const orphan = await call(cluster, "DELETE", `${deployPath(ns, "own2")}?propagationPolicy=Orphan`);
    expect(orphan.json().metadata.finalizers).toEqual(["orphan"]);
    await until(async () => ((await call(cluster, "GET", deployPath(ns, "own2"))).status === 404 ? true : undefined));
    const dep2 = (await call(cluster, "GET", cmPath(ns, "dep2"))).json();
    expect(dep2.metadata.ownerReferences).toBeUndefined();
  });

  it("foreground deletion returns the owner with the foregroundDeletion finalizer and removes it after its dependents", async () => {
    const ns = await namespace();
    const owner = (await call(cluster, "POST", deployPath(ns), { body: deployment("fg") })).json();
    await call(cluster, "POST", cmPath(ns), {
      body: {
        metadata: {
          name: "fg-dep",
          ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "fg", uid: owner.metadata.uid }],
        },
      },
    });
    const r = await call(cluster, "DELETE", deployPath(ns, "fg"), {
      body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Foreground" },
    });
    expect(r.json().metadata.finalizers).toEqual(["foregroundDeletion"]);
    await until(async () => ((await call(cluster, "GET", deployPath(ns, "fg"))).status === 404 ? true : undefined));
    expect((await call(cluster, "GET", cmPath(ns, "fg-dep"))).status).toBe(404);
  });

  it("deletes a namespace in two steps: Terminating, no new content (403), then its objects and itself are gone", async () => {
    const ns = await namespace();
    await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "inside" } } });
    const hold = await call(cluster, "POST", cmPath(ns), {
      body: { metadata: { name: "held", finalizers: ["example.com/x"] } },
    });
    expect(hold.status).toBe(201);
    const r = await call(cluster, "DELETE", `/api/v1/namespaces/${ns}`);
    expect(r.json()).toMatchObject({
      kind: "Namespace",
      status: { phase: "Terminating" },
      spec: { finalizers: ["kubernetes"] },
    });
    const refused = await call(cluster, "POST", cmPath(ns), { body: { metadata: { name: "late" } } });
    expect(refused.status).toBe(403);
    expect(refused.json().message).toBe(
      `configmaps "late" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
    );
    await until(async () => ((await call(cluster, "GET", cmPath(ns, "inside"))).status === 404 ? true : undefined));
    expect((await call(cluster, "GET", `/api/v1/namespaces/${ns}`)).status).toBe(200);
    await call(cluster, "PATCH", cmPath(ns, "held"), {
      body: { metadata: { finalizers: null } },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    await until(async () =>
      (await call(cluster, "GET", `/api/v1/namespaces/${ns}`)).status === 404 ? true : undefined,
    );
  });

  it("deletes a collection by label selector and answers the deleted items", async () => {
    const ns = await namespace();
    for (const name of ["b1", "b2", "keep"])
      await call(cluster, "POST", cmPath(ns), {
        body: { metadata: { name, labels: name === "keep" ? {} : { batch: "x" } } },
      });
    const r = await call(cluster, "DELETE", `${cmPath(ns)}?labelSelector=batch%3Dx`);
    expect(r.json().kind).toBe("ConfigMapList");
    expect(r.json().items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["b1", "b2"]);
    const left = (await call(cluster, "GET", cmPath(ns)))
      .json()
      .items.map((i: { metadata: { name: string } }) => i.metadata.name);
    expect(left).toContain("keep");
    expect(left).not.toContain("b1");
  });
});

describe("namespace controllers", () => {
  it("gives a new namespace its default service account and kube-root-ca.crt (TLS clusters)", async () => {
    await using tlsCluster = await startFakeCluster();
    tlsCluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "fresh" } });
    const cm = await until(() =>
      tlsCluster.store.get<{ data: Record<string, string> }>(
        { apiVersion: "v1", kind: "ConfigMap" },
        "kube-root-ca.crt",
        "fresh",
      ),
    );
    expect(cm.data["ca.crt"]).toBe(tlsCluster.caPem);
    expect(tlsCluster.store.get({ apiVersion: "v1", kind: "ServiceAccount" }, "default", "fresh")).toBeDefined();
  });
});
