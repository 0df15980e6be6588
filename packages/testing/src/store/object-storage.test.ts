import { describe, expect, it } from "vitest";
import type { KubeObject } from "../resources/kube-object.ts";
import { ObjectStorage, RevisionCompactedError, type StorageEvent } from "./object-storage.ts";

function cm(ns: string, name: string, rv: number, data = "v"): KubeObject {
  return {
    kind: "ConfigMap",
    apiVersion: "v1",
    metadata: { name, namespace: ns, resourceVersion: String(rv) },
    data: { k: data },
  };
}

function put(s: ObjectStorage, ns: string, name: string, data = "v", type: "ADDED" | "MODIFIED" = "ADDED"): number {
  const rv = s.nextRv();
  s.commit("/configmaps", type, `${ns}/${name}`, cm(ns, name, rv, data));
  return rv;
}

describe("ObjectStorage", () => {
  it("hands out one global, increasing resourceVersion across resources", () => {
    const s = new ObjectStorage();
    expect(put(s, "a", "x")).toBe(1);
    s.commit("/secrets", "ADDED", "a/s", { kind: "Secret", apiVersion: "v1", metadata: { name: "s", namespace: "a" } });
    expect(put(s, "a", "y")).toBe(3);
    expect(s.rv).toBe(3);
  });

  it("lists in key order, one namespace as a contiguous range, and pages with a continue key", () => {
    const s = new ObjectStorage();
    for (const [ns, n] of [
      ["b", "2"],
      ["a-b", "1"],
      ["a", "3"],
      ["a", "1"],
      ["b", "1"],
    ] as const)
      put(s, ns, n);
    expect(s.list("/configmaps").items.map((e) => e.key)).toEqual(["a-b/1", "a/1", "a/3", "b/1", "b/2"]);
    expect(s.list("/configmaps", { namespace: "a" }).items.map((e) => e.key)).toEqual(["a/1", "a/3"]);
    const page = s.list("/configmaps", { limit: 2 });
    expect(page.items.map((e) => e.key)).toEqual(["a-b/1", "a/1"]);
    expect(page.continueKey).toBe("a/1");
    expect(page.remaining).toBe(3);
    const next = s.list("/configmaps", { limit: 2, afterKey: page.continueKey });
    expect(next.items.map((e) => e.key)).toEqual(["a/3", "b/1"]);
    const last = s.list("/configmaps", { limit: 2, afterKey: next.continueKey });
    expect(last.items.map((e) => e.key)).toEqual(["b/2"]);
    expect(last.continueKey).toBeUndefined();
  });

  it("reads a consistent snapshot at a past revision", () => {
    const s = new ObjectStorage();
    put(s, "ns", "a", "1");
    const at = put(s, "ns", "b", "1");
    put(s, "ns", "a", "2", "MODIFIED");
    put(s, "ns", "c", "1");
    const rv = s.nextRv();
    s.commit("/configmaps", "DELETED", "ns/b", cm("ns", "b", rv));
    const snap = s.list("/configmaps", { atRv: at });
    expect(snap.rv).toBe(at);
    expect(snap.items.map((e) => [e.key, e.object.data])).toEqual([
      ["ns/a", { k: "1" }],
      ["ns/b", { k: "1" }],
    ]);
    expect(s.list("/configmaps").items.map((e) => e.key)).toEqual(["ns/a", "ns/c"]);
  });

  it("forgets history beyond the window: old revisions throw RevisionCompactedError", () => {
    const s = new ObjectStorage({ historySize: 3 });
    for (let i = 0; i < 6; i++) put(s, "ns", `o${i}`);
    expect(s.compactedRv("/configmaps")).toBe(3);
    expect(s.eventsSince("/configmaps", 3).map((e) => e.entry.rv)).toEqual([4, 5, 6]);
    expect(() => s.eventsSince("/configmaps", 2)).toThrow(RevisionCompactedError);
    expect(() => s.list("/configmaps", { atRv: 1 })).toThrow(RevisionCompactedError);
  });

  it("compact() drops the history up to a revision for every resource", () => {
    const s = new ObjectStorage();
    put(s, "ns", "a");
    const rv = put(s, "ns", "b");
    put(s, "ns", "c");
    s.compact(rv);
    expect(s.eventsSince("/configmaps", rv).map((e) => e.entry.rv)).toEqual([3]);
    expect(() => s.eventsSince("/configmaps", rv - 1)).toThrow(RevisionCompactedError);
  });

  it("delivers every commit to subscribers synchronously, with the previous state", () => {
    const s = new ObjectStorage();
    const seen: StorageEvent[] = [];
    s.subscribe("/configmaps", { deliver: (e) => seen.push(e), terminate: () => {} });
    put(s, "ns", "a", "1");
    put(s, "ns", "a", "2", "MODIFIED");
    expect(seen.map((e) => [e.type, e.entry.object.data, e.previous?.object.data])).toEqual([
      ["ADDED", { k: "1" }, undefined],
      ["MODIFIED", { k: "2" }, { k: "1" }],
    ]);
  });

  it("caches each entry's JSON and leaves kind and apiVersion out of list items", () => {
    const s = new ObjectStorage();
    put(s, "ns", "a");
    const e = s.list("/configmaps").items[0];
    expect(e?.json()).toBe(
      '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"ns","resourceVersion":"1"},"data":{"k":"v"}}',
    );
    expect(e?.itemJson()).toBe('{"metadata":{"name":"a","namespace":"ns","resourceVersion":"1"},"data":{"k":"v"}}');
  });

  it("resetRevisions() restamps objects from 1, forgets history and ends subscribers", () => {
    const s = new ObjectStorage();
    for (let i = 0; i < 5; i++) put(s, "ns", `o${i}`);
    let ended = 0;
    s.subscribe("/configmaps", { deliver: () => {}, terminate: () => ended++ });
    expect(s.resetRevisions()).toBe(5);
    expect(ended).toBe(1);
    expect(s.list("/configmaps").items.map((e) => e.rv)).toEqual([1, 2, 3, 4, 5]);
    expect(() => s.eventsSince("/configmaps", 4)).toThrow(RevisionCompactedError);
    expect(s.resetRevisions(100)).toBe(100);
  });
});
