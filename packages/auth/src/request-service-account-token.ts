/**
 * `requestServiceAccountToken` (TokenRequest, Kubernetes 1.22+/OpenShift 4) and `getLegacyServiceAccountToken`
 * (the token secret of a service account, Kubernetes before 1.24 and OpenShift 3, like
 * `oc serviceaccounts get-token`).
 *
 * @module
 */
import { ApiError, type ApiRequester, KubeError, registerSecret } from "@kubeshift/transport";
import { decodeStdBase64 } from "./_base64.ts";

/** Options of {@link requestServiceAccountToken}. */
export interface RequestServiceAccountTokenOptions {
  /** Namespace of the service account. */
  namespace: string;
  /** Name of the service account. */
  name: string;
  /** Audiences of the token; the server's API audiences when omitted. */
  audiences?: string[];
  /** Lifetime in seconds (the server refuses less than 600). @default the server's, one hour */
  expirationSeconds?: number;
  /** Binds the token to an object: it stops working when the object is deleted. */
  boundObjectRef?: { kind: "Pod" | "Secret" | "Node"; apiVersion?: string; name: string; uid?: string };
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** A token issued by TokenRequest. */
export interface ServiceAccountToken {
  /** The JWT. */
  token: string;
  /** `status.expirationTimestamp` as the server sent it. */
  expirationTimestamp: string;
  /** The same, as a date. */
  expiresAt: Date;
  /** The audiences the server granted. */
  audiences: string[];
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkName(kind: string, value: unknown): string {
  if (typeof value !== "string" || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    throw new TypeError(`${kind} must be a DNS subdomain name, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Asks the API server for a token of a service account (`POST …/serviceaccounts/<name>/token`, TokenRequest).
 *
 * @param requester sends requests with our credentials (the client satisfies it)
 * @param options namespace, name, audiences, lifetime, bound object, signal
 * @returns the token and its expiry; the token is registered for redaction
 * @throws {ApiError} 404 when the service account does not exist, 422 for an invalid lifetime, 403 without rights
 * @throws {TypeError} for names that cannot be Kubernetes names, or a non-positive lifetime
 * @example
 * ```ts
 * const { token, expiresAt } = await requestServiceAccountToken(client, {
 *   namespace: "ci", name: "deployer", audiences: ["https://kubernetes.default.svc"], expirationSeconds: 3600,
 * });
 * ```
 */
export async function requestServiceAccountToken(
  requester: ApiRequester,
  options: RequestServiceAccountTokenOptions,
): Promise<ServiceAccountToken> {
  const namespace = checkName("namespace", options.namespace);
  const name = checkName("name", options.name);
  if (
    options.expirationSeconds !== undefined &&
    (!Number.isInteger(options.expirationSeconds) || options.expirationSeconds <= 0)
  ) {
    throw new RangeError("expirationSeconds must be a positive integer");
  }
  const spec: Record<string, unknown> = {};
  if (options.audiences !== undefined) spec.audiences = [...options.audiences];
  if (options.expirationSeconds !== undefined) spec.expirationSeconds = options.expirationSeconds;
  if (options.boundObjectRef !== undefined) {
    spec.boundObjectRef = { apiVersion: "v1", ...options.boundObjectRef };
  }
  const path = `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`;
  const response = await requester.request(path, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (!response.ok) throw await ApiError.fromResponse(response, { method: "POST", url: path });
  const body = (await response.json()) as {
    spec?: { audiences?: string[] };
    status?: { token?: unknown; expirationTimestamp?: unknown };
  };
  const token = body.status?.token;
  const expirationTimestamp = body.status?.expirationTimestamp;
  if (typeof token !== "string" || token === "" || typeof expirationTimestamp !== "string") {
    throw new KubeError("ERR_DECODE", `POST ${path} returned a TokenRequest without status.token`);
  }
  registerSecret(token);
  return {
    token,
    expirationTimestamp,
    expiresAt: new Date(expirationTimestamp),
    audiences: body.spec?.audiences ?? options.audiences ?? [],
  };
}

/** Options of {@link getLegacyServiceAccountToken}. */
export interface LegacyServiceAccountTokenOptions {
  /** Namespace of the service account. */
  namespace: string;
  /** Name of the service account. */
  name: string;
  /** Aborts the requests. */
  signal?: AbortSignal;
}

/** A secret-based service-account token. */
export interface LegacyServiceAccountToken {
  /** The JWT (decoded from the secret's `data.token`). */
  token: string;
  /** The secret that holds it. */
  secretName: string;
  /** The cluster CA from the secret's `data["ca.crt"]`, when present. */
  caPem?: string;
}

interface Secret {
  metadata?: { name?: string; annotations?: Record<string, string> };
  type?: string;
  data?: Record<string, string>;
}

/**
 * Finds the token secret of a service account, like `oc serviceaccounts get-token` (OpenShift 3, Kubernetes before
 * 1.24): reads the service account, then its listed secrets until one of type `kubernetes.io/service-account-token`
 * that belongs to it (by name and uid annotations) and holds a token; when the account lists none (newer clusters
 * with manually created token secrets), looks through the namespace's token secrets.
 *
 * @param requester sends requests with our credentials
 * @param options namespace, name, signal
 * @returns the token, the secret's name and the CA it carries; the token is registered for redaction
 * @throws {ApiError} when the service account cannot be read
 * @throws {KubeError} `ERR_AUTH` when the account has no populated token secret
 * @example
 * ```ts
 * const { token } = await getLegacyServiceAccountToken(client, { namespace: "fx-rbac", name: "robot" });
 * ```
 */
export async function getLegacyServiceAccountToken(
  requester: ApiRequester,
  options: LegacyServiceAccountTokenOptions,
): Promise<LegacyServiceAccountToken> {
  const namespace = checkName("namespace", options.namespace);
  const name = checkName("name", options.name);
  const init: RequestInit = {
    headers: { Accept: "application/json" },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const saPath = `/api/v1/namespaces/${namespace}/serviceaccounts/${name}`;
  const saResponse = await requester.request(saPath, init);
  if (!saResponse.ok) throw await ApiError.fromResponse(saResponse, { method: "GET", url: saPath });
  const sa = (await saResponse.json()) as { metadata?: { uid?: string }; secrets?: Array<{ name?: string }> };
  const uid = sa.metadata?.uid;

  const usable = (secret: Secret): LegacyServiceAccountToken | undefined => {
    const annotations = secret.metadata?.annotations ?? {};
    if (secret.type !== "kubernetes.io/service-account-token") return undefined;
    if (annotations["kubernetes.io/service-account.name"] !== name) return undefined;
    const secretUid = annotations["kubernetes.io/service-account.uid"];
    if (uid !== undefined && secretUid !== undefined && secretUid !== uid) return undefined;
    const encoded = secret.data?.token;
    if (typeof encoded !== "string" || encoded === "") return undefined;
    const bytes = decodeStdBase64(encoded);
    if (typeof bytes === "number") return undefined;
    const token = new TextDecoder().decode(bytes);
    registerSecret(token);
    const ca = secret.data?.["ca.crt"];
    const caBytes = typeof ca === "string" ? decodeStdBase64(ca) : undefined;
    return {
      token,
      secretName: secret.metadata?.name ?? "",
      ...(caBytes === undefined || typeof caBytes === "number" ? {} : { caPem: new TextDecoder().decode(caBytes) }),
    };
  };

  for (const ref of sa.secrets ?? []) {
    if (typeof ref.name !== "string") continue;
    const path = `/api/v1/namespaces/${namespace}/secrets/${encodeURIComponent(ref.name)}`;
    const response = await requester.request(path, init);
    if (response.status === 404 || response.status === 403) {
      await response.body?.cancel();
      continue;
    }
    if (!response.ok) throw await ApiError.fromResponse(response, { method: "GET", url: path });
    const found = usable((await response.json()) as Secret);
    if (found !== undefined) return found;
  }
  if ((sa.secrets ?? []).length === 0) {
    const path = `/api/v1/namespaces/${namespace}/secrets?fieldSelector=${encodeURIComponent("type=kubernetes.io/service-account-token")}`;
    const response = await requester.request(path, init);
    if (response.ok) {
      const list = (await response.json()) as { items?: Secret[] };
      for (const secret of list.items ?? []) {
        const found = usable(secret);
        if (found !== undefined) return found;
      }
    } else await response.body?.cancel();
  }
  throw new KubeError(
    "ERR_AUTH",
    `could not find a service account token for service account ${JSON.stringify(name)} in namespace ${JSON.stringify(namespace)}`,
  );
}
