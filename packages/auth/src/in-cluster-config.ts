/**
 * `inClusterConfig`: the connection of a pod to its own cluster — `KUBERNETES_SERVICE_HOST`/`PORT` and the
 * mounted service-account token, CA and namespace.
 *
 * @module
 */
import { KubeError } from "@kubeshift/transport";
import { joinPath } from "./_paths.ts";
import { type AuthHost, isFileNotFound, resolveHost, type WallClock } from "./auth-host.ts";
import type { ResolvedConnection } from "./resolved-connection.ts";
import { createTokenFileSource } from "./token-file-source.ts";

/**
 * Where Kubernetes mounts a pod's service-account credentials.
 *
 * @example
 * ```ts
 * await inClusterConfig({ root: SERVICE_ACCOUNT_DIR });
 * ```
 */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Options of {@link inClusterConfig}. */
export interface InClusterConfigOptions {
  /** Runtime access (environment, files). @default the Node/Deno host */
  host?: AuthHost;
  /** The folder holding `token`, `ca.crt` and `namespace` (tests use a fake one). @default SERVICE_ACCOUNT_DIR */
  root?: string;
  /** Time source for the token reload. @default the system clock */
  clock?: WallClock;
  /** Receives warnings (no CA file, a token re-read that failed). */
  onWarning?: (message: string) => void;
}

/**
 * Whether the process looks like it runs in a pod (both service variables are set).
 *
 * @param env the environment
 * @returns `true` when `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT` are set
 * @example
 * ```ts
 * if (isInCluster(process.env)) console.log("running in a pod");
 * ```
 */
export function isInCluster(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST) && Boolean(env.KUBERNETES_SERVICE_PORT);
}

/**
 * Builds the in-cluster connection like client-go's `rest.InClusterConfig`: server `https://<host>:<port>` (IPv6
 * hosts bracketed), the CA from `ca.crt`, the token from `token` (re-read as the kubelet rotates it), and the
 * namespace from `POD_NAMESPACE`, else the `namespace` file, else `default`.
 *
 * @param options host, fake root folder, clock, warnings
 * @returns the connection
 * @throws {KubeError} `ERR_CONFIG` when the service variables are missing or the token cannot be read
 * @example
 * ```ts
 * const { server, connection, credentials, namespace } = await inClusterConfig();
 * ```
 */
export async function inClusterConfig(options: InClusterConfigOptions = {}): Promise<ResolvedConnection> {
  const host = await resolveHost(options.host);
  const serviceHost = host.env.KUBERNETES_SERVICE_HOST;
  const servicePort = host.env.KUBERNETES_SERVICE_PORT;
  if (!serviceHost || !servicePort) {
    throw new KubeError(
      "ERR_CONFIG",
      "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined",
    );
  }
  const root = options.root ?? SERVICE_ACCOUNT_DIR;
  const tokenPath = joinPath(host.platform, root, "token");
  const credentials = createTokenFileSource(tokenPath, {
    host,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });
  try {
    await credentials.getToken();
  } catch (error) {
    throw new KubeError("ERR_CONFIG", `unable to load in-cluster configuration: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const caPath = joinPath(host.platform, root, "ca.crt");
  let caPem: string | undefined;
  try {
    caPem = new TextDecoder().decode(await host.fs.readFile(caPath));
  } catch (error) {
    options.onWarning?.(
      `Expected to load the root CA from ${JSON.stringify(caPath)}, but ${isFileNotFound(error) ? "it does not exist" : (error as Error).message}`,
    );
  }
  let namespace = host.env.POD_NAMESPACE ?? "";
  if (namespace === "") {
    try {
      namespace = new TextDecoder().decode(await host.fs.readFile(joinPath(host.platform, root, "namespace"))).trim();
    } catch {
      namespace = "";
    }
  }
  const hostPart = serviceHost.includes(":") && !serviceHost.startsWith("[") ? `[${serviceHost}]` : serviceHost;
  return {
    source: "in-cluster",
    server: `https://${hostPart}:${servicePort}`,
    namespace: namespace === "" ? "default" : namespace,
    contextName: undefined,
    clusterName: undefined,
    userName: undefined,
    connection: {
      ...(caPem === undefined ? {} : { caPem }),
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    },
    credentials,
    basicAuth: undefined,
    impersonation: undefined,
  };
}
