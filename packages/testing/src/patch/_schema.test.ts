import { schema as typesSchema } from "@kubeshift/types/schema";
import { describe, expect, it } from "vitest";
import { createSchemaLookup, itemsOf, patchMetaOf, propertyOf, resolveNode, schemaLookupForKind } from "./_schema.ts";

describe("schema lookups", () => {
  it("finds built-in, OpenShift and legacy /oapi/v1 kinds in @kubeshift/types' schema, and nothing for custom resources", () => {
    const pod = schemaLookupForKind(typesSchema, "v1", "Pod");
    expect(pod).toBeDefined();
    const spec = propertyOf(pod as NonNullable<typeof pod>, pod?.root, "spec");
    const containers = propertyOf(pod as NonNullable<typeof pod>, spec.node, "containers");
    expect(containers.declared).toBe(true);
    expect(patchMetaOf(containers.node)).toEqual({ strategies: ["merge"], mergeKey: "name" });
    expect(
      resolveNode(pod as NonNullable<typeof pod>, itemsOf(pod as NonNullable<typeof pod>, containers.node))?.properties
        ?.image,
    ).toBeDefined();
    expect(schemaLookupForKind(typesSchema, "route.openshift.io/v1", "Route")).toBeDefined();
    expect(schemaLookupForKind(typesSchema, "v1", "DeploymentConfig", { legacy: true })).toBeDefined();
    expect(schemaLookupForKind(typesSchema, "example.com/v1", "Widget")).toBeUndefined();
  });

  it("keeps the patch strategy written on a property over the referenced definition's", () => {
    const deployment = schemaLookupForKind(typesSchema, "apps/v1", "Deployment");
    if (deployment === undefined) throw new Error("Deployment missing from @kubeshift/types' schema");
    const spec = propertyOf(deployment, deployment.root, "spec").node;
    const strategy = propertyOf(deployment, spec, "strategy").node;
    expect(patchMetaOf(resolveNode(deployment, strategy)).strategies).toEqual(["retainKeys"]);
  });

  it("reads additionalProperties for map keys, and answers undefined for an unknown root", () => {
    const defs = {
      M: { type: "object", properties: { labels: { type: "object", additionalProperties: { type: "string" } } } },
    };
    const lookup = createSchemaLookup(defs, "M");
    if (lookup === undefined) throw new Error("lookup");
    const labels = propertyOf(lookup, lookup.root, "labels");
    expect(propertyOf(lookup, labels.node, "anything")).toEqual({ node: { type: "string" }, declared: false });
    expect(createSchemaLookup(defs, "Nope")).toBeUndefined();
  });
});
