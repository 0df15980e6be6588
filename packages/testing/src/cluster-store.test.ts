import { ApiError, isConflict, isNotFound } from "@kubeshift/transport";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { describe, expect, it } from "vitest";
import { stream } from "./_test-client.ts";
import { startFakeCluster } from "./start-fake-cluster.ts";

type Cm = {
  metadata: { name: string; resourceVersion: string; uid: string; generation?: number };
  data?: Record<string, string>;
};

describe("cluster.store", () => {
  it("creates, reads, lists, updates, puts and deletes with the API's semantics and copies", async () => {
    await using cluster = await startFakeCluster({ tls: false });
    const created = cluster.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "a", namespace: "default", labels: { x: "1" } },
      data: { k: "v" },
    });
    expect((created as unknown as Cm).metadata.uid).toBeDefined();
    const read = cluster.store.get<Cm>(ConfigMap, "a", "default");
    expect(read?.data).toEqual({ k: "v" });
    (read as Cm).data = { mutated: "yes" };
    expect(cluster.store.get<Cm>({ apiVersion: "v1", kind: "ConfigMap" }, "a", "default")?.data).toEqual({ k: "v" });
    cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b", namespace: "default" } });
    expect(
      cluster.store.list<Cm>(ConfigMap, { namespace: "default", labels: { x: "1" } }).map((c) => c.metadata.name),
    ).toEqual(["a"]);
    const updated = cluster.store.update({
      ...(read as Cm),
      apiVersion: "v1",
      kind: "ConfigMap",
      data: { k: "v2" },
    }) as Cm;
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(read?.metadata.resourceVersion));
    try {
      cluster.store.update({ ...(read as Cm), apiVersion: "v1", kind: "ConfigMap", data: { k: "stale" } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect(isConflict(e)).toBe(true);
    }
    cluster.store.put({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "a", namespace: "default" },
      data: { k: "v3" },
    });
    expect(cluster.store.get<Cm>(ConfigMap, "a", "default")?.data).toEqual({ k: "v3" });
    cluster.store.delete(ConfigMap, "a", "default");
    expect(cluster.store.get(ConfigMap, "a", "default")).toBeUndefined();
    expect(() => cluster.store.delete(ConfigMap, "a", "default")).toThrow(expect.objectContaining({ status: 404 }));
    try {
      cluster.store.delete(ConfigMap, "a", "default");
    } catch (e) {
      expect(isNotFound(e)).toBe(true);
    }
    expect(() => cluster.store.get({ apiVersion: "example.com/v1", kind: "Nope" }, "x")).toThrow(TypeError);
  });

  it("putRaw() commits without defaults or validation but still with a resourceVersion and a watch event", async () => {
    await using cluster = await startFakeCluster({ tls: false });
    const rv = cluster.store.resourceVersion;
    const s = await stream(cluster, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`);
    const written = cluster.store.putRaw({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "raw", namespace: "default" },
      spec: {},
    });
    expect(Number(written)).toBeGreaterThan(Number(rv));
    expect(written).toBe(
      cluster.store.get<{ metadata: { resourceVersion: string } }>({ apiVersion: "v1", kind: "Pod" }, "raw", "default")
        ?.metadata.resourceVersion,
    );
    const stored = cluster.store.get<{ spec: object; status?: object; metadata: { uid: string } }>(
      { apiVersion: "v1", kind: "Pod" },
      "raw",
      "default",
    );
    expect(stored?.spec).toEqual({});
    expect(stored?.status).toBeUndefined();
    const uid = stored?.metadata.uid;
    cluster.store.putRaw({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "raw", namespace: "default" },
      spec: { x: 1 },
    });
    const events = (await s.waitFor(2)).map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED"]);
    expect(events[1].object.metadata.uid).toBe(uid);
    s.close();
    expect(() => cluster.store.putRaw({ apiVersion: "v1", kind: "Pod", metadata: {} })).toThrow(TypeError);
  });

  it("compacts the history and bounds it by historySize", async () => {
    await using cluster = await startFakeCluster({ tls: false });
    expect(cluster.store.historySize).toBe(10000);
    cluster.store.historySize = 5;
    expect(() => {
      cluster.store.historySize = 0;
    }).toThrow(RangeError);
    expect(() => cluster.store.compact("abc")).toThrow(RangeError);
  });
});
