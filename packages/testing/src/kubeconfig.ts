/**
 * Kubeconfig files for the fake cluster: one cluster entry (server URL and CA), one user (a bearer token or a client
 * certificate), one context.
 *
 * @module
 */
import { stringify } from "yaml";

/** The credentials of a kubeconfig user. */
export type KubeconfigCredentials = { readonly token: string } | { readonly certPem: string; readonly keyPem: string };

/** Options of {@link buildKubeconfig}. */
export interface BuildKubeconfigOptions {
  /** The API server URL. */
  readonly server: string;
  /** CA certificate (PEM) that signed the serving certificate; absent for plain HTTP. */
  readonly caPem?: string | undefined;
  /** Credentials. */
  readonly credentials: KubeconfigCredentials;
  /** Name of the cluster, user and context entries. @default "kubeshift-fake-cluster" */
  readonly name?: string;
  /** User entry name. @default "admin" */
  readonly userName?: string;
  /** Default namespace of the context. @default "default" */
  readonly namespace?: string;
}

function b64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * Builds a kubeconfig (YAML).
 *
 * @param options server, CA, credentials, names
 * @returns the file's text
 * @example
 * ```ts
 * const text = buildKubeconfig({ server: cluster.url, caPem: cluster.caPem, credentials: { token: cluster.token } });
 * ```
 */
export function buildKubeconfig(options: BuildKubeconfigOptions): string {
  const name = options.name ?? "kubeshift-fake-cluster";
  const userName = options.userName ?? "admin";
  const cluster: Record<string, unknown> = { server: options.server };
  if (options.caPem !== undefined) cluster["certificate-authority-data"] = b64(options.caPem);
  const creds = options.credentials;
  const user: Record<string, unknown> =
    "token" in creds
      ? { token: creds.token }
      : { "client-certificate-data": b64(creds.certPem), "client-key-data": b64(creds.keyPem) };
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster }],
    users: [{ name: userName, user }],
    contexts: [{ name, context: { cluster: name, user: userName, namespace: options.namespace ?? "default" } }],
    "current-context": name,
    preferences: {},
  });
}
