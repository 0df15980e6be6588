import { schema as typesSchema } from "@kubeshift/types/schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadOpenApiBundle } from "../openapi/openapi-bundle.ts";
import { type JsonObject, jsonClone } from "./_json.ts";
import { createSchemaLookup, type SchemaLookup, type SchemaNode, schemaLookupForKind } from "./_schema.ts";
import type { ManagedFieldsEntry } from "./managed-fields.ts";
import { PatchError } from "./patch-error.ts";
import { type ServerSideApplyOptions, serverSideApply } from "./server-side-apply.ts";

const cms = schemaLookupForKind(typesSchema, "v1", "ConfigMap");
const deployments = schemaLookupForKind(typesSchema, "apps/v1", "Deployment");
const T1 = "2026-01-01T00:00:00Z";
const T2 = "2026-01-01T00:05:00Z";

function opts(manager: string, extra: Partial<ServerSideApplyOptions> = {}): ServerSideApplyOptions {
  return { manager, force: false, time: T1, apiVersion: "v1", ...(cms ? { schema: cms } : {}), ...extra };
}

function cm(data: Record<string, string>, labels?: Record<string, string>): JsonObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", ...(labels ? { labels } : {}) }, data };
}

function fails(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error("expected a PatchError");
}

function managed(obj: object): ManagedFieldsEntry[] {
  return ((obj as JsonObject).metadata as { managedFields: ManagedFieldsEntry[] }).managedFields;
}

describe("serverSideApply", () => {
  it("creates the object and gives the applier exactly the applied fields", () => {
    const { object, managedFields, changed } = serverSideApply(undefined, cm({ k: "v" }, { a: "1" }), opts("a"));
    expect(changed).toBe(true);
    expect((object as JsonObject).data).toEqual({ k: "v" });
    expect(managedFields).toEqual([
      {
        manager: "a",
        operation: "Apply",
        apiVersion: "v1",
        time: T1,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:k": {} }, "f:metadata": { "f:labels": { "f:a": {} } } },
      },
    ]);
    expect(managed(object)).toEqual(managedFields);
  });

  it("shares ownership when two appliers set the same value (the no-op apply gets no time), and conflicts when one changes it", () => {
    const first = serverSideApply(undefined, cm({ k: "v" }), opts("a")).object;
    const shared = serverSideApply(first, cm({ k: "v" }), opts("b", { time: T2 }));
    expect(shared.changed).toBe(false);
    // Entries sort by time; an entry without one sorts first, as on the server.
    expect(shared.managedFields.map((e) => e.manager)).toEqual(["b", "a"]);
    expect(shared.managedFields[0]?.time).toBeUndefined();
    const e = fails(() => serverSideApply(shared.object, cm({ k: "w" }), opts("b")));
    expect(e.status).toBe(409);
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "a": .data.k');
  });

  it("words conflicts with update managers with their apiVersion, and lists several conflicts per manager", () => {
    const live = {
      ...cm({ x: "1", y: "2", z: "3" }),
      metadata: {
        name: "c",
        managedFields: [
          {
            manager: "kubectl-client-side-apply",
            operation: "Update",
            apiVersion: "v1",
            time: T1,
            fieldsType: "FieldsV1",
            fieldsV1: { "f:data": { "f:x": {}, "f:y": {} } },
          },
          {
            manager: "ctl",
            operation: "Update",
            apiVersion: "v1",
            time: T1,
            subresource: "status",
            fieldsType: "FieldsV1",
            fieldsV1: { "f:data": { "f:z": {} } },
          },
        ],
      },
    };
    const single = fails(() => serverSideApply(live, cm({ x: "9" }), opts("me")));
    expect(single.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.x',
    );
    expect(single.causes).toEqual([
      {
        reason: "FieldManagerConflict",
        message: 'conflict with "kubectl-client-side-apply" using v1',
        field: ".data.x",
      },
    ]);
    const several = fails(() => serverSideApply(live, cm({ x: "9", y: "9", z: "9" }), opts("me")));
    expect(several.message).toBe(
      'Apply failed with 3 conflicts: conflicts with "ctl" with subresource "status" using v1:\n- .data.z\nconflicts with "kubectl-client-side-apply" using v1:\n- .data.x\n- .data.y',
    );
    expect(several.causes?.map((c) => c.field)).toEqual([".data.z", ".data.x", ".data.y"]);
    expect(several.toStatus().details).toEqual({ causes: several.causes });
  });

  it("takes conflicting fields with force, leaving the old owner what it still owns", () => {
    const first = serverSideApply(undefined, cm({ k: "v", j: "1" }), opts("a")).object;
    const forced = serverSideApply(first, cm({ k: "w" }), opts("b", { force: true, time: T2 }));
    expect((forced.object as JsonObject).data).toEqual({ k: "w", j: "1" });
    expect(forced.managedFields.map((e) => [e.manager, e.fieldsV1, e.time])).toEqual([
      ["a", { "f:data": { "f:j": {} } }, T1],
      ["b", { "f:data": { "f:k": {} } }, T2],
    ]);
  });

  it("removes fields the applier stops applying unless another manager owns them", () => {
    let live = serverSideApply(undefined, cm({ mine: "1", both: "2" }, { l: "x" }), opts("a")).object;
    live = serverSideApply(live, cm({ both: "2" }), opts("b")).object;
    const next = serverSideApply(live, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }, opts("a"));
    expect((next.object as JsonObject).data).toEqual({ both: "2" });
    expect(((next.object as JsonObject).metadata as JsonObject).labels).toBeUndefined();
    expect(next.managedFields.map((e) => e.manager)).toEqual(["b"]);
    // Applying an empty map claims the map itself.
    const empty = serverSideApply(live, cm({}), opts("a"));
    expect(empty.managedFields.find((e) => e.manager === "a")?.fieldsV1).toEqual({ "f:data": {} });
  });

  it("merges map-keyed lists item by item and prunes the items an applier drops", () => {
    const apply = (containers: object[]) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d" },
      spec: { template: { spec: { containers } } },
    });
    const o = (manager: string): ServerSideApplyOptions => ({
      manager,
      force: false,
      time: T1,
      apiVersion: "apps/v1",
      ...(deployments ? { schema: deployments } : {}),
    });
    let live = serverSideApply(undefined, apply([{ name: "web", image: "nginx" }]), o("a")).object;
    live = serverSideApply(live, apply([{ name: "side", image: "busybox" }]), o("b")).object;
    const containers = (x: object) =>
      (x as { spec: { template: { spec: { containers: { name: string }[] } } } }).spec.template.spec.containers.map(
        (c) => c.name,
      );
    expect(containers(live)).toEqual(["web", "side"]);
    const fields = managed(live).map((e) => [e.manager, JSON.stringify(e.fieldsV1)]);
    expect(fields).toEqual([
      [
        "a",
        JSON.stringify({
          "f:spec": {
            "f:template": {
              "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } } },
            },
          },
        }),
      ],
      [
        "b",
        JSON.stringify({
          "f:spec": {
            "f:template": {
              "f:spec": { "f:containers": { 'k:{"name":"side"}': { ".": {}, "f:image": {}, "f:name": {} } } },
            },
          },
        }),
      ],
    ]);
    const dropped = serverSideApply(live, apply([]), o("a")).object;
    expect(containers(dropped)).toEqual(["side"]);
  });

  it("gives fields that existed before the first apply to 'before-first-apply'", () => {
    const live = cm({ k: "old" });
    const e = fails(() => serverSideApply(live, cm({ k: "new" }), opts("a")));
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.k');
    const ok = serverSideApply(live, cm({ k: "old", n: "1" }), opts("a"));
    expect(ok.managedFields.map((x) => [x.manager, x.operation])).toEqual([
      ["a", "Apply"],
      ["before-first-apply", "Update"],
    ]);
  });

  it("a map-list item that leaves out a key with a schema default is named by the default (ports[].protocol: TCP), so re-applying over the defaulted object changes nothing and the applier owns only what it applied", async () => {
    const v3 = (await loadOpenApiBundle()).v3["apis/apps/v1"]?.components?.schemas as Record<string, SchemaNode>;
    const schema = createSchemaLookup(v3, "io.k8s.api.apps.v1.Deployment") as SchemaLookup;
    const o: ServerSideApplyOptions = { manager: "a", force: false, time: T1, apiVersion: "apps/v1", schema };
    const config = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d" },
      spec: { template: { spec: { containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 80 }] }] } } },
    };
    const created = serverSideApply(undefined, config, o).object as JsonObject;
    const port = 'k:{"containerPort":80,"protocol":"TCP"}';
    const fields = managed(created)[0]?.fieldsV1 ?? {};
    const spec = (((fields["f:spec"] as JsonObject)["f:template"] as JsonObject)["f:spec"] as JsonObject) ?? {};
    // An Apply entry holds what the configuration sets: the key fields it left out are not the applier's.
    expect((spec["f:containers"] as JsonObject)['k:{"name":"web"}']).toEqual({
      ".": {},
      "f:image": {},
      "f:name": {},
      "f:ports": { [port]: { ".": {}, "f:containerPort": {} } },
    });
    // The server defaults the stored port, as kube-apiserver does after the apply.
    const live = jsonClone(created);
    const stored = (((live.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[];
    (stored[0]?.ports as JsonObject[])[0] = { containerPort: 80, protocol: "TCP" };
    const again = serverSideApply(live, config, { ...o, time: T2 });
    expect(again.changed).toBe(false);
    expect(again.object).toEqual(live);
    // Another applier that names the protocol shares the item instead of adding one.
    const explicit = jsonClone(config);
    (explicit.spec.template.spec.containers[0] as { ports: object[] }).ports = [{ containerPort: 80, protocol: "TCP" }];
    const shared = serverSideApply(live, explicit, { ...o, manager: "b" });
    const ports = ((shared.object as typeof config).spec.template.spec.containers[0] as { ports: object[] }).ports;
    expect(ports).toEqual([{ containerPort: 80, protocol: "TCP" }]);
  });

  it("a custom resource's schema default names a key the item leaves out, as for built-in kinds", () => {
    const schema: SchemaLookup = {
      root: {
        type: "object",
        properties: {
          apiVersion: { type: "string" },
          kind: { type: "string" },
          metadata: { type: "object" },
          spec: {
            type: "object",
            properties: {
              listeners: {
                type: "array",
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["port", "protocol"],
                items: {
                  type: "object",
                  required: ["port"],
                  properties: {
                    port: { type: "integer" },
                    protocol: { type: "string", default: "TCP" },
                    name: { type: "string" },
                  },
                },
              },
            },
          },
        },
      },
      resolve: () => undefined,
    };
    const o: ServerSideApplyOptions = { manager: "a", force: false, time: T1, apiVersion: "example.com/v1", schema };
    const cr = (listeners: object[]): JsonObject => ({
      apiVersion: "example.com/v1",
      kind: "Gateway",
      metadata: { name: "g" },
      spec: { listeners },
    });
    const first = serverSideApply(undefined, cr([{ port: 443, protocol: "TCP", name: "https" }]), o).object;
    const second = serverSideApply(first, cr([{ port: 443, name: "https" }]), { ...o, manager: "b", time: T2 });
    expect(((second.object as JsonObject).spec as JsonObject).listeners).toEqual([
      { port: 443, protocol: "TCP", name: "https" },
    ]);
    expect(second.changed).toBe(false);
    const b = second.managedFields.find((e) => e.manager === "b");
    expect(b?.fieldsV1).toEqual({
      "f:spec": {
        "f:listeners": { 'k:{"port":443,"protocol":"TCP"}': { ".": {}, "f:name": {}, "f:port": {} } },
      },
    });
    // A different protocol is a different item.
    const udp = serverSideApply(first, cr([{ port: 443, protocol: "UDP", name: "quic" }]), { ...o, manager: "c" });
    expect(((udp.object as JsonObject).spec as JsonObject).listeners).toHaveLength(2);
  });

  it("refuses configurations that set managedFields, use another apiVersion, or are not objects (400)", () => {
    const withManaged = { ...cm({}), metadata: { name: "c", managedFields: [] } };
    expect(fails(() => serverSideApply(undefined, withManaged, opts("a"))).message).toBe(
      "metadata.managedFields must be nil",
    );
    const wrong = fails(() => serverSideApply(undefined, { ...cm({}), apiVersion: "v2" }, opts("a")));
    expect(wrong.status).toBe(400);
    expect(wrong.message).toBe("Incorrect version specified in apply patch. Specified patch version: v2, expected: v1");
    const list = fails(() => serverSideApply(undefined, [] as unknown as object, opts("a")));
    expect(list.message).toBe(
      "error decoding YAML: json: cannot unmarshal array into Go value of type map[string]interface {}",
    );
  });

  it("server-side apply: any configuration of a deployment either applies or fails with a PatchError, and re-applying it is a no-op", () => {
    const key = fc.constantFrom(
      "spec",
      "template",
      "containers",
      "name",
      "image",
      "ports",
      "containerPort",
      "protocol",
      "replicas",
      "selector",
      "matchLabels",
      "x",
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.constantFrom("web", "TCP", 80, 1, null, true),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(key, tie("node"), { maxKeys: 3 }),
      ),
    })).node;
    const o: ServerSideApplyOptions = {
      manager: "m",
      force: false,
      time: T1,
      apiVersion: "apps/v1",
      ...(deployments ? { schema: deployments } : {}),
    };
    let applied = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 3 }), (body) => {
        const config = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, ...body };
        let first: ReturnType<typeof serverSideApply>;
        try {
          first = serverSideApply(undefined, config, o);
        } catch (e) {
          expect(e).toBeInstanceOf(PatchError);
          return;
        }
        const again = serverSideApply(first.object, config, { ...o, time: T2 });
        expect(again.changed).toBe(false);
        expect(again.object).toEqual(first.object);
        applied++;
      }),
      { numRuns: 300 },
    );
    // Most generated configurations are valid: the no-op property is really exercised.
    expect(applied).toBeGreaterThan(150);
  });

  it("server-side apply: re-applying the same configuration changes nothing", () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.string({ maxLength: 5 }), { maxKeys: 5 }),
        fc.dictionary(key, fc.string({ maxLength: 5 }), { maxKeys: 5 }),
        (first, second) => {
          const created = serverSideApply(undefined, cm(first), opts("a")).object;
          const live = serverSideApply(created, cm(second), opts("a", { time: T2 })).object;
          const snapshot = jsonClone(live);
          const again = serverSideApply(live, cm(second), opts("a", { time: "2030-01-01T00:00:00Z" }));
          expect(again.changed).toBe(false);
          expect(again.object).toEqual(snapshot);
          // What the applier no longer applies is gone; what it applies is there.
          expect((again.object as JsonObject).data ?? {}).toEqual(second);
          expect(live).toEqual(snapshot);
        },
      ),
    );
  });
});
