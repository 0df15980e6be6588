/**
 * `flattenKubeconfig`: what `kubectl config view --flatten` does to file references — certificate authorities, client
 * certificates and keys are read and inlined, so the config stands alone.
 *
 * @module
 */
import { KubeError } from "@kubeshift/transport";
import { resolveAgainstOrigin } from "./_paths.ts";
import { type AuthHost, isFileNotFound, resolveHost } from "./auth-host.ts";
import type { Kubeconfig, KubeconfigCluster, KubeconfigUser } from "./kubeconfig.ts";

/** Options of {@link flattenKubeconfig}. */
export interface FlattenKubeconfigOptions {
  /** Runtime access (files). @default the Node/Deno host */
  host?: AuthHost;
  /** Aborts the reads. */
  signal?: AbortSignal;
}

/**
 * Inlines `certificate-authority`, `client-certificate` and `client-key` files as `-data` fields, resolving relative
 * paths against the file that named them, like client-go's `FlattenConfig` (an entry with both a file and data is refused;
 * `tokenFile` is left alone).
 *
 * @param config the config (not modified)
 * @param options host and signal
 * @returns a new config without those file references
 * @throws {KubeError} `ERR_CONFIG` naming the file that cannot be read, or when an entry has both a file and data
 * @example
 * ```ts
 * const portable = await flattenKubeconfig(await loadKubeconfig());
 * ```
 */
export async function flattenKubeconfig(
  config: Kubeconfig,
  options: FlattenKubeconfigOptions = {},
): Promise<Kubeconfig> {
  const host = await resolveHost(options.host);
  const read = async (path: string, data: Uint8Array | undefined, origin: string | undefined): Promise<Uint8Array> => {
    if (data !== undefined && data.length > 0) {
      throw new KubeError("ERR_CONFIG", "cannot have values for both path and contents");
    }
    const file = resolveAgainstOrigin(path, origin, host.platform);
    try {
      return await host.fs.readFile(file, options.signal);
    } catch (error) {
      if (options.signal?.aborted === true) throw options.signal.reason;
      throw new KubeError(
        "ERR_CONFIG",
        `Cannot flatten the kubeconfig: ${isFileNotFound(error) ? `${JSON.stringify(file)} does not exist` : `cannot read ${JSON.stringify(file)}: ${(error as Error).message}`}`,
        { cause: error },
      );
    }
  };
  const clusters = Object.create(null) as Record<string, KubeconfigCluster>;
  for (const [name, cluster] of Object.entries(config.clusters)) {
    const copy = { ...cluster };
    if (copy.certificateAuthority !== undefined) {
      copy.certificateAuthorityData = await read(
        copy.certificateAuthority,
        copy.certificateAuthorityData,
        copy.locationOfOrigin,
      );
      delete copy.certificateAuthority;
    }
    clusters[name] = copy;
  }
  const users = Object.create(null) as Record<string, KubeconfigUser>;
  for (const [name, user] of Object.entries(config.users)) {
    const copy = { ...user };
    if (copy.clientCertificate !== undefined) {
      copy.clientCertificateData = await read(
        copy.clientCertificate,
        copy.clientCertificateData,
        copy.locationOfOrigin,
      );
      delete copy.clientCertificate;
    }
    if (copy.clientKey !== undefined) {
      copy.clientKeyData = await read(copy.clientKey, copy.clientKeyData, copy.locationOfOrigin);
      delete copy.clientKey;
    }
    users[name] = copy;
  }
  return { ...config, clusters, users };
}
