/**
 * Failures worded for the person at the terminal: what went wrong, in the server's words where it has some (the RBAC
 * sentence of a 403, what it serves for an unknown resource), and what to do next (log in again, ask for access,
 * check the context).
 *
 * @module
 */
import { ApiError, isKubeError, TransportError } from "@kubeshift/transport";
import type { ClusterInfo } from "./watch-session.ts";

/**
 * The short form, for the status line: the server's own message for API errors.
 *
 * @param error the failure
 * @returns one line
 * @example
 * ```ts
 * shortFailure(error); // 'pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "prod"'
 * ```
 */
export function shortFailure(error: unknown): string {
  if (error instanceof ApiError) {
    const message = error.apiStatus.message ?? error.message;
    if (error.status === 401) return `${message || "Unauthorized"}: the credentials were refused; log in again`;
    return message || `${error.reason} (${error.status})`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The long form, for a failure that ends the program: what happened and what to do.
 *
 * @param error the failure
 * @param info the cluster, when known
 * @returns one or more lines (no trailing newline)
 * @example
 * ```ts
 * process.stderr.write(`kubeshift-watch: ${explainFailure(error, info)}\n`);
 * ```
 */
export function explainFailure(error: unknown, info?: ClusterInfo): string {
  const where = info === undefined ? "" : ` (context "${info.context}", server ${info.server})`;
  if (error instanceof ApiError) {
    const message = error.apiStatus.message ?? "";
    if (error.status === 401) {
      const user = info === undefined ? "the kubeconfig user" : `user "${info.user}"`;
      return [
        `the server refused the credentials of ${user}${where}: the token has expired or was revoked (401 Unauthorized).`,
        `Log in again (oc login ${info?.server ?? "<server>"}, or refresh the credentials of ${user} in the kubeconfig) and retry.`,
      ].join("\n");
    }
    if (error.status === 403) {
      return [
        `forbidden${where}: ${message || error.message}`,
        "Ask a cluster administrator for access to it, or watch a namespace you may read (-n NAMESPACE).",
      ].join("\n");
    }
    if (error.status === 404 && /resource type/.test(message)) {
      return `${message}\nRun "kubectl api-resources" (or "oc api-resources") for the full list.`;
    }
    return message === "" ? error.message : `${message}${where}`;
  }
  if (error instanceof TransportError) {
    return [
      `cannot reach the API server${where}: ${error.message}`,
      "Is the cluster up, and is this the right context (--context, --kubeconfig)?",
    ].join("\n");
  }
  if (isKubeError(error) || error instanceof Error) return error.message;
  return String(error);
}
