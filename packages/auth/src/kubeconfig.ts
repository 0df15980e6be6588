/**
 * The in-memory kubeconfig: what `parseKubeconfig` returns for one file and `loadKubeconfig` for the merged
 * `KUBECONFIG` list. It mirrors client-go's `clientcmdapi.Config`: named clusters, users and contexts keyed by name,
 * `currentContext`, preferences and extensions. Field names are the camelCase forms of the file's keys
 * (`certificate-authority-data` → `certificateAuthorityData`); `stringifyKubeconfig` writes the file names back.
 *
 * @module
 */

/** A named extension (`extensions: [{ name, extension }]`): any JSON value, kept as read. */
export type KubeconfigExtensions = Record<string, unknown>;

/** Where an API server is and how to trust it (`clusters[].cluster`). */
export interface KubeconfigCluster {
  /** The API server URL (`server`); `""` when the file leaves it out, as kubectl shows it. */
  server: string;
  /** Server name for SNI and certificate checks (`tls-server-name`). */
  tlsServerName?: string;
  /** Skips server certificate verification (`insecure-skip-tls-verify`). */
  insecureSkipTlsVerify?: boolean;
  /** Path of a PEM CA bundle (`certificate-authority`), as written in the file (relative to `locationOfOrigin`). */
  certificateAuthority?: string;
  /** The CA bundle itself (`certificate-authority-data`, base64 in the file). */
  certificateAuthorityData?: Uint8Array;
  /** HTTP(S) or SOCKS proxy for this cluster (`proxy-url`). */
  proxyUrl?: string;
  /** Asks for uncompressed responses (`disable-compression`). */
  disableCompression?: boolean;
  /** Named extensions (`extensions`). */
  extensions?: KubeconfigExtensions;
  /** The file this entry was read from (client-go's `LocationOfOrigin`); relative paths resolve against its folder. */
  locationOfOrigin?: string;
}

/** An environment variable for an exec plugin (`exec.env[]`). */
export interface ExecEnvVar {
  /** Variable name. */
  name: string;
  /** Variable value. */
  value: string;
}

/** How plugins may use the terminal (`exec.interactiveMode`). */
export type ExecInteractiveMode = "Never" | "IfAvailable" | "Always" | (string & {});

/** A credential plugin (`users[].user.exec`), client.authentication.k8s.io v1 or v1beta1. */
export interface KubeconfigExec {
  /** The program to run; resolved against the file's folder when it contains a path separator. */
  command: string;
  /** Arguments (`null` when the file has none, as kubectl prints it). */
  args: string[] | null;
  /** Extra environment variables (`null` when none). */
  env: ExecEnvVar[] | null;
  /** `client.authentication.k8s.io/v1` or `/v1beta1`. */
  apiVersion?: string;
  /** Shown when the command cannot be found (`installHint`). */
  installHint?: string;
  /** Passes the cluster to the plugin in `KUBERNETES_EXEC_INFO` (`provideClusterInfo`). */
  provideClusterInfo: boolean;
  /** `Never`, `IfAvailable` or `Always` (`interactiveMode`). */
  interactiveMode?: ExecInteractiveMode;
}

/** A legacy auth provider (`users[].user.auth-provider`); kubeshift reads it but asks users to move to exec. */
export interface KubeconfigAuthProvider {
  /** Provider name (`oidc`, `gcp`, `azure`). */
  name: string;
  /** Provider settings (`config`), possibly with cached tokens. */
  config?: Record<string, string>;
}

/** Who we are on a cluster (`users[].user`, client-go's `AuthInfo`). */
export interface KubeconfigUser {
  /** Path of a PEM client certificate (`client-certificate`), as written. */
  clientCertificate?: string;
  /** The client certificate itself (`client-certificate-data`). */
  clientCertificateData?: Uint8Array;
  /** Path of the PEM private key (`client-key`), as written. */
  clientKey?: string;
  /** The private key itself (`client-key-data`). */
  clientKeyData?: Uint8Array;
  /** A bearer token (`token`). */
  token?: string;
  /** Path of a file holding a bearer token, re-read as it rotates (`tokenFile`), as written. */
  tokenFile?: string;
  /** User to impersonate (`as`). */
  as?: string;
  /** UID to impersonate (`as-uid`). */
  asUid?: string;
  /** Groups to impersonate (`as-groups`). */
  asGroups?: string[];
  /** Extra fields to impersonate (`as-user-extra`). */
  asUserExtra?: Record<string, string[] | null>;
  /** Basic-auth user name (`username`). */
  username?: string;
  /** Basic-auth password (`password`). */
  password?: string;
  /** Legacy auth provider (`auth-provider`). */
  authProvider?: KubeconfigAuthProvider;
  /** Credential plugin (`exec`). */
  exec?: KubeconfigExec;
  /** Named extensions (`extensions`). */
  extensions?: KubeconfigExtensions;
  /** The file this entry was read from. */
  locationOfOrigin?: string;
}

/** A cluster, a user and a default namespace (`contexts[].context`). */
export interface KubeconfigContext {
  /** Name of the cluster (`cluster`). */
  cluster: string;
  /** Name of the user (`user`). */
  user: string;
  /** Default namespace (`namespace`). */
  namespace?: string;
  /** Named extensions (`extensions`). */
  extensions?: KubeconfigExtensions;
  /** The file this entry was read from. */
  locationOfOrigin?: string;
}

/** `preferences` of a kubeconfig (rarely used). */
export interface KubeconfigPreferences {
  /** `colors`. */
  colors?: boolean;
  /** Named extensions (`extensions`). */
  extensions?: KubeconfigExtensions;
}

/** A kubeconfig: one file, or the merge of a `KUBECONFIG` list. Maps are null-prototype records keyed by name. */
export interface Kubeconfig {
  /** Clusters by name. */
  clusters: Record<string, KubeconfigCluster>;
  /** Users (client-go: auth infos) by name. */
  users: Record<string, KubeconfigUser>;
  /** Contexts by name. */
  contexts: Record<string, KubeconfigContext>;
  /** The context used when none is asked for (`current-context`); `""` when unset. */
  currentContext: string;
  /** `preferences`. */
  preferences: KubeconfigPreferences;
  /** Top-level named extensions. */
  extensions?: KubeconfigExtensions;
}

/**
 * An empty kubeconfig, what kubectl shows when no file exists.
 *
 * @returns a new config with no clusters, users or contexts
 * @example
 * ```ts
 * const config = emptyKubeconfig();
 * config.clusters.dev = { server: "https://127.0.0.1:6443" };
 * ```
 */
export function emptyKubeconfig(): Kubeconfig {
  return {
    clusters: Object.create(null) as Record<string, KubeconfigCluster>,
    users: Object.create(null) as Record<string, KubeconfigUser>,
    contexts: Object.create(null) as Record<string, KubeconfigContext>,
    currentContext: "",
    preferences: {},
  };
}
