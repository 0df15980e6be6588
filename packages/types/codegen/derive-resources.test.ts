import { describe, expect, it } from "vitest";
import { deriveResources, parseResourcePath } from "./derive-resources.ts";
import type { ApiModel, Operation } from "./model.ts";

describe("parseResourcePath()", () => {
  it.each([
    [
      "/api/v1/namespaces/{namespace}/pods",
      { apiPath: "/api/v1", namespaced: true, plural: "pods", shape: "collection" },
    ],
    ["/api/v1/pods", { apiPath: "/api/v1", namespaced: false, plural: "pods", shape: "collection" }],
    ["/api/v1/namespaces/{name}", { apiPath: "/api/v1", namespaced: false, plural: "namespaces", shape: "item" }],
    ["/api/v1/namespaces/{name}/finalize", { plural: "namespaces", shape: "subresource", subresource: "finalize" }],
    ["/api/v1/nodes/{name}/proxy/{path}", { plural: "nodes", shape: "subresource", subresource: "proxy" }],
    [
      "/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}",
      { group: "apps", version: "v1", watch: true, namespaced: true, shape: "item" },
    ],
    [
      "/oapi/v1/namespaces/{namespace}/buildconfigs/{name}/webhooks/{path}",
      { apiPath: "/oapi/v1", group: "", subresource: "webhooks" },
    ],
  ])("%s", (path, expected) => {
    expect(parseResourcePath(path)).toMatchObject(expected);
  });

  it("ignores paths that are not resources", () => {
    for (const p of [
      "/api/",
      "/apis/apps/",
      "/apis/apps/v1/",
      "/version/",
      "/openid/v1/jwks/",
      "/apis/{group}/{version}/x",
    ]) {
      expect(parseResourcePath(p), p).toBeUndefined();
    }
  });
});

describe("deriveResources()", () => {
  const op = (path: string, method: Operation["method"], extra: Partial<Operation> = {}): Operation => ({
    path,
    method,
    ...extra,
  });
  const model = (operations: Operation[]): ApiModel => ({ source: "test", definitions: new Map(), operations });

  it("derives verbs from methods and path shapes, scope from namespaced paths, and kinds from bodies when there is no GVK", () => {
    const [widgets] = deriveResources(
      model([
        op("/apis/example.com/v1/namespaces/{namespace}/widgets", "get", { responseRef: "com.example.v1.WidgetList" }),
        op("/apis/example.com/v1/namespaces/{namespace}/widgets", "post", { bodyRef: "com.example.v1.Widget" }),
        op("/apis/example.com/v1/namespaces/{namespace}/widgets", "delete"),
        op("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}", "get", {
          responseRef: "com.example.v1.Widget",
        }),
        op("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}", "put"),
        op("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}", "patch"),
        op("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}", "delete"),
        op("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status", "get"),
        op("/apis/example.com/v1/watch/widgets", "get"),
        op("/apis/example.com/v1/widgets", "get"),
      ]),
    );
    expect(widgets).toEqual({
      group: "example.com",
      version: "v1",
      kind: "Widget",
      plural: "widgets",
      namespaced: true,
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      subresources: ["status"],
      definition: "com.example.v1.Widget",
      listDefinition: "com.example.v1.WidgetList",
      listKind: "WidgetList",
      apiPath: "/apis/example.com/v1",
    });
  });

  it("prefers x-kubernetes-group-version-kind, and skips paths that only have subresources or watches", () => {
    const resources = deriveResources(
      model([
        op("/apis/x.io/v1/things", "post", { gvk: { group: "x.io", version: "v1", kind: "Thing" }, bodyRef: "Other" }),
        op("/apis/x.io/v1/ghosts/{name}/status", "get"),
        op("/apis/x.io/v1/watch/spirits", "get"),
      ]),
    );
    expect(resources.map((r) => [r.plural, r.kind, r.verbs])).toEqual([["things", "Thing", ["create"]]]);
  });
});
