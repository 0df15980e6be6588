/**
 * `ResolvedConnection`: everything a client needs to talk to one API server, derived from a kubeconfig context or
 * the in-cluster environment, so that no caller touches files again. Its fields map one to one onto transport: an
 * adapter built from `connection`, then `bearerAuth(credentials)`, `basicAuth(basicAuth)`, `impersonate(impersonation)`.
 *
 * @module
 */
import type { BasicAuthOptions, ConnectionOptions, CredentialSource, ImpersonateOptions } from "@kubeshift/transport";

/** The connection to one API server, ready for a transport adapter and the client. */
export interface ResolvedConnection {
  /** Where the settings came from. */
  source: "kubeconfig" | "in-cluster";
  /** The API server URL (no trailing slash). */
  server: string;
  /** The namespace to use by default: the override, else the context's, else `"default"`. */
  namespace: string;
  /** The context used (kubeconfig only). */
  contextName: string | undefined;
  /** The cluster used (kubeconfig only). */
  clusterName: string | undefined;
  /** The user used (kubeconfig only). */
  userName: string | undefined;
  /** TLS, proxy and compression settings for the transport adapter (CA files already read). */
  connection: ConnectionOptions;
  /**
   * Where bearer tokens come from (static token, token file, exec plugin), for transport's `bearerAuth`;
   * `undefined` for basic auth, client-certificate-only or anonymous access.
   */
  credentials: CredentialSource | undefined;
  /** User name and password (kubeconfig `username`/`password`), for transport's `basicAuth`. */
  basicAuth: BasicAuthOptions | undefined;
  /** Who to act as (kubeconfig `as`, `as-uid`, `as-groups`, `as-user-extra`), for transport's `impersonate`. */
  impersonation: ImpersonateOptions | undefined;
}
