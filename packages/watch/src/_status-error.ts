/**
 * The `ApiError` of an in-band `ERROR` watch event: after a watch has started, the API server reports failures (410
 * Expired, 504 Too large resource version, 500) as one ERROR event carrying a `metav1.Status`, then closes.
 *
 * @module
 * @internal
 */
import { ApiError, type ApiStatus, isApiStatus } from "@kubeshift/transport";

/**
 * Builds the error of an ERROR event.
 *
 * @param object the event's object (a Status, in practice always)
 * @param url the watch URL, for the message
 * @returns the error
 */
export function errorFromEvent(object: unknown, url: URL): ApiError {
  const path = url.pathname + url.search;
  if (isApiStatus(object)) return new ApiError(object, object.code ?? 500, { method: "GET", path });
  const status: ApiStatus = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `the watch stream carried an ERROR event without a Status: ${JSON.stringify(object).slice(0, 200)}`,
    reason: "InternalError",
    code: 500,
  };
  return new ApiError(status, 500, { method: "GET", path });
}
