/**
 * Where a definition of a spec goes: its module (`core/v1`, `apps/v1`, `route.openshift.io/v1`, `meta/v1`) and its
 * TypeScript name there. The rules follow the definition names of the Kubernetes and OpenShift OpenAPI generators.
 *
 * @module
 */
import type { Definition } from "./model.ts";

/** Module of the apimachinery types shared by every group (ObjectMeta, ListMeta, Status, Quantity, …). */
export const META_MODULE = "meta/v1";

/** OpenShift API packages (`com.github.openshift.api.<package>.<version>`) and their API groups. */
export const OPENSHIFT_PACKAGE_GROUPS: Readonly<Record<string, string>> = {
  apiserver: "apiserver.openshift.io",
  apps: "apps.openshift.io",
  authorization: "authorization.openshift.io",
  build: "build.openshift.io",
  cloudnetwork: "cloud.network.openshift.io",
  config: "config.openshift.io",
  console: "console.openshift.io",
  helm: "helm.openshift.io",
  image: "image.openshift.io",
  insights: "insights.openshift.io",
  machine: "machine.openshift.io",
  machineconfiguration: "machineconfiguration.openshift.io",
  monitoring: "monitoring.openshift.io",
  network: "network.openshift.io",
  networkoperator: "network.operator.openshift.io",
  oauth: "oauth.openshift.io",
  operator: "operator.openshift.io",
  operatorcontrolplane: "controlplane.operator.openshift.io",
  operatoringress: "ingress.operator.openshift.io",
  project: "project.openshift.io",
  quota: "quota.openshift.io",
  route: "route.openshift.io",
  samples: "samples.operator.openshift.io",
  security: "security.openshift.io",
  securityinternal: "security.internal.openshift.io",
  sharedresource: "sharedresource.openshift.io",
  template: "template.openshift.io",
  user: "user.openshift.io",
};

/** Kubernetes API packages whose group cannot be read from a `x-kubernetes-group-version-kind` of the package. */
const KUBERNETES_PACKAGE_GROUPS: Readonly<Record<string, string>> = {
  admissionregistration: "admissionregistration.k8s.io",
  apiserverinternal: "internal.apiserver.k8s.io",
  authentication: "authentication.k8s.io",
  authorization: "authorization.k8s.io",
  certificates: "certificates.k8s.io",
  coordination: "coordination.k8s.io",
  discovery: "discovery.k8s.io",
  events: "events.k8s.io",
  flowcontrol: "flowcontrol.apiserver.k8s.io",
  networking: "networking.k8s.io",
  node: "node.k8s.io",
  rbac: "rbac.authorization.k8s.io",
  resource: "resource.k8s.io",
  scheduling: "scheduling.k8s.io",
  storage: "storage.k8s.io",
  storagemigration: "storagemigration.k8s.io",
};

/**
 * The module path of the resources under an API path.
 *
 * @param apiPath `/api/v1`, `/apis/<group>/<version>` or `/oapi/v1`
 * @returns `core/v1`, `<group>/<version>` or `oapi/v1`
 */
export function moduleOfApiPath(apiPath: string): string {
  if (apiPath.startsWith("/api/")) return `core/${apiPath.slice(5)}`;
  if (apiPath.startsWith("/oapi/")) return `oapi/${apiPath.slice(6)}`;
  return apiPath.slice("/apis/".length);
}

/**
 * Module path of a group/version.
 *
 * @param group the API group, `""` for core
 * @param version the version
 * @returns `core/<version>` or `<group>/<version>`
 */
export function moduleOfGroupVersion(group: string, version: string): string {
  return group === "" ? `core/${version}` : `${group}/${version}`;
}

/**
 * Finds the module of a definition by its name.
 *
 * @param name the definition name (`io.k8s.api.apps.v1.Deployment`)
 * @param packageGroups groups learnt from the `x-kubernetes-group-version-kind` of the spec, by package prefix
 * @returns the module path, or `undefined` when the name follows no known scheme
 */
export function moduleOfDefinition(name: string, packageGroups: ReadonlyMap<string, string>): string | undefined {
  const parts = name.split(".");
  const pkg = parts.slice(0, -1).join(".");
  if (name.startsWith("io.k8s.apimachinery.")) return META_MODULE;
  if (name.startsWith("io.k8s.api.")) {
    const [, , , p, version] = parts;
    if (p === undefined || version === undefined || parts.length !== 6) return undefined;
    if (p === "core") return `core/${version}`;
    const group = packageGroups.get(pkg) ?? KUBERNETES_PACKAGE_GROUPS[p] ?? p;
    return moduleOfGroupVersion(group, version);
  }
  if (name.startsWith("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.")) {
    return `apiextensions.k8s.io/${parts[parts.length - 2]}`;
  }
  if (name.startsWith("io.k8s.kube-aggregator.pkg.apis.apiregistration.")) {
    return `apiregistration.k8s.io/${parts[parts.length - 2]}`;
  }
  if (name.startsWith("com.github.openshift.api.")) {
    const p = parts[4];
    const version = parts[5];
    const group = p === undefined ? undefined : OPENSHIFT_PACKAGE_GROUPS[p];
    return group === undefined || version === undefined || parts.length !== 7 ? undefined : `${group}/${version}`;
  }
  if (name.startsWith("oapi.")) return `oapi/${parts[1]}`;
  const group = packageGroups.get(pkg);
  const version = parts[parts.length - 2];
  if (group !== undefined && version !== undefined) return moduleOfGroupVersion(group, version);
  return undefined;
}

/**
 * Learns package → group from the definitions that carry exactly one group/version/kind.
 *
 * @param definitions the definitions
 * @returns the group of each package prefix
 */
export function packageGroupsOf(definitions: Iterable<Definition>): Map<string, string> {
  const out = new Map<string, string>();
  for (const def of definitions) {
    if (def.gvks.length !== 1 || def.name.startsWith("io.k8s.apimachinery.")) continue;
    const gvk = def.gvks[0];
    if (gvk === undefined) continue;
    const pkg = def.name.slice(0, def.name.lastIndexOf("."));
    if (!out.has(pkg)) out.set(pkg, gvk.group);
  }
  return out;
}

/** The last dot-separated part of a definition name. */
export function shortName(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1).replace(/[^\w$]/g, "_");
}

/**
 * Gives every definition a TypeScript name that is unique within its module: the short name, or for a second
 * definition with the same short name, the short name prefixed with its package.
 *
 * @param assignments definition name → module, in any order
 * @returns definition name → TypeScript name
 */
export function assignNames(assignments: ReadonlyMap<string, string>): Map<string, string> {
  const taken = new Map<string, Set<string>>();
  const out = new Map<string, string>();
  const ordered = [...assignments.keys()].sort((a, b) => {
    // The canonical package of a short name wins it: meta.v1 before runtime, api before anything else.
    const rank = (n: string): number => (/\.apis\.meta\.|^io\.k8s\.api\.|^com\.github\./.test(n) ? 0 : 1);
    return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  });
  for (const name of ordered) {
    const module = assignments.get(name) ?? "";
    let names = taken.get(module);
    if (names === undefined) {
      names = new Set();
      taken.set(module, names);
    }
    let candidate = shortName(name);
    if (names.has(candidate)) {
      const parts = name.split(".");
      const pkg = parts[parts.length - 2] ?? "";
      candidate = `${pkg.charAt(0).toUpperCase()}${pkg.slice(1)}${candidate}`;
      for (let i = 2; names.has(candidate); i++) candidate = `${shortName(name)}${i}`;
    }
    names.add(candidate);
    out.set(name, candidate);
  }
  return out;
}
