import { readFileSync } from "node:fs";
import { type ApiError, DecodeError, isConflict, isInvalid, isNotFound } from "@kubeshift/transport";
import { defineResource } from "@kubeshift/types";
import { Deployment } from "@kubeshift/types/apps/v1";
import { ConfigMap, Pod } from "@kubeshift/types/core/v1";
import { describe, expect, expectTypeOf, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { type Fixture, replayTransport, scriptedTransport } from "../test/replay-transport.ts";
import { Client, createClient } from "./client.ts";
import type { KubeObject } from "./kube-object.ts";
import { labels } from "./label-selector.ts";

const fixture = (p: string): Fixture => JSON.parse(readFileSync(fixturePath(p), "utf8")) as Fixture;
const k8s = (p: string): Fixture => fixture(`kubernetes-v1.20.2/${p}.json`);
const SERVER = "https://127.0.0.1:16443";

function clientFor(...fixtures: Fixture[]) {
  const transport = replayTransport(fixtures.flatMap((f) => f.exchanges));
  return { transport, client: createClient({ transport, server: SERVER, namespace: "fx-crud" }) };
}

describe("createClient()", () => {
  it("rejects a missing transport and a server that is not an http(s) URL with TypeErrors", () => {
    expect(() => createClient({ server: SERVER } as never)).toThrow(TypeError);
    expect(() => createClient({ transport: scriptedTransport(() => new Response()), server: "not a url" })).toThrow(
      /absolute URL/,
    );
    expect(() => createClient({ transport: scriptedTransport(() => new Response()), server: "ftp://x" })).toThrow(
      /http\(s\)/,
    );
  });

  it("returns a Client with the default namespace 'default'", () => {
    const client = createClient({ transport: scriptedTransport(() => new Response()), server: SERVER });
    expect(client).toBeInstanceOf(Client);
    expect(client.namespace).toBe("default");
  });
});

describe("Client.url()", () => {
  const client = createClient({
    transport: scriptedTransport(() => new Response()),
    server: "https://rancher.example/k8s/clusters/c-1/",
    namespace: "dev",
  });

  it("keeps the server's path prefix and applies the default namespace", () => {
    expect(client.url(Pod, { name: "web" }).href).toBe(
      "https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/dev/pods/web",
    );
  });

  it("addresses all namespaces and adds query parameters, leaving out undefined ones", () => {
    expect(
      client.url(Pod, { allNamespaces: true, query: { watch: true, resourceVersion: "42", x: undefined } }).href,
    ).toBe("https://rancher.example/k8s/clusters/c-1/api/v1/pods?watch=true&resourceVersion=42");
  });
});

describe("Client.websocket()", () => {
  it("turns the resource URL into ws(s) and hands it to the transport with the options", async () => {
    const opened: Array<{ url: string; protocols: readonly string[] | undefined }> = [];
    const transport = {
      ...scriptedTransport(() => new Response()),
      websocket(url: string | URL, options?: { protocols?: readonly string[] }) {
        opened.push({ url: String(url), protocols: options?.protocols });
        return Promise.reject(new Error("not connected in this test"));
      },
    };
    const client = createClient({ transport, server: "https://k:6443/prefix", namespace: "dev" });
    const url = client.url(Pod, { query: { watch: true } });
    await client.websocket(url, { protocols: ["base64.binary.k8s.io"] }).catch(() => undefined);
    await client.websocket("/api/v1/namespaces/dev/pods/web/exec?command=ls").catch(() => undefined);
    expect(opened).toEqual([
      { url: "wss://k:6443/prefix/api/v1/namespaces/dev/pods?watch=true", protocols: ["base64.binary.k8s.io"] },
      { url: "wss://k:6443/prefix/api/v1/namespaces/dev/pods/web/exec?command=ls", protocols: undefined },
    ]);
  });
});

describe("get and list", () => {
  it("get() returns the typed object; a missing one is an ApiError NotFound with the server's message", async () => {
    const { client } = clientFor(k8s("errors/get-missing-pod"), k8s("crud/configmap-get"));
    const cm = await client.get(ConfigMap, "cm1", { namespace: "fx-crud" });
    expectTypeOf(cm).toEqualTypeOf<ConfigMap>();
    expect(cm.metadata?.name).toBe("cm1");
    const error = await client.get(Pod, "nope", { namespace: "fx-errors" }).catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
    expect((error as ApiError).message).toBe(
      'Cannot GET "/api/v1/namespaces/fx-errors/pods/nope": NotFound (404): pods "nope" not found',
    );
  });

  it("get() sends resourceVersion", async () => {
    const { client, transport } = clientFor(k8s("crud/configmap-get"));
    await client.get(ConfigMap, "cm1", { resourceVersion: "0" });
    expect(transport.seen[0]?.url.search).toBe("?resourceVersion=0");
  });

  it("list() sends the label selectors of the recordings from the typed builder and returns the typed list", async () => {
    const { client } = clientFor(k8s("crud/list-label-selector"));
    const a = await client.list(ConfigMap, { labelSelector: labels({ app: "fx" }) });
    expectTypeOf(a.items).toEqualTypeOf<ConfigMap[]>();
    expect(a.items.map((i) => i.metadata?.name).sort()).toEqual(["cm1", "cm2", "cm4", expect.stringMatching(/^gen-/)]);
    const b = await client.list(ConfigMap, { labelSelector: labels().in("tier", ["a", "b"]) });
    expect(b.items.map((i) => i.metadata?.name)).toEqual(["cm1", "cm2", "cm3"]);
    const c = await client.list(ConfigMap, { labelSelector: labels().notExists("tier") });
    expect(c.items.map((i) => i.metadata?.name)).toEqual(["kube-root-ca.crt"]);
    const d = await client
      .list(ConfigMap, {
        labelSelector: { matchExpressions: [{ key: "app", operator: "NotIn", values: ["fx"] }] },
      })
      .catch((e: unknown) => e);
    // `app notin (fx)` is not what was recorded (`app!=fx,tier`): the replay refuses it, proving the query is exact.
    expect(d).toBeInstanceOf(Error);
    const e = await client.list(ConfigMap, { labelSelector: labels().ne("app", "fx").exists("tier") });
    expect(e.items.map((i) => i.metadata?.name)).toEqual(["cm3"]);
  });

  it("list() sends field selectors", async () => {
    const { client, transport } = clientFor(k8s("crud/list-field-selector"));
    const list = await client.list(ConfigMap, { fieldSelector: { "metadata.name": "cm1" } });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(["cm1"]);
    expect(transport.seen[0]?.url.searchParams.get("fieldSelector")).toBe("metadata.name=cm1");
  });

  it("list() with allNamespaces addresses the cluster-wide collection and checks limit", async () => {
    const transport = scriptedTransport(() => Response.json({ kind: "PodList", metadata: {}, items: [] }));
    const client = createClient({ transport, server: SERVER });
    await client.list(Pod, {
      allNamespaces: true,
      limit: 10,
      timeoutSeconds: 5,
      resourceVersion: "0",
      resourceVersionMatch: "NotOlderThan",
    });
    expect(transport.seen[0]?.url.pathname).toBe("/api/v1/pods");
    expect(Object.fromEntries(transport.seen[0]?.url.searchParams ?? [])).toEqual({
      limit: "10",
      timeoutSeconds: "5",
      resourceVersion: "0",
      resourceVersionMatch: "NotOlderThan",
    });
    expect(() => client.list(Pod, { limit: 0 })).toThrow(RangeError);
    expect(() => client.list(Pod, { limit: 1.5 })).toThrow(RangeError);
  });

  it("a list of a descriptor without types is a KubeList of KubeObject", async () => {
    const Widget = defineResource({
      group: "example.com",
      version: "v1",
      kind: "Widget",
      plural: "widgets",
      namespaced: true,
    });
    const client = createClient({ transport: scriptedTransport(() => Response.json({ items: [] })), server: SERVER });
    const list = await client.list(Widget);
    expectTypeOf(list.items).toEqualTypeOf<KubeObject[]>();
  });
});

describe("create, replace, patch", () => {
  it("create() fills apiVersion/kind and lets the server generate a name from generateName", async () => {
    const { client, transport } = clientFor(k8s("crud/configmap-create-generatename"));
    const created = await client.create(ConfigMap, {
      metadata: { generateName: "gen-", labels: { app: "fx", tier: "gen" } },
      data: { k: "v" },
    });
    expect(created.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
    const seen = transport.seen[0];
    expect(seen?.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(seen?.body ?? "")).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { generateName: "gen-", labels: { app: "fx", tier: "gen" } },
      data: { k: "v" },
    });
    expect(seen?.options?.replayable).toBe(true);
  });

  it("create() with dryRun sends dryRun=All", async () => {
    const { client, transport } = clientFor(k8s("crud/dry-run-create"));
    const dry = await client.create(
      ConfigMap,
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dry" }, data: { k: "v" } },
      { dryRun: true },
    );
    expect(dry.metadata?.resourceVersion).toBeUndefined();
    expect(transport.seen[0]?.url.search).toBe("?dryRun=All");
  });

  it("create() sends fieldManager and fieldValidation", async () => {
    const transport = scriptedTransport((r) => new Response(r.body, { status: 201 }));
    const client = createClient({ transport, server: SERVER });
    await client.create(ConfigMap, { metadata: { name: "x" } }, { fieldManager: "me", fieldValidation: "Strict" });
    expect(transport.seen[0]?.url.search).toBe("?fieldManager=me&fieldValidation=Strict");
  });

  it("replace() sends the whole object with its resourceVersion; a stale one is 409 Conflict", async () => {
    const { client, transport } = clientFor(k8s("errors/replace-stale-resourceversion"));
    const created = await client.create(
      ConfigMap,
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "stale" }, data: { k: "v1" } },
      { namespace: "fx-errors" },
    );
    const fresh = await client.replace(ConfigMap, { ...created, data: { k: "v2" } });
    expect(fresh.metadata?.resourceVersion).not.toBe(created.metadata?.resourceVersion);
    expect(transport.seen[1]?.url.pathname).toBe("/api/v1/namespaces/fx-errors/configmaps/stale");
    const error = await client.replace(ConfigMap, { ...created, data: { k: "v3" } }).catch((e: unknown) => e);
    expect(isConflict(error)).toBe(true);
    expect((error as Error).message).toMatch(/the object has been modified/);
  });

  it("replace() with resourceVersion overrides the object's own as the precondition", async () => {
    const transport = scriptedTransport((r) => new Response(r.body));
    const client = createClient({ transport, server: SERVER });
    await client.replace(ConfigMap, { metadata: { name: "a", resourceVersion: "1" } }, { resourceVersion: "7" });
    expect(JSON.parse(transport.seen[0]?.body ?? "").metadata.resourceVersion).toBe("7");
    expect(() => client.replace(ConfigMap, { metadata: {} })).toThrow(/metadata.name/);
  });

  it("patch() sends each patch type with its content type, as recorded", async () => {
    const { client, transport } = clientFor(
      k8s("crud/configmap-merge-patch"),
      k8s("crud/configmap-json-patch"),
      k8s("crud/deployment-strategic-merge-patch"),
    );
    const merged = await client.patch(ConfigMap, "cm1", {
      metadata: { labels: { patched: "merge" } },
      data: { k3: "v3", k2: null },
    });
    expect(merged.data).not.toHaveProperty("k2");
    const jsonPatched = await client.patch(
      ConfigMap,
      "cm1",
      [
        { op: "add", path: "/data/k4", value: "v4" },
        { op: "replace", path: "/data/k1", value: "v1-json" },
        { op: "remove", path: "/data/k3" },
      ],
      { type: "json" },
    );
    expect(jsonPatched.data?.k4).toBe("v4");
    const failed = await client
      .patch(ConfigMap, "cm1", [{ op: "test", path: "/data/k1", value: "wrong" }], { type: "json" })
      .catch((e: unknown) => e);
    expect(isInvalid(failed)).toBe(true);
    const recorded = k8s("crud/deployment-strategic-merge-patch").exchanges;
    await client.create(Deployment, recorded[0]?.request.body as Deployment);
    const patched = await client.patch(Deployment, "web", recorded[1]?.request.body, { type: "strategic" });
    // Strategic merge keys containers by name: "web" is updated, "extra" added, "sidecar" (not in the patch) kept.
    expect(patched.spec?.template.spec?.containers.map((c) => c.name)).toEqual(["web", "extra", "sidecar"]);
    expect(transport.seen.map((s) => s.headers.get("content-type"))).toEqual([
      "application/merge-patch+json",
      "application/json-patch+json",
      "application/json-patch+json",
      "application/json",
      "application/strategic-merge-patch+json",
    ]);
    expect(() => client.patch(ConfigMap, "cm1", { op: "add" }, { type: "json" })).toThrow(/array of operations/);
  });

  it("patch(type: apply) is server-side apply: field manager, force, conflicts with causes", async () => {
    const { client, transport } = clientFor(k8s("crud/server-side-apply"));
    const intentA = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "ssa", labels: { owner: "a" } },
      data: { k: "from-a", "only-a": "1" },
    };
    await client.patch(ConfigMap, "ssa", intentA, { type: "apply", fieldManager: "a" });
    const intentB = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ssa" }, data: { k: "from-b" } };
    const conflict = await client
      .patch(ConfigMap, "ssa", intentB, { type: "apply", fieldManager: "b" })
      .catch((e: unknown) => e);
    expect(isConflict(conflict)).toBe(true);
    expect((conflict as ApiError).causes).toEqual([
      { reason: "FieldManagerConflict", message: 'conflict with "a"', field: ".data.k" },
    ]);
    const forced = await client.patch(ConfigMap, "ssa", intentB, { type: "apply", fieldManager: "b", force: true });
    expect(forced.data?.k).toBe("from-b");
    expect(transport.seen[2]?.url.search).toBe("?fieldManager=b&force=true");
    expect(transport.seen[2]?.headers.get("content-type")).toBe("application/apply-patch+yaml");
    expect(transport.seen[2]?.options?.idempotent).toBe(true);
  });

  it("apply patches default the field manager to the client's", async () => {
    const transport = scriptedTransport((r) => new Response(r.body));
    const client = createClient({ transport, server: SERVER, fieldManager: "my-operator" });
    await client.patch(ConfigMap, "x", { metadata: { name: "x" } }, { type: "apply" });
    expect(transport.seen[0]?.url.searchParams.get("fieldManager")).toBe("my-operator");
    expect(JSON.parse(transport.seen[0]?.body ?? "")).toMatchObject({ apiVersion: "v1", kind: "ConfigMap" });
  });
});

describe("delete", () => {
  it("returns the Status the server returned, and NotFound for a second delete", async () => {
    const { client } = clientFor(k8s("crud/delete-configmap-status"));
    const status = await client.delete(ConfigMap, "del-me");
    expect(status).toMatchObject({ kind: "Status", status: "Success", details: { name: "del-me" } });
    const withOptions = await client.delete(ConfigMap, "del-me-2", { propagationPolicy: "Background" });
    expect(withOptions).toMatchObject({ kind: "Status" });
    await client.delete(ConfigMap, "cm2", { dryRun: true });
    expect(isNotFound(await client.delete(ConfigMap, "del-me").catch((e: unknown) => e))).toBe(true);
  });

  it("sends propagationPolicy, gracePeriodSeconds and preconditions as DeleteOptions and returns the object when the server does", async () => {
    const recorded = k8s("crud/delete-deployment-foreground").exchanges[0]?.response;
    const transport = scriptedTransport(() => Response.json(recorded?.body));
    const client = createClient({ transport, server: SERVER, namespace: "fx-crud" });
    const result = await client.delete(Deployment, "fg", {
      propagationPolicy: "Foreground",
      gracePeriodSeconds: 0,
      preconditions: { uid: "2ed6c3e9-61f8-4192-b75f-f340c1925be8" },
    });
    expect(result).toMatchObject({ kind: "Deployment", metadata: { finalizers: ["foregroundDeletion"] } });
    expect(JSON.parse(transport.seen[0]?.body ?? "")).toEqual({
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: "Foreground",
      gracePeriodSeconds: 0,
      preconditions: { uid: "2ed6c3e9-61f8-4192-b75f-f340c1925be8" },
    });
    expect(() => client.delete(Deployment, "fg", { gracePeriodSeconds: -1 })).toThrow(RangeError);
  });

  it("deleteCollection() sends the selectors and returns the deleted list", async () => {
    const { client } = clientFor(k8s("crud/delete-collection"));
    const deleted = await client.deleteCollection(ConfigMap, { labelSelector: "batch=x" });
    expect((deleted as ConfigMap[] & { items: ConfigMap[] }).items.map((i) => i.metadata?.name)).toEqual([
      "batch-1",
      "batch-2",
      "batch-3",
    ]);
  });
});

describe("subresources", () => {
  it("status: getStatus and replaceStatus address /status", async () => {
    const { client, transport } = clientFor(k8s("crud/deployment-status-update"));
    const d = await client.getStatus(Deployment, "web");
    const body = k8s("crud/deployment-status-update").exchanges[1]?.request.body as Deployment;
    const updated = await client.replaceStatus(Deployment, body);
    expect(updated.metadata?.name).toBe(d.metadata?.name);
    expect(transport.seen.map((s) => `${s.method} ${s.url.pathname}`)).toEqual([
      "GET /apis/apps/v1/namespaces/fx-crud/deployments/web/status",
      "PUT /apis/apps/v1/namespaces/fx-crud/deployments/web/status",
    ]);
  });

  it("patchStatus() patches /status", async () => {
    const transport = scriptedTransport(() => Response.json({}));
    const client = createClient({ transport, server: SERVER });
    await client.patchStatus(Deployment, "web", { status: { replicas: 1 } });
    expect(`${transport.seen[0]?.method} ${transport.seen[0]?.url.pathname}`).toBe(
      "PATCH /apis/apps/v1/namespaces/default/deployments/web/status",
    );
  });

  it("scale: getScale, patchScale and replaceScale, as recorded", async () => {
    const { client, transport } = clientFor(k8s("crud/deployment-scale"));
    const scale = await client.getScale(Deployment, "web");
    expect(scale.spec?.replicas).toBe(1);
    expect((await client.patchScale(Deployment, "web", { spec: { replicas: 2 } })).spec?.replicas).toBe(2);
    const replaced = await client.replaceScale(Deployment, {
      metadata: { name: "web", namespace: "fx-crud" },
      spec: { replicas: 1 },
    });
    expect(replaced.spec?.replicas).toBe(1);
    expect(JSON.parse(transport.seen[2]?.body ?? "")).toEqual({
      apiVersion: "autoscaling/v1",
      kind: "Scale",
      metadata: { name: "web", namespace: "fx-crud" },
      spec: { replicas: 1 },
    });
  });

  it("evict() sends the Eviction version discovery names for pods/eviction (policy/v1beta1 on 1.20)", async () => {
    const discovery = k8s("discovery/api-v1").exchanges;
    const transport = replayTransport(discovery, {
      fallback: (r) =>
        r.method === "POST" ? Response.json({ kind: "Status", status: "Success" }, { status: 201 }) : undefined,
    });
    const client = createClient({ transport, server: SERVER });
    const status = await client.evict("web-1", { namespace: "dev", gracePeriodSeconds: 5, dryRun: true });
    expect(status.status).toBe("Success");
    const post = transport.seen.find((s) => s.method === "POST");
    expect(post?.url.pathname).toBe("/api/v1/namespaces/dev/pods/web-1/eviction");
    expect(JSON.parse(post?.body ?? "")).toEqual({
      apiVersion: "policy/v1beta1",
      kind: "Eviction",
      metadata: { name: "web-1", namespace: "dev" },
      deleteOptions: { gracePeriodSeconds: 5, dryRun: ["All"] },
    });
  });
});

describe("errors, warnings, aborts", () => {
  it("a 2xx answer that is not JSON is a DecodeError with an excerpt", async () => {
    const client = createClient({
      transport: scriptedTransport(() => new Response("<html>proxy login</html>")),
      server: SERVER,
    });
    const error = await client.get(Pod, "web").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).excerpt).toBe("<html>proxy login</html>");
    expect((error as Error).message).toMatch(
      /Cannot decode the answer to GET "\/api\/v1\/namespaces\/default\/pods\/web" as JSON/,
    );
  });

  it("hands the server's Warning headers to onWarning", async () => {
    const warnings: string[] = [];
    const transport = scriptedTransport(
      () =>
        new Response("{}", {
          headers: { warning: '299 - "autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated"' },
        }),
    );
    const client = createClient({ transport, server: SERVER, onWarning: (w) => warnings.push(w) });
    await client.get(Pod, "x");
    expect(warnings).toEqual(["autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated"]);
  });

  it("rejects with the signal's reason, unchanged, when the caller aborts", async () => {
    const controller = new AbortController();
    const reason = new Error("user pressed q");
    controller.abort(reason);
    const client = createClient({ transport: scriptedTransport(() => Response.json({})), server: SERVER });
    expect(await client.get(Pod, "x", { signal: controller.signal }).catch((e: unknown) => e)).toBe(reason);
  });

  it("request() (ApiRequester) resolves with a non-2xx response instead of throwing", async () => {
    const { client } = clientFor(k8s("errors/get-missing-pod"));
    const response = await client.request("/api/v1/namespaces/fx-errors/pods/nope");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ reason: "NotFound" });
  });

  it("raw() reads any path with the client's errors", async () => {
    const { client } = clientFor(k8s("discovery/version"), k8s("discovery/healthz"));
    const version = await (await client.raw("/version")).json();
    expect(version.gitVersion).toBe("v1.20.2");
  });

  it("sends extra headers given per call", async () => {
    const transport = scriptedTransport(() => Response.json({}));
    const client = createClient({ transport, server: SERVER });
    await client.get(Pod, "x", { headers: { "Impersonate-User": "jane" }, timeoutMs: 1234 });
    expect(transport.seen[0]?.headers.get("impersonate-user")).toBe("jane");
    expect(transport.seen[0]?.options?.timeoutMs).toBe(1234);
  });
});
