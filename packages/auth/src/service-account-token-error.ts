/**
 * `ServiceAccountTokenError`: a service-account token that cannot be read or verified, with a stable `reason`.
 *
 * @module
 */
import { KubeError, type KubeErrorCode, type KubeErrorOptions } from "@kubeshift/transport";

/** Why a token was refused. */
export type ServiceAccountTokenErrorReason =
  | "malformed"
  | "not-service-account"
  | "signature"
  | "unknown-key"
  | "expired"
  | "not-yet-valid"
  | "audience"
  | "issuer"
  | "legacy-not-allowed"
  | "keys-unavailable";

/**
 * A service-account token refused by {@link inspectToken} or {@link verifyServiceAccountToken}. Code `ERR_AUTH`;
 * the message never contains the token.
 *
 * @example
 * ```ts
 * try { await verifyServiceAccountToken(jwt, { requester, audience: "vault" }); }
 * catch (e) { if (e instanceof ServiceAccountTokenError && e.reason === "expired") renew(); }
 * ```
 */
export class ServiceAccountTokenError extends KubeError {
  static override readonly errorCode: KubeErrorCode = "ERR_AUTH";
  /** Why the token was refused. */
  readonly reason: ServiceAccountTokenErrorReason;

  /**
   * @param reason the stable reason
   * @param message what is wrong
   * @param options the cause (a jose error)
   */
  constructor(reason: ServiceAccountTokenErrorReason, message: string, options: KubeErrorOptions = {}) {
    super("ERR_AUTH", message, options);
    this.reason = reason;
  }
}
