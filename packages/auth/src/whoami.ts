/**
 * `whoami`: who the API server thinks we are — OpenShift's `users/~` (groups API, then legacy `/oapi/v1`), or
 * Kubernetes' SelfSubjectReview — and `whoamiToken`, the token the current kubeconfig session uses
 * (`oc whoami --show-token`).
 *
 * @module
 */
import { ApiError, type ApiRequester, KubeError } from "@kubeshift/transport";
import type { AuthHost } from "./auth-host.ts";
import type { Kubeconfig } from "./kubeconfig.ts";
import type { LoadedKubeconfig } from "./load-kubeconfig.ts";
import { type ResolveConnectionOptions, resolveConnection } from "./resolve-connection.ts";

/** An OpenShift `User` (`user.openshift.io/v1`), or one built from a SelfSubjectReview on plain Kubernetes. */
export interface OpenShiftUser {
  /** `User`. */
  kind: "User";
  /** `user.openshift.io/v1`, or `v1` from the legacy `/oapi/v1`. */
  apiVersion: string;
  /** Name and, for stored users, uid. */
  metadata: { name: string; uid?: string; [key: string]: unknown };
  /** Identities (`anypassword:developer`); `null` for virtual users (system:admin, service accounts). */
  identities?: string[] | null;
  /** Groups, including virtual ones such as `system:authenticated`. */
  groups: string[] | null;
  /** Extra attributes, from a SelfSubjectReview. */
  extra?: Record<string, string[]>;
}

/** Options of {@link whoami}. */
export interface WhoamiOptions {
  /** Aborts the requests. */
  signal?: AbortSignal;
}

async function get(requester: ApiRequester, path: string, init: RequestInit): Promise<Response> {
  return requester.request(path, { ...init, headers: { Accept: "application/json", ...(init.headers ?? {}) } });
}

async function userFrom(response: Response, method: string, path: string): Promise<OpenShiftUser> {
  if (!response.ok) throw await ApiError.fromResponse(response, { method, url: path });
  const body = (await response.json()) as OpenShiftUser;
  if (body?.kind !== "User" || typeof body.metadata?.name !== "string") {
    throw new KubeError("ERR_DECODE", `${method} ${path} did not return a User`);
  }
  return body;
}

/**
 * Asks the server who we are, like `oc whoami`: `GET /apis/user.openshift.io/v1/users/~`, falling back to
 * `/oapi/v1/users/~` on OpenShift 3 servers without the group, and on plain Kubernetes (no user API at all) to a
 * `SelfSubjectReview` (`kubectl auth whoami`, Kubernetes 1.26+), returned in the same `User` shape.
 *
 * @param requester sends requests with our credentials (the client satisfies it)
 * @param options signal
 * @returns the user, its identities and groups
 * @throws {ApiError} 401 for an invalid token, 403 when users/~ is forbidden and no SelfSubjectReview answers, or
 *   any other refusal of the server
 * @throws {KubeError} `ERR_AUTH` when the server has neither OpenShift users nor SelfSubjectReview
 * @example
 * ```ts
 * const me = await whoami(client);
 * console.log(me.metadata.name, me.groups);
 * ```
 */
export async function whoami(requester: ApiRequester, options: WhoamiOptions = {}): Promise<OpenShiftUser> {
  const init: RequestInit = options.signal === undefined ? {} : { signal: options.signal };
  // A plain Kubernetes server authorizes before it routes, so a user without rights on the (absent) user API gets
  // 403 rather than 404 there: fall through to SelfSubjectReview, and report the 403 only if nothing else answers.
  let forbidden: ApiError | undefined;
  for (const path of ["/apis/user.openshift.io/v1/users/~", "/oapi/v1/users/~"]) {
    const response = await get(requester, path, init);
    if (response.status === 404) {
      await response.body?.cancel();
      continue;
    }
    if (response.status === 403) {
      forbidden ??= await ApiError.fromResponse(response, { method: "GET", url: path });
      continue;
    }
    return userFrom(response, "GET", path);
  }
  for (const version of ["v1", "v1beta1", "v1alpha1"]) {
    const path = `/apis/authentication.k8s.io/${version}/selfsubjectreviews`;
    const response = await requester.request(path, {
      ...init,
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ apiVersion: `authentication.k8s.io/${version}`, kind: "SelfSubjectReview" }),
    });
    if (response.status === 404) {
      await response.body?.cancel();
      continue;
    }
    if (!response.ok) throw await ApiError.fromResponse(response, { method: "POST", url: path });
    const review = (await response.json()) as {
      status?: { userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
    };
    const info = review.status?.userInfo;
    if (typeof info?.username !== "string") throw new KubeError("ERR_DECODE", `POST ${path} returned no userInfo`);
    return {
      kind: "User",
      apiVersion: "user.openshift.io/v1",
      metadata: { name: info.username, ...(info.uid === undefined ? {} : { uid: info.uid }) },
      groups: info.groups ?? [],
      ...(info.extra === undefined ? {} : { extra: info.extra }),
    };
  }
  if (forbidden !== undefined) throw forbidden;
  throw new KubeError(
    "ERR_AUTH",
    "The server can tell no user: it has neither OpenShift's users/~ nor authentication.k8s.io SelfSubjectReview",
  );
}

/** Options of {@link whoamiToken}. */
export interface WhoamiTokenOptions extends Omit<ResolveConnectionOptions, "host"> {
  /** Runtime access (token files, exec plugins). @default the Node/Deno host */
  host?: AuthHost;
}

/**
 * The bearer token the current (or given) context sends, like `oc whoami --show-token`: the static token, the
 * token file's content, or what its exec plugin returns.
 *
 * @param config a loaded kubeconfig
 * @param options context overrides, host, signal
 * @returns the token
 * @throws {KubeError} `ERR_AUTH` when the session uses no token (client certificate, basic auth, anonymous)
 * @example
 * ```ts
 * const token = await whoamiToken(await loadKubeconfig());
 * ```
 */
export async function whoamiToken(
  config: Kubeconfig | LoadedKubeconfig,
  options: WhoamiTokenOptions = {},
): Promise<string> {
  const resolved = await resolveConnection(config, options);
  const credentials = resolved.credentials;
  const token = credentials === undefined ? undefined : await credentials.getToken(options.signal);
  if (token === undefined || token === "") {
    throw new KubeError("ERR_AUTH", "no token is currently in use for this session");
  }
  return token;
}
