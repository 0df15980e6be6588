/**
 * `resolveConnection`: picks the context of a kubeconfig (current, or overridden like `--context`, `--cluster`,
 * `--user`, `--namespace`) and turns it into a {@link ResolvedConnection}: server, namespace, transport options with
 * the CA already read, a credential source and impersonation.
 *
 * @module
 */
import {
  type BasicAuthOptions,
  type ClientCertificate,
  type ClientCertificateProvider,
  type ConnectionOptions,
  type CredentialSource,
  type ImpersonateOptions,
  KubeError,
} from "@kubeshift/transport";
import { isAbsolutePath, joinPath, resolveAgainstOrigin } from "./_paths.ts";
import { type AuthHost, isFileNotFound, resolveHost, type WallClock } from "./auth-host.ts";
import { createClientCertificateProvider, type PemSource } from "./client-certificate-source.ts";
import { createExecCredentialSource } from "./exec-credential-source.ts";
import type { Kubeconfig, KubeconfigCluster, KubeconfigContext, KubeconfigUser } from "./kubeconfig.ts";
import { KubeconfigError } from "./kubeconfig-error.ts";
import type { KubeconfigOverrides, LoadedKubeconfig } from "./load-kubeconfig.ts";
import type { ResolvedConnection } from "./resolved-connection.ts";
import { createStaticTokenSource } from "./static-token-source.ts";
import { createTokenFileSource } from "./token-file-source.ts";

/** Options of {@link resolveConnection}. */
export interface ResolveConnectionOptions extends KubeconfigOverrides {
  /** Runtime access (files, processes). @default the Node/Deno host */
  host?: AuthHost;
  /** Time source for token reloads and exec expiry. @default the system clock */
  clock?: WallClock;
  /** Receives warnings (insecure mode, failed token re-reads); also set as `connection.onWarning`. */
  onWarning?: (message: string) => void;
  /** Kills an exec plugin that runs longer. @default 60000 (300000 when interactive) */
  execTimeoutMs?: number;
  /** Receives exec plugins' stderr instead of passing it through. */
  onExecStderr?: (chunk: Uint8Array) => void;
  /** Aborts the file reads. */
  signal?: AbortSignal;
}

const PROVIDER_HINTS: Readonly<Record<string, string>> = {
  oidc: "kubelogin (https://github.com/int128/kubelogin)",
  gcp: "gke-gcloud-auth-plugin",
  azure: "kubelogin (https://github.com/Azure/kubelogin)",
};

function utf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

function pick(
  config: Kubeconfig,
  overrides: KubeconfigOverrides,
): {
  contextName: string | undefined;
  context: KubeconfigContext;
  clusterName: string;
  cluster: KubeconfigCluster;
  userName: string;
  user: KubeconfigUser;
} {
  const contextName = overrides.context ?? (config.currentContext === "" ? undefined : config.currentContext);
  let context: KubeconfigContext = { cluster: "", user: "" };
  if (contextName !== undefined) {
    const found = config.contexts[contextName];
    if (found === undefined) {
      throw new KubeconfigError(`context ${JSON.stringify(contextName)} does not exist in the kubeconfig`, {
        missing: { kind: "context", name: contextName },
        file: undefined,
      });
    }
    context = found;
  }
  const clusterName = overrides.cluster ?? context.cluster;
  if (clusterName === "") {
    throw new KubeError(
      "ERR_CONFIG",
      contextName === undefined
        ? "no configuration has been provided: the kubeconfig has no current context (set one, pass a context, or run in a cluster)"
        : `context ${JSON.stringify(contextName)} names no cluster`,
    );
  }
  const cluster = config.clusters[clusterName];
  if (cluster === undefined) {
    throw new KubeconfigError(
      `cluster ${JSON.stringify(clusterName)}${contextName === undefined ? "" : ` of context ${JSON.stringify(contextName)}`} does not exist in the kubeconfig`,
      { missing: { kind: "cluster", name: clusterName } },
    );
  }
  const userName = overrides.user ?? context.user;
  let user: KubeconfigUser = {};
  if (userName !== "") {
    const found = config.users[userName];
    if (found === undefined) {
      throw new KubeconfigError(
        `user ${JSON.stringify(userName)}${contextName === undefined ? "" : ` of context ${JSON.stringify(contextName)}`} does not exist in the kubeconfig`,
        { missing: { kind: "user", name: userName } },
      );
    }
    user = found;
  }
  return { contextName, context, clusterName, cluster, userName, user };
}

/**
 * Resolves the context to use into a connection, like kubectl: `context`, `cluster`, `user` and `namespace`
 * override the config's (options here win over the overrides given to `loadKubeconfig`). Relative paths resolve
 * against the file that named them. Credentials follow client-go's precedence: token file (falling back to the
 * inline token) or token, else basic auth (`basicAuth`), else an exec plugin (whose client certificate is used when
 * the user has none of its own). `auth-provider` users are refused with a pointer to the exec plugin that replaces them.
 *
 * @param config a loaded (or parsed) kubeconfig
 * @param options overrides, host, clock, warnings, exec settings
 * @returns server, namespace, transport options, credentials and impersonation
 * @throws {KubeconfigError} when the context, its cluster or its user does not exist (`missing` names it), or the
 *   settings contradict each other (token and basic auth, CA and insecure, impersonated groups without a user)
 * @throws {KubeError} `ERR_CONFIG` when no context is selected, the cluster has no server, a CA file cannot be read,
 *   or the user has an `auth-provider`
 * @example
 * ```ts
 * const { server, namespace, connection, credentials } = await resolveConnection(await loadKubeconfig(), {
 *   context: "prod",
 * });
 * ```
 */
export async function resolveConnection(
  config: Kubeconfig | LoadedKubeconfig,
  options: ResolveConnectionOptions = {},
): Promise<ResolvedConnection> {
  const host = await resolveHost(options.host);
  const loaded = (config as Partial<LoadedKubeconfig>).overrides ?? {};
  const overrides: KubeconfigOverrides = { ...loaded };
  for (const key of ["context", "cluster", "user", "namespace"] as const) {
    const value = options[key];
    if (value !== undefined && value !== "") overrides[key] = value;
  }
  const { contextName, context, clusterName, cluster, userName, user } = pick(config, overrides);
  const where = `cluster ${JSON.stringify(clusterName)}`;
  if (cluster.server === "") throw new KubeError("ERR_CONFIG", `${where} has no server`);
  let serverUrl: URL;
  try {
    serverUrl = new URL(cluster.server);
  } catch (cause) {
    throw new KubeError("ERR_CONFIG", `${where}: server ${JSON.stringify(cluster.server)} is not a URL`, { cause });
  }
  if (serverUrl.protocol !== "https:" && serverUrl.protocol !== "http:") {
    throw new KubeError("ERR_CONFIG", `${where}: server ${JSON.stringify(cluster.server)} must be http(s)`);
  }
  const hasCa = cluster.certificateAuthority !== undefined || cluster.certificateAuthorityData !== undefined;
  if (cluster.insecureSkipTlsVerify === true && hasCa) {
    throw new KubeconfigError(`${where}: specifying a root certificates file with the insecure flag is not allowed`, {
      file: cluster.locationOfOrigin,
    });
  }
  const resolvePath = (path: string, origin: string | undefined): string => {
    const resolved = resolveAgainstOrigin(path, origin, host.platform);
    // A config parsed without a path has no origin: relative paths are relative to the working folder.
    return isAbsolutePath(resolved, host.platform) ? resolved : joinPath(host.platform, host.cwd, resolved);
  };

  const connection: ConnectionOptions = {};
  if (cluster.certificateAuthorityData !== undefined) {
    connection.caPem = utf8(cluster.certificateAuthorityData);
  } else if (cluster.certificateAuthority !== undefined) {
    const file = resolvePath(cluster.certificateAuthority, cluster.locationOfOrigin);
    try {
      connection.caPem = utf8(await host.fs.readFile(file, options.signal));
    } catch (error) {
      if (options.signal?.aborted === true) throw options.signal.reason;
      throw new KubeError(
        "ERR_CONFIG",
        `${where}: cannot read certificate-authority ${JSON.stringify(file)}: ${isFileNotFound(error) ? "the file does not exist" : (error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (cluster.insecureSkipTlsVerify === true) connection.insecureSkipTlsVerify = true;
  if (cluster.tlsServerName !== undefined) connection.tlsServerName = cluster.tlsServerName;
  if (cluster.proxyUrl !== undefined) connection.proxyUrl = cluster.proxyUrl;
  if (cluster.disableCompression === true) connection.disableCompression = true;
  if (options.onWarning !== undefined) connection.onWarning = options.onWarning;

  const who = `user ${JSON.stringify(userName)}`;
  if (user.authProvider !== undefined) {
    const name = user.authProvider.name;
    const hint = PROVIDER_HINTS[name];
    throw new KubeError(
      "ERR_CONFIG",
      `${who} uses the auth-provider ${JSON.stringify(name)}, which kubeshift does not support: auth providers are deprecated in favour of exec credential plugins${hint === undefined ? "" : `; use ${hint} as an exec plugin`}`,
    );
  }
  const hasToken = user.token !== undefined || user.tokenFile !== undefined;
  const hasBasic = user.username !== undefined || user.password !== undefined;
  if (hasToken && hasBasic) {
    throw new KubeconfigError(`${who}: username/password or bearer token may be set, but not both`, {
      file: user.locationOfOrigin,
    });
  }

  // Client certificate of the user itself.
  const certSource: PemSource | undefined =
    user.clientCertificateData !== undefined
      ? { pem: utf8(user.clientCertificateData) }
      : user.clientCertificate !== undefined
        ? { file: resolvePath(user.clientCertificate, user.locationOfOrigin) }
        : undefined;
  const keySource: PemSource | undefined =
    user.clientKeyData !== undefined
      ? { pem: utf8(user.clientKeyData) }
      : user.clientKey !== undefined
        ? { file: resolvePath(user.clientKey, user.locationOfOrigin) }
        : undefined;
  if ((certSource === undefined) !== (keySource === undefined)) {
    throw new KubeconfigError(
      `${who}: client-certificate and client-key must both be set (as files or data) or both be absent`,
      { file: user.locationOfOrigin },
    );
  }
  let clientCertificate: ClientCertificate | ClientCertificateProvider | undefined;
  if (certSource !== undefined && keySource !== undefined) {
    clientCertificate =
      "pem" in certSource && "pem" in keySource
        ? { certPem: certSource.pem, keyPem: keySource.pem }
        : createClientCertificateProvider({
            certificate: certSource,
            key: keySource,
            host,
            ...(options.clock === undefined ? {} : { clock: options.clock }),
          });
  }

  let credentials: CredentialSource | undefined;
  let basicAuth: BasicAuthOptions | undefined;
  if (user.tokenFile !== undefined) {
    credentials = createTokenFileSource(resolvePath(user.tokenFile, user.locationOfOrigin), {
      host,
      ...(user.token === undefined ? {} : { fallbackToken: user.token }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    });
  } else if (user.token !== undefined) {
    credentials = createStaticTokenSource(user.token);
  } else if (hasBasic) {
    if ((user.username ?? "").includes(":")) {
      throw new KubeconfigError(`${who}: a basic-auth user name must not contain ':'`, { file: user.locationOfOrigin });
    }
    basicAuth = { username: user.username ?? "", password: user.password ?? "" };
  } else if (user.exec !== undefined) {
    // client-go resolves a relative command against the kubeconfig only when it contains a path separator.
    const command = /[\\/]/.test(user.exec.command)
      ? resolvePath(user.exec.command, user.locationOfOrigin)
      : user.exec.command;
    const exec = createExecCredentialSource(
      { ...user.exec, command },
      {
        host,
        cluster,
        userName,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        ...(options.execTimeoutMs === undefined ? {} : { timeoutMs: options.execTimeoutMs }),
        ...(options.onExecStderr === undefined ? {} : { onStderr: options.onExecStderr }),
      },
    );
    credentials = exec;
    if (clientCertificate === undefined) clientCertificate = exec.clientCertificate;
  }
  if (clientCertificate !== undefined) connection.clientCertificate = clientCertificate;

  let impersonation: ImpersonateOptions | undefined;
  if (user.as !== undefined) {
    impersonation = { user: user.as };
    if (user.asUid !== undefined) impersonation.uid = user.asUid;
    if (user.asGroups !== undefined) impersonation.groups = [...user.asGroups];
    if (user.asUserExtra !== undefined) {
      const extra: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(user.asUserExtra)) extra[k] = [...(v ?? [])];
      impersonation.extra = extra;
    }
  } else if (user.asUid !== undefined || user.asGroups !== undefined || user.asUserExtra !== undefined) {
    throw new KubeconfigError(`${who}: requesting uid, groups or user-extra without impersonating a user (set as)`, {
      file: user.locationOfOrigin,
    });
  }

  return {
    source: "kubeconfig",
    server: cluster.server.replace(/\/+$/, ""),
    namespace: overrides.namespace ?? (context.namespace || "default"),
    contextName,
    clusterName,
    userName: userName === "" ? undefined : userName,
    connection,
    credentials,
    basicAuth,
    impersonation,
  };
}
