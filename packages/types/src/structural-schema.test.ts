import { describe, expect, it } from "vitest";
import { resources } from "./generated/catalog.ts";
import { definitionNameOf, fieldOf, listMergeStrategy, resolveNode, schema } from "./generated/schema.ts";
import type { SchemaNode } from "./structural-schema.ts";

function refsOf(node: SchemaNode, out: string[]): void {
  if (node.type === "ref") out.push(node.ref);
  else if (node.type === "array") refsOf(node.items, out);
  else if (node.type === "map") refsOf(node.values, out);
  else if (node.type === "oneOf") for (const n of node.of) refsOf(n, out);
  else if (node.type === "object") for (const n of Object.values(node.properties)) refsOf(n, out);
}

describe("@kubeshift/types/schema", () => {
  it("every reference names a definition of the schema", () => {
    const missing: string[] = [];
    for (const [name, node] of Object.entries(schema.definitions)) {
      const refs: string[] = [];
      refsOf(node, refs);
      for (const r of refs) if (!(r in schema.definitions)) missing.push(`${name} → ${r}`);
    }
    expect(missing).toEqual([]);
    expect(Object.keys(schema.definitions).length).toBeGreaterThan(2000);
  });

  it("maps apiVersion and kind to definitions, legacy /oapi/v1 kinds apart", () => {
    expect(definitionNameOf(schema, "apps/v1", "Deployment")).toBe("io.k8s.api.apps.v1.Deployment");
    expect(definitionNameOf(schema, "v1", "Pod")).toBe("io.k8s.api.core.v1.Pod");
    expect(definitionNameOf(schema, "route.openshift.io/v1", "Route")).toBe("com.github.openshift.api.route.v1.Route");
    expect(definitionNameOf(schema, "v1", "DeploymentConfig")).toBe("oapi.v1.DeploymentConfig");
    expect(definitionNameOf(schema, "v1", "Route", { legacy: true })).toBe("oapi.v1.Route");
    expect(definitionNameOf(schema, "autoscaling/v1", "Scale")).toBe("io.k8s.api.autoscaling.v1.Scale");
    expect(definitionNameOf(schema, "policy/v1", "Eviction")).toBe("io.k8s.api.policy.v1.Eviction");
    expect(definitionNameOf(schema, "v1", "Status")).toBe("io.k8s.apimachinery.pkg.apis.meta.v1.Status");
    expect(definitionNameOf(schema, "example.com/v1", "Widget")).toBeUndefined();
  });

  it("has a definition for the kind of every descriptor that is typed", () => {
    const missing = resources
      .filter((r) => definitionNameOf(schema, r.apiVersion, r.kind, { legacy: r.apiPath === "/oapi/v1" }) === undefined)
      .map((r) => `${r.apiPath} ${r.kind}`);
    // oauth.openshift.io serves authentication.k8s.io's TokenReview: its schema is that group's.
    expect(missing).toEqual(["/apis/oauth.openshift.io/v1 TokenReview"]);
  });

  it("carries the strategic-merge and apply extensions (PodSpec.containers, volumes)", () => {
    const containers = fieldOf(schema, "io.k8s.api.core.v1.PodSpec", "containers");
    expect(containers).toMatchObject({
      type: "array",
      listType: "map",
      listMapKeys: ["name"],
      patchStrategy: "merge",
      patchMergeKey: "name",
    });
    expect(containers && listMergeStrategy(containers)).toEqual({ strategy: "merge", key: "name", retainKeys: false });
    const volumes = fieldOf(schema, "io.k8s.api.core.v1.PodSpec", "volumes");
    expect(volumes && listMergeStrategy(volumes)).toEqual({ strategy: "merge", key: "name", retainKeys: true });
    const args = fieldOf(schema, "io.k8s.api.core.v1.Container", "args");
    expect(args).toMatchObject({ type: "array", listType: "atomic", items: { type: "string" } });
    expect(args && listMergeStrategy(args)).toEqual({ strategy: "replace", retainKeys: false });
    expect(resolveNode(schema, "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")).toMatchObject({
      mapType: "atomic",
    });
  });

  it("types special scalars: int-or-string, quantity, date-time, byte", () => {
    expect(resolveNode(schema, "io.k8s.apimachinery.pkg.util.intstr.IntOrString")).toEqual({ type: "int-or-string" });
    expect(resolveNode(schema, "io.k8s.apimachinery.pkg.api.resource.Quantity")).toEqual({ type: "quantity" });
    expect(resolveNode(schema, "io.k8s.apimachinery.pkg.apis.meta.v1.Time")).toEqual({
      type: "string",
      format: "date-time",
    });
    expect(fieldOf(schema, "io.k8s.api.core.v1.Secret", "data")).toMatchObject({
      type: "map",
      values: { type: "string", format: "byte" },
    });
    expect(fieldOf(schema, "io.k8s.api.core.v1.ResourceRequirements", "limits")).toMatchObject({
      type: "map",
      values: { type: "ref", ref: "io.k8s.apimachinery.pkg.api.resource.Quantity" },
    });
  });

  it("lists required fields and lets a field's own extensions win over its definition's", () => {
    expect(resolveNode(schema, "io.k8s.api.core.v1.Container")).toMatchObject({ required: ["name"] });
    const selector = fieldOf(schema, "io.k8s.api.apps.v1.DeploymentSpec", "selector");
    expect(selector?.type).toBe("ref");
    expect(selector && resolveNode(schema, selector)).toMatchObject({ type: "object", mapType: "atomic" });
    expect(fieldOf(schema, "io.k8s.api.core.v1.PodSpec", "nope")).toBeUndefined();
    expect(() => resolveNode(schema, "no.such.Definition")).toThrow(RangeError);
  });
});
