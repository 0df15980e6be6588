import { describe, expect, expectTypeOf, it } from "vitest";
import { defineResource, type ObjectOf, type ResourceDescriptor } from "./descriptor.ts";

interface Widget {
  apiVersion: "example.com/v1";
  kind: "Widget";
  spec: { size: number };
}

describe("defineResource()", () => {
  it("derives apiVersion, listKind and apiPath for a group resource", () => {
    const Widget = defineResource<Widget>({
      group: "example.com",
      version: "v1",
      kind: "Widget",
      plural: "widgets",
      namespaced: true,
    });
    expect(Widget.apiVersion).toBe("example.com/v1");
    expect(Widget.listKind).toBe("WidgetList");
    expect(Widget.apiPath).toBe("/apis/example.com/v1");
    expect(Object.isFrozen(Widget)).toBe(true);
    expectTypeOf<ObjectOf<typeof Widget>>().toEqualTypeOf<Widget>();
  });

  it("places core resources under /api/<version> and keeps an explicit apiPath (legacy /oapi/v1)", () => {
    const cm = defineResource({ group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true });
    expect(cm.apiPath).toBe("/api/v1");
    expect(cm.apiVersion).toBe("v1");
    const route = defineResource({
      group: "",
      version: "v1",
      kind: "Route",
      plural: "routes",
      namespaced: true,
      apiPath: "/oapi/v1",
    });
    expect(route.apiPath).toBe("/oapi/v1");
    expectTypeOf(route).toExtend<ResourceDescriptor>();
  });
});
