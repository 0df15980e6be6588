import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

let cluster: FakeCluster;

beforeAll(async () => {
  cluster = await startFakeCluster({ tls: false, tooLargeResourceVersionWaitMs: 200 });
  cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "read" } });
  for (const [name, labels] of [
    ["cm1", { app: "fx", tier: "a" }],
    ["cm2", { app: "fx", tier: "b" }],
    ["cm3", { app: "other", tier: "a" }],
    ["cm4", { app: "fx", tier: "c" }],
    ["cm5", {}],
  ] as const)
    cluster.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name, namespace: "read", labels },
      data: { k: name },
    });
});
afterAll(async () => {
  await cluster.close();
});

const names = (list: { items: { metadata: { name: string } }[] }): string[] => list.items.map((i) => i.metadata.name);
const LIST = "/api/v1/namespaces/read/configmaps";

describe("GET", () => {
  it("answers the object, also with resourceVersion=0, and 404 worded as the server does", async () => {
    const r = await call(cluster, "GET", `${LIST}/cm1`);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.json()).toMatchObject({
      kind: "ConfigMap",
      apiVersion: "v1",
      metadata: { name: "cm1", namespace: "read" },
      data: { k: "cm1" },
    });
    expect((await call(cluster, "GET", `${LIST}/cm1?resourceVersion=0`)).json().metadata.name).toBe("cm1");
    const missing = await call(cluster, "GET", `${LIST}/nope`);
    expect(missing.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'configmaps "nope" not found',
      reason: "NotFound",
      details: { name: "nope", kind: "configmaps" },
      code: 404,
    });
  });

  it("waits for a future resourceVersion, then answers 504 Too large resource version with Retry-After", async () => {
    const r = await call(cluster, "GET", `${LIST}/cm1?resourceVersion=999999999`);
    expect(r.status).toBe(504);
    expect(r.headers["retry-after"]).toBe("1");
    expect(r.json()).toMatchObject({
      reason: "Timeout",
      message: `Timeout: Too large resource version: 999999999, current: ${cluster.store.resourceVersion}`,
      details: {
        causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
        retryAfterSeconds: 1,
      },
    });
  });

  it("serves YAML and answers 406 for unknown media types with the two wordings of the server", async () => {
    const yaml = await call(cluster, "GET", `${LIST}/cm1`, { headers: { Accept: "application/yaml" } });
    expect(yaml.headers["content-type"]).toBe("application/yaml");
    expect(yaml.text).toMatch(/^apiVersion: v1\ndata:\n {2}k: cm1\nkind: ConfigMap\nmetadata:\n/);
    const xml = await call(cluster, "GET", LIST, { headers: { Accept: "application/xml" } });
    expect(xml.status).toBe(406);
    expect(xml.json().message).toBe("406: Not Acceptable");
    const nope = await call(cluster, "GET", `${LIST}/cm1`, {
      headers: { Accept: "application/json;as=Nope;v=v1;g=meta.k8s.io" },
    });
    expect(nope.status).toBe(406);
    expect(nope.json().message).toBe("only the following media types are accepted: application/json, application/yaml");
  });
});

describe("LIST", () => {
  it("answers a typed list whose items leave kind and apiVersion out", async () => {
    const list = (await call(cluster, "GET", LIST)).json();
    expect(list.kind).toBe("ConfigMapList");
    expect(list.apiVersion).toBe("v1");
    expect(list.metadata.resourceVersion).toBe(cluster.store.resourceVersion);
    expect(names(list)).toEqual(["cm1", "cm2", "cm3", "cm4", "cm5"]);
    expect(list.items[0].kind).toBeUndefined();
  });

  it("filters by label selectors (=, in, !key, !=) and field selectors", async () => {
    const q = async (query: string): Promise<string[]> =>
      names((await call(cluster, "GET", `${LIST}?${query}`)).json());
    expect(await q("labelSelector=app%3Dfx")).toEqual(["cm1", "cm2", "cm4"]);
    expect(await q("labelSelector=tier%20in%20(a%2Cb)")).toEqual(["cm1", "cm2", "cm3"]);
    expect(await q("labelSelector=!tier")).toEqual(["cm5"]);
    expect(await q("labelSelector=app!%3Dfx%2Ctier")).toEqual(["cm3"]);
    expect(await q("fieldSelector=metadata.name%3Dcm2")).toEqual(["cm2"]);
    expect(await q("fieldSelector=metadata.name!%3Dcm1&labelSelector=app%3Dfx")).toEqual(["cm2", "cm4"]);
  });

  it("answers 400 for bad selectors with the server's messages", async () => {
    const bad = await call(cluster, "GET", `${LIST}?labelSelector=a%20in%20(b`);
    expect(bad.status).toBe(400);
    expect(bad.json().message).toBe("unable to parse requirement: found '', expected: ',' or ')'");
    const field = await call(cluster, "GET", `${LIST}?fieldSelector=data.k%3Dv`);
    expect(field.json().message).toBe(
      '"data.k" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  it("pages with limit and continue, reporting remainingItemCount", async () => {
    const first = (await call(cluster, "GET", `${LIST}?limit=2`)).json();
    expect(names(first)).toEqual(["cm1", "cm2"]);
    expect(first.metadata.remainingItemCount).toBe(3);
    const token = JSON.parse(Buffer.from(first.metadata.continue, "base64url").toString());
    expect(token).toEqual({ v: "meta.k8s.io/v1", rv: Number(first.metadata.resourceVersion), start: "cm2\u0000" });
    const second = (await call(cluster, "GET", `${LIST}?limit=2&continue=${first.metadata.continue}`)).json();
    expect(names(second)).toEqual(["cm3", "cm4"]);
    const third = (await call(cluster, "GET", `${LIST}?limit=2&continue=${second.metadata.continue}`)).json();
    expect(names(third)).toEqual(["cm5"]);
    expect(third.metadata.continue).toBeUndefined();
  });

  it("reads later pages at the first page's revision, even when objects changed meanwhile", async () => {
    await using c = await startFakeCluster({ tls: false });
    for (const name of ["a", "b", "c"])
      c.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" } });
    const first = (await call(c, "GET", "/api/v1/namespaces/default/configmaps?limit=1")).json();
    c.store.delete({ apiVersion: "v1", kind: "ConfigMap" }, "b", "default");
    c.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bb", namespace: "default" } });
    const rest = (
      await call(c, "GET", `/api/v1/namespaces/default/configmaps?continue=${first.metadata.continue}`)
    ).json();
    expect(names(rest)).toEqual(["b", "c"]);
    expect(rest.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it("expires continue tokens with the history window: 410 with a fresh inconsistent token", async () => {
    await using c = await startFakeCluster({ tls: false });
    for (const name of ["a", "b", "c"])
      c.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" } });
    const first = (await call(c, "GET", "/api/v1/namespaces/default/configmaps?limit=1")).json();
    c.store.put({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "a", namespace: "default" },
      data: { x: "1" },
    });
    c.store.compact();
    const expired = await call(
      c,
      "GET",
      `/api/v1/namespaces/default/configmaps?limit=1&continue=${first.metadata.continue}`,
    );
    expect(expired.status).toBe(410);
    const status = expired.json();
    expect(status.reason).toBe("Expired");
    expect(status.message).toMatch(/^The provided continue parameter is too old to display a consistent list result\./);
    const fresh = JSON.parse(Buffer.from(status.metadata.continue, "base64url").toString());
    expect(fresh).toEqual({ v: "meta.k8s.io/v1", rv: -1, start: "a\u0000" });
    const rest = (
      await call(c, "GET", `/api/v1/namespaces/default/configmaps?continue=${status.metadata.continue}`)
    ).json();
    // An inconsistent continuation reads the current state after the token's key.
    expect(names(rest)).toEqual(["b", "c"]);
  });

  it("applies the resourceVersion rules: Exact at a past revision, 410 when compacted, 500 when in the future", async () => {
    await using c = await startFakeCluster({ tls: false });
    c.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "default" } });
    const rv = c.store.resourceVersion;
    c.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b", namespace: "default" } });
    const exact = (
      await call(c, "GET", `/api/v1/namespaces/default/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`)
    ).json();
    expect(exact.metadata.resourceVersion).toBe(rv);
    expect(names(exact)).not.toContain("b");
    const future = await call(
      c,
      "GET",
      "/api/v1/namespaces/default/configmaps?resourceVersion=999999&resourceVersionMatch=Exact",
    );
    expect(future.status).toBe(500);
    expect(future.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "etcdserver: mvcc: required revision is a future revision",
      code: 500,
    });
    c.store.compact();
    const old = await call(
      c,
      "GET",
      `/api/v1/namespaces/default/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`,
    );
    expect(old.status).toBe(410);
    expect(old.json().message).toBe("The resourceVersion for the provided list is too old.");
    const notOlder = await call(c, "GET", `/api/v1/namespaces/default/configmaps?resourceVersion=${rv}`);
    expect(notOlder.status).toBe(200);
    expect(names(notOlder.json())).toContain("b");
    const invalid = await call(c, "GET", "/api/v1/namespaces/default/configmaps?resourceVersionMatch=Exact");
    expect(invalid.status).toBe(422);
    expect(invalid.json().message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  });

  it("prints a Table (v1 and v1beta1) with includeObject, and PartialObjectMetadataList", async () => {
    const accept =
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    const table = (await call(cluster, "GET", `${LIST}?limit=2`, { headers: { Accept: accept } })).json();
    expect(table.kind).toBe("Table");
    expect(table.apiVersion).toBe("meta.k8s.io/v1");
    expect(table.columnDefinitions[0]).toMatchObject({ name: "Name", format: "name" });
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0].object).toMatchObject({
      kind: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1",
      metadata: { name: "cm1" },
    });
    expect(table.metadata.continue).toBeDefined();
    const beta = (
      await call(cluster, "GET", LIST, { headers: { Accept: "application/json;as=Table;v=v1beta1;g=meta.k8s.io" } })
    ).json();
    expect(beta.apiVersion).toBe("meta.k8s.io/v1beta1");
    const none = (await call(cluster, "GET", `${LIST}?includeObject=None`, { headers: { Accept: accept } })).json();
    expect(none.rows[0].object).toBeNull();
    const full = (await call(cluster, "GET", `${LIST}?includeObject=Object`, { headers: { Accept: accept } })).json();
    expect(full.rows[0].object.data).toEqual({ k: "cm1" });
    const partial = (
      await call(cluster, "GET", LIST, {
        headers: { Accept: "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json" },
      })
    ).json();
    expect(partial.kind).toBe("PartialObjectMetadataList");
    expect(partial.items[0]).toMatchObject({ kind: "PartialObjectMetadata", metadata: { name: "cm1" } });
  });

  it("lists across namespaces and answers 405 and 404 for what a path does not serve", async () => {
    const all = (await call(cluster, "GET", "/api/v1/configmaps")).json();
    expect(all.items.some((i: { metadata: { namespace: string } }) => i.metadata.namespace === "read")).toBe(true);
    expect((await call(cluster, "PUT", LIST, { body: {} })).status).toBe(405);
    expect((await call(cluster, "POST", `${LIST}/cm1`, { body: {} })).json().message).toBe(
      "the server does not allow this method on the requested resource",
    );
    const unknown = await call(cluster, "GET", "/api/v1/namespaces/read/widgets");
    expect(unknown.json()).toMatchObject({
      reason: "NotFound",
      message: "the server could not find the requested resource",
      details: {},
    });
    const group = await call(cluster, "GET", "/apis/nope.example.com/v1/things");
    expect(group.status).toBe(404);
    expect(group.text).toBe("404 page not found\n");
  });
});
