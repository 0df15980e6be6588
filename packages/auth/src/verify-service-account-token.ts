/**
 * `verifyServiceAccountToken`: checks a service-account JWT against the cluster's signing keys, issuer, audience and
 * lifetime, with jose.
 *
 * @module
 */
import type { ApiRequester } from "@kubeshift/transport";
import type { WallClock } from "./auth-host.ts";
import { inspectToken, type ServiceAccountTokenClaims } from "./inspect-token.ts";
import type { FetchFunction } from "./login-with-password.ts";
import { createServiceAccountKeySet, type ServiceAccountKeySet } from "./service-account-key-set.ts";
import { ServiceAccountTokenError } from "./service-account-token-error.ts";

/** Options of {@link verifyServiceAccountToken}; give one of `keySet`, `requester`, `jwksUrl`, `issuer`. */
export interface VerifyServiceAccountTokenOptions {
  /** A key set to reuse across calls (keeps the cache). */
  keySet?: ServiceAccountKeySet;
  /** The API server (the client): keys and issuer from its discovery endpoints. */
  requester?: ApiRequester;
  /** A JWKS URL. */
  jwksUrl?: string | URL;
  /** The expected issuer; without another source, its OIDC discovery document is used to find the keys. */
  issuer?: string;
  /** The audience the token must carry (one of them); bound tokens should always be checked for it. */
  audience?: string | string[];
  /** Accepts legacy secret-based tokens (no audience, no expiry; issuer `kubernetes/serviceaccount`). @default true */
  allowLegacy?: boolean;
  /** Fetch for `jwksUrl`/`issuer`. @default globalThis.fetch */
  fetch?: FetchFunction;
  /** Time source for expiry checks. @default the system clock */
  clock?: WallClock;
  /** Seconds of clock skew tolerated. @default 0 */
  clockToleranceSeconds?: number;
  /** Aborts the key fetch. */
  signal?: AbortSignal;
}

// Service-account tokens are signed with the cluster's asymmetric key; HMAC algorithms are never accepted.
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
const LEGACY_ISSUER = "kubernetes/serviceaccount";

function mapJoseError(error: unknown): ServiceAccountTokenError {
  if (error instanceof ServiceAccountTokenError) return error;
  const e = error as { code?: string; claim?: string; message?: string };
  switch (e.code) {
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return new ServiceAccountTokenError("signature", "The token's signature does not verify", { cause: error });
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return new ServiceAccountTokenError("unknown-key", "The token is signed by a key the cluster does not publish", {
        cause: error,
      });
    case "ERR_JWT_EXPIRED":
      return new ServiceAccountTokenError("expired", "The token has expired", { cause: error });
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (e.claim === "aud")
        return new ServiceAccountTokenError("audience", "The token is not for this audience", { cause: error });
      if (e.claim === "iss")
        return new ServiceAccountTokenError("issuer", "The token was issued by another issuer", { cause: error });
      if (e.claim === "nbf" || e.claim === "iat") {
        return new ServiceAccountTokenError("not-yet-valid", "The token is not valid yet", { cause: error });
      }
      return new ServiceAccountTokenError("malformed", `The token's ${e.claim ?? "claims"} are invalid`, {
        cause: error,
      });
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return new ServiceAccountTokenError("signature", "The token uses a signing algorithm that is not allowed", {
        cause: error,
      });
    default:
      return new ServiceAccountTokenError("malformed", `The token cannot be verified: ${e.message ?? String(error)}`, {
        cause: error,
      });
  }
}

/**
 * Verifies a service-account token: its signature against the cluster's published keys (`/openid/v1/jwks`, cached,
 * re-fetched on an unknown key), its issuer (the one given, else the one the cluster's discovery names), its audience
 * and its lifetime. Legacy secret-based tokens (issuer `kubernetes/serviceaccount`, no audience or expiry) pass when
 * `allowLegacy` is on and their signature verifies; their audience is not checked, as the API server does not.
 *
 * @param jwt the token
 * @param options where the keys are, expected issuer and audience
 * @returns the verified claims
 * @throws {ServiceAccountTokenError} with `reason` `signature`, `unknown-key`, `expired`, `not-yet-valid`,
 *   `audience`, `issuer`, `legacy-not-allowed`, `malformed`, `not-service-account` or `keys-unavailable`
 * @throws {TypeError} when no key source is given
 * @example
 * ```ts
 * const claims = await verifyServiceAccountToken(token, { requester: client, audience: "https://kubernetes.default.svc" });
 * ```
 */
export async function verifyServiceAccountToken(
  jwt: string,
  options: VerifyServiceAccountTokenOptions,
): Promise<ServiceAccountTokenClaims> {
  const claims = inspectToken(jwt);
  let keySet = options.keySet;
  if (keySet === undefined) {
    const fetch = options.fetch === undefined ? {} : { fetch: options.fetch };
    const clock = options.clock === undefined ? {} : { clock: options.clock };
    if (options.requester !== undefined) keySet = createServiceAccountKeySet({ requester: options.requester }, clock);
    else if (options.jwksUrl !== undefined)
      keySet = createServiceAccountKeySet({ jwksUrl: options.jwksUrl, ...fetch }, clock);
    else if (options.issuer !== undefined)
      keySet = createServiceAccountKeySet({ issuer: options.issuer, ...fetch }, clock);
    else throw new TypeError("verifyServiceAccountToken: give keySet, requester, jwksUrl or issuer");
  }
  const legacy = claims.kind === "legacy";
  if (legacy && options.allowLegacy === false) {
    throw new ServiceAccountTokenError(
      "legacy-not-allowed",
      "Legacy secret-based service-account tokens are not accepted",
    );
  }
  const issuer = legacy ? LEGACY_ISSUER : (options.issuer ?? (await keySet.issuer(options.signal)));
  const now = options.clock === undefined ? undefined : new Date(options.clock.now());
  try {
    // jose is loaded on first verification only: inspecting tokens and loading kubeconfigs never pay for it.
    const { jwtVerify } = await import("jose");
    await jwtVerify(jwt.trim(), keySet.getKey, {
      algorithms: ALGORITHMS,
      ...(issuer === undefined ? {} : { issuer }),
      ...(legacy || options.audience === undefined ? {} : { audience: options.audience }),
      ...(now === undefined ? {} : { currentDate: now }),
      ...(options.clockToleranceSeconds === undefined ? {} : { clockTolerance: options.clockToleranceSeconds }),
      ...(legacy ? {} : { requiredClaims: ["exp"] }),
    });
  } catch (error) {
    throw mapJoseError(error);
  }
  return claims;
}
