/**
 * The conveniences `oc` offers on top of the REST verbs, built the way oc 3.11 builds them (see the recordings in
 * `openshift-v3.11.0/openshift/rbac-oc-*`): `oc new-project` (a ProjectRequest), `oc policy add-role-to-user` (a
 * RoleBinding), `oc create serviceaccount`, `oc serviceaccounts get-token` (TokenRequest, or the legacy token secret
 * on 3.x).
 *
 * @module
 */
import { isKubeError, isNotFound } from "@kubeshift/transport";
import type { ResourceDescriptor } from "@kubeshift/types";
import { ClusterRoleResource, RoleBindingResource, RoleResource, ServiceAccountResource } from "./_builtin.ts";
import type { Client } from "./client.ts";
import type { KubeList, KubeObject } from "./kube-object.ts";
import type { CallOptions, NamespaceOptions, WriteOptions } from "./options.ts";
import { checkPathSegment } from "./resource-path.ts";

/** Options of `newProject`. */
export interface NewProjectOptions extends CallOptions {
  /** `openshift.io/display-name` of the project. */
  displayName?: string;
  /** `openshift.io/description` of the project. */
  description?: string;
}

/** Options of `policy.addRoleToUser`. */
export interface AddRoleToUserOptions extends CallOptions, NamespaceOptions {
  /** Whether `role` names a ClusterRole or a Role of the namespace. @default "ClusterRole" */
  roleKind?: "ClusterRole" | "Role";
  /** Name of the RoleBinding to create or extend. @default the role name, else `<role>-0`, `<role>-1`, … */
  roleBindingName?: string;
  /** Receives warnings (the role or service account does not exist yet), as oc prints them. */
  onWarning?: (message: string) => void;
}

/**
 * Options of `getServiceAccountToken`. Of the call options only `signal` is offered: the token calls of
 * `@kubeshift/auth` take no per-call headers or timeout.
 */
export interface ServiceAccountTokenOptions extends Pick<CallOptions, "signal">, NamespaceOptions {
  /** Audiences of a TokenRequest token. @default the API server's audiences */
  audiences?: readonly string[];
  /** Lifetime of a TokenRequest token, in seconds (the server's minimum is 600). @default the server's (3600) */
  expirationSeconds?: number;
  /** How long to wait for the token controller to create a legacy token secret, in milliseconds. @default 10000 */
  waitMs?: number;
  /**
   * Where the token comes from: `TokenRequest` (bound, expiring), `Secret` (the legacy token secret, as
   * `oc serviceaccounts get-token` reads it), or `auto`: TokenRequest when discovery lists `serviceaccounts/token`.
   * @default "auto"
   */
  source?: "auto" | "TokenRequest" | "Secret";
}

/** A service account's token and where it came from. */
export interface ServiceAccountToken {
  /** The bearer token. Registered for redaction: it never appears in kubeshift error messages. */
  token: string;
  /** `TokenRequest` (bound, expiring) or `Secret` (legacy, never expires). */
  source: "TokenRequest" | "Secret";
  /** Expiry of a TokenRequest token (RFC 3339). */
  expirationTimestamp?: string;
  /** Name of the legacy secret the token was read from. */
  secretName?: string;
}

const PROJECT_REQUEST_PATHS = [
  { path: "/apis/project.openshift.io/v1/projectrequests", apiVersion: "project.openshift.io/v1" },
  { path: "/oapi/v1/projectrequests", apiVersion: "v1" },
];

/** `oc new-project`: POST a ProjectRequest to the project group, or to `/oapi/v1` when the group is not served. */
export async function newProject(client: Client, name: string, options: NewProjectOptions): Promise<KubeObject> {
  checkPathSegment("project name", name);
  let lastError: unknown;
  for (const { path, apiVersion } of PROJECT_REQUEST_PATHS) {
    const body = {
      kind: "ProjectRequest",
      apiVersion,
      metadata: { name },
      ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
      ...(options.description === undefined ? {} : { description: options.description }),
    };
    try {
      const headers = new Headers(options.headers);
      headers.set("content-type", "application/json");
      const response = await client.send(path, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        replayable: true,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
      return (await response.json()) as KubeObject;
    } catch (error) {
      // A NotFound naming no object means the path itself is not served: try the legacy API.
      if (!isNotFound(error) || error.details?.name) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/** `oc create serviceaccount`. */
export function createServiceAccount(client: Client, name: string, options: WriteOptions): Promise<KubeObject> {
  checkPathSegment("service account name", name);
  return client.create(ServiceAccountResource, { metadata: { name } }, options) as Promise<KubeObject>;
}

interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

const SA_PREFIX = "system:serviceaccount:";

function subjectOf(user: string, fallbackNamespace: string): Subject {
  if (typeof user !== "string" || user === "") throw new TypeError("addRoleToUser needs a user name");
  if (user.startsWith(SA_PREFIX)) {
    const [namespace, name, ...rest] = user.slice(SA_PREFIX.length).split(":");
    if (!namespace || !name || rest.length > 0)
      throw new TypeError(`Expected system:serviceaccount:<namespace>:<name>, got ${JSON.stringify(user)}`);
    return { kind: "ServiceAccount", name, namespace: namespace || fallbackNamespace };
  }
  return { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: user };
}

function sameSubject(a: Partial<Subject>, b: Subject): boolean {
  return a.kind === b.kind && a.name === b.name && (b.kind !== "ServiceAccount" || a.namespace === b.namespace);
}

interface RoleBinding extends KubeObject {
  subjects?: Partial<Subject>[] | null;
  roleRef?: { apiGroup?: string; kind?: string; name?: string };
}

/** oc's `getUniqueName`: the base name, else `<base>-0` … `<base>-99`. */
function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 0; i < 100; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  return `${base}-${crypto.randomUUID().slice(0, 8)}`;
}

/** `oc policy add-role-to-user`: reuse a binding that already grants the role to the subject, else create one. */
export async function addRoleToUser(
  client: Client,
  role: string,
  user: string,
  options: AddRoleToUserOptions = {},
): Promise<KubeObject> {
  checkPathSegment("role name", role);
  const namespace = options.namespace ?? client.namespace;
  const roleKind = options.roleKind ?? "ClusterRole";
  if (roleKind !== "ClusterRole" && roleKind !== "Role")
    throw new TypeError(`roleKind must be "ClusterRole" or "Role", got ${JSON.stringify(roleKind)}`);
  const subject = subjectOf(user, namespace);
  const call = {
    namespace,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  };
  const bindings = (await client.list(RoleBindingResource, call)) as KubeList<RoleBinding>;
  const grants = (b: RoleBinding): boolean => b.roleRef?.kind === roleKind && b.roleRef?.name === role;

  await warnIfMissing(client, roleKind === "Role" ? RoleResource : ClusterRoleResource, role, call, options, () =>
    roleKind === "Role" ? `role "${role}" not found in namespace "${namespace}"` : `role "${role}" not found`,
  );
  if (subject.kind === "ServiceAccount" && subject.namespace !== undefined)
    await warnIfMissing(
      client,
      ServiceAccountResource,
      subject.name,
      { ...call, namespace: subject.namespace },
      options,
      () => `serviceaccount "${subject.name}" not found in namespace "${subject.namespace}"`,
    );

  if (options.roleBindingName !== undefined) {
    checkPathSegment("role binding name", options.roleBindingName);
    const existing = bindings.items.find((b) => b.metadata?.name === options.roleBindingName);
    if (existing !== undefined) {
      if (!grants(existing))
        throw new TypeError(
          `rolebinding ${options.roleBindingName} found for role ${existing.roleRef?.name}, not ${role}`,
        );
      if ((existing.subjects ?? []).some((s) => sameSubject(s, subject))) return existing;
      const updated = { ...existing, subjects: [...(existing.subjects ?? []), subject] };
      return (await client.replace(RoleBindingResource, updated, call)) as KubeObject;
    }
  } else {
    const bound = bindings.items.find((b) => grants(b) && (b.subjects ?? []).some((s) => sameSubject(s, subject)));
    if (bound !== undefined) return bound;
  }
  const taken = new Set(bindings.items.map((b) => b.metadata?.name ?? ""));
  const binding = {
    kind: "RoleBinding",
    apiVersion: "rbac.authorization.k8s.io/v1",
    metadata: { name: options.roleBindingName ?? uniqueName(role, taken), namespace },
    subjects: [subject],
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: role },
  };
  return (await client.create(RoleBindingResource, binding, call)) as KubeObject;
}

async function warnIfMissing(
  client: Client,
  descriptor: ResourceDescriptor<KubeObject>,
  name: string,
  call: CallOptions & NamespaceOptions,
  options: AddRoleToUserOptions,
  message: () => string,
): Promise<void> {
  if (options.onWarning === undefined) return;
  try {
    await client.get(descriptor, name, call);
  } catch (error) {
    // Only absence is worth a warning; a 403 here (no right to read roles) must not stop the binding.
    if (isNotFound(error)) options.onWarning(message());
    else if (options.signal?.aborted) throw error;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * `oc serviceaccounts get-token`, or a TokenRequest where the server offers one: both through `@kubeshift/auth`
 * (the client is its `ApiRequester`), the legacy lookup repeated until the token controller has filled the secret.
 */
export async function getServiceAccountToken(
  client: Client,
  name: string,
  options: ServiceAccountTokenOptions = {},
): Promise<ServiceAccountToken> {
  checkPathSegment("service account name", name);
  const namespace = options.namespace ?? client.namespace;
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const source = options.source ?? "auto";
  if (source !== "auto" && source !== "TokenRequest" && source !== "Secret")
    throw new TypeError(`source must be "auto", "TokenRequest" or "Secret", got ${JSON.stringify(source)}`);
  const auth = await import("./_auth-tokens.ts");
  const useTokenRequest =
    source === "auto"
      ? (await client.discovery.resources("v1", signal)).resources.some((r) => r.name === "serviceaccounts/token")
      : source === "TokenRequest";
  if (useTokenRequest) {
    const answer = await auth.requestServiceAccountToken(client, {
      namespace,
      name,
      ...(options.audiences === undefined ? {} : { audiences: [...options.audiences] }),
      ...(options.expirationSeconds === undefined ? {} : { expirationSeconds: options.expirationSeconds }),
      ...signal,
    });
    return { token: answer.token, source: "TokenRequest", expirationTimestamp: answer.expirationTimestamp };
  }
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  for (;;) {
    try {
      const found = await auth.getLegacyServiceAccountToken(client, { namespace, name, ...signal });
      return { token: found.token, source: "Secret", secretName: found.secretName };
    } catch (error) {
      // ERR_AUTH: the account exists but its token secret is not there yet; the controller fills it shortly.
      if (!isKubeError(error) || error.code !== "ERR_AUTH" || Date.now() >= deadline) throw error;
    }
    await sleep(250, options.signal);
  }
}
