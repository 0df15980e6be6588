import { describe, expect, it } from "vitest";
import { defineResource } from "./descriptor.ts";
import { createResourceIndex } from "./resource-index.ts";

const widget = defineResource({
  group: "example.com",
  version: "v1",
  kind: "Widget",
  plural: "widgets",
  namespaced: true,
  shortNames: ["wd"],
});
const processedWidget = defineResource({
  group: "example.com",
  version: "v1",
  kind: "Widget",
  plural: "processedwidgets",
  singular: "processedwidget",
  namespaced: true,
  verbs: ["create"],
});
const legacyWidget = defineResource({
  group: "",
  version: "v1",
  kind: "Widget",
  plural: "widgets",
  namespaced: true,
  apiPath: "/oapi/v1",
  shortNames: ["wd"],
});
const coreThing = defineResource({ group: "", version: "v1", kind: "Thing", plural: "things", namespaced: false });

describe("createResourceIndex()", () => {
  it("prefers the resource whose plural is the kind's own when several serve one kind", () => {
    const index = createResourceIndex({ a: [processedWidget, widget] });
    expect(index.byKind("example.com/v1", "Widget")).toBe(widget);
    expect(index.byApiPath("/apis/example.com/v1", "processedwidgets")).toBe(processedWidget);
  });

  it("keeps legacy /oapi/v1 kinds apart from core v1 kinds", () => {
    const index = createResourceIndex({ core: [coreThing], legacy: [legacyWidget] });
    expect(index.byKind("v1", "Thing")).toBe(coreThing);
    expect(index.byKind("v1", "Widget")).toBe(legacyWidget);
    expect(index.byKind("v1", "Thing", { legacy: true })).toBe(coreThing);
    expect(index.byPlural("", "v1", "widgets")).toBeUndefined();
    expect(index.byApiPath("/oapi/v1", "widgets")).toBe(legacyWidget);
  });

  it("lists every descriptor with a short name, in source order, and tells each one's source", () => {
    const index = createResourceIndex({ first: [widget], second: [legacyWidget] });
    expect(index.byShortName("wd")).toEqual([widget, legacyWidget]);
    expect(index.all).toEqual([widget, legacyWidget]);
    expect(index.sourceOf(legacyWidget)).toBe("second");
    expect(index.sourceOf(coreThing)).toBeUndefined();
  });
});
