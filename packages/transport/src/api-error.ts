/**
 * `ApiError`: a failure the API server answered, built from its `metav1.Status` (or from the bare HTTP status when
 * the body is empty, truncated or not JSON), with the reason helpers callers branch on.
 *
 * @module
 */

import { retryAfterMs } from "./_retry-after.ts";
import {
  type ApiStatus,
  isApiStatus,
  reasonForHttpStatus,
  type StatusCause,
  type StatusDetails,
  type StatusReason,
} from "./api-status.ts";
import { KubeError, type KubeErrorCode, type KubeErrorOptions } from "./kube-error.ts";
import { redactSecrets } from "./redact.ts";

/** Where the failed request went, for the message. */
export interface ApiErrorOptions extends KubeErrorOptions {
  /** HTTP method of the request. */
  method?: string;
  /** Path (and query) of the request; credentials in the query are redacted. */
  path?: string;
  /** `Retry-After` header value of the response, when present. */
  retryAfter?: string | null;
}

const MAX_MESSAGE = 2048;

function describe(method: string | undefined, path: string | undefined): string {
  if (method === undefined && path === undefined) return "Request failed";
  return `Cannot ${method ?? "request"} ${JSON.stringify(path ?? "")}`;
}

function parseRetryAfter(header: string | null | undefined, details: StatusDetails | undefined): number | undefined {
  if (typeof details?.retryAfterSeconds === "number" && details.retryAfterSeconds >= 0)
    return details.retryAfterSeconds;
  // The same reading as the retry middleware's: delay-seconds or an HTTP-date, nothing else.
  const ms = retryAfterMs(header ?? null);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}

/**
 * A request the API server refused or failed, with the parsed `metav1.Status`.
 *
 * The message reads `Cannot GET "/api/v1/namespaces/dev/pods/web": NotFound (404): pods "web" not found`, and
 * never contains a token, password or key, even when the server echoed one back.
 *
 * @example
 * ```ts
 * import { ApiError, isNotFound } from "@kubeshift/transport";
 * try { await client.get(Pod, "web"); } catch (e) { if (isNotFound(e)) console.log("gone"); else throw e; }
 * ```
 */
export class ApiError extends KubeError {
  static override readonly errorCode: KubeErrorCode = "ERR_API";

  /** HTTP status code (from the Status `code`, else the response). */
  readonly status: number;
  /** `reason` of the Status; derived from the HTTP status when the server sent none. */
  readonly reason: StatusReason;
  /** `details` of the Status (name, kind, causes, retryAfterSeconds). */
  readonly details: StatusDetails | undefined;
  /** The Status object as received, or as built from the HTTP status. Its message is redacted. */
  readonly apiStatus: ApiStatus;
  /** Seconds the server asked to wait (`details.retryAfterSeconds` or the `Retry-After` header). */
  readonly retryAfterSeconds: number | undefined;
  /** HTTP method of the failed request. */
  readonly method: string | undefined;
  /** Path of the failed request (credentials in the query redacted). */
  readonly path: string | undefined;

  /**
   * @param status the Status (its `code` wins over `httpStatus` when set)
   * @param httpStatus the HTTP status of the response
   * @param options method, path, Retry-After, cause
   */
  constructor(status: ApiStatus, httpStatus: number, options: ApiErrorOptions = {}) {
    const code = typeof status.code === "number" && status.code > 0 ? status.code : httpStatus;
    const reason = status.reason !== undefined && status.reason !== "" ? status.reason : reasonForHttpStatus(code);
    const serverMessage = redactSecrets(status.message ?? "").slice(0, MAX_MESSAGE);
    const path = options.path === undefined ? undefined : redactSecrets(options.path);
    super(
      "ERR_API",
      `${describe(options.method, path)}: ${reason} (${code})${serverMessage ? `: ${serverMessage}` : ""}`,
      options,
    );
    this.status = code;
    this.reason = reason;
    this.details = status.details;
    this.apiStatus = { ...status, ...(status.message === undefined ? {} : { message: serverMessage }) };
    this.retryAfterSeconds = parseRetryAfter(options.retryAfter, status.details);
    this.method = options.method;
    this.path = path;
  }

  /** The causes in `details.causes` (empty when none). */
  get causes(): readonly StatusCause[] {
    return this.details?.causes ?? [];
  }

  /**
   * Builds an `ApiError` from a non-2xx response, reading (and consuming) its body. A JSON `Status` body is used as
   * is; an empty, truncated, non-JSON or non-Status body gives a Status built from the HTTP status, with the text
   * (shortened, redacted) as message.
   *
   * @param response the failed response; its body is read
   * @param request the request, for the method and path in the message
   * @returns the error; never throws
   * @example
   * ```ts
   * if (!res.ok) throw await ApiError.fromResponse(res, req);
   * ```
   */
  static async fromResponse(
    response: Response,
    request?: Request | { method: string; url: string },
  ): Promise<ApiError> {
    let text = "";
    try {
      text = await response.text();
    } catch {
      // A body cut off mid-way still leaves the status line to report.
    }
    return ApiError.fromBody(text, response.status, {
      retryAfter: response.headers.get("retry-after"),
      ...(request === undefined ? {} : { method: request.method, path: pathOf(request.url) }),
    });
  }

  /**
   * Builds an `ApiError` from a body text already read and its HTTP status.
   *
   * @param text the response body (may be empty or not JSON)
   * @param httpStatus the HTTP status
   * @param options method, path, Retry-After
   * @returns the error; never throws
   * @example
   * ```ts
   * const err = ApiError.fromBody("", 503, { method: "GET", path: "/api" });
   * ```
   */
  static fromBody(text: string, httpStatus: number, options: ApiErrorOptions = {}): ApiError {
    let parsed: unknown;
    try {
      parsed = text.trim() === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (isApiStatus(parsed)) return new ApiError(parsed, httpStatus, options);
    const message = text.trim().replace(/\s+/g, " ").slice(0, 512);
    const status: ApiStatus = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: message || `the server responded with HTTP ${httpStatus}`,
      reason: reasonForHttpStatus(httpStatus),
      code: httpStatus,
    };
    return new ApiError(status, httpStatus, options);
  }
}

/** The path and query of a URL, for messages (the URL itself when it does not parse). @internal */
export function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

function reasonIs(error: unknown, reason: string, status?: number): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.reason === reason) return true;
  return (
    status !== undefined &&
    error.status === status &&
    (error.reason === "" || error.reason === reasonForHttpStatus(status))
  );
}

/**
 * @param error anything caught
 * @returns whether it is an `ApiError` with reason `NotFound` (404)
 * @example
 * ```ts
 * if (isNotFound(e)) return undefined;
 * ```
 */
export function isNotFound(error: unknown): error is ApiError {
  return reasonIs(error, "NotFound", 404);
}
/**
 * @param error anything caught
 * @returns whether it is an `ApiError` with reason `Conflict` (409: stale resourceVersion, SSA conflict)
 * @example
 * ```ts
 * if (isConflict(e)) await retryWithFreshCopy();
 * ```
 */
export function isConflict(error: unknown): error is ApiError {
  return (
    reasonIs(error, "Conflict") ||
    (error instanceof ApiError && error.status === 409 && error.reason !== "AlreadyExists")
  );
}
/**
 * @param error anything caught
 * @returns whether it is an `ApiError` with reason `AlreadyExists` (409 on create)
 * @example
 * ```ts
 * if (isAlreadyExists(e)) return client.get(ConfigMap, name);
 * ```
 */
export function isAlreadyExists(error: unknown): error is ApiError {
  return reasonIs(error, "AlreadyExists");
}
/**
 * @param error anything caught
 * @returns whether it is an `ApiError` with reason `Gone` or `Expired` (410: resourceVersion or continue token too old)
 * @example
 * ```ts
 * if (isGone(e)) relist();
 * ```
 */
export function isGone(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.status === 410 || error.reason === "Gone" || error.reason === "Expired");
}
/**
 * @param error anything caught
 * @returns the same as {@link isGone}: the API uses `Expired` and older servers `Gone` for one condition
 * @example
 * ```ts
 * if (isExpired(e)) relist();
 * ```
 */
export function isExpired(error: unknown): error is ApiError {
  return isGone(error);
}
/**
 * @param error anything caught
 * @returns whether it is an `ApiError` with reason `Forbidden` (403: RBAC denied)
 * @example
 * ```ts
 * if (isForbidden(e)) console.error(e.apiStatus.message);
 * ```
 */
export function isForbidden(error: unknown): error is ApiError {
  return reasonIs(error, "Forbidden", 403);
}
/**
 * @param error anything caught
 * @returns whether it is an `ApiError` with reason `Unauthorized` (401: no or expired credentials)
 * @example
 * ```ts
 * if (isUnauthorized(e)) console.error("log in again");
 * ```
 */
export function isUnauthorized(error: unknown): error is ApiError {
  return reasonIs(error, "Unauthorized", 401);
}
/**
 * @param error anything caught
 * @returns whether it is an `ApiError` with reason `Invalid` (422: validation failed; see `causes`)
 * @example
 * ```ts
 * if (isInvalid(e)) for (const c of e.causes) console.error(c.field, c.message);
 * ```
 */
export function isInvalid(error: unknown): error is ApiError {
  return reasonIs(error, "Invalid", 422);
}
/**
 * @param error anything caught
 * @returns whether it is an `ApiError` with reason `TooManyRequests` (429: throttled; see `retryAfterSeconds`)
 * @example
 * ```ts
 * if (isTooManyRequests(e)) await sleep((e.retryAfterSeconds ?? 1) * 1000);
 * ```
 */
export function isTooManyRequests(error: unknown): error is ApiError {
  return reasonIs(error, "TooManyRequests", 429);
}
/**
 * @param error anything caught
 * @returns whether it is the 504 `Too large resource version` answer (cause `ResourceVersionTooLarge`)
 * @example
 * ```ts
 * if (isResourceVersionTooLarge(e)) relistFromScratch();
 * ```
 */
export function isResourceVersionTooLarge(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    (error.causes.some((c) => c.reason === "ResourceVersionTooLarge") ||
      (error.status === 504 && /too large resource version/i.test(error.apiStatus.message ?? "")))
  );
}
