/**
 * `createExecCredentialSource`: runs a client-go credential plugin (`users[].user.exec`, protocol
 * client.authentication.k8s.io v1 and v1beta1) and serves the token and/or client certificate it returns, cached
 * until `expirationTimestamp` and re-run after a 401.
 *
 * @module
 */
import {
  type ClientCertificate,
  type ClientCertificateProvider,
  type CredentialSource,
  KubeError,
  registerSecret,
} from "@kubeshift/transport";
import { raceSignal } from "./_abortable.ts";
import { encodeBase64 } from "./_base64.ts";
import { type AuthHost, isFileNotFound, resolveHost, systemWallClock, type WallClock } from "./auth-host.ts";
import type { KubeconfigCluster, KubeconfigExec } from "./kubeconfig.ts";

const SUPPORTED = new Set(["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]);
const INSTALL_DOCS =
  "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins";

/** Options of {@link createExecCredentialSource}. */
export interface ExecCredentialSourceOptions {
  /** Runtime access (environment, terminal, process runner). @default the Node/Deno host */
  host?: AuthHost;
  /** Time source for expiry. @default the system clock */
  clock?: WallClock;
  /** The cluster, passed to the plugin in `KUBERNETES_EXEC_INFO` when `provideClusterInfo` is set. */
  cluster?: KubeconfigCluster;
  /** The kubeconfig user name, for messages. */
  userName?: string;
  /** Kills a plugin that has not finished after this long. @default 60000, or 300000 for an interactive run */
  timeoutMs?: number;
  /** Receives the plugin's stderr instead of passing it through to ours. */
  onStderr?: (chunk: Uint8Array) => void;
}

/** What a plugin returned. */
export interface ExecCredential {
  /** Bearer token, when the plugin returned one. */
  token: string | undefined;
  /** Client certificate and key, when the plugin returned them. */
  clientCertificate: ClientCertificate | undefined;
  /** When the credential expires (ms since the epoch); `undefined` means until a 401. */
  expiresAt: number | undefined;
}

/** A credential source backed by an exec plugin; also a provider of the plugin's client certificate. */
export interface ExecCredentialSource extends CredentialSource {
  /** The plugin's client certificate (runs the plugin when needed); for `ConnectionOptions.clientCertificate`. */
  readonly clientCertificate: ClientCertificateProvider;
  /** The current credential, running the plugin when there is none or it expired. */
  getCredential(signal?: AbortSignal): Promise<ExecCredential>;
  /** Drops the cached credential when `token` is the one it holds (the server answered 401 to it). */
  invalidate(token: string): void;
}

function authError(message: string, cause?: unknown): KubeError {
  return new KubeError("ERR_AUTH", message, cause === undefined ? {} : { cause });
}

function clusterInfo(cluster: KubeconfigCluster | undefined): Record<string, unknown> {
  if (cluster === undefined) return {};
  const info: Record<string, unknown> = { server: cluster.server };
  if (cluster.tlsServerName) info["tls-server-name"] = cluster.tlsServerName;
  if (cluster.insecureSkipTlsVerify) info["insecure-skip-tls-verify"] = true;
  if (cluster.certificateAuthorityData !== undefined) {
    info["certificate-authority-data"] = encodeBase64(cluster.certificateAuthorityData);
  }
  if (cluster.proxyUrl) info["proxy-url"] = cluster.proxyUrl;
  if (cluster.disableCompression) info["disable-compression"] = true;
  // The per-cluster plugin configuration lives in this well-known extension.
  const config = cluster.extensions?.["client.authentication.k8s.io/exec"];
  if (config !== undefined) info.config = config;
  return info;
}

function parseCredential(stdout: Uint8Array, apiVersion: string, command: string): ExecCredential {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(stdout));
  } catch (cause) {
    throw authError(
      `exec plugin ${JSON.stringify(command)} did not print an ExecCredential: its output is not JSON`,
      cause,
    );
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw authError(`exec plugin ${JSON.stringify(command)} did not print an ExecCredential object`);
  }
  const cred = body as { apiVersion?: unknown; kind?: unknown; status?: unknown };
  if (cred.kind !== "ExecCredential") {
    throw authError(
      `exec plugin ${JSON.stringify(command)} printed kind ${JSON.stringify(cred.kind)}, not ExecCredential`,
    );
  }
  if (cred.apiVersion !== apiVersion) {
    throw authError(
      `exec plugin ${JSON.stringify(command)} is configured to use API version ${apiVersion}, plugin returned version ${JSON.stringify(cred.apiVersion)}`,
    );
  }
  const status = cred.status as Record<string, unknown> | null | undefined;
  if (status === null || status === undefined || typeof status !== "object") {
    throw authError(`exec plugin ${JSON.stringify(command)} didn't return a status field`);
  }
  const str = (key: string): string | undefined => {
    const v = status[key];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") throw authError(`exec plugin ${JSON.stringify(command)}: status.${key} is not a string`);
    return v;
  };
  const token = str("token");
  const certPem = str("clientCertificateData");
  const keyPem = str("clientKeyData");
  if ((certPem === undefined) !== (keyPem === undefined)) {
    throw authError(
      `exec plugin ${JSON.stringify(command)}: clientCertificateData and clientKeyData must both be set or both be empty`,
    );
  }
  if (token === undefined && certPem === undefined) {
    throw authError(`exec plugin ${JSON.stringify(command)} didn't return a token or cert/key pair`);
  }
  let expiresAt: number | undefined;
  const exp = str("expirationTimestamp");
  if (exp !== undefined) {
    expiresAt = Date.parse(exp);
    if (Number.isNaN(expiresAt)) {
      throw authError(`exec plugin ${JSON.stringify(command)}: status.expirationTimestamp is not a timestamp`);
    }
  }
  if (token !== undefined) registerSecret(token);
  if (keyPem !== undefined) registerSecret(keyPem);
  return {
    token,
    clientCertificate: certPem !== undefined && keyPem !== undefined ? { certPem, keyPem } : undefined,
    expiresAt,
  };
}

/**
 * Runs a credential plugin the way client-go does. The plugin gets our environment plus its `env`, and
 * `KUBERNETES_EXEC_INFO` with `interactive` and (with `provideClusterInfo`) the cluster; it gets our stdin only when
 * interactive (`interactiveMode`: `Never`, `IfAvailable` — the v1beta1 default — or `Always`, which fails without a
 * terminal); its stderr is passed through. The credential is cached until `expirationTimestamp` (or until a 401
 * invalidates it); concurrent callers share one run. A missing command fails with the `installHint`; a plugin still
 * running after `timeoutMs` is killed and fails with a clear error. Tokens and keys are registered for redaction.
 *
 * @param exec the `exec` section of the user; a relative `command` with a path separator must already be resolved
 * @param options host, clock, cluster, timeout, stderr sink
 * @returns the credential source (token) with a client-certificate provider
 * @throws {KubeError} `ERR_CONFIG` for an unsupported `apiVersion` or a v1 config without `interactiveMode`
 * @example
 * ```ts
 * const source = createExecCredentialSource(config.users.eks.exec!, { cluster: config.clusters.eks });
 * const token = await source.getToken();
 * ```
 */
export function createExecCredentialSource(
  exec: KubeconfigExec,
  options: ExecCredentialSourceOptions = {},
): ExecCredentialSource {
  const who = options.userName === undefined ? "" : ` of user ${JSON.stringify(options.userName)}`;
  const apiVersion = exec.apiVersion ?? "";
  if (!SUPPORTED.has(apiVersion)) {
    throw new KubeError(
      "ERR_CONFIG",
      `exec plugin${who}: apiVersion ${JSON.stringify(apiVersion)} is not supported (use client.authentication.k8s.io/v1 or v1beta1)`,
    );
  }
  if (exec.command === "") throw new KubeError("ERR_CONFIG", `exec plugin${who}: command is empty`);
  let mode = exec.interactiveMode ?? "";
  if (mode === "") {
    if (apiVersion === "client.authentication.k8s.io/v1") {
      throw new KubeError(
        "ERR_CONFIG",
        `interactiveMode must be specified${who.replace(" of ", " for ")} to use exec authentication plugin`,
      );
    }
    mode = "IfAvailable";
  }
  if (mode !== "Never" && mode !== "IfAvailable" && mode !== "Always") {
    throw new KubeError("ERR_CONFIG", `exec plugin${who}: invalid interactiveMode ${JSON.stringify(mode)}`);
  }
  const clock = options.clock ?? systemWallClock;
  let cached: ExecCredential | undefined;
  let pending: Promise<ExecCredential> | undefined;

  const run = async (): Promise<ExecCredential> => {
    const host = await resolveHost(options.host);
    const interactive = mode === "Always" || (mode === "IfAvailable" && host.stdinIsTerminal);
    if (mode === "Always" && !host.stdinIsTerminal) {
      throw authError(
        `exec plugin ${JSON.stringify(exec.command)} requires an interactive terminal (interactiveMode Always), but standard input is not a terminal`,
      );
    }
    const spec: Record<string, unknown> = { interactive };
    if (exec.provideClusterInfo) spec.cluster = clusterInfo(options.cluster);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(host.env)) if (v !== undefined) env[k] = v;
    for (const e of exec.env ?? []) env[e.name] = e.value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion, kind: "ExecCredential", spec });
    const timeoutMs = options.timeoutMs ?? (interactive ? 300_000 : 60_000);
    const timeout = new AbortController();
    const timer = setTimeout(
      () =>
        timeout.abort(authError(`exec plugin ${JSON.stringify(exec.command)} did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      const result = await host.runProcess(exec.command, {
        args: exec.args ?? [],
        env,
        stdin: interactive ? "inherit" : "ignore",
        stderr: options.onStderr ?? "inherit",
        signal: timeout.signal,
      });
      if (result.exitCode !== 0) {
        throw authError(
          `exec plugin ${JSON.stringify(exec.command)} failed with ${result.exitCode === null ? "a signal" : `exit code ${result.exitCode}`}`,
        );
      }
      return parseCredential(result.stdout, apiVersion, exec.command);
    } catch (error) {
      if (timeout.signal.aborted) throw timeout.signal.reason;
      if (isFileNotFound(error)) {
        const hint = exec.installHint ? `\n\n${exec.installHint}` : "";
        throw authError(
          `exec: executable ${exec.command} not found\n\nIt looks like you are trying to use a client-go credential plugin that is not installed.\n\nTo learn more about this feature, consult the documentation available at:\n      ${INSTALL_DOCS}${hint}`,
          error,
        );
      }
      if (error instanceof KubeError) throw error;
      throw authError(
        `exec plugin ${JSON.stringify(exec.command)} could not be run: ${(error as Error).message}`,
        error,
      );
    } finally {
      clearTimeout(timer);
    }
  };

  const getCredential = (signal?: AbortSignal): Promise<ExecCredential> => {
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (cached !== undefined && (cached.expiresAt === undefined || clock.now() < cached.expiresAt)) {
      return Promise.resolve(cached);
    }
    pending ??= run()
      .then((credential) => {
        cached = credential;
        return credential;
      })
      .finally(() => {
        pending = undefined;
      });
    return raceSignal(pending, signal);
  };

  return {
    getCredential,
    async getToken(signal?: AbortSignal): Promise<string | undefined> {
      return (await getCredential(signal)).token;
    },
    clientCertificate: async (signal?: AbortSignal): Promise<ClientCertificate | undefined> =>
      (await getCredential(signal)).clientCertificate,
    invalidate(token: string): void {
      if (cached !== undefined && cached.token === token) cached = undefined;
    },
  };
}
