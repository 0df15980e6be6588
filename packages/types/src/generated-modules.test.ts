import { describe, expect, expectTypeOf, it } from "vitest";
import type { ListOf, ObjectOf, ResourceDescriptor } from "./descriptor.ts";
import { CustomResourceDefinition, type JSONSchemaProps } from "./generated/apiextensions.k8s.io/v1.ts";
import * as appsV1 from "./generated/apps/v1.ts";
import { Deployment, type DeploymentList, type DeploymentSpec } from "./generated/apps/v1.ts";
import type { TokenReview } from "./generated/authentication.k8s.io/v1.ts";
import { ClusterVersion } from "./generated/config.openshift.io/v1.ts";
import {
  ConfigMap,
  type Container,
  type ContainerPort,
  Pod,
  type PodList,
  type PodSpec,
  type PodTemplateSpec,
  type ResourceRequirements,
  Secret,
} from "./generated/core/v1.ts";
import type {
  APIResourceList,
  IntOrString,
  ObjectMeta,
  Quantity,
  Status,
  Table,
  Time,
  WatchEvent,
} from "./generated/meta/v1.ts";
import * as oapiV1 from "./generated/oapi/v1.ts";
import { TokenReview as OAuthTokenReview } from "./generated/oauth.openshift.io/v1.ts";
import { Route, type RouteList, type RouteSpec } from "./generated/route.openshift.io/v1.ts";
import { ProcessedTemplate, Template } from "./generated/template.openshift.io/v1.ts";

describe("generated Kubernetes modules", () => {
  it("Pod is both the interface and a descriptor carrying Pod and PodList", () => {
    expectTypeOf(Pod).toEqualTypeOf<ResourceDescriptor<Pod, PodList>>();
    expectTypeOf<ObjectOf<typeof Pod>>().toEqualTypeOf<Pod>();
    expectTypeOf<ListOf<typeof Pod>>().toEqualTypeOf<PodList>();
    expectTypeOf<PodList["items"]>().toEqualTypeOf<Pod[]>();
    expect(Pod).toEqual({
      apiVersion: "v1",
      group: "",
      version: "v1",
      kind: "Pod",
      plural: "pods",
      singular: "pod",
      namespaced: true,
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      subresources: [
        "attach",
        "binding",
        "ephemeralcontainers",
        "eviction",
        "exec",
        "log",
        "portforward",
        "proxy",
        "resize",
        "status",
      ],
      listKind: "PodList",
      shortNames: ["po"],
      categories: ["all"],
      apiPath: "/api/v1",
    });
  });

  it("required fields are required and optional fields optional", () => {
    expectTypeOf<Container["name"]>().toEqualTypeOf<string>();
    expectTypeOf<PodSpec["containers"]>().toEqualTypeOf<Container[]>();
    expectTypeOf<ContainerPort["containerPort"]>().toEqualTypeOf<number>();
    expectTypeOf<DeploymentSpec["selector"]>().not.toEqualTypeOf<undefined>();
    // @ts-expect-error a PodSpec needs containers
    const missing: PodSpec = {};
    expect(missing).toEqual({});
    const ok: PodSpec = { containers: [{ name: "web", image: "nginx" }] };
    expect(ok.containers[0]?.name).toBe("web");
    // @ts-expect-error a Container needs its name
    const nameless: Container = { image: "nginx" };
    expect(nameless.image).toBe("nginx");
  });

  it("apiVersion and kind of a kind are literal types", () => {
    expectTypeOf<NonNullable<Deployment["apiVersion"]>>().toEqualTypeOf<"apps/v1">();
    expectTypeOf<NonNullable<Deployment["kind"]>>().toEqualTypeOf<"Deployment">();
    expectTypeOf<NonNullable<DeploymentList["kind"]>>().toEqualTypeOf<"DeploymentList">();
    // @ts-expect-error a Deployment is not a StatefulSet
    const wrong: Deployment = { kind: "StatefulSet" };
    expect(wrong.kind).toBe("StatefulSet");
  });

  it("special formats are the wire types: IntOrString, Quantity and times", () => {
    expectTypeOf<IntOrString>().toEqualTypeOf<number | string>();
    expectTypeOf<Quantity>().toEqualTypeOf<string>();
    expectTypeOf<Time>().toEqualTypeOf<string>();
    expectTypeOf<ObjectMeta["creationTimestamp"]>().toEqualTypeOf<string | undefined>();
    const port: ContainerPort = { containerPort: 80 };
    const strategy: NonNullable<DeploymentSpec["strategy"]> = { rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } };
    const limits: ResourceRequirements = { limits: { cpu: "500m", memory: "1Gi" } };
    expect([port.containerPort, strategy.rollingUpdate?.maxSurge, limits.limits?.cpu]).toEqual([80, "25%", "500m"]);
  });

  it("metav1 types live in meta/v1, including the ones the served spec lacks (Table, PartialObjectMetadata)", () => {
    expectTypeOf<Status["code"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WatchEvent["type"]>().toEqualTypeOf<string>();
    expectTypeOf<Table["rows"][number]["cells"]>().toEqualTypeOf<unknown[]>();
    expectTypeOf<APIResourceList["resources"][number]["verbs"]>().toEqualTypeOf<string[]>();
  });

  it("apiextensions JSONSchemaProps keeps its union-typed fields", () => {
    expectTypeOf<JSONSchemaProps["additionalProperties"]>().toEqualTypeOf<JSONSchemaProps | boolean | undefined>();
    expectTypeOf<JSONSchemaProps["items"]>().toEqualTypeOf<JSONSchemaProps | JSONSchemaProps[] | undefined>();
    expect(CustomResourceDefinition.shortNames).toEqual(["crd", "crds"]);
  });

  it("every export of a module that is a descriptor is a plain, complete object literal", () => {
    const descriptors = Object.values(appsV1).filter((v) => typeof v === "object") as ResourceDescriptor[];
    expect(descriptors.map((d) => d.kind).sort()).toEqual([
      "ControllerRevision",
      "DaemonSet",
      "Deployment",
      "ReplicaSet",
      "StatefulSet",
    ]);
    for (const d of descriptors) {
      expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
      expect(d.apiPath).toBe("/apis/apps/v1");
      expect(d.listKind).toBe(`${d.kind}List`);
    }
    expect(Deployment.subresources).toEqual(["scale", "status"]);
    expect(ConfigMap.namespaced).toBe(true);
    expect(Secret.shortNames).toBeUndefined();
  });
});

describe("generated OpenShift modules", () => {
  it("Route carries Route and RouteList and IntOrString target ports", () => {
    expectTypeOf(Route).toEqualTypeOf<ResourceDescriptor<Route, RouteList>>();
    expectTypeOf<NonNullable<RouteSpec["port"]>["targetPort"]>().toEqualTypeOf<IntOrString>();
    expect(Route.apiPath).toBe("/apis/route.openshift.io/v1");
    expect(Route.categories).toEqual(["all"]);
    expect(Route.subresources).toEqual(["status"]);
  });

  it("a kind served under two resources gets two descriptors (templates, processedtemplates)", () => {
    expect(Template.plural).toBe("templates");
    expect(ProcessedTemplate.plural).toBe("processedtemplates");
    expect(ProcessedTemplate.kind).toBe("Template");
    expect(ProcessedTemplate.verbs).toEqual(["create"]);
    expectTypeOf<ObjectOf<typeof ProcessedTemplate>>().toEqualTypeOf<Template>();
  });

  it("a resource whose kind is another group's type imports it (oauth.openshift.io tokenreviews)", () => {
    expectTypeOf<ObjectOf<typeof OAuthTokenReview>>().toEqualTypeOf<TokenReview>();
    expect(OAuthTokenReview.apiVersion).toBe("oauth.openshift.io/v1");
    expect(OAuthTokenReview.verbs).toEqual(["create"]);
  });

  it("CRD-served groups have descriptors from the CRD manifests", () => {
    expect(ClusterVersion).toMatchObject({ plural: "clusterversions", namespaced: false, subresources: ["status"] });
  });

  it("legacy /oapi/v1 kinds share apiVersion v1 with core but live under /oapi/v1", () => {
    const dc = oapiV1.DeploymentConfig;
    expect(dc.apiVersion).toBe("v1");
    expect(dc.group).toBe("");
    expect(dc.apiPath).toBe("/oapi/v1");
    expect(dc.subresources).toEqual(["instantiate", "log", "rollback", "scale", "status"]);
    expect(dc.shortNames).toEqual(["dc"]);
    expectTypeOf<oapiV1.DeploymentConfig["spec"]["template"]>().toEqualTypeOf<PodTemplateSpec | undefined>();
    const descriptors = Object.values(oapiV1).filter((v) => typeof v === "object") as ResourceDescriptor[];
    expect(descriptors.length).toBeGreaterThan(40);
    for (const d of descriptors) expect(d.apiPath).toBe("/oapi/v1");
  });
});
