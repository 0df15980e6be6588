/**
 * The composition root of `kubeshift-watch`: a client for the kubeconfig context (or the in-cluster service account)
 * through `@kubeshift/auth` and `@kubeshift/client` with the adapter of the running runtime, or, with `--demo`, an
 * embedded fake cluster from `@kubeshift/testing` with its churn generator. When there is no kubeconfig at all, the
 * error says where it was looked for and how to get one.
 *
 * @module
 */
import {
  getDefaultAuthHost,
  isInCluster,
  kubeconfigPrecedence,
  loadConnection,
  loadKubeconfig,
  type ResolvedConnection,
} from "@kubeshift/auth";
import { type Client, connect } from "@kubeshift/client";
import { KubeError } from "@kubeshift/transport";
import type { ClusterInfo } from "./watch-session.ts";

/** A connected cluster. */
export interface OpenCluster extends AsyncDisposable {
  /** The client. */
  readonly client: Client;
  /** Who and where, for the header. */
  readonly info: ClusterInfo;
  /** Closes the client (and stops the demo cluster). */
  close(): Promise<void>;
}

/** Options of {@link openCluster}. */
export interface OpenClusterOptions {
  /** `--kubeconfig`. */
  kubeconfig?: string | undefined;
  /** `--context`. */
  context?: string | undefined;
  /** Receives the server's warnings. */
  onWarning?: (message: string) => void;
}

/**
 * Connects to the cluster of the kubeconfig, as kubectl would.
 *
 * @param options kubeconfig file, context
 * @returns the client and who/where
 * @throws {KubeError} `ERR_CONFIG` when there is no kubeconfig (the message says where it looked and how to log in),
 *   or when it is unusable
 * @example
 * ```ts
 * await using cluster = await openCluster({ context: "prod" });
 * ```
 */
export async function openCluster(options: OpenClusterOptions = {}): Promise<OpenCluster> {
  const load = {
    ...(options.kubeconfig === undefined ? {} : { path: options.kubeconfig }),
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  };
  let connection: ResolvedConnection;
  try {
    connection = await loadConnection(load);
  } catch (error) {
    throw (await noKubeconfig(options, error)) ?? error;
  }
  const client = await connect({
    connection,
    // The informers retry forever with their own backoff; a request that cannot reach the server at all should say
    // so within a second, not after the client's default five retries (about 8 s).
    retry: { maxRetries: 2 },
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });
  return fromConnection(client, { connection, close: () => client.close() });
}

/** What a client was built from, and how to release it. */
export interface ConnectionHandle {
  /** The resolved connection (context, server, user, namespace). */
  connection: ResolvedConnection;
  /** Releases the client (and whatever runs for it); called once. */
  close: () => Promise<void>;
}

/**
 * Wraps a client and its resolved connection.
 *
 * @param client the client
 * @param handle the connection it was built from and how to release it
 * @returns the open cluster, `close()` idempotent
 * @example
 * ```ts
 * const cluster = fromConnection(client, { connection, close: () => client.close() });
 * ```
 */
export function fromConnection(client: Client, handle: ConnectionHandle): OpenCluster {
  const { connection, close } = handle;
  const info: ClusterInfo = {
    context: connection.contextName ?? (connection.source === "in-cluster" ? "in-cluster" : "(none)"),
    server: connection.server,
    user: connection.userName ?? (connection.source === "in-cluster" ? "service account" : "(none)"),
    namespace: connection.namespace,
  };
  let closed: Promise<void> | undefined;
  const done = (): Promise<void> => {
    closed ??= close();
    return closed;
  };
  return { client, info, close: done, [Symbol.asyncDispose]: done };
}

/** The error to show when the failure is "there is no kubeconfig at all", else `undefined`. */
async function noKubeconfig(options: OpenClusterOptions, error: unknown): Promise<KubeError | undefined> {
  if (!(error instanceof KubeError) || error.code !== "ERR_CONFIG" || options.kubeconfig !== undefined)
    return undefined;
  const host = await getDefaultAuthHost();
  let files: string[];
  try {
    files = (await loadKubeconfig({ host })).files;
  } catch {
    return undefined;
  }
  if (files.length > 0 || isInCluster(host.env)) return undefined;
  const looked = kubeconfigPrecedence(host);
  const env = host.env.KUBECONFIG;
  const where =
    looked.length === 0
      ? "no home directory and KUBECONFIG is not set"
      : env === undefined || env === ""
        ? `${looked.join(", ")} (KUBECONFIG is not set)`
        : `KUBECONFIG=${env} (${looked.length === 1 ? "the file does not exist" : "none of the files exists"})`;
  return new KubeError(
    "ERR_CONFIG",
    [
      "no kubeconfig found, and not running inside a cluster.",
      `Looked in: ${where}.`,
      "Log in first: oc login https://api.<cluster>:6443 (OpenShift), or get a kubeconfig from your cluster's administrator",
      "and pass it with --kubeconfig PATH or KUBECONFIG=PATH. To try kubeshift-watch without a cluster: kubeshift-watch --demo",
    ].join("\n"),
    { cause: error },
  );
}
