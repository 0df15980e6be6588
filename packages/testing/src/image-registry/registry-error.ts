/**
 * Errors of the registry face in distribution's envelope (`{"errors":[{"code","message","detail"}]}`), with the
 * codes and messages `docker/distribution` and the OpenShift registry use.
 *
 * @module
 */

/** The error codes this registry answers with. */
export type RegistryErrorCode =
  | "BLOB_UNKNOWN"
  | "BLOB_UPLOAD_UNKNOWN"
  | "DIGEST_INVALID"
  | "MANIFEST_BLOB_UNKNOWN"
  | "MANIFEST_INVALID"
  | "MANIFEST_UNKNOWN"
  | "NAME_INVALID"
  | "NAME_UNKNOWN"
  | "SIGNATURE_EXISTS"
  | "SIGNATURE_INVALID"
  | "UNAUTHORIZED"
  | "UNSUPPORTED";

const MESSAGES: Readonly<Record<RegistryErrorCode, string>> = {
  BLOB_UNKNOWN: "blob unknown to registry",
  BLOB_UPLOAD_UNKNOWN: "blob upload unknown to registry",
  DIGEST_INVALID: "provided digest did not match uploaded content",
  MANIFEST_BLOB_UNKNOWN: "blob unknown to registry",
  MANIFEST_INVALID: "manifest invalid",
  MANIFEST_UNKNOWN: "manifest unknown",
  NAME_INVALID: "invalid repository name",
  NAME_UNKNOWN: "repository name not known to registry",
  SIGNATURE_EXISTS: "image signature already exists",
  SIGNATURE_INVALID: "invalid image signature",
  UNAUTHORIZED: "authentication required",
  UNSUPPORTED: "The operation is unsupported.",
};

/** A registry error on its way to the client. */
export class RegistryError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Distribution error code. */
  readonly code: RegistryErrorCode;
  /** `detail` of the error entry. */
  readonly detail: unknown;
  /** Extra headers (`WWW-Authenticate`). */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * @param status the HTTP status
   * @param code the error code
   * @param options the detail, a message other than the code's, extra headers
   */
  constructor(
    status: number,
    code: RegistryErrorCode,
    options: { detail?: unknown; message?: string; headers?: Record<string, string> } = {},
  ) {
    super(options.message ?? MESSAGES[code]);
    this.name = "RegistryError";
    this.status = status;
    this.code = code;
    this.detail = options.detail ?? null;
    this.headers = options.headers ?? {};
  }

  /** The JSON body, as distribution's encoder writes it (`detail` left out when empty, a final newline). */
  body(): string {
    const entry = { code: this.code, message: this.message, ...(this.detail === null ? {} : { detail: this.detail }) };
    return `${JSON.stringify({ errors: [entry] })}\n`;
  }
}
