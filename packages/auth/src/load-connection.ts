/**
 * `loadConnection`: the one call a client makes to find out how to reach "the" cluster — the kubeconfig like kubectl,
 * falling back to the in-cluster service account when there is no kubeconfig, like client-go.
 *
 * @module
 */
import { resolveHost } from "./auth-host.ts";
import { inClusterConfig, isInCluster } from "./in-cluster-config.ts";
import { type LoadKubeconfigOptions, loadKubeconfig } from "./load-kubeconfig.ts";
import { type ResolveConnectionOptions, resolveConnection } from "./resolve-connection.ts";
import type { ResolvedConnection } from "./resolved-connection.ts";

/** Options of {@link loadConnection}: where to look, what to override, and runtime access. */
export interface LoadConnectionOptions
  extends LoadKubeconfigOptions,
    Omit<ResolveConnectionOptions, "host" | "signal"> {
  /** The service-account folder for the in-cluster fallback (tests). */
  serviceAccountRoot?: string;
}

/**
 * Loads the kubeconfig and resolves the selected context. When no kubeconfig file exists (and no explicit path,
 * context or cluster was asked for) and the process runs in a pod, the in-cluster configuration is used instead.
 *
 * @param options kubeconfig location, overrides, host, clock, warnings
 * @returns the connection
 * @throws {KubeconfigError} for a kubeconfig that does not parse or whose references are broken
 * @throws {KubeError} `ERR_CONFIG` when there is neither a usable kubeconfig nor an in-cluster environment
 * @example
 * ```ts
 * const { server, namespace, connection, credentials } = await loadConnection({ context: "staging" });
 * ```
 */
export async function loadConnection(options: LoadConnectionOptions = {}): Promise<ResolvedConnection> {
  const host = await resolveHost(options.host);
  const config = await loadKubeconfig({ ...options, host });
  const explicit = options.path !== undefined || options.context !== undefined || options.cluster !== undefined;
  if (config.files.length === 0 && !explicit && isInCluster(host.env)) {
    return inClusterConfig({
      host,
      ...(options.serviceAccountRoot === undefined ? {} : { root: options.serviceAccountRoot }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    });
  }
  const { path: _path, paths: _paths, serviceAccountRoot: _root, ...rest } = options;
  return resolveConnection(config, { ...rest, host });
}
