/**
 * The table of served resources: built-in kinds plus the custom resources of established CRDs, looked up by URL
 * (`/apis/apps/v1` + `deployments`) or by `apiVersion` and `kind`. Discovery reads its groups and versions.
 *
 * @module
 */
import type { ServedResource } from "./served-resource.ts";

/** Orders versions as Kubernetes does: GA before beta before alpha, higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (pa === undefined && pb === undefined) return a < b ? -1 : a > b ? 1 : 0;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  if (pa.stage !== pb.stage) return pb.stage - pa.stage;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}

function parseVersion(v: string): { major: number; stage: number; minor: number } | undefined {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (m === null) return undefined;
  return {
    major: Number(m[1]),
    stage: m[2] === undefined ? 2 : m[2] === "beta" ? 1 : 0,
    minor: m[3] === undefined ? 0 : Number(m[3]),
  };
}

/** A group and its served versions, preferred first. */
export interface ServedGroup {
  readonly name: string;
  readonly versions: readonly string[];
}

/** The served resources. */
export class ResourceTable {
  readonly #byPath = new Map<string, ServedResource>();
  readonly #byKind = new Map<string, ServedResource[]>();
  /** group → version → resources, in insertion order of groups. */
  readonly #groups = new Map<string, Map<string, ServedResource[]>>();
  readonly #listeners = new Set<() => void>();
  #generation = 0;

  /** Bumped on every change (discovery caches key on it). */
  get generation(): number {
    return this.#generation;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    this.#generation++;
    for (const l of this.#listeners) l();
  }

  /** Adds (or replaces) a served resource. */
  add(resource: ServedResource): void {
    const pathKey = `${resource.apiPath}\n${resource.plural}`;
    const existing = this.#byPath.get(pathKey);
    if (existing !== undefined) this.#remove(existing);
    this.#byPath.set(pathKey, resource);
    const kindKey = `${resource.apiPath}\n${resource.kind}`;
    const list = this.#byKind.get(kindKey);
    if (list === undefined) this.#byKind.set(kindKey, [resource]);
    else list.push(resource);
    const groupKey = resource.apiPath.startsWith("/apis/") ? resource.group : `${resource.apiPath}`;
    let versions = this.#groups.get(groupKey);
    if (versions === undefined) {
      versions = new Map();
      this.#groups.set(groupKey, versions);
    }
    const rs = versions.get(resource.version);
    if (rs === undefined) versions.set(resource.version, [resource]);
    else rs.push(resource);
    this.#changed();
  }

  /** Removes a served resource. */
  remove(resource: ServedResource): void {
    if (this.#remove(resource)) this.#changed();
  }

  #remove(resource: ServedResource): boolean {
    const pathKey = `${resource.apiPath}\n${resource.plural}`;
    if (this.#byPath.get(pathKey) !== resource) return false;
    this.#byPath.delete(pathKey);
    const kindKey = `${resource.apiPath}\n${resource.kind}`;
    const list = this.#byKind.get(kindKey)?.filter((r) => r !== resource) ?? [];
    if (list.length === 0) this.#byKind.delete(kindKey);
    else this.#byKind.set(kindKey, list);
    const groupKey = resource.apiPath.startsWith("/apis/") ? resource.group : resource.apiPath;
    const versions = this.#groups.get(groupKey);
    const rs = versions?.get(resource.version)?.filter((r) => r !== resource) ?? [];
    if (rs.length === 0) versions?.delete(resource.version);
    else versions?.set(resource.version, rs);
    if (versions !== undefined && versions.size === 0) this.#groups.delete(groupKey);
    return true;
  }

  /** The resource served at `<apiPath>/<plural>`. */
  lookup(apiPath: string, plural: string): ServedResource | undefined {
    return this.#byPath.get(`${apiPath}\n${plural}`);
  }

  /**
   * The resource of an `apiVersion` and `kind` (core and group kinds; legacy `/oapi/v1` kinds are found with
   * `apiPath`).
   */
  byKind(apiVersion: string, kind: string, apiPath?: string): ServedResource | undefined {
    const path = apiPath ?? (apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
    return this.#byKind.get(`${path}\n${kind}`)?.[0];
  }

  /** Every served resource. */
  all(): ServedResource[] {
    return [...this.#byPath.values()];
  }

  /** Resources of one group version (`apiPath` such as `/apis/apps/v1`). */
  resourcesAt(apiPath: string): ServedResource[] {
    return [...this.#byPath.values()].filter((r) => r.apiPath === apiPath);
  }

  /** Every resource sharing a storage bucket. */
  byStorageKey(storageKey: string): ServedResource[] {
    return [...this.#byPath.values()].filter((r) => r.storageKey === storageKey);
  }

  /** The named groups under `/apis`, with versions preferred-first. */
  groups(): ServedGroup[] {
    const out: ServedGroup[] = [];
    for (const [name, versions] of this.#groups) {
      if (name.startsWith("/")) continue;
      out.push({ name, versions: [...versions.keys()].sort(compareKubeVersions) });
    }
    return out;
  }

  /** One named group, or `undefined`. */
  group(name: string): ServedGroup | undefined {
    const versions = this.#groups.get(name);
    if (versions === undefined || name.startsWith("/")) return undefined;
    return { name, versions: [...versions.keys()].sort(compareKubeVersions) };
  }

  /** Versions served under a legacy prefix (`/api` → `["v1"]`). */
  legacyVersions(prefix: string): string[] {
    const out: string[] = [];
    for (const key of this.#groups.keys()) {
      if (key.startsWith(`${prefix}/`)) out.push(key.slice(prefix.length + 1));
    }
    return out.sort(compareKubeVersions);
  }
}
