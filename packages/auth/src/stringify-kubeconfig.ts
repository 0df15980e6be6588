/**
 * `stringifyKubeconfig`: a config as kubeconfig YAML or JSON, what `kubectl config view [--minify] [--flatten]
 * [--raw]` prints.
 *
 * @module
 */
import { stringify } from "yaml";
import type { AuthHost } from "./auth-host.ts";
import { flattenKubeconfig } from "./flatten-kubeconfig.ts";
import type { Kubeconfig } from "./kubeconfig.ts";
import { minifyKubeconfig } from "./minify-kubeconfig.ts";
import { toKubeconfigObject } from "./to-kubeconfig-object.ts";

/** Options of {@link stringifyKubeconfig}; the flags of `kubectl config view`. */
export interface StringifyKubeconfigOptions {
  /** `yaml` (kubectl's default) or `json` (4-space indent, like kubectl). @default "yaml" */
  format?: "yaml" | "json";
  /** Keeps only the current (or `context`) context, its cluster and its user. @default false */
  minify?: boolean;
  /** Inlines certificate and key files (reads them) and implies `raw`. @default false */
  flatten?: boolean;
  /** Shows secrets; without it tokens and passwords print as `REDACTED` and data as `DATA+OMITTED`. @default false */
  raw?: boolean;
  /** With `minify`: the context to keep instead of `current-context`. */
  context?: string;
  /** Runtime access for `flatten`. @default the Node/Deno host */
  host?: AuthHost;
  /** Aborts `flatten`'s reads. */
  signal?: AbortSignal;
}

/** Recursively sorts object keys, as Go's YAML marshaller of a JSON map does. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Writes a config the way `kubectl config view` does: minify first (with `context`), then flatten, else redact
 * unless `raw`. JSON keeps kubectl's field order; YAML sorts keys like kubectl's output.
 *
 * @param config a parsed or loaded config
 * @param options kubectl's view flags
 * @returns the text, ending with a newline
 * @throws {KubeconfigError} when `minify` cannot find the context, cluster or user
 * @throws {KubeError} `ERR_CONFIG` when `flatten` cannot read a referenced file
 * @example
 * ```ts
 * process.stdout.write(await stringifyKubeconfig(await loadKubeconfig(), { minify: true, flatten: true }));
 * ```
 */
export async function stringifyKubeconfig(
  config: Kubeconfig,
  options: StringifyKubeconfigOptions = {},
): Promise<string> {
  let view = config;
  if (options.minify === true) view = minifyKubeconfig(view, options.context);
  if (options.flatten === true) {
    view = await flattenKubeconfig(view, {
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }
  const object = toKubeconfigObject(view, { redact: options.flatten !== true && options.raw !== true });
  if (options.format === "json") return `${JSON.stringify(object, null, 4)}\n`;
  return stringify(sortKeys(object), { version: "1.1", indentSeq: false, lineWidth: 0 });
}
