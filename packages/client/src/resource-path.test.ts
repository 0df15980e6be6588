import { defineResource } from "@kubeshift/types";
import { Pod } from "@kubeshift/types/core/v1";
import { describe, expect, it } from "vitest";
import { resourcePath } from "./resource-path.ts";

const Deployment = defineResource({
  group: "apps",
  version: "v1",
  kind: "Deployment",
  plural: "deployments",
  namespaced: true,
});
const Node = defineResource({ group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false });
const LegacyRoute = defineResource({
  group: "",
  version: "v1",
  kind: "Route",
  plural: "routes",
  namespaced: true,
  apiPath: "/oapi/v1",
});

describe("resourcePath()", () => {
  it("places core, group and legacy /oapi kinds under their apiPath", () => {
    expect(resourcePath(Pod, { namespace: "dev", name: "web" })).toBe("/api/v1/namespaces/dev/pods/web");
    expect(resourcePath(Deployment, { namespace: "dev", name: "web", subresource: "scale" })).toBe(
      "/apis/apps/v1/namespaces/dev/deployments/web/scale",
    );
    expect(resourcePath(LegacyRoute, { namespace: "p" })).toBe("/oapi/v1/namespaces/p/routes");
  });

  it("addresses the cluster-wide collection of a namespaced kind without a namespace", () => {
    expect(resourcePath(Pod)).toBe("/api/v1/pods");
  });

  it("ignores a namespace for cluster-scoped kinds", () => {
    expect(resourcePath(Node, { namespace: "dev", name: "n1" })).toBe("/api/v1/nodes/n1");
  });

  it("percent-encodes names (image signatures carry ':' and '@')", () => {
    expect(
      resourcePath(
        defineResource({
          group: "image.openshift.io",
          version: "v1",
          kind: "ImageSignature",
          plural: "imagesignatures",
          namespaced: false,
        }),
        {
          name: "sha256:abc@0123",
        },
      ),
    ).toBe("/apis/image.openshift.io/v1/imagesignatures/sha256%3Aabc%400123");
  });

  it.each([
    ["an empty name", { name: "" }],
    ["a name with a slash", { name: "a/b" }],
    ["a dot-dot name", { name: ".." }],
    ["a control character", { name: "a\nb" }],
    ["a subresource without a name", { subresource: "status" }],
    ["an empty namespace", { namespace: "" }],
  ])("rejects %s with a TypeError", (_what, options) => {
    expect(() => resourcePath(Pod, options)).toThrow(TypeError);
  });
});
