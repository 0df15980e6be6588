/**
 * The error every patch engine throws: the HTTP status, `reason` and message the real kube-apiserver answers for the
 * same failure, so the fake cluster can turn it into a `metav1.Status` without rewording it.
 *
 * @module
 */
import type { ApiStatus, StatusCause } from "@kubeshift/transport";

/** Options of {@link PatchError}. */
export interface PatchErrorOptions {
  /** Causes for `details.causes` (SSA conflicts: one per field). */
  causes?: StatusCause[];
  /**
   * What really went wrong, when the server's message hides it (JSON patch failures are all worded "the server
   * rejected our request…"); kept as the error's `cause`, never sent on the wire.
   */
  detail?: string;
}

/**
 * A patch that the real server would refuse, with the Status it would answer.
 *
 * @example
 * ```ts
 * try { applyJsonPatch(doc, patch); } catch (e) {
 *   if (e instanceof PatchError) respond(e.status, e.toStatus());
 * }
 * ```
 */
export class PatchError extends Error {
  /** HTTP status code (400, 409, 413, 415, 422, 500). */
  readonly status: number;
  /** `metav1.Status.reason`; `""` where the server answers a bare error (it then omits `reason`). */
  readonly reason: string;
  /** `details.causes`, when the server lists them. */
  readonly causes?: StatusCause[];

  /**
   * @param status the HTTP status code the server answers
   * @param reason the Status reason (`"Invalid"`, `"BadRequest"`, `"Conflict"`, … or `""`)
   * @param message the Status message, worded as the server words it
   * @param options causes and the hidden detail
   */
  constructor(status: number, reason: string, message: string, options: PatchErrorOptions = {}) {
    super(message, options.detail === undefined ? undefined : { cause: new Error(options.detail) });
    this.name = "PatchError";
    this.status = status;
    this.reason = reason;
    if (options.causes !== undefined) this.causes = options.causes;
  }

  /**
   * The `metav1.Status` body the real server sends for this failure.
   *
   * @returns a Status object ready to serialise
   * @example
   * ```ts
   * new PatchError(422, "Invalid", "the server rejected our request due to an error in our request").toStatus();
   * ```
   */
  toStatus(): ApiStatus {
    const status: ApiStatus = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
    };
    if (this.reason !== "") status.reason = this.reason;
    status.details = this.causes === undefined ? {} : { causes: this.causes };
    status.code = this.status;
    return status;
  }
}

/** The message `NewGenericServerResponse(422, …)` carries; JSON patch failures are all worded this way. */
export const INVALID_REQUEST_MESSAGE = "the server rejected our request due to an error in our request";

/** Patch content types the apiserver accepts for custom resources (no strategic merge patch). */
export const CUSTOM_RESOURCE_PATCH_TYPES: readonly string[] = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/apply-patch+yaml",
];

/**
 * The 415 the real server answers for a patch content type it does not accept on a resource, as for a strategic
 * merge patch on a custom resource (`kubectl patch` without `--type=merge` on a CR).
 *
 * @param accepted the content types the resource accepts, in the server's order
 * @returns the error to answer
 * @example
 * ```ts
 * throw unsupportedPatchTypeError(CUSTOM_RESOURCE_PATCH_TYPES);
 * ```
 */
export function unsupportedPatchTypeError(accepted: readonly string[]): PatchError {
  return new PatchError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
  );
}
