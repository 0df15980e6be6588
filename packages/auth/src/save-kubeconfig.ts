/**
 * `saveKubeconfig`: writes clusters, users, contexts and `current-context` back to kubeconfig files the way kubectl
 * does (`kubectl config set-*`, `oc login`): each entry into the file that already holds it, new entries and the
 * current context into the first existing file of the list. Files are edited in place (comments and unknown fields
 * kept) and replaced atomically.
 *
 * @module
 */
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { encodeBase64 } from "./_base64.ts";
import { resolvePlainScalar } from "./_yaml-scalars.ts";
import { type AuthHost, isFileNotFound, resolveHost } from "./auth-host.ts";
import type { KubeconfigCluster, KubeconfigContext, KubeconfigExtensions, KubeconfigUser } from "./kubeconfig.ts";
import { KubeconfigError } from "./kubeconfig-error.ts";
import { kubeconfigPrecedence, loadKubeconfig } from "./load-kubeconfig.ts";
import { parseKubeconfig } from "./parse-kubeconfig.ts";

/** What to change: entries to write (whole entries, replacing the known fields) or `null` to delete. */
export interface KubeconfigChanges {
  /** Clusters by name. */
  clusters?: Record<string, KubeconfigCluster | null>;
  /** Users by name. */
  users?: Record<string, KubeconfigUser | null>;
  /** Contexts by name. */
  contexts?: Record<string, KubeconfigContext | null>;
  /** The new `current-context` (`""` clears it where it is set). */
  currentContext?: string;
}

/** Options of {@link saveKubeconfig}. */
export interface SaveKubeconfigOptions {
  /** One explicit file (`--kubeconfig`): everything goes there. */
  path?: string;
  /** A list like `KUBECONFIG`; takes precedence over the environment. */
  paths?: readonly string[];
  /** Runtime access (files, environment). @default the Node/Deno host */
  host?: AuthHost;
  /** Aborts the reads. */
  signal?: AbortSignal;
}

/** What was written. */
export interface SaveKubeconfigResult {
  /** The files that were rewritten. */
  files: string[];
}

type Json = string | boolean | null | Json[] | { [key: string]: Json };

function scalar(value: string): Scalar {
  const node = new Scalar(value);
  // kubectl reads YAML 1.1 (`n`, `yes`, `0123` are not strings there); the YAML library quotes what is
  // syntactically ambiguous on its own.
  if (resolvePlainScalar(value).type !== "string") node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

function toNode(value: Json): unknown {
  if (value === null) return new Scalar(null);
  if (typeof value === "boolean") return new Scalar(value ? "true" : "false");
  if (typeof value === "string") return scalar(value);
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const v of value) seq.items.push(toNode(v));
    return seq;
  }
  const map = new YAMLMap();
  for (const [k, v] of Object.entries(value)) map.set(scalar(k), toNode(v));
  return map;
}

function extensionsJson(ext: KubeconfigExtensions | undefined): Json | undefined {
  if (ext === undefined || Object.keys(ext).length === 0) return undefined;
  return Object.keys(ext)
    .sort()
    .map((name) => ({ name, extension: JSON.parse(JSON.stringify(ext[name] ?? null)) as Json }));
}

function clusterFields(c: KubeconfigCluster): Record<string, Json | undefined> {
  return {
    server: c.server,
    "tls-server-name": c.tlsServerName || undefined,
    "insecure-skip-tls-verify": c.insecureSkipTlsVerify === true ? true : undefined,
    "certificate-authority": c.certificateAuthority || undefined,
    "certificate-authority-data":
      c.certificateAuthorityData !== undefined && c.certificateAuthorityData.length > 0
        ? encodeBase64(c.certificateAuthorityData)
        : undefined,
    "proxy-url": c.proxyUrl || undefined,
    "disable-compression": c.disableCompression === true ? true : undefined,
    extensions: extensionsJson(c.extensions),
  };
}

function userFields(u: KubeconfigUser): Record<string, Json | undefined> {
  const bytes = (b: Uint8Array | undefined): string | undefined =>
    b !== undefined && b.length > 0 ? encodeBase64(b) : undefined;
  return {
    "client-certificate": u.clientCertificate || undefined,
    "client-certificate-data": bytes(u.clientCertificateData),
    "client-key": u.clientKey || undefined,
    "client-key-data": bytes(u.clientKeyData),
    token: u.token || undefined,
    tokenFile: u.tokenFile || undefined,
    as: u.as || undefined,
    "as-uid": u.asUid || undefined,
    "as-groups": u.asGroups !== undefined && u.asGroups.length > 0 ? [...u.asGroups] : undefined,
    "as-user-extra":
      u.asUserExtra !== undefined && Object.keys(u.asUserExtra).length > 0
        ? Object.fromEntries(Object.entries(u.asUserExtra).map(([k, v]) => [k, v === null ? null : [...v]]))
        : undefined,
    username: u.username || undefined,
    password: u.password || undefined,
    "auth-provider":
      u.authProvider === undefined
        ? undefined
        : {
            name: u.authProvider.name,
            ...(u.authProvider.config === undefined ? {} : { config: { ...u.authProvider.config } }),
          },
    exec:
      u.exec === undefined
        ? undefined
        : {
            ...(u.exec.apiVersion === undefined ? {} : { apiVersion: u.exec.apiVersion }),
            command: u.exec.command,
            ...(u.exec.args === null ? {} : { args: [...u.exec.args] }),
            ...(u.exec.env === null ? {} : { env: u.exec.env.map((e) => ({ name: e.name, value: e.value })) }),
            ...(u.exec.installHint === undefined ? {} : { installHint: u.exec.installHint }),
            ...(u.exec.provideClusterInfo ? { provideClusterInfo: true } : {}),
            ...(u.exec.interactiveMode === undefined ? {} : { interactiveMode: u.exec.interactiveMode }),
          },
    extensions: extensionsJson(u.extensions),
  };
}

function contextFields(c: KubeconfigContext): Record<string, Json | undefined> {
  return {
    cluster: c.cluster,
    user: c.user,
    namespace: c.namespace || undefined,
    extensions: extensionsJson(c.extensions),
  };
}

type Section = "clusters" | "users" | "contexts";
const BODY: Record<Section, string> = { clusters: "cluster", users: "user", contexts: "context" };

interface Edit {
  section: Section;
  name: string;
  fields: Record<string, Json | undefined> | null;
}

function applyEdits(text: string, file: string, edits: readonly Edit[], currentContext: string | undefined): string {
  const doc = parseDocument(text, { version: "1.1", schema: "failsafe", uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new KubeconfigError(`cannot update: invalid YAML: ${e?.message.split("\n")[0] ?? ""}`, {
      file,
      line: e?.linePos?.[0]?.line,
      column: e?.linePos?.[0]?.col,
    });
  }
  if (doc.contents === null || (isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ""))) {
    const root = new YAMLMap();
    root.set("apiVersion", "v1");
    root.set("kind", "Config");
    root.set("preferences", new YAMLMap());
    doc.contents = root as never;
  }
  const parsedRoot: unknown = doc.contents;
  if (!isMap(parsedRoot)) throw new KubeconfigError("cannot update: the file is not a kubeconfig object", { file });
  const root = parsedRoot as YAMLMap<unknown, unknown>;
  for (const edit of edits) {
    const existing: unknown = root.get(edit.section, true);
    let seq: YAMLSeq;
    if (isSeq(existing)) seq = existing;
    else {
      if (edit.fields === null) continue;
      seq = new YAMLSeq();
      root.set(edit.section, seq);
    }
    const index = seq.items.findIndex((item) => {
      if (!isMap(item)) return false;
      const name = item.get("name", true);
      return isScalar(name) && String(name.value ?? "") === edit.name;
    });
    if (edit.fields === null) {
      if (index >= 0) seq.items.splice(index, 1);
      continue;
    }
    let item = index >= 0 ? (seq.items[index] as YAMLMap<unknown, unknown>) : undefined;
    if (item === undefined) {
      item = new YAMLMap<unknown, unknown>();
      item.set("name", scalar(edit.name));
      seq.items.push(item);
    }
    const body: unknown = item.get(BODY[edit.section], true);
    let map: YAMLMap<unknown, unknown>;
    if (isMap(body)) map = body as YAMLMap<unknown, unknown>;
    else {
      map = new YAMLMap<unknown, unknown>();
      item.set(BODY[edit.section], map);
    }
    for (const [key, value] of Object.entries(edit.fields)) {
      if (value === undefined) map.delete(key);
      else map.set(key, toNode(value));
    }
  }
  if (currentContext !== undefined) root.set("current-context", scalar(currentContext));
  return doc.toString({ indentSeq: false, lineWidth: 0 });
}

/**
 * Updates kubeconfig files like kubectl's `ModifyConfig`: a changed or deleted entry is written to the file it came
 * from; a new entry, and a non-empty `currentContext`, go to the default file (the explicit `path`, else the first
 * file of the list that exists, else the last one, else `~/.kube/config`); clearing `currentContext` clears it where
 * it is set. Known fields of an entry are replaced, unknown fields and comments stay. Each file is rewritten
 * atomically (a new file gets mode 0600).
 *
 * @param changes entries to write or delete, and the current context
 * @param options which files, host, signal
 * @returns the files written
 * @throws {KubeconfigError} when a file to update does not parse or is not a kubeconfig object
 * @example
 * ```ts
 * await saveKubeconfig({
 *   clusters: { dev: { server: "https://dev:6443" } },
 *   users: { me: { token } },
 *   contexts: { dev: { cluster: "dev", user: "me", namespace: "team" } },
 *   currentContext: "dev",
 * });
 * ```
 */
export async function saveKubeconfig(
  changes: KubeconfigChanges,
  options: SaveKubeconfigOptions = {},
): Promise<SaveKubeconfigResult> {
  const host = await resolveHost(options.host);
  const where = {
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(options.paths === undefined ? {} : { paths: options.paths }),
  };
  const current = await loadKubeconfig({ ...where, host, ...(options.signal ? { signal: options.signal } : {}) });
  const precedence = kubeconfigPrecedence(host, where);
  // client-go's GetDefaultFilename: the explicit file, else the first existing file of the list, else its last one.
  const defaultFile = current.explicitPath ?? current.files[0] ?? precedence[precedence.length - 1];
  if (defaultFile === undefined)
    throw new KubeconfigError("cannot save: no kubeconfig location (no HOME, no KUBECONFIG)");

  const perFile = new Map<string, { edits: Edit[]; currentContext?: string }>();
  const at = (file: string): { edits: Edit[]; currentContext?: string } => {
    let entry = perFile.get(file);
    if (entry === undefined) {
      entry = { edits: [] };
      perFile.set(file, entry);
    }
    return entry;
  };
  const plan = <T extends { locationOfOrigin?: string }>(
    section: Section,
    entries: Record<string, T | null> | undefined,
    existing: Record<string, T>,
    fields: (value: T) => Record<string, Json | undefined>,
  ): void => {
    for (const [name, value] of Object.entries(entries ?? {})) {
      const origin = existing[name]?.locationOfOrigin;
      if (value === null) {
        if (origin !== undefined) at(origin).edits.push({ section, name, fields: null });
        continue;
      }
      at(origin ?? defaultFile).edits.push({ section, name, fields: fields(value) });
    }
  };
  plan("clusters", changes.clusters, current.clusters, clusterFields);
  plan("users", changes.users, current.users, userFields);
  plan("contexts", changes.contexts, current.contexts, contextFields);

  if (changes.currentContext !== undefined && changes.currentContext !== current.currentContext) {
    if (changes.currentContext !== "" || current.explicitPath !== undefined) {
      at(defaultFile).currentContext = changes.currentContext;
    } else {
      for (const file of current.files) {
        const text = new TextDecoder().decode(await host.fs.readFile(file, options.signal));
        if (parseKubeconfig(text, { path: file }).currentContext !== "") {
          at(file).currentContext = "";
          break;
        }
      }
    }
  }

  const written: string[] = [];
  for (const [file, { edits, currentContext }] of perFile) {
    let text = "";
    try {
      text = new TextDecoder().decode(await host.fs.readFile(file, options.signal));
    } catch (error) {
      if (!isFileNotFound(error)) throw error;
    }
    const updated = applyEdits(text, file, edits, currentContext);
    await host.fs.writeFileAtomic(file, new TextEncoder().encode(updated), { mode: 0o600 });
    written.push(file);
  }
  return { files: written };
}
