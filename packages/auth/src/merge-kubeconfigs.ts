/**
 * `mergeKubeconfigs`: kubectl's rule for a `KUBECONFIG` list — the first file to set a map key wins, and its whole
 * entry is kept (a later file's fields never fill in an earlier entry); the first non-empty `current-context` wins.
 *
 * @module
 */
import { emptyKubeconfig, type Kubeconfig, type KubeconfigExtensions } from "./kubeconfig.ts";

function firstWins<T>(into: Record<string, T>, from: Record<string, T>): void {
  for (const [name, value] of Object.entries(from)) if (!Object.hasOwn(into, name)) into[name] = value;
}

function mergeExtensions(
  into: KubeconfigExtensions | undefined,
  from: KubeconfigExtensions | undefined,
): KubeconfigExtensions | undefined {
  if (from === undefined) return into;
  const out = into ?? (Object.create(null) as KubeconfigExtensions);
  firstWins(out, from);
  return out;
}

/**
 * Merges parsed kubeconfig files in precedence order, exactly as client-go's loader does: for clusters, users,
 * contexts and extensions the first file that names a key wins outright (even when its entry is emptier);
 * `current-context` and `preferences.colors` take the first value that is set.
 *
 * @param configs the files, highest precedence first
 * @returns a new merged config (entries are shared with the inputs, not copied)
 * @example
 * ```ts
 * const merged = mergeKubeconfigs([parseKubeconfig(a, { path: "a" }), parseKubeconfig(b, { path: "b" })]);
 * ```
 */
export function mergeKubeconfigs(configs: readonly Kubeconfig[]): Kubeconfig {
  const merged = emptyKubeconfig();
  for (const config of configs) {
    firstWins(merged.clusters, config.clusters);
    firstWins(merged.users, config.users);
    firstWins(merged.contexts, config.contexts);
    if (merged.currentContext === "" && config.currentContext !== "") merged.currentContext = config.currentContext;
    if (merged.preferences.colors === undefined && config.preferences.colors) merged.preferences.colors = true;
    const prefExt = mergeExtensions(merged.preferences.extensions, config.preferences.extensions);
    if (prefExt !== undefined) merged.preferences.extensions = prefExt;
    const ext = mergeExtensions(merged.extensions, config.extensions);
    if (ext !== undefined) merged.extensions = ext;
  }
  return merged;
}
