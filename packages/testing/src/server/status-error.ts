/**
 * `StatusError`: a failure on its way to the client as a `metav1.Status`, and the builders that word it the way the
 * real API server does (checked against the recordings in `shared/fixtures/kubernetes-v1.20.2`).
 *
 * @module
 */
import type { ApiStatus, StatusCause, StatusDetails } from "@kubeshift/transport";

/** A request failure that the server answers with a `metav1.Status` of the given HTTP code. */
export class StatusError extends Error {
  /** HTTP status code. */
  readonly code: number;
  /** The Status body. */
  readonly status: ApiStatus;
  /** Extra response headers (`Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * @param code the HTTP status
   * @param status the Status body (its `code` is set from `code` unless the real server leaves it out)
   * @param headers extra response headers
   */
  constructor(code: number, status: ApiStatus, headers: Record<string, string> = {}) {
    super(status.message ?? `HTTP ${code}`);
    this.name = "StatusError";
    this.code = code;
    this.status = status;
    this.headers = headers;
  }
}

/** A group-qualified resource (`deployments.apps`) as the server prints it in messages. */
export interface QualifiedResource {
  readonly group: string;
  readonly resource: string;
}

/** Formats `deployments.apps`, or `pods` for the core group. */
export function qualifiedResource(qr: QualifiedResource): string {
  return qr.group === "" ? qr.resource : `${qr.resource}.${qr.group}`;
}

function failure(
  code: number,
  reason: string | undefined,
  message: string,
  details?: StatusDetails,
  extra: Partial<ApiStatus> = {},
): ApiStatus {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    ...(reason === undefined ? {} : { reason }),
    ...(details === undefined ? {} : { details }),
    code,
    ...extra,
  };
}

function resourceDetails(qr: QualifiedResource, name?: string): StatusDetails {
  return {
    ...(name === undefined || name === "" ? {} : { name }),
    ...(qr.group === "" ? {} : { group: qr.group }),
    kind: qr.resource,
  };
}

/** 404 `pods "web" not found`. */
export function notFound(qr: QualifiedResource, name: string): StatusError {
  return new StatusError(
    404,
    failure(404, "NotFound", `${qualifiedResource(qr)} ${JSON.stringify(name)} not found`, resourceDetails(qr, name)),
  );
}

/** 404 for a path nothing serves: `the server could not find the requested resource`. */
export function resourceNotFound(): StatusError {
  return new StatusError(404, failure(404, "NotFound", "the server could not find the requested resource", {}));
}

/** 409 `configmaps "x" already exists`. */
export function alreadyExists(qr: QualifiedResource, name: string): StatusError {
  return new StatusError(
    409,
    failure(
      409,
      "AlreadyExists",
      `${qualifiedResource(qr)} ${JSON.stringify(name)} already exists`,
      resourceDetails(qr, name),
    ),
  );
}

/** 409 `Operation cannot be fulfilled on configmaps "x": <why>`. */
export function conflict(qr: QualifiedResource, name: string, why: string): StatusError {
  return new StatusError(
    409,
    failure(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualifiedResource(qr)} ${JSON.stringify(name)}: ${why}`,
      resourceDetails(qr, name),
    ),
  );
}

/** The message of a stale `resourceVersion` (optimistic concurrency). */
export const OBJECT_MODIFIED =
  "the object has been modified; please apply your changes to the latest version and try again";

/** One field error (`field.Error` in apimachinery). */
export interface FieldError {
  /** `FieldValueInvalid`, `FieldValueRequired`, … */
  readonly reason: FieldErrorReason;
  /** Path such as `metadata.name` or `spec.containers[0].image`. */
  readonly field: string;
  /** The value at fault, shown for the reasons that show it. */
  readonly value?: unknown;
  /** Why, when there is more to say than the reason. */
  readonly detail?: string;
}

/** The `reason` of a field error cause. */
export type FieldErrorReason =
  | "FieldValueNotFound"
  | "FieldValueRequired"
  | "FieldValueDuplicate"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "FieldValueTypeInvalid";

const TYPE_TEXT: Record<FieldErrorReason, string> = {
  FieldValueNotFound: "Not found",
  FieldValueRequired: "Required value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
  FieldValueTypeInvalid: "Invalid value",
};

/** A value shown as given in a field error (`map[string]string(nil)`), not re-formatted. */
export class GoLiteral {
  /** What Go prints. */
  readonly text: string;

  /** @param text what Go prints */
  constructor(text: string) {
    this.text = text;
  }
}

/** Formats a value as Go's `%#v`/`%q` does in field errors, closely enough for the common types. */
export function goValue(value: unknown): string {
  if (value instanceof GoLiteral) return value.text;
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) return `[]string{${value.map((v) => JSON.stringify(v)).join(", ")}}`;
    return `[]interface {}{${value.map(goValue).join(", ")}}`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.every(([, v]) => typeof v === "string"))
    return `map[string]string{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join(", ")}}`;
  return JSON.stringify(value);
}

/** The body of a field error without its path (`Invalid value: "x": why`), as in `causes[].message`. */
export function fieldErrorBody(error: FieldError): string {
  const type = TYPE_TEXT[error.reason];
  let text: string;
  switch (error.reason) {
    case "FieldValueRequired":
    case "FieldValueForbidden":
    case "FieldValueTooLong":
      text = type;
      break;
    default:
      text = `${type}: ${goValue(error.value)}`;
  }
  return error.detail === undefined || error.detail === "" ? text : `${text}: ${error.detail}`;
}

/** The whole field error, `metadata.name: Invalid value: "x": why`. */
export function fieldErrorText(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

/** Joins field errors like `ErrorList.ToAggregate()`: one stands alone, several go in `[a, b]`. */
export function aggregateFieldErrors(errors: readonly FieldError[]): string {
  const texts: string[] = [];
  for (const e of errors) {
    const t = fieldErrorText(e);
    if (!texts.includes(t)) texts.push(t);
  }
  return texts.length === 1 ? (texts[0] as string) : `[${texts.join(", ")}]`;
}

/** A group-qualified kind (`Deployment.apps`). */
export interface QualifiedKind {
  readonly group: string;
  readonly kind: string;
}

/** 422 `ConfigMap "x" is invalid: <errors>` with one cause per field error. */
export function invalid(qk: QualifiedKind, name: string, errors: readonly FieldError[]): StatusError {
  const kindText = qk.group === "" ? qk.kind : `${qk.kind}.${qk.group}`;
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.reason, message: fieldErrorBody(e), field: e.field }));
  return new StatusError(
    422,
    failure(422, "Invalid", `${kindText} ${JSON.stringify(name)} is invalid: ${aggregateFieldErrors(errors)}`, {
      ...(name === "" ? {} : { name }),
      ...(qk.group === "" ? {} : { group: qk.group }),
      kind: qk.kind,
      causes,
    }),
  );
}

/** 400 BadRequest with the message as given and no details. */
export function badRequest(message: string): StatusError {
  return new StatusError(400, failure(400, "BadRequest", message));
}

/** 405 `the server does not allow this method on the requested resource`. */
export function methodNotAllowed(): StatusError {
  return new StatusError(
    405,
    failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {}),
  );
}

/** 406 for a media type the server does not know (`406: Not Acceptable`). */
export function notAcceptable(): StatusError {
  return new StatusError(406, failure(406, "NotAcceptable", "406: Not Acceptable", {}));
}

/** The media types this server can encode. */
export const SERVED_MEDIA_TYPES = "application/json, application/yaml";

/** 406 for a known media type with parameters the endpoint cannot honour (`as=Nope`, aggregated discovery only). */
export function notAcceptableMediaType(): StatusError {
  return new StatusError(
    406,
    failure(406, "NotAcceptable", `only the following media types are accepted: ${SERVED_MEDIA_TYPES}`),
  );
}

/** 415 for a PATCH whose Content-Type is not a patch type. */
export function unsupportedPatchType(): StatusError {
  return new StatusError(415, failure(415, "UnsupportedMediaType", "415: Unsupported Media Type", {}));
}

/** 415 for a body the decoders do not understand. */
export function unsupportedBody(): StatusError {
  return new StatusError(
    415,
    failure(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${SERVED_MEDIA_TYPES}`,
    ),
  );
}

/** 401 `Unauthorized`. */
export function unauthorized(): StatusError {
  return new StatusError(401, failure(401, "Unauthorized", "Unauthorized"));
}

/** 403 with the message as given; details name the resource when there is one. */
export function forbidden(message: string, details: StatusDetails): StatusError {
  return new StatusError(403, failure(403, "Forbidden", message, details));
}

/** 410 Expired with the message as given (`too old resource version: 5 (9)`). */
export function expired(message: string, extra: Partial<ApiStatus> = {}): StatusError {
  return new StatusError(410, failure(410, "Expired", message, undefined, extra));
}

/** 504 `Timeout: Too large resource version: N, current: M` with `Retry-After: 1`. */
export function tooLargeResourceVersion(requested: string, current: number): StatusError {
  return new StatusError(
    504,
    failure(504, "Timeout", `Timeout: Too large resource version: ${requested}, current: ${current}`, {
      causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
      retryAfterSeconds: 1,
    }),
    { "Retry-After": "1" },
  );
}

/** 500 with the message as given and no reason, as storage errors reach the client. */
export function storageError(message: string): StatusError {
  return new StatusError(500, failure(500, undefined, message));
}

/** 500 `Internal error occurred: <why>`. */
export function internalError(why: string): StatusError {
  return new StatusError(
    500,
    failure(500, "InternalError", `Internal error occurred: ${why}`, { causes: [{ message: why }] }),
  );
}

/** 403 for a create in a namespace that is being deleted. */
export function namespaceTerminating(qr: QualifiedResource, name: string, namespace: string): StatusError {
  return new StatusError(
    403,
    failure(
      403,
      "Forbidden",
      `${qualifiedResource(qr)} ${JSON.stringify(name)} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      {
        ...resourceDetails(qr, name),
        causes: [
          {
            reason: "NamespaceTerminating",
            message: `namespace ${namespace} is being terminated`,
            field: "metadata.namespace",
          },
        ],
      },
    ),
  );
}

/** A Status for any code, for fault injection and callers that need their own wording. */
export function statusFor(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  return new StatusError(code, failure(code, reason, message, details));
}

/** The 422 the server answers for invalid request options (`ListOptions.meta.k8s.io "" is invalid: …`). */
export function invalidOptions(kind: string, errors: readonly FieldError[]): StatusError {
  return invalid({ group: "meta.k8s.io", kind }, "", errors);
}
