/**
 * Authorization: may this user do this. The fake cluster asks one {@link Authorizer} per request with the
 * attributes the real server uses (verb, API group, resource, subresource, namespace, name, or the path of a
 * non-resource request) and words a denial exactly as kube-apiserver does. The default lets every authenticated user
 * do everything and anonymous users read the public endpoints; RBAC plugs in here later.
 *
 * @module
 */
import type { StatusDetails } from "@kubeshift/transport";
import type { UserInfo } from "./user-info.ts";

/** What is being asked (`authorizer.Attributes`). */
export interface AuthorizationAttributes {
  /** The user. */
  readonly user: UserInfo;
  /** Kubernetes verb (`get`, `list`, `watch`, `create`, …) or the lower-cased HTTP method for a path. */
  readonly verb: string;
  /** Whether it is about a resource (else about `path`). */
  readonly isResourceRequest: boolean;
  /** The URL path. */
  readonly path: string;
  /** API group. */
  readonly apiGroup: string;
  /** API version. */
  readonly apiVersion: string;
  /** Namespace (`""`: cluster scope). */
  readonly namespace: string;
  /** Resource. */
  readonly resource: string;
  /** Subresource. */
  readonly subresource: string;
  /** Object name. */
  readonly name: string;
}

/** The answer. */
export interface AuthorizationDecision {
  /** Allowed. */
  readonly allowed: boolean;
  /** Why it was denied (appended to the 403 message). */
  readonly reason?: string;
}

/** Decides requests. */
export type Authorizer = (
  attributes: AuthorizationAttributes,
) => AuthorizationDecision | Promise<AuthorizationDecision>;

const PUBLIC_PATHS = [/^\/healthz(\/.*)?$/, /^\/livez(\/.*)?$/, /^\/readyz(\/.*)?$/, /^\/version\/?$/];

/**
 * A permissive authorizer (the fake cluster's default is RBAC): every authenticated user may do anything; anonymous
 * users may only `get` the health and version endpoints (the `system:public-info-viewer` role).
 *
 * @param attributes the request
 * @returns the decision
 * @example
 * ```ts
 * import { allowAuthenticated, startFakeCluster } from "@kubeshift/testing";
 * await startFakeCluster({ authorizer: (a) => (a.resource === "secrets" ? { allowed: false } : allowAuthenticated(a)) });
 * ```
 */
export function allowAuthenticated(attributes: AuthorizationAttributes): AuthorizationDecision {
  const groups = attributes.user.groups;
  if (groups.includes("system:masters") || groups.includes("system:authenticated")) return { allowed: true };
  if (!attributes.isResourceRequest && attributes.verb === "get" && PUBLIC_PATHS.some((p) => p.test(attributes.path)))
    return { allowed: true };
  return { allowed: false };
}

/** The `metav1.Status` message and details of a denial, as the real server words them. */
export function forbiddenStatus(
  attributes: AuthorizationAttributes,
  reason: string | undefined,
): { message: string; details: StatusDetails } {
  const who = JSON.stringify(attributes.user.name);
  let what: string;
  if (!attributes.isResourceRequest) {
    what = `User ${who} cannot ${attributes.verb} path ${JSON.stringify(attributes.path)}`;
  } else {
    const resource =
      attributes.subresource === "" ? attributes.resource : `${attributes.resource}/${attributes.subresource}`;
    const scope =
      attributes.namespace === "" ? "at the cluster scope" : `in the namespace ${JSON.stringify(attributes.namespace)}`;
    what = `User ${who} cannot ${attributes.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.apiGroup)} ${scope}`;
  }
  if (reason !== undefined && reason !== "") what += `: ${reason}`;
  if (!attributes.isResourceRequest) return { message: `forbidden: ${what}`, details: {} };
  const qr = attributes.apiGroup === "" ? attributes.resource : `${attributes.resource}.${attributes.apiGroup}`;
  const message =
    attributes.name === ""
      ? `${qr} is forbidden: ${what}`
      : `${qr} ${JSON.stringify(attributes.name)} is forbidden: ${what}`;
  return {
    message,
    details: {
      ...(attributes.name === "" ? {} : { name: attributes.name }),
      ...(attributes.apiGroup === "" ? {} : { group: attributes.apiGroup }),
      kind: attributes.resource,
    },
  };
}
