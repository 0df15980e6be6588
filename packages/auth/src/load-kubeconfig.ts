/**
 * `loadKubeconfig`: finds and merges kubeconfig files exactly as kubectl does (`--kubeconfig`, else the `KUBECONFIG`
 * list, else `~/.kube/config`; first file to set a key wins).
 *
 * @module
 */
import { KubeError } from "@kubeshift/transport";
import { isAbsolutePath, joinPath } from "./_paths.ts";
import { type AuthHost, isFileNotFound, resolveHost } from "./auth-host.ts";
import type { Kubeconfig } from "./kubeconfig.ts";
import { KubeconfigError } from "./kubeconfig-error.ts";
import { mergeKubeconfigs } from "./merge-kubeconfigs.ts";
import { parseKubeconfig } from "./parse-kubeconfig.ts";

/** Command-line style overrides (`--context`, `--cluster`, `--user`, `--namespace`). */
export interface KubeconfigOverrides {
  /** The context to use instead of `current-context`. */
  context?: string;
  /** The cluster to use instead of the context's. */
  cluster?: string;
  /** The user to use instead of the context's. */
  user?: string;
  /** The namespace to use instead of the context's. */
  namespace?: string;
}

/** Options of {@link loadKubeconfig}. */
export interface LoadKubeconfigOptions extends KubeconfigOverrides {
  /** One explicit file (kubectl's `--kubeconfig`): only it is read, and it must exist. */
  path?: string;
  /** A list of files read like `KUBECONFIG` (missing ones skipped); takes precedence over the environment. */
  paths?: readonly string[];
  /** Runtime access (files, environment). @default the Node/Deno host */
  host?: AuthHost;
  /** Aborts the file reads. */
  signal?: AbortSignal;
}

/** A merged kubeconfig with where it came from and the overrides asked for. */
export interface LoadedKubeconfig extends Kubeconfig {
  /** The precedence list that was considered, absolute, highest first (including files that did not exist). */
  precedence: string[];
  /** The files actually read, highest precedence first. */
  files: string[];
  /** Whether the config came from one explicit file (`path`). */
  explicitPath: string | undefined;
  /** The overrides given to `loadKubeconfig`, applied by `resolveConnection`. */
  overrides: KubeconfigOverrides;
}

/**
 * The files kubectl would consider, highest precedence first: the explicit path, else the `KUBECONFIG` list (split on
 * `:`, or `;` on Windows, empty entries dropped, duplicates removed), else `~/.kube/config`.
 *
 * @param host runtime access
 * @param options explicit path or list
 * @returns absolute paths
 * @example
 * ```ts
 * const files = kubeconfigPrecedence(await getDefaultAuthHost());
 * ```
 */
export function kubeconfigPrecedence(
  host: AuthHost,
  options: { path?: string; paths?: readonly string[] } = {},
): string[] {
  const absolute = (p: string): string => (isAbsolutePath(p, host.platform) ? p : joinPath(host.platform, host.cwd, p));
  if (options.path !== undefined && options.path !== "") return [absolute(options.path)];
  let list: readonly string[] | undefined = options.paths;
  const env = host.env.KUBECONFIG;
  if (list === undefined && env !== undefined && env !== "") list = env.split(host.platform === "windows" ? ";" : ":");
  if (list !== undefined) {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const entry of list) {
      if (entry === "") continue;
      const abs = absolute(entry);
      if (seen.has(abs)) continue;
      seen.add(abs);
      out.push(abs);
    }
    return out;
  }
  if (host.homeDir === undefined) return [];
  return [joinPath(host.platform, host.homeDir, ".kube", "config")];
}

/**
 * Loads the kubeconfig the way kubectl does. Files in a list that do not exist are skipped (so are all of them:
 * the result is then empty); an explicit `path` that does not exist is an error. Relative paths inside each file
 * stay as written; every entry records its file in `locationOfOrigin`, against which `resolveConnection` resolves
 * them.
 *
 * @param options explicit file(s), overrides, host, signal
 * @returns the merged config with its files and overrides
 * @throws {KubeconfigError} when a file does not parse
 * @throws {KubeError} `ERR_CONFIG` when the explicit file is missing or a file cannot be read
 * @example
 * ```ts
 * const config = await loadKubeconfig({ context: "prod" });
 * const { server, connection, credentials } = await resolveConnection(config);
 * ```
 */
export async function loadKubeconfig(options: LoadKubeconfigOptions = {}): Promise<LoadedKubeconfig> {
  const host = await resolveHost(options.host);
  const precedence = kubeconfigPrecedence(host, options);
  const explicitPath = options.path !== undefined && options.path !== "" ? precedence[0] : undefined;
  const parsed: Kubeconfig[] = [];
  const files: string[] = [];
  for (const file of precedence) {
    let bytes: Uint8Array;
    try {
      bytes = await host.fs.readFile(file, options.signal);
    } catch (error) {
      if (options.signal?.aborted === true) throw options.signal.reason;
      if (isFileNotFound(error) && explicitPath === undefined) continue;
      throw new KubeError(
        "ERR_CONFIG",
        isFileNotFound(error)
          ? `Cannot read kubeconfig ${JSON.stringify(file)}: the file does not exist`
          : `Cannot read kubeconfig ${JSON.stringify(file)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new KubeconfigError("the file is not valid UTF-8", { file, cause });
    }
    parsed.push(parseKubeconfig(text, { path: file }));
    files.push(file);
  }
  const overrides: KubeconfigOverrides = {};
  for (const key of ["context", "cluster", "user", "namespace"] as const) {
    const value = options[key];
    if (value !== undefined && value !== "") overrides[key] = value;
  }
  return { ...mergeKubeconfigs(parsed), precedence, files, explicitPath, overrides };
}
