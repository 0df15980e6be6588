import { describe, expect, it } from "vitest";
import type { ResourceDescriptor } from "./descriptor.ts";
import { Deployment } from "./generated/apps/v1.ts";
import { DeploymentConfig } from "./generated/apps.openshift.io/v1.ts";
import {
  catalog,
  kubernetesResources,
  legacyOpenshiftResources,
  openshiftResources,
  resources,
} from "./generated/catalog.ts";
import { Pod } from "./generated/core/v1.ts";
import { Event as EventsV1Event } from "./generated/events.k8s.io/v1.ts";
import { DeploymentConfig as LegacyDeploymentConfig } from "./generated/oapi/v1.ts";
import { Route } from "./generated/route.openshift.io/v1.ts";
import { ProcessedTemplate, Template } from "./generated/template.openshift.io/v1.ts";

describe("@kubeshift/types/catalog", () => {
  it("holds every generated descriptor once, as the same objects the modules export", () => {
    expect(resources.length).toBe(
      kubernetesResources.length + openshiftResources.length + legacyOpenshiftResources.length,
    );
    const keys = resources.map((r) => `${r.apiPath} ${r.plural}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(resources).toContain(Pod);
    expect(resources).toContain(Route);
    expect(resources).toContain(LegacyDeploymentConfig);
  });

  it("separates the three sources by URL prefix", () => {
    const isK8s = (r: ResourceDescriptor): boolean => r.apiPath === "/api/v1" || !/openshift\.io\//.test(r.apiPath);
    expect(kubernetesResources.every((r) => isK8s(r) && !r.apiPath.startsWith("/oapi/"))).toBe(true);
    expect(openshiftResources.every((r) => /^\/apis\/[^/]+\.openshift\.io\//.test(r.apiPath))).toBe(true);
    expect(legacyOpenshiftResources.every((r) => r.apiPath === "/oapi/v1" && r.apiVersion === "v1")).toBe(true);
    expect(catalog.sourceOf(Pod)).toBe("kubernetes");
    expect(catalog.sourceOf(Route)).toBe("openshift");
    expect(catalog.sourceOf(LegacyDeploymentConfig)).toBe("openshift-legacy");
  });

  it("looks descriptors up by apiVersion and kind, core before legacy unless asked", () => {
    expect(catalog.byKind("apps/v1", "Deployment")).toBe(Deployment);
    expect(catalog.byKind("events.k8s.io/v1", "Event")).toBe(EventsV1Event);
    expect(catalog.byKind("apps.openshift.io/v1", "DeploymentConfig")).toBe(DeploymentConfig);
    // DeploymentConfig has no core v1 kind, so apiVersion v1 finds the legacy one either way.
    expect(catalog.byKind("v1", "DeploymentConfig")).toBe(LegacyDeploymentConfig);
    expect(catalog.byKind("v1", "Pod", { legacy: true })).toBe(Pod);
    expect(catalog.byKind("template.openshift.io/v1", "Template")).toBe(Template);
    expect(catalog.byKind("nope/v1", "Pod")).toBeUndefined();
  });

  it("looks descriptors up by group/version/plural, by URL prefix and by short name", () => {
    expect(catalog.byPlural("", "v1", "pods")).toBe(Pod);
    expect(catalog.byPlural("apps", "v1", "deployments")).toBe(Deployment);
    expect(catalog.byApiPath("/oapi/v1", "deploymentconfigs")).toBe(LegacyDeploymentConfig);
    expect(catalog.byApiPath("/apis/template.openshift.io/v1", "processedtemplates")).toBe(ProcessedTemplate);
    expect(catalog.byShortName("po")).toEqual([Pod]);
    expect(catalog.byShortName("dc")).toEqual(expect.arrayContaining([DeploymentConfig, LegacyDeploymentConfig]));
    expect(catalog.byShortName("no-such-short-name")).toEqual([]);
  });

  it("every descriptor is internally consistent", () => {
    for (const r of resources) {
      expect(r.apiVersion).toBe(r.group === "" ? r.version : `${r.group}/${r.version}`);
      expect(r.plural).toMatch(/^[a-z0-9]+$/);
      expect(r.verbs.length).toBeGreaterThan(0);
      expect([...r.verbs].sort()).toEqual(r.verbs);
      if (r.apiPath.startsWith("/apis/")) expect(r.apiPath).toBe(`/apis/${r.group}/${r.version}`);
    }
  });
});
