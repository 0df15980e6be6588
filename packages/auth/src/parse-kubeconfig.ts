/**
 * `parseKubeconfig`: one kubeconfig file's text to a {@link Kubeconfig}, accepting and refusing exactly what kubectl
 * accepts and refuses. Pure: no file system, works in a browser.
 *
 * @module
 */
import { isMap, LineCounter, parseAllDocuments } from "yaml";
import { YamlDecoder } from "./_yaml-decoder.ts";
import { findRefusedTab } from "./_yaml-tabs.ts";
import {
  type ExecEnvVar,
  emptyKubeconfig,
  type Kubeconfig,
  type KubeconfigAuthProvider,
  type KubeconfigCluster,
  type KubeconfigContext,
  type KubeconfigExec,
  type KubeconfigExtensions,
  type KubeconfigUser,
} from "./kubeconfig.ts";
import { KubeconfigError } from "./kubeconfig-error.ts";

/** Options of {@link parseKubeconfig}. */
export interface ParseKubeconfigOptions {
  /** The file the text came from: named in errors and recorded as each entry's `locationOfOrigin`. */
  path?: string;
}

/**
 * Parses the text of one kubeconfig file. Like kubectl: an empty or comment-only text is an empty config, YAML 1.1
 * scalars are typed as go-yaml types them (`namespace: n` is the boolean `false`, hence an error), unknown fields
 * are ignored, keys are case-sensitive, a repeated name in one list is an error, and JSON input works too.
 *
 * @param text the file's content
 * @param options the file path, for errors and relative paths
 * @returns the config; relative paths stay as written, with `locationOfOrigin` set on every entry
 * @throws {KubeconfigError} when the text is not YAML, a value has the wrong type, a name repeats, base64 data is
 *   invalid, or `apiVersion`/`kind` are not `v1`/`Config`
 * @example
 * ```ts
 * const config = parseKubeconfig(await Deno.readTextFile("kubeconfig"), { path: "kubeconfig" });
 * console.log(config.currentContext, Object.keys(config.clusters));
 * ```
 */
export function parseKubeconfig(text: string, options: ParseKubeconfigOptions = {}): Kubeconfig {
  if (typeof text !== "string") throw new TypeError("parseKubeconfig: text must be a string");
  const file = options.path;
  const config = emptyKubeconfig();
  if (text.length === 0) return config;
  const lines = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, {
      version: "1.1",
      schema: "failsafe",
      uniqueKeys: false,
      merge: false,
      lineCounter: lines,
      prettyErrors: false,
      keepSourceTokens: false,
    });
  } catch (cause) {
    throw new KubeconfigError(`invalid YAML: ${(cause as Error).message}`, { file, cause });
  }
  // go-yaml reads only the first document of a stream.
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (doc === undefined) return config;
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const pos = syntax.linePos?.[0] ?? lines.linePos(syntax.pos[0]);
    const message = syntax.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? syntax.code;
    throw new KubeconfigError(`invalid YAML: ${message}`, { file, line: pos?.line, column: pos?.col, cause: syntax });
  }
  const tab = findRefusedTab(text);
  if (tab !== undefined) {
    const pos = lines.linePos(tab.offset);
    throw new KubeconfigError(`invalid YAML: ${tab.message}`, { file, line: pos.line, column: pos.col });
  }
  const d = new YamlDecoder(doc, lines, file);
  const root = d.deref(doc.contents);
  const rootKind = d.kind(root);
  if (rootKind === "null") return config;
  if (!isMap(root))
    d.fail(root, `a kubeconfig must be an object, found ${rootKind === "array" ? "an array" : `a ${rootKind}`}`);
  const top = d.entries(root, "config");

  // kubectl decodes with defaults v1/Config, so both may be missing, but nothing else is registered.
  const apiVersion = d.string(top.get("apiVersion"), "apiVersion") ?? "";
  const kind = d.string(top.get("kind"), "kind") ?? "";
  if (!(apiVersion === "" || apiVersion === "v1") || !(kind === "" || kind === "Config")) {
    d.fail(
      top.get(apiVersion === "" || apiVersion === "v1" ? "kind" : "apiVersion") ?? root,
      `no kind ${JSON.stringify(kind || "Config")} is registered for version ${JSON.stringify(apiVersion || "v1")}`,
    );
  }

  config.currentContext = d.string(top.get("current-context"), "current-context") ?? "";
  const prefs = top.get("preferences");
  if (d.kind(prefs) !== "null") {
    const p = d.entries(prefs, "preferences");
    const colors = d.bool(p.get("colors"), "preferences.colors");
    if (colors !== undefined) config.preferences.colors = colors;
    const ext = readExtensions(d, p.get("extensions"), "preferences.extensions");
    if (ext !== undefined) config.preferences.extensions = ext;
  }
  const extensions = readExtensions(d, top.get("extensions"), "extensions");
  if (extensions !== undefined) config.extensions = extensions;

  readNamed(d, top.get("clusters"), "clusters", "cluster", config.clusters, (node, path) =>
    readCluster(d, node, path, file),
  );
  readNamed(d, top.get("users"), "users", "user", config.users, (node, path) => readUser(d, node, path, file));
  readNamed(d, top.get("contexts"), "contexts", "context", config.contexts, (node, path) =>
    readContext(d, node, path, file),
  );
  return config;
}

function readNamed<T>(
  d: YamlDecoder,
  raw: unknown,
  list: string,
  field: string,
  into: Record<string, T>,
  read: (node: unknown, path: string) => T,
): void {
  const items = d.items(raw, list);
  if (items === undefined) return;
  items.forEach((item, i) => {
    const path = `${list}[${i}]`;
    // A null list item decodes to the zero value in Go: an entry named "" with an empty body.
    const entries = d.kind(item) === "null" ? new Map<string, unknown>() : d.entries(item, path);
    const name = d.string(entries.get("name"), `${path}.name`) ?? "";
    const value = read(entries.get(field), `${path}.${field}`);
    if (Object.hasOwn(into, name)) {
      d.fail(d.deref(item), `duplicate name ${JSON.stringify(name)} in ${list}`);
    }
    into[name] = value;
  });
}

function readExtensions(d: YamlDecoder, raw: unknown, path: string): KubeconfigExtensions | undefined {
  const items = d.items(raw, path);
  if (items === undefined) return undefined;
  const out = Object.create(null) as KubeconfigExtensions;
  items.forEach((item, i) => {
    const entries = d.kind(item) === "null" ? new Map<string, unknown>() : d.entries(item, `${path}[${i}]`);
    const name = d.string(entries.get("name"), `${path}[${i}].name`) ?? "";
    out[name] = d.json(entries.get("extension"), `${path}[${i}].extension`);
  });
  return out;
}

function body(d: YamlDecoder, raw: unknown, path: string): Map<string, unknown> {
  return d.kind(raw) === "null" ? new Map() : d.entries(raw, path);
}

function readCluster(d: YamlDecoder, raw: unknown, path: string, file: string | undefined): KubeconfigCluster {
  const f = body(d, raw, path);
  const cluster: KubeconfigCluster = { server: d.string(f.get("server"), `${path}.server`) ?? "" };
  const tlsServerName = d.string(f.get("tls-server-name"), `${path}.tls-server-name`);
  if (tlsServerName) cluster.tlsServerName = tlsServerName;
  const insecure = d.bool(f.get("insecure-skip-tls-verify"), `${path}.insecure-skip-tls-verify`);
  if (insecure) cluster.insecureSkipTlsVerify = true;
  const ca = d.string(f.get("certificate-authority"), `${path}.certificate-authority`);
  if (ca) cluster.certificateAuthority = ca;
  const caData = d.base64(f.get("certificate-authority-data"), `${path}.certificate-authority-data`);
  if (caData !== undefined && caData.length > 0) cluster.certificateAuthorityData = caData;
  const proxyUrl = d.string(f.get("proxy-url"), `${path}.proxy-url`);
  if (proxyUrl) cluster.proxyUrl = proxyUrl;
  const disableCompression = d.bool(f.get("disable-compression"), `${path}.disable-compression`);
  if (disableCompression) cluster.disableCompression = true;
  const extensions = readExtensions(d, f.get("extensions"), `${path}.extensions`);
  if (extensions !== undefined && Object.keys(extensions).length > 0) cluster.extensions = extensions;
  if (file !== undefined) cluster.locationOfOrigin = file;
  return cluster;
}

function readExec(d: YamlDecoder, raw: unknown, path: string): KubeconfigExec | undefined {
  if (d.kind(raw) === "null") return undefined;
  const f = d.entries(raw, path);
  const exec: KubeconfigExec = {
    command: d.string(f.get("command"), `${path}.command`) ?? "",
    args: d.stringList(f.get("args"), `${path}.args`),
    env: null,
    provideClusterInfo: d.bool(f.get("provideClusterInfo"), `${path}.provideClusterInfo`) ?? false,
  };
  const env = d.items(f.get("env"), `${path}.env`);
  if (env !== undefined) {
    exec.env = env.map((item, i): ExecEnvVar => {
      const e = body(d, item, `${path}.env[${i}]`);
      return {
        name: d.string(e.get("name"), `${path}.env[${i}].name`) ?? "",
        value: d.string(e.get("value"), `${path}.env[${i}].value`) ?? "",
      };
    });
  }
  const apiVersion = d.string(f.get("apiVersion"), `${path}.apiVersion`);
  if (apiVersion) exec.apiVersion = apiVersion;
  const installHint = d.string(f.get("installHint"), `${path}.installHint`);
  if (installHint) exec.installHint = installHint;
  const interactiveMode = d.string(f.get("interactiveMode"), `${path}.interactiveMode`);
  if (interactiveMode) exec.interactiveMode = interactiveMode;
  return exec;
}

function readAuthProvider(d: YamlDecoder, raw: unknown, path: string): KubeconfigAuthProvider | undefined {
  if (d.kind(raw) === "null") return undefined;
  const f = d.entries(raw, path);
  const provider: KubeconfigAuthProvider = { name: d.string(f.get("name"), `${path}.name`) ?? "" };
  const config = d.stringMap(f.get("config"), `${path}.config`);
  if (config !== undefined && Object.keys(config).length > 0) provider.config = config;
  return provider;
}

function readUser(d: YamlDecoder, raw: unknown, path: string, file: string | undefined): KubeconfigUser {
  const f = body(d, raw, path);
  const user: KubeconfigUser = {};
  const str = (key: string): string | undefined => d.string(f.get(key), `${path}.${key}`) || undefined;
  const set = <K extends keyof KubeconfigUser>(key: K, value: KubeconfigUser[K] | undefined): void => {
    if (value !== undefined) user[key] = value;
  };
  set("clientCertificate", str("client-certificate"));
  const certData = d.base64(f.get("client-certificate-data"), `${path}.client-certificate-data`);
  if (certData !== undefined && certData.length > 0) user.clientCertificateData = certData;
  set("clientKey", str("client-key"));
  const keyData = d.base64(f.get("client-key-data"), `${path}.client-key-data`);
  if (keyData !== undefined && keyData.length > 0) user.clientKeyData = keyData;
  set("token", str("token"));
  set("tokenFile", str("tokenFile"));
  set("as", str("as"));
  set("asUid", str("as-uid"));
  const groups = d.stringList(f.get("as-groups"), `${path}.as-groups`);
  if (groups !== null && groups.length > 0) user.asGroups = groups;
  if (d.kind(f.get("as-user-extra")) !== "null") {
    const extra = Object.create(null) as Record<string, string[] | null>;
    for (const [k, v] of d.entries(f.get("as-user-extra"), `${path}.as-user-extra`)) {
      extra[k] = d.stringList(v, `${path}.as-user-extra.${k}`);
    }
    if (Object.keys(extra).length > 0) user.asUserExtra = extra;
  }
  set("username", str("username"));
  set("password", str("password"));
  set("authProvider", readAuthProvider(d, f.get("auth-provider"), `${path}.auth-provider`));
  set("exec", readExec(d, f.get("exec"), `${path}.exec`));
  const extensions = readExtensions(d, f.get("extensions"), `${path}.extensions`);
  if (extensions !== undefined && Object.keys(extensions).length > 0) user.extensions = extensions;
  if (file !== undefined) user.locationOfOrigin = file;
  return user;
}

function readContext(d: YamlDecoder, raw: unknown, path: string, file: string | undefined): KubeconfigContext {
  const f = body(d, raw, path);
  const context: KubeconfigContext = {
    cluster: d.string(f.get("cluster"), `${path}.cluster`) ?? "",
    user: d.string(f.get("user"), `${path}.user`) ?? "",
  };
  const namespace = d.string(f.get("namespace"), `${path}.namespace`);
  if (namespace) context.namespace = namespace;
  const extensions = readExtensions(d, f.get("extensions"), `${path}.extensions`);
  if (extensions !== undefined && Object.keys(extensions).length > 0) context.extensions = extensions;
  if (file !== undefined) context.locationOfOrigin = file;
  return context;
}
