/**
 * What each subresource answers with and which verbs it takes, for discovery (descriptors only name their
 * subresources). The table follows the Kubernetes 1.34 OpenAPI documents.
 *
 * @module
 */

/** Discovery facts of one subresource. */
export interface SubresourceInfo {
  /** Verbs of the subresource. */
  readonly verbs: readonly string[];
  /** Group of the kind it returns; `undefined` means the parent's group. */
  readonly group?: string;
  /** Version of the kind it returns; `undefined` means the parent's version. */
  readonly version?: string;
  /** Kind it returns; `undefined` means the parent's kind. */
  readonly kind?: string;
}

const UPDATE_VERBS = ["get", "patch", "update"] as const;
const CONNECT_VERBS = ["create", "get"] as const;

const TABLE: Readonly<Record<string, SubresourceInfo>> = {
  status: { verbs: UPDATE_VERBS },
  scale: { verbs: UPDATE_VERBS, group: "autoscaling", version: "v1", kind: "Scale" },
  log: { verbs: ["get"], group: "", version: "v1", kind: "Pod" },
  exec: { verbs: CONNECT_VERBS, group: "", version: "v1", kind: "PodExecOptions" },
  attach: { verbs: CONNECT_VERBS, group: "", version: "v1", kind: "PodAttachOptions" },
  portforward: { verbs: CONNECT_VERBS, group: "", version: "v1", kind: "PodPortForwardOptions" },
  binding: { verbs: ["create"], group: "", version: "v1", kind: "Binding" },
  eviction: { verbs: ["create"], group: "policy", version: "v1", kind: "Eviction" },
  ephemeralcontainers: { verbs: UPDATE_VERBS },
  resize: { verbs: UPDATE_VERBS },
  token: { verbs: ["create"], group: "authentication.k8s.io", version: "v1", kind: "TokenRequest" },
  finalize: { verbs: ["update"] },
  approval: { verbs: UPDATE_VERBS },
};

/** Subresources whose answer depends on the parent kind (OpenShift's builds, deployment configs, image streams). */
const BY_PARENT: Readonly<Record<string, Readonly<Record<string, SubresourceInfo>>>> = {
  BuildConfig: {
    instantiate: { verbs: ["create"], kind: "BuildRequest" },
    instantiatebinary: { verbs: [], kind: "BinaryBuildRequestOptions" },
    webhooks: { verbs: [], kind: "Build" },
  },
  Build: {
    clone: { verbs: ["create"], kind: "BuildRequest" },
    details: { verbs: ["update"], kind: "Build" },
    log: { verbs: ["get"], kind: "BuildLog" },
  },
  DeploymentConfig: {
    instantiate: { verbs: ["create"], kind: "DeploymentRequest" },
    log: { verbs: ["get"], kind: "DeploymentLog" },
    rollback: { verbs: ["create"], kind: "DeploymentConfigRollback" },
    scale: { verbs: UPDATE_VERBS, group: "extensions", version: "v1beta1", kind: "Scale" },
  },
  ImageStream: {
    layers: { verbs: ["get"], kind: "ImageStreamLayers" },
    secrets: { verbs: ["get"], kind: "SecretList" },
  },
};

const PROXY_KINDS: Readonly<Record<string, string>> = {
  Pod: "PodProxyOptions",
  Node: "NodeProxyOptions",
  Service: "ServiceProxyOptions",
};

/**
 * The discovery facts of a subresource of a kind.
 *
 * @param parentKind kind of the parent resource (`Pod`)
 * @param subresource name of the subresource (`log`)
 * @returns verbs and the returned kind (parent's when the table leaves it out)
 */
export function subresourceInfo(parentKind: string, subresource: string): SubresourceInfo {
  const special = BY_PARENT[parentKind]?.[subresource];
  if (special !== undefined) return special;
  if (subresource === "proxy")
    return {
      verbs: CONNECT_VERBS,
      group: "",
      version: "v1",
      kind: PROXY_KINDS[parentKind] ?? `${parentKind}ProxyOptions`,
    };
  return TABLE[subresource] ?? { verbs: UPDATE_VERBS };
}
