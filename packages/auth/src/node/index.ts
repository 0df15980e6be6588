/**
 * The Node (and Deno) runtime pieces of `@kubeshift/auth`: the {@link AuthHost} backed by `node:fs` and
 * `node:child_process`. The main entry loads it on its own when no host is passed; import it to choose it visibly.
 *
 * @example
 * ```ts
 * import { loadKubeconfig } from "@kubeshift/auth";
 * import { nodeAuthHost } from "@kubeshift/auth/node";
 * const config = await loadKubeconfig({ host: nodeAuthHost() });
 * ```
 *
 * @module
 */
export { nodeAuthHost, nodeFileSystem, runNodeProcess } from "./node-auth-host.ts";
