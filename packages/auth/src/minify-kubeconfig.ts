/**
 * `minifyKubeconfig`: what `kubectl config view --minify` keeps — the current context, its cluster and its user.
 *
 * @module
 */
import { emptyKubeconfig, type Kubeconfig } from "./kubeconfig.ts";
import { KubeconfigError } from "./kubeconfig-error.ts";

/**
 * Keeps only the current context (or the one named) with its cluster and user, plus preferences and extensions,
 * exactly like client-go's `MinifyConfig`.
 *
 * @param config the config
 * @param context the context to keep instead of `currentContext` (kubectl's `--context`)
 * @returns a new config whose `currentContext` is the kept context
 * @throws {KubeconfigError} when no context is selected, or it (or its cluster or user) does not exist; `missing`
 *   names the absent entry
 * @example
 * ```ts
 * const small = minifyKubeconfig(config, "prod");
 * ```
 */
export function minifyKubeconfig(config: Kubeconfig, context?: string): Kubeconfig {
  const name = context !== undefined && context !== "" ? context : config.currentContext;
  if (name === "") throw new KubeconfigError("current-context must exist in order to minify");
  const ctx = config.contexts[name];
  if (ctx === undefined) {
    throw new KubeconfigError(`cannot locate context ${name}`, { missing: { kind: "context", name } });
  }
  const out = emptyKubeconfig();
  out.currentContext = name;
  out.preferences = config.preferences;
  if (config.extensions !== undefined) out.extensions = config.extensions;
  out.contexts[name] = ctx;
  if (ctx.cluster !== "") {
    const cluster = config.clusters[ctx.cluster];
    if (cluster === undefined) {
      throw new KubeconfigError(`cannot locate cluster ${ctx.cluster}`, {
        missing: { kind: "cluster", name: ctx.cluster },
      });
    }
    out.clusters[ctx.cluster] = cluster;
  }
  if (ctx.user !== "") {
    const user = config.users[ctx.user];
    if (user === undefined) {
      throw new KubeconfigError(`cannot locate user ${ctx.user}`, { missing: { kind: "user", name: ctx.user } });
    }
    out.users[ctx.user] = user;
  }
  return out;
}
