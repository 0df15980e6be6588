import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { specPath } from "../../../../tools/shared-dir.ts";
import { createSchemaLookup, type SchemaLookup, type SchemaNode } from "./_schema.ts";
import { applyMergePatch } from "./merge-patch.ts";
import { PatchError } from "./patch-error.ts";
import { applyStrategicMergePatch } from "./strategic-merge-patch.ts";

type Definitions = Record<string, SchemaNode>;
let core: Definitions;
let apps: Definitions;
let policy: Definitions;

function schemaOf(defs: Definitions, name: string): SchemaLookup {
  const lookup = createSchemaLookup(defs, name);
  if (lookup === undefined) throw new Error(`${name} is not in the spec`);
  return lookup;
}

function load(file: string): Definitions {
  const doc = JSON.parse(readFileSync(specPath(`kubernetes/v1.34/openapi-v3/${file}`), "utf8"));
  return doc.components.schemas as Definitions;
}

beforeAll(() => {
  core = load("api__v1_openapi.json");
  apps = load("apis__apps__v1_openapi.json");
  policy = load("apis__policy__v1_openapi.json");
});

function failure(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error("expected a PatchError");
}

const pod = () => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", finalizers: ["a", "b"], labels: { app: "x" } },
  spec: {
    containers: [
      { name: "web", image: "nginx:1", ports: [{ containerPort: 80, protocol: "TCP" }] },
      { name: "sidecar", image: "busybox", args: ["sleep", "1"] },
    ],
    volumes: [{ name: "data", emptyDir: {} }],
    tolerations: [{ key: "a", operator: "Exists" }],
  },
});

describe("applyStrategicMergePatch with the Kubernetes schema", () => {
  it("merges containers by name, keeps unpatched ones, and orders new ones after the patched ones", () => {
    const schema = schemaOf(core, "io.k8s.api.core.v1.Pod");
    const out = applyStrategicMergePatch(
      pod(),
      {
        spec: {
          containers: [
            { name: "web", image: "nginx:2" },
            { name: "extra", image: "e" },
          ],
        },
      },
      { schema },
    ) as ReturnType<typeof pod>;
    expect(out.spec.containers.map((c) => c.name)).toEqual(["web", "extra", "sidecar"]);
    expect(out.spec.containers[0]).toEqual({
      name: "web",
      image: "nginx:2",
      ports: [{ containerPort: 80, protocol: "TCP" }],
    });
  });

  it("replaces lists without a merge strategy (tolerations, args) and unions sets of scalars (finalizers)", () => {
    const schema = schemaOf(core, "io.k8s.api.core.v1.Pod");
    const out = applyStrategicMergePatch(
      pod(),
      {
        metadata: { finalizers: ["c", "a"] },
        spec: { tolerations: [{ key: "b", operator: "Exists" }], containers: [{ name: "sidecar", args: ["x"] }] },
      },
      { schema },
    ) as ReturnType<typeof pod>;
    expect(out.metadata.finalizers).toEqual(["c", "a", "b"]);
    expect(out.spec.tolerations).toEqual([{ key: "b", operator: "Exists" }]);
    expect(out.spec.containers[1]?.args).toEqual(["x"]);
  });

  it("honours $patch: delete and $patch: replace in list items and maps", () => {
    const schema = schemaOf(core, "io.k8s.api.core.v1.Pod");
    const deleted = applyStrategicMergePatch(
      pod(),
      { spec: { containers: [{ name: "sidecar", $patch: "delete" }] } },
      { schema },
    ) as ReturnType<typeof pod>;
    expect(deleted.spec.containers.map((c) => c.name)).toEqual(["web"]);
    const replaced = applyStrategicMergePatch(
      pod(),
      { spec: { containers: [{ name: "only", image: "i" }, { $patch: "replace" }] } },
      { schema },
    ) as ReturnType<typeof pod>;
    expect(replaced.spec.containers).toEqual([{ name: "only", image: "i" }]);
    const labels = applyStrategicMergePatch(
      pod(),
      { metadata: { labels: { $patch: "replace", fresh: "1" } } },
      { schema },
    ) as ReturnType<typeof pod>;
    expect(labels.metadata.labels).toEqual({ fresh: "1" });
    const gone = applyStrategicMergePatch(
      pod(),
      { metadata: { labels: { $patch: "delete" } } },
      { schema },
    ) as ReturnType<typeof pod>;
    expect(gone.metadata.labels).toEqual({});
  });

  it("removes scalars listed in $deleteFromPrimitiveList/<field>", () => {
    const schema = schemaOf(core, "io.k8s.api.core.v1.Pod");
    const out = applyStrategicMergePatch(
      pod(),
      { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } },
      { schema },
    ) as ReturnType<typeof pod>;
    expect(out.metadata.finalizers).toEqual(["b"]);
    const missing = applyStrategicMergePatch(
      { metadata: { name: "p" } },
      { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } },
      { schema },
    );
    expect(missing).toEqual({ metadata: { name: "p" } });
  });

  it("orders a merged list by $setElementOrder/<field>, then keeps server-only items in their place", () => {
    const schema = schemaOf(core, "io.k8s.api.core.v1.Pod");
    const out = applyStrategicMergePatch(
      pod(),
      {
        spec: {
          "$setElementOrder/containers": [{ name: "sidecar" }, { name: "web" }],
          containers: [{ name: "web", image: "nginx:3" }],
        },
      },
      { schema },
    ) as ReturnType<typeof pod>;
    expect(out.spec.containers.map((c) => `${c.name}:${c.image}`)).toEqual(["sidecar:busybox", "web:nginx:3"]);
    expect(JSON.stringify(out)).not.toContain("$setElementOrder");
  });

  it("clears keys missing from $retainKeys (switching a deployment to Recreate drops rollingUpdate)", () => {
    const schema = schemaOf(apps, "io.k8s.api.apps.v1.Deployment");
    const deployment = {
      spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%" } }, replicas: 1 },
    };
    const out = applyStrategicMergePatch(
      deployment,
      { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } },
      { schema },
    );
    expect(out).toEqual({ spec: { strategy: { type: "Recreate" }, replicas: 1 } });
    const bad = failure(() =>
      applyStrategicMergePatch(
        deployment,
        { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: {} } } },
        { schema },
      ),
    );
    expect(bad.status).toBe(400);
    expect(bad.message).toBe("invalid patch format of retainKeys");
    expect(
      failure(() => applyStrategicMergePatch(deployment, { spec: { strategy: { $retainKeys: "type" } } }, { schema }))
        .message,
    ).toBe("invalid patch format of retainKeys");
  });

  it("replaces maps whose field has the replace strategy (PodDisruptionBudget selector)", () => {
    const schema = schemaOf(policy, "io.k8s.api.policy.v1.PodDisruptionBudget");
    const pdb = { spec: { selector: { matchLabels: { a: "1" } }, minAvailable: 1 } };
    const out = applyStrategicMergePatch(pdb, { spec: { selector: { matchLabels: { b: "2" } } } }, { schema });
    expect(out).toEqual({ spec: { selector: { matchLabels: { b: "2" } }, minAvailable: 1 } });
  });

  it("deletes with null, ignores nulls for missing keys, and drops nulls inside new values", () => {
    const schema = schemaOf(core, "io.k8s.api.core.v1.Pod");
    const out = applyStrategicMergePatch(
      { metadata: { labels: { a: "1", b: "2" } } },
      { metadata: { labels: { a: null, z: null }, annotations: { x: "1", y: null } } },
      { schema },
    );
    expect(out).toEqual({ metadata: { labels: { b: "2" }, annotations: { x: "1" } } });
  });

  it("words errors as the server does: 500 for an unknown directive or a missing merge key, 400 for a non-object patch", () => {
    const schema = schemaOf(core, "io.k8s.api.core.v1.Pod");
    const directive = failure(() =>
      applyStrategicMergePatch(pod(), { metadata: { labels: { $patch: "frob", a: 1 } } }, { schema }),
    );
    expect(directive.status).toBe(500);
    expect(directive.reason).toBe("");
    expect(directive.message).toBe("unknown patch type: frob in map: map[$patch:frob a:1]");
    const noKey = failure(() =>
      applyStrategicMergePatch(pod(), { spec: { containers: [{ image: "x" }] } }, { schema }),
    );
    expect(noKey.status).toBe(500);
    expect(noKey.message).toBe("map: map[image:x] does not contain declared merge key: name");
    const listMerge = failure(() =>
      applyStrategicMergePatch(pod(), { spec: { containers: [{ $patch: "merge" }] } }, { schema }),
    );
    expect(listMerge.message).toBe("merging lists cannot yet be specified in the patch");
    const array = failure(() => applyStrategicMergePatch(pod(), [1], { schema }));
    expect(array.status).toBe(400);
    expect(array.message).toBe("json: cannot unmarshal array into Go value of type map[string]interface {}");
    const order = failure(() =>
      applyStrategicMergePatch(pod(), { spec: { "$setElementOrder/containers": "web" } }, { schema }),
    );
    expect(order.status).toBe(500);
    expect(order.message).toBe("expected a []interface {}, but received a string");
  });

  it("never mutates its inputs", () => {
    const schema = schemaOf(core, "io.k8s.api.core.v1.Pod");
    const doc = pod();
    const patch = {
      spec: {
        containers: [
          { name: "web", image: "n" },
          { name: "sidecar", $patch: "delete" },
        ],
      },
    };
    const d = structuredClone(doc);
    const p = structuredClone(patch);
    applyStrategicMergePatch(doc, patch, { schema });
    expect(doc).toEqual(d);
    expect(patch).toEqual(p);
  });
});

describe("applyStrategicMergePatch on nasty input", () => {
  it("strategic merge patch: any JSON patch either applies or fails with a PatchError, never anything else", () => {
    const schema = schemaOf(core, "io.k8s.api.core.v1.Pod");
    const key = fc.oneof(
      fc.constantFrom(
        "spec",
        "metadata",
        "containers",
        "name",
        "labels",
        "finalizers",
        "$patch",
        "$retainKeys",
        "$setElementOrder/containers",
        "$deleteFromPrimitiveList/finalizers",
        "image",
        "volumes",
      ),
      fc.string({ maxLength: 3 }),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.constantFrom("replace", "delete", "merge", "web", null, 1, true),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(key, tie("node"), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 3 }), (patch) => {
        try {
          applyStrategicMergePatch(pod(), patch, { schema });
        } catch (e) {
          expect(e).toBeInstanceOf(PatchError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("applyStrategicMergePatch without a schema (unknown types)", () => {
  it("merges maps, replaces lists and still applies map directives", () => {
    const doc = { spec: { items: [{ name: "a" }, { name: "b" }], nested: { x: 1, y: 2 } } };
    const out = applyStrategicMergePatch(
      doc,
      { spec: { items: [{ name: "c" }], nested: { y: null, z: 3 } } },
      { schema: undefined },
    );
    expect(out).toEqual({ spec: { items: [{ name: "c" }], nested: { x: 1, z: 3 } } });
    expect(applyStrategicMergePatch(doc, { spec: { nested: { $patch: "delete" } } }, { schema: undefined })).toEqual({
      spec: { items: [{ name: "a" }, { name: "b" }], nested: {} },
    });
  });

  it("strategic merge patch without a schema equals merge patch on directive-free object patches", () => {
    const key = fc.string({ maxLength: 3 }).filter((k) => !k.startsWith("$"));
    const leaf = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.integer(), { maxLength: 3 }),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.dictionary(key, tie("node"), { maxKeys: 3 })),
    })).node;
    const patchTree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.constant(null), fc.dictionary(key, tie("node"), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(
        fc.dictionary(key, tree, { maxKeys: 4 }),
        fc.dictionary(key, patchTree, { maxKeys: 4 }),
        (doc, patch) => {
          expect(applyStrategicMergePatch(doc, patch, { schema: undefined })).toEqual(applyMergePatch(doc, patch));
        },
      ),
      { numRuns: 300 },
    );
  });
});
