/**
 * Wire types of the discovery documents: `/version`, `/api` and `/oapi` (`APIVersions`), `/apis` (`APIGroupList`),
 * `/api/v1`, `/apis/<g>/<v>` and `/oapi/v1` (`APIResourceList`), and aggregated discovery
 * (`apidiscovery.k8s.io/v2` and `v2beta1` `APIGroupDiscoveryList`). Names are the API's JSON names.
 *
 * @module
 */

/** `/version`: the server's build. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit?: string;
  gitTreeState?: string;
  buildDate?: string;
  goVersion?: string;
  compiler?: string;
  platform?: string;
}

/** `/api` and `/oapi`: the versions of the legacy group. */
export interface ApiVersions {
  kind?: "APIVersions";
  versions: string[];
  serverAddressByClientCIDRs?: { clientCIDR: string; serverAddress: string }[];
}

/** One version of a group in `/apis`. */
export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** One group in `/apis`. */
export interface ApiGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion?: GroupVersionForDiscovery;
}

/** `/apis`: every group the server serves. */
export interface ApiGroupList {
  kind?: "APIGroupList";
  apiVersion?: string;
  groups: ApiGroup[];
}

/** One resource (or subresource, `pods/log`) of an `APIResourceList`. */
export interface ApiResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  /** Group of the objects the resource takes and returns, when it differs from the list's (subresources). */
  group?: string;
  /** Version of the objects, when it differs from the list's (subresources). */
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** `/api/v1`, `/apis/<group>/<version>`, `/oapi/v1`: the resources of one group/version. */
export interface ApiResourceList {
  kind?: "APIResourceList";
  apiVersion?: string;
  groupVersion: string;
  resources: ApiResource[];
}

/** Group, version and kind of what a resource returns in aggregated discovery; `""` means the parent's. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** One subresource in aggregated discovery. */
export interface ApiSubresourceDiscovery {
  subresource: string;
  responseKind?: GroupVersionKind;
  acceptedTypes?: GroupVersionKind[];
  verbs: string[];
}

/** One resource in aggregated discovery. */
export interface ApiResourceDiscovery {
  resource: string;
  responseKind?: GroupVersionKind;
  scope: "Cluster" | "Namespaced" | (string & {});
  singularResource?: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: ApiSubresourceDiscovery[];
}

/** One version of a group in aggregated discovery; `Stale` when an aggregated API server did not answer. */
export interface ApiVersionDiscovery {
  version: string;
  resources?: ApiResourceDiscovery[];
  freshness?: "Current" | "Stale" | (string & {});
}

/** One group in aggregated discovery (`metadata.name` is `""` for the core group). */
export interface ApiGroupDiscovery {
  metadata?: { name?: string };
  versions: ApiVersionDiscovery[];
}

/** Aggregated discovery of `/api` or `/apis` (Kubernetes 1.26+). */
export interface ApiGroupDiscoveryList {
  kind?: "APIGroupDiscoveryList";
  apiVersion?: string;
  items: ApiGroupDiscovery[];
}
