/**
 * `toKubeconfigObject`: a {@link Kubeconfig} as the v1 `Config` JSON object kubectl prints, field for field.
 *
 * @module
 */
import { encodeBase64 } from "./_base64.ts";
import type {
  Kubeconfig,
  KubeconfigCluster,
  KubeconfigContext,
  KubeconfigExtensions,
  KubeconfigUser,
} from "./kubeconfig.ts";

/** Options of {@link toKubeconfigObject}. */
export interface ToKubeconfigObjectOptions {
  /**
   * Replaces secrets like `kubectl config view` without `--raw`: tokens and passwords by `REDACTED`, certificate and
   * key data by `DATA+OMITTED`.
   * @default false
   */
  redact?: boolean;
}

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function namedExtensions(ext: KubeconfigExtensions | undefined): JsonObject[] | undefined {
  if (ext === undefined) return undefined;
  const names = Object.keys(ext).sort(byName);
  if (names.length === 0) return undefined;
  return names.map((name) => ({ name, extension: ext[name] }));
}

function put(target: JsonObject, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function clusterObject(c: KubeconfigCluster, redact: boolean): JsonObject {
  const o: JsonObject = { server: c.server };
  put(o, "tls-server-name", c.tlsServerName || undefined);
  put(o, "insecure-skip-tls-verify", c.insecureSkipTlsVerify === true ? true : undefined);
  put(o, "certificate-authority", c.certificateAuthority || undefined);
  if (c.certificateAuthorityData !== undefined && c.certificateAuthorityData.length > 0) {
    o["certificate-authority-data"] = redact ? "DATA+OMITTED" : encodeBase64(c.certificateAuthorityData);
  }
  put(o, "proxy-url", c.proxyUrl || undefined);
  put(o, "disable-compression", c.disableCompression === true ? true : undefined);
  put(o, "extensions", namedExtensions(c.extensions));
  return o;
}

function userObject(u: KubeconfigUser, redact: boolean): JsonObject {
  const o: JsonObject = {};
  put(o, "client-certificate", u.clientCertificate || undefined);
  if (u.clientCertificateData !== undefined && u.clientCertificateData.length > 0) {
    o["client-certificate-data"] = redact ? "DATA+OMITTED" : encodeBase64(u.clientCertificateData);
  }
  put(o, "client-key", u.clientKey || undefined);
  if (u.clientKeyData !== undefined && u.clientKeyData.length > 0) {
    o["client-key-data"] = redact ? "DATA+OMITTED" : encodeBase64(u.clientKeyData);
  }
  if (u.token) o.token = redact ? "REDACTED" : u.token;
  put(o, "tokenFile", u.tokenFile || undefined);
  put(o, "as", u.as || undefined);
  put(o, "as-uid", u.asUid || undefined);
  put(o, "as-groups", u.asGroups !== undefined && u.asGroups.length > 0 ? [...u.asGroups] : undefined);
  if (u.asUserExtra !== undefined && Object.keys(u.asUserExtra).length > 0) {
    const extra: JsonObject = {};
    for (const k of Object.keys(u.asUserExtra).sort(byName)) extra[k] = u.asUserExtra[k] ?? null;
    o["as-user-extra"] = extra;
  }
  put(o, "username", u.username || undefined);
  if (u.password) o.password = redact ? "REDACTED" : u.password;
  if (u.authProvider !== undefined) {
    const p: JsonObject = { name: u.authProvider.name };
    if (u.authProvider.config !== undefined && Object.keys(u.authProvider.config).length > 0) {
      const config: JsonObject = {};
      for (const k of Object.keys(u.authProvider.config).sort(byName)) config[k] = u.authProvider.config[k];
      p.config = config;
    }
    o["auth-provider"] = p;
  }
  if (u.exec !== undefined) {
    const e: JsonObject = {
      command: u.exec.command,
      args: u.exec.args === null ? null : [...u.exec.args],
      env: u.exec.env === null ? null : u.exec.env.map((v) => ({ name: v.name, value: v.value })),
    };
    put(e, "apiVersion", u.exec.apiVersion || undefined);
    put(e, "installHint", u.exec.installHint || undefined);
    e.provideClusterInfo = u.exec.provideClusterInfo;
    put(e, "interactiveMode", u.exec.interactiveMode || undefined);
    o.exec = e;
  }
  put(o, "extensions", namedExtensions(u.extensions));
  return o;
}

function contextObject(c: KubeconfigContext): JsonObject {
  const o: JsonObject = { cluster: c.cluster, user: c.user };
  put(o, "namespace", c.namespace || undefined);
  put(o, "extensions", namedExtensions(c.extensions));
  return o;
}

function named<T>(map: Record<string, T>, field: string, convert: (v: T) => JsonObject): JsonObject[] | null {
  const names = Object.keys(map).sort(byName);
  if (names.length === 0) return null;
  return names.map((name) => ({ name, [field]: convert(map[name] as T) }));
}

/**
 * Converts a config to the v1 `Config` object exactly as `kubectl config view -o json` prints it: lists sorted by
 * name, empty lists as `null`, Go's `omitempty` rules, base64 data.
 *
 * @param config the config
 * @param options whether to redact secrets
 * @returns a plain JSON object
 * @example
 * ```ts
 * JSON.stringify(toKubeconfigObject(config), null, 4);
 * ```
 */
export function toKubeconfigObject(config: Kubeconfig, options: ToKubeconfigObjectOptions = {}): JsonObject {
  const redact = options.redact === true;
  const preferences: JsonObject = {};
  put(preferences, "colors", config.preferences.colors === true ? true : undefined);
  put(preferences, "extensions", namedExtensions(config.preferences.extensions));
  const out: JsonObject = {
    kind: "Config",
    apiVersion: "v1",
    preferences,
    clusters: named(config.clusters, "cluster", (c) => clusterObject(c, redact)),
    users: named(config.users, "user", (u) => userObject(u, redact)),
    contexts: named(config.contexts, "context", contextObject),
    "current-context": config.currentContext,
  };
  put(out, "extensions", namedExtensions(config.extensions));
  return out;
}
