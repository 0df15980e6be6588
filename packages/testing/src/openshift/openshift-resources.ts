/**
 * The OpenShift resources the fake cluster serves: the `*.openshift.io/v1` groups of the API server (apps,
 * authorization, build, image, network, oauth, project, quota, route, security, template, user) from
 * `@kubeshift/types/catalog`, and the legacy `/oapi/v1` API of OpenShift 3.x with exactly the resources a 3.11 master
 * lists. A legacy kind shares its storage with its group's kind, so an object created through one API is read through
 * the other.
 *
 * @module
 */
import type { ResourceDescriptor } from "@kubeshift/types";
import { legacyOpenshiftResources, openshiftResources } from "@kubeshift/types/catalog";
import type { ResourceBehavior } from "../registry/resource-behavior.ts";
import { createServedResource, type ServedResource } from "../resources/served-resource.ts";
import { OAPI_V1_RESOURCES } from "./_oapi-v1-discovery.ts";

/** The API groups of an OpenShift master (not the operator groups of OpenShift 4). */
export const OPENSHIFT_API_GROUPS: readonly string[] = [
  "apps.openshift.io",
  "authorization.openshift.io",
  "build.openshift.io",
  "image.openshift.io",
  "network.openshift.io",
  "oauth.openshift.io",
  "project.openshift.io",
  "quota.openshift.io",
  "route.openshift.io",
  "security.openshift.io",
  "template.openshift.io",
  "user.openshift.io",
];

/** The group each legacy `/oapi/v1` resource is stored under (`routes` → `route.openshift.io`). */
export function legacyGroupOf(plural: string, kind: string): string | undefined {
  return openshiftResources.find(
    (d) => d.plural === plural && d.kind === kind && OPENSHIFT_API_GROUPS.includes(d.group),
  )?.group;
}

/**
 * Builds the served OpenShift resources.
 *
 * @param behaviors behaviours by `<group>/<plural>`; a legacy kind uses `oapi/<plural>` if present, else its group's
 * @returns the group resources, then the legacy ones
 */
export function openshiftServedResources(behaviors: ReadonlyMap<string, ResourceBehavior>): ServedResource[] {
  const out: ServedResource[] = [];
  for (const d of openshiftResources) {
    if (!OPENSHIFT_API_GROUPS.includes(d.group)) continue;
    out.push(createServedResource(d, behaviors.get(`${d.group}/${d.plural}`) ?? {}));
  }
  const legacyNames = new Set(OAPI_V1_RESOURCES.map((e) => e.name));
  for (const d of legacyOpenshiftResources) {
    if (!legacyNames.has(d.plural)) continue;
    const group = legacyGroupOf(d.plural, d.kind);
    const key = group === undefined ? `oapi/${d.plural}` : `${group}/${d.plural}`;
    // The 3.11 list is the truth for verbs and subresources (the generated descriptors come from an older origin).
    const subresources = OAPI_V1_RESOURCES.filter((e) => e.name.startsWith(`${d.plural}/`)).map(
      (e) => e.name.split("/")[1] as string,
    );
    const entry = OAPI_V1_RESOURCES.find((e) => e.name === d.plural);
    const descriptor: ResourceDescriptor = {
      ...d,
      subresources,
      ...(entry === undefined ? {} : { verbs: [...entry.verbs] }),
    };
    out.push(
      createServedResource(descriptor, behaviors.get(`oapi/${d.plural}`) ?? behaviors.get(key) ?? {}, {
        storageKey: key,
        ...(group === undefined ? {} : { internalGroup: group }),
      }),
    );
  }
  return out;
}

/** The `/oapi/v1` APIResourceList, as the 3.11 master answers it. */
export function oapiResourceList(): string {
  return JSON.stringify({ kind: "APIResourceList", groupVersion: "v1", resources: OAPI_V1_RESOURCES });
}
