/**
 * The wire shape of `metav1.Status`, as much of it as error handling needs. Declared here (not imported from
 * `@kubeshift/types`) because the transport sits at the bottom of the layers; the two shapes are identical.
 *
 * @module
 */

/** One cause of a failure (`details.causes[]`), for example a field that failed validation. */
export interface StatusCause {
  /** Machine-readable reason such as `FieldValueInvalid` or `ResourceVersionTooLarge`. */
  reason?: string;
  /** Human-readable description. */
  message?: string;
  /** The field at fault, such as `metadata.name`. */
  field?: string;
}

/** `details` of a `metav1.Status`. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The `metav1.Status` object the API server answers for failures (and some successful deletes). */
export interface ApiStatus {
  kind?: "Status";
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number; selfLink?: string };
  status?: "Success" | "Failure" | (string & {});
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code?: number;
}

/** The `reason` values of the API (`metav1.StatusReason`); other strings may appear and are kept. */
export type StatusReason =
  | ""
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Invalid"
  | "ServerTimeout"
  | "StoreReadError"
  | "Timeout"
  | "TooManyRequests"
  | "BadRequest"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "RequestEntityTooLarge"
  | "UnsupportedMediaType"
  | "InternalError"
  | "Expired"
  | "ServiceUnavailable"
  | "Unknown"
  | (string & {});

/**
 * The reason client-go assigns to a bare HTTP status when the body carries none (`NewGenericServerResponse`).
 *
 * @param status an HTTP status code
 * @returns the matching `StatusReason`, `"Unknown"` for codes without one
 * @example
 * ```ts
 * reasonForHttpStatus(404); // "NotFound"
 * ```
 */
export function reasonForHttpStatus(status: number): StatusReason {
  switch (status) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 406:
      return "NotAcceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "RequestEntityTooLarge";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return status >= 500 ? "InternalError" : "Unknown";
  }
}

/**
 * Tells whether a parsed JSON value is a `metav1.Status`.
 *
 * @param value parsed JSON
 * @returns `true` when `kind` is `"Status"`
 * @example
 * ```ts
 * if (isApiStatus(body)) console.log(body.reason);
 * ```
 */
export function isApiStatus(value: unknown): value is ApiStatus {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "Status";
}
