/**
 * `ResolvedConnection`: everything a client needs to talk to one API server, derived from a kubeconfig context or
 * the in-cluster environment, so that no caller touches files again.
 *
 * @module
 */
import type { ConnectionOptions, CredentialSource } from "@kubeshift/transport";

/** Who to act as (kubeconfig `as`, `as-uid`, `as-groups`, `as-user-extra`). */
export interface Impersonation {
  /** `Impersonate-User`. */
  user?: string;
  /** `Impersonate-Uid`. */
  uid?: string;
  /** `Impersonate-Group`, one header each. */
  groups?: string[];
  /** `Impersonate-Extra-<key>`, one header per value. */
  extra?: Record<string, string[]>;
}

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
   * Where `Authorization` comes from: a bearer token source (static, token file, exec plugin), or basic auth
   * (`scheme: "Basic"`); `undefined` for anonymous or client-certificate-only access.
   */
  credentials: CredentialSource | undefined;
  /** Impersonation to apply to every request, if any. */
  impersonation: Impersonation | undefined;
}

/**
 * The request headers of an impersonation, as kubectl sends them (extra keys percent-encoded).
 *
 * @param impersonation who to act as
 * @returns header name/value pairs (a header may repeat)
 * @example
 * ```ts
 * for (const [name, value] of impersonationHeaders({ user: "jane", groups: ["devs"] })) headers.append(name, value);
 * ```
 */
export function impersonationHeaders(impersonation: Impersonation | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (impersonation === undefined) return out;
  if (impersonation.user !== undefined) out.push(["Impersonate-User", impersonation.user]);
  if (impersonation.uid !== undefined) out.push(["Impersonate-Uid", impersonation.uid]);
  for (const g of impersonation.groups ?? []) out.push(["Impersonate-Group", g]);
  for (const [key, values] of Object.entries(impersonation.extra ?? {})) {
    for (const v of values) out.push([`Impersonate-Extra-${encodeURIComponent(key)}`, v]);
  }
  return out;
}
