/**
 * `createClientCertificateProvider`: the client certificate and key of a kubeconfig user, from inline data or from
 * files that are re-read when they change (certificates rotated by cert-manager or a kubelet).
 *
 * @module
 */
import { type ClientCertificate, type ClientCertificateProvider, KubeError } from "@kubeshift/transport";
import { raceSignal } from "./_abortable.ts";
import { type AuthHost, isFileNotFound, resolveHost, systemWallClock, type WallClock } from "./auth-host.ts";

/** One half of the pair: a file to read, or the PEM itself. */
export type PemSource = { file: string } | { pem: string };

/** Options of {@link createClientCertificateProvider}. */
export interface ClientCertificateProviderOptions {
  /** The certificate (chain). */
  certificate: PemSource;
  /** The private key. */
  key: PemSource;
  /** Runtime access (files). @default the Node/Deno host */
  host?: AuthHost;
  /** Time source for the change checks. @default the system clock */
  clock?: WallClock;
  /** Looks at the files' modification times at most this often. @default 1000 */
  checkIntervalMs?: number;
}

interface Loaded {
  pair: ClientCertificate;
  stamps: string;
}

function describe(source: PemSource, what: string): string {
  return "file" in source ? `${what} file ${JSON.stringify(source.file)}` : `inline ${what}`;
}

/**
 * A {@link ClientCertificateProvider} for transport adapters. Inline PEM is returned as is; files are read on first
 * use and again when their modification time or size changes (checked at most every `checkIntervalMs`). The same
 * object is returned while nothing changed, so adapters can keep their TLS state. Errors name the file, never the
 * key.
 *
 * @param options the two halves, host, clock
 * @returns the provider
 * @throws {KubeError} `ERR_CONFIG` (from the provider) when a file is missing or does not hold PEM of the right kind
 * @example
 * ```ts
 * const clientCertificate = createClientCertificateProvider({
 *   certificate: { file: "/etc/kube/client.crt" },
 *   key: { file: "/etc/kube/client.key" },
 * });
 * ```
 */
export function createClientCertificateProvider(options: ClientCertificateProviderOptions): ClientCertificateProvider {
  const clock = options.clock ?? systemWallClock;
  const interval = options.checkIntervalMs ?? 1_000;
  let loaded: Loaded | undefined;
  let lastCheck = Number.NEGATIVE_INFINITY;
  let pending: Promise<ClientCertificate> | undefined;

  const stampsOf = async (host: AuthHost): Promise<string> => {
    const parts: string[] = [];
    for (const source of [options.certificate, options.key]) {
      if (!("file" in source)) continue;
      const info = await host.fs.stat(source.file).catch(() => undefined);
      parts.push(info === undefined ? "missing" : `${info.mtimeMs}:${info.size}`);
    }
    return parts.join("|");
  };

  const readPem = async (host: AuthHost, source: PemSource, what: string, marker: RegExp): Promise<string> => {
    let pem: string;
    if ("pem" in source) pem = source.pem;
    else {
      try {
        pem = new TextDecoder().decode(await host.fs.readFile(source.file));
      } catch (error) {
        const why = isFileNotFound(error) ? "the file does not exist" : (error as Error).message;
        throw new KubeError("ERR_CONFIG", `Cannot read client ${what} file ${JSON.stringify(source.file)}: ${why}`, {
          cause: error,
        });
      }
    }
    if (!marker.test(pem)) {
      throw new KubeError("ERR_CONFIG", `The ${describe(source, `client ${what}`)} does not contain a PEM ${what}`);
    }
    return pem;
  };

  const load = async (host: AuthHost, stamps: string): Promise<ClientCertificate> => {
    const certPem = await readPem(host, options.certificate, "certificate", /-----BEGIN [A-Z0-9 ]*CERTIFICATE-----/);
    const keyPem = await readPem(host, options.key, "key", /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/);
    if (loaded !== undefined && loaded.pair.certPem === certPem && loaded.pair.keyPem === keyPem) {
      loaded.stamps = stamps;
      return loaded.pair;
    }
    loaded = { pair: { certPem, keyPem }, stamps };
    return loaded.pair;
  };

  return async (signal?: AbortSignal): Promise<ClientCertificate | undefined> => {
    signal?.throwIfAborted();
    const host = await resolveHost(options.host);
    const now = clock.now();
    if (loaded !== undefined && now - lastCheck < interval) return loaded.pair;
    lastCheck = now;
    const stamps = await stampsOf(host);
    if (loaded !== undefined && loaded.stamps === stamps) return loaded.pair;
    pending ??= load(host, stamps).finally(() => {
      pending = undefined;
    });
    return raceSignal(pending, signal);
  };
}
