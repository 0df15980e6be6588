/**
 * How bytes move between kubeshift and an API server: the web-standard {@link Transport} contract, composable
 * middleware (credentials, impersonation, user agent, warnings, retry, rate limit, timeout), and the one error model
 * (`KubeError`, `ApiError`, `TransportError`, `DecodeError`). Runtime adapters live in their own entries:
 * `@kubeshift/transport/node`, `@kubeshift/transport/deno`, `@kubeshift/transport/web`.
 *
 * @example
 * ```ts
 * import { bearerAuth, composeTransport, rateLimit, requestTimeout, retry, userAgent } from "@kubeshift/transport";
 * import { createNodeTransport } from "@kubeshift/transport/node";
 * const transport = composeTransport(
 *   createNodeTransport({ caPem }),
 *   requestTimeout(),
 *   userAgent(),
 *   retry(),
 *   bearerAuth(credentials),
 *   rateLimit(),
 * );
 * ```
 *
 * @module
 */
export {
  ApiError,
  type ApiErrorOptions,
  isAlreadyExists,
  isConflict,
  isExpired,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isResourceVersionTooLarge,
  isTooManyRequests,
  isUnauthorized,
} from "./api-error.ts";
export {
  type ApiStatus,
  isApiStatus,
  reasonForHttpStatus,
  type StatusCause,
  type StatusDetails,
  type StatusReason,
} from "./api-status.ts";
export { type BasicAuthOptions, basicAuth } from "./basic-auth.ts";
export { type BearerAuthOptions, bearerAuth } from "./bearer-auth.ts";
export { type Clock, systemClock } from "./clock.ts";
export type { ClientCertificate, ClientCertificateProvider, ConnectionOptions } from "./connection-options.ts";
export { DecodeError, type DecodeErrorOptions } from "./decode-error.ts";
export { type ImpersonateOptions, impersonate } from "./impersonate.ts";
export { isKubeError, KubeError, type KubeErrorCode, type KubeErrorOptions } from "./kube-error.ts";
export { type RateLimitOptions, rateLimit } from "./rate-limit.ts";
export { redactSecrets, registerSecret } from "./redact.ts";
export { type RequestTimeoutOptions, requestTimeout } from "./request-timeout.ts";
export { RETRIED_TRANSPORT_ERRORS, type RetryOptions, retry } from "./retry.ts";
export { type SurfaceWarningsOptions, surfaceWarnings } from "./surface-warnings.ts";
export {
  type ApiRequester,
  type CredentialSource,
  composeTransport,
  type FetchOptions,
  isIdempotent,
  isStreamingRequest,
  type Middleware,
  type Transport,
  type WebSocketConnection,
  type WebSocketOptions,
} from "./transport.ts";
export {
  classifyNetworkError,
  TransportError,
  type TransportErrorKind,
  type TransportErrorOptions,
} from "./transport-error.ts";
export { defaultUserAgent, userAgent } from "./user-agent.ts";
export { parseWarningHeader, type WarningHeader } from "./warning-header.ts";
