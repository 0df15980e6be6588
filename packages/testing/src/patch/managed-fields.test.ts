import { schema as typesSchema } from "@kubeshift/types/schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FieldSet } from "./_field-set.ts";
import { schemaLookupForKind } from "./_schema.ts";
import { type ManagedFieldsEntry, updateManagedFields } from "./managed-fields.ts";

const pods = schemaLookupForKind(typesSchema, "v1", "Pod");
const cms = schemaLookupForKind(typesSchema, "v1", "ConfigMap");
const T1 = "2026-01-01T00:00:00Z";
const T2 = "2026-01-01T00:01:00Z";

function entry(
  manager: string,
  fieldsV1: Record<string, unknown>,
  extra: Partial<ManagedFieldsEntry> = {},
): ManagedFieldsEntry {
  return { manager, operation: "Update", apiVersion: "v1", time: T1, fieldsType: "FieldsV1", fieldsV1, ...extra };
}

function cm(data: Record<string, string>, managedFields?: ManagedFieldsEntry[]): object {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "c", namespace: "n", ...(managedFields ? { managedFields } : {}) },
    data,
  };
}

describe("updateManagedFields", () => {
  it("gives a create's fields to the writer, with '.' on granular maps the write added, without system metadata", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "n", uid: "u", resourceVersion: "1", labels: { app: "x" }, finalizers: ["f"] },
      spec: {
        containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 80, protocol: "TCP" }] }],
        nodeSelector: { disk: "ssd" },
      },
    };
    const entries = updateManagedFields(undefined, pod, {
      manager: "kubectl",
      operation: "Update",
      time: T1,
      apiVersion: "v1",
      ...(pods ? { schema: pods } : {}),
    });
    expect(entries).toEqual([
      entry("kubectl", {
        "f:metadata": { "f:finalizers": { ".": {}, 'v:"f"': {} }, "f:labels": { ".": {}, "f:app": {} } },
        "f:spec": {
          "f:containers": {
            'k:{"name":"web"}': {
              ".": {},
              "f:image": {},
              "f:name": {},
              "f:ports": {
                ".": {},
                'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} },
              },
            },
          },
          // nodeSelector is an atomic map: owned as a whole.
          "f:nodeSelector": {},
        },
      }),
    ]);
  });

  it("moves changed fields to the writer, drops removed fields from every manager, and stamps only the writer", () => {
    const before = cm({ a: "1", b: "2" }, [entry("creator", { "f:data": { ".": {}, "f:a": {}, "f:b": {} } })]);
    const after = cm({ a: "changed", c: "3" });
    const entries = updateManagedFields(before, after, {
      manager: "editor",
      operation: "Update",
      time: T2,
      apiVersion: "v1",
      ...(cms ? { schema: cms } : {}),
    });
    expect(entries).toEqual([
      entry("creator", { "f:data": {} }),
      entry("editor", { "f:data": { "f:a": {}, "f:c": {} } }, { time: T2 }),
    ]);
  });

  it("keeps entries untouched, time included, when the write changes nothing", () => {
    const owned = [entry("creator", { "f:data": { ".": {}, "f:a": {} } })];
    const before = cm({ a: "1" }, owned);
    expect(
      updateManagedFields(before, cm({ a: "1" }), {
        manager: "other",
        operation: "Update",
        time: T2,
        apiVersion: "v1",
      }),
    ).toEqual(owned);
  });

  it("records writes through a subresource in their own entry", () => {
    const before = {
      metadata: { name: "d", managedFields: [entry("kubectl", { "f:spec": { "f:replicas": {} } })] },
      spec: { replicas: 1 },
      status: {},
    };
    const after = { metadata: { name: "d" }, spec: { replicas: 1 }, status: { replicas: 1 } };
    const entries = updateManagedFields(before, after, {
      manager: "controller",
      operation: "Update",
      subresource: "status",
      time: T2,
      apiVersion: "v1",
    });
    expect(entries.map((e) => [e.manager, e.subresource, e.fieldsV1])).toEqual([
      ["kubectl", undefined, { "f:spec": { "f:replicas": {} } }],
      ["controller", "status", { "f:status": { "f:replicas": {} } }],
    ]);
  });

  it("does not start tracking an existing object nobody manages, and `managedFields: []` resets ownership", () => {
    expect(
      updateManagedFields(cm({ a: "1" }), cm({ a: "2" }), {
        manager: "m",
        operation: "Update",
        time: T1,
        apiVersion: "v1",
      }),
    ).toEqual([]);
    const owned = cm({ a: "1" }, [entry("x", { "f:data": { "f:a": {} } })]);
    expect(
      updateManagedFields(
        owned,
        { ...cm({ a: "2" }), metadata: { name: "c", managedFields: [] } },
        { manager: "m", operation: "Update", time: T1, apiVersion: "v1" },
      ),
    ).toEqual([]);
  });

  it("takes the request's managedFields when it sets valid ones", () => {
    const owned = cm({ a: "1" }, [entry("x", { "f:data": { "f:a": {} } })]);
    const claimed = [entry("y", { "f:data": { "f:a": {} } })];
    const next = { ...cm({ a: "1" }), metadata: { name: "c", namespace: "n", managedFields: claimed } };
    expect(updateManagedFields(owned, next, { manager: "m", operation: "Update", time: T1, apiVersion: "v1" })).toEqual(
      claimed,
    );
  });

  it("merges the oldest update entries into 'ancient-changes' beyond ten update managers", () => {
    const managers = Array.from({ length: 10 }, (_, i) =>
      entry(`m${i}`, { "f:data": { [`f:k${i}`]: {} } }, { time: `2026-01-01T00:00:${String(i).padStart(2, "0")}Z` }),
    );
    const data = Object.fromEntries(managers.map((_, i) => [`k${i}`, "v"]));
    const entries = updateManagedFields(cm(data, managers), cm({ ...data, k10: "v" }), {
      manager: "m10",
      operation: "Update",
      time: T2,
      apiVersion: "v1",
    });
    expect(entries).toHaveLength(10);
    const ancient = entries.find((e) => e.manager === "ancient-changes");
    expect(ancient?.fieldsV1).toEqual({ "f:data": { "f:k0": {}, "f:k1": {} } });
    expect(ancient?.time).toBe("2026-01-01T00:00:01Z");
    expect(entries.some((e) => e.manager === "m0" || e.manager === "m1")).toBe(false);
  });

  it("with operation Apply, records the entries of a forced apply of `next`", () => {
    const before = cm({ a: "1" }, [entry("x", { "f:data": { ".": {}, "f:a": {} } })]);
    const entries = updateManagedFields(
      before,
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "2" } },
      {
        manager: "applier",
        operation: "Apply",
        time: T2,
        apiVersion: "v1",
        ...(cms ? { schema: cms } : {}),
      },
    );
    expect(entries).toEqual([
      {
        manager: "applier",
        operation: "Apply",
        apiVersion: "v1",
        time: T2,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:a": {} } },
      },
      entry("x", { "f:data": {} }),
    ]);
  });

  it("managed fields: FieldsV1 round-trips through the field set", () => {
    const element = fc.oneof(
      fc.string({ maxLength: 4 }).map((s) => `f:${s}`),
      fc
        .dictionary(fc.constantFrom("name", "port", "uid"), fc.oneof(fc.string({ maxLength: 3 }), fc.integer()))
        .filter((d) => Object.keys(d).length > 0)
        .map((d) => `k:${JSON.stringify(Object.fromEntries(Object.entries(d).sort()))}`),
      fc.jsonValue({ maxDepth: 0 }).map((v) => `v:${JSON.stringify(v)}`),
      fc.nat(20).map((n) => `i:${n}`),
    );
    fc.assert(
      fc.property(fc.array(fc.array(element, { minLength: 1, maxLength: 4 }), { maxLength: 8 }), (paths) => {
        const set = new FieldSet();
        for (const p of paths) set.insert(p);
        const back = FieldSet.fromFieldsV1(set.toFieldsV1());
        expect(back.toFieldsV1()).toEqual(set.toFieldsV1());
        for (const p of paths) expect(back.has(p)).toBe(true);
      }),
    );
  });
});
