/**
 * How bytes move between kubeshift and an API server: the web-standard {@link Transport} contract, composable
 * middleware, and the one error model (`KubeError`, `ApiError`, `TransportError`, `DecodeError`). Runtime adapters
 * live in their own entries: `@kubeshift/transport/node`, `@kubeshift/transport/deno`, `@kubeshift/transport/web`.
 *
 * @example
 * ```ts
 * import { composeTransport, isNotFound } from "@kubeshift/transport";
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
export type { ClientCertificate, ClientCertificateProvider, ConnectionOptions } from "./connection-options.ts";
export { DecodeError, type DecodeErrorOptions } from "./decode-error.ts";
export { isKubeError, KubeError, type KubeErrorCode, type KubeErrorOptions } from "./kube-error.ts";
export { redactSecrets, registerSecret } from "./redact.ts";
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
