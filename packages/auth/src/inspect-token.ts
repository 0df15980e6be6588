/**
 * `inspectToken`: what a Kubernetes service-account JWT says about itself, typed — without verifying it.
 *
 * @module
 */
import { decodeJwtParts, type JwsHeader, type JwtClaims } from "./_jwt-parts.ts";
import { ServiceAccountTokenError } from "./service-account-token-error.ts";

/** A name and uid pair of a bound object. */
export interface BoundObject {
  /** Object name. */
  name: string;
  /** Object uid (absent when the token does not carry it). */
  uid?: string;
}

/** The claims of a service-account token. */
export interface ServiceAccountTokenClaims {
  /**
   * `bound`: a TokenRequest / projected token (`kubernetes.io` claim, audience, expiry). `legacy`: a secret-based
   * token (Kubernetes before 1.24, OpenShift 3), issuer `kubernetes/serviceaccount`, no audience, no expiry.
   */
  kind: "bound" | "legacy";
  /** `iss`. */
  issuer: string;
  /** `sub`: `system:serviceaccount:<namespace>:<name>`. */
  subject: string;
  /** The user name the API server sees (same as `subject`). */
  username: string;
  /** Namespace of the service account. */
  namespace: string;
  /** The service account. */
  serviceAccount: BoundObject;
  /** The pod the token is bound to (projected tokens). */
  pod?: BoundObject;
  /** The secret the token is bound to (legacy tokens, or TokenRequest bound to a secret). */
  secret?: BoundObject;
  /** The node the token is bound to (Kubernetes 1.30+). */
  node?: BoundObject;
  /** `aud` (empty for legacy tokens). */
  audiences: string[];
  /** `iat`. */
  issuedAt?: Date;
  /** `nbf`. */
  notBefore?: Date;
  /** `exp` (absent for legacy tokens). */
  expiresAt?: Date;
  /** `kubernetes.io.warnafter`: when a stale projected token starts being warned about. */
  warnAfter?: Date;
  /** `jti`, the token's id (1.29+). */
  tokenId?: string;
  /** `kid` of the signing key (`""` on OpenShift 3). */
  keyId?: string;
  /** `alg`. */
  algorithm: string;
  /** Every claim as decoded. */
  raw: JwtClaims;
}

const LEGACY_ISSUER = "kubernetes/serviceaccount";
const LEGACY = "kubernetes.io/serviceaccount/";

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function date(v: unknown): Date | undefined {
  return typeof v === "number" && Number.isFinite(v) ? new Date(v * 1000) : undefined;
}

function bound(v: unknown): BoundObject | undefined {
  if (v === null || typeof v !== "object") return undefined;
  const name = str((v as Record<string, unknown>).name);
  if (name === undefined) return undefined;
  const uid = str((v as Record<string, unknown>).uid);
  return uid === undefined ? { name } : { name, uid };
}

/**
 * Decodes a service-account JWT and tells bound (TokenRequest, projected) from legacy (secret-based) tokens. It
 * does not check the signature: use {@link verifyServiceAccountToken} before trusting the result.
 *
 * @param jwt the token
 * @returns its typed claims
 * @throws {ServiceAccountTokenError} `malformed` when it is not a JWT, `not-service-account` when it is not a
 *   Kubernetes service-account token
 * @throws {TypeError} when `jwt` is not a string
 * @example
 * ```ts
 * const { kind, namespace, serviceAccount, expiresAt } = inspectToken(token);
 * ```
 */
export function inspectToken(jwt: string): ServiceAccountTokenClaims {
  if (typeof jwt !== "string") throw new TypeError("inspectToken: the token must be a string");
  let payload: JwtClaims;
  let header: JwsHeader;
  try {
    ({ header, claims: payload } = decodeJwtParts(jwt.trim()));
  } catch (cause) {
    throw new ServiceAccountTokenError("malformed", "The token is not a JWT", { cause });
  }
  const subject = str(payload.sub) ?? "";
  const issuer = str(payload.iss) ?? "";
  const audiences = Array.isArray(payload.aud)
    ? payload.aud.filter((a) => typeof a === "string")
    : str(payload.aud)
      ? [payload.aud as string]
      : [];
  const common = {
    issuer,
    subject,
    username: subject,
    audiences,
    algorithm: str(header.alg) ?? "",
    raw: payload,
    ...(header.kid === undefined ? {} : { keyId: header.kid }),
    ...(payload.jti === undefined ? {} : { tokenId: payload.jti }),
  };
  const times = (): Partial<ServiceAccountTokenClaims> => {
    const out: Partial<ServiceAccountTokenClaims> = {};
    const iat = date(payload.iat);
    const nbf = date(payload.nbf);
    const exp = date(payload.exp);
    if (iat) out.issuedAt = iat;
    if (nbf) out.notBefore = nbf;
    if (exp) out.expiresAt = exp;
    return out;
  };

  const k8s = payload["kubernetes.io"] as Record<string, unknown> | undefined;
  if (k8s !== null && typeof k8s === "object") {
    const namespace = str(k8s.namespace);
    const serviceAccount = bound(k8s.serviceaccount);
    if (namespace === undefined || serviceAccount === undefined) {
      throw new ServiceAccountTokenError(
        "not-service-account",
        "The token's kubernetes.io claim names no service account",
      );
    }
    const claims: ServiceAccountTokenClaims = { kind: "bound", ...common, namespace, serviceAccount, ...times() };
    const pod = bound(k8s.pod);
    const secret = bound(k8s.secret);
    const node = bound(k8s.node);
    const warnAfter = date(k8s.warnafter);
    if (pod) claims.pod = pod;
    if (secret) claims.secret = secret;
    if (node) claims.node = node;
    if (warnAfter) claims.warnAfter = warnAfter;
    return claims;
  }
  const namespace = str(payload[`${LEGACY}namespace`]);
  const name = str(payload[`${LEGACY}service-account.name`]);
  if (issuer === LEGACY_ISSUER && namespace !== undefined && name !== undefined) {
    const uid = str(payload[`${LEGACY}service-account.uid`]);
    const secretName = str(payload[`${LEGACY}secret.name`]);
    const claims: ServiceAccountTokenClaims = {
      kind: "legacy",
      ...common,
      namespace,
      serviceAccount: uid === undefined ? { name } : { name, uid },
      ...times(),
    };
    if (secretName !== undefined) claims.secret = { name: secretName };
    return claims;
  }
  throw new ServiceAccountTokenError(
    "not-service-account",
    "The token is a JWT but not a Kubernetes service-account token",
  );
}
