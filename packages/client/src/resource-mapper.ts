/**
 * The resource mapper: apiVersion/kind ↔ resource, kubectl-style names (`po`, `deploy`, `deployments.apps`,
 * `deployment.v1.apps`), answered from discovery, cached with an expiry and refreshed once when a name is missing
 * (a CRD created a moment ago).
 *
 * @module
 */
import { ApiError } from "@kubeshift/transport";
import { apiPathOf, type DiscoveredResource, type Discovery, type ServerResources } from "./discovery.ts";

/** Options of {@link ResourceMapper}. */
export interface ResourceMapperOptions {
  /** How long discovery results are reused, in milliseconds. @default 300000 (5 minutes) */
  ttlMs?: number;
  /** The clock, for tests. @default Date.now */
  now?: () => number;
}

/** A reference to a kind, as found in an object. */
export interface TypeRef {
  /** `"v1"`, `"apps/v1"`, `"example.com/v1alpha1"`. */
  apiVersion: string;
  /** `"Pod"`, `"Deployment"`. */
  kind: string;
}

/** Options of a mapper lookup. */
export interface MapperCallOptions {
  /** Aborts discovery. */
  signal?: AbortSignal;
}

const DEFAULT_TTL_MS = 5 * 60_000;
const MAX_LISTED = 40;

/**
 * Maps apiVersion/kind and command-line names to descriptors, from cached discovery.
 *
 * For `apiVersion: "v1"` the core group wins and legacy OpenShift `/oapi/v1` is used only for kinds core does not
 * serve (Route, DeploymentConfig, … on OpenShift 3.x): the same rule `oc` 3.x applies.
 *
 * @example
 * ```ts
 * const Widget = await client.mapper.resolve({ apiVersion: "example.com/v1", kind: "Widget" });
 * const deploy = await client.mapper.find("deploy");
 * ```
 */
export class ResourceMapper {
  readonly #discovery: Discovery;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #cache: { at: number; value: Promise<ServerResources> } | undefined;

  /**
   * @param discovery where resources come from
   * @param options cache lifetime and clock
   * @throws {RangeError} when `ttlMs` is negative or not a number
   */
  constructor(discovery: Discovery, options: ResourceMapperOptions = {}) {
    const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
    if (typeof ttl !== "number" || !(ttl >= 0)) throw new RangeError(`ttlMs must be ≥ 0, got ${String(ttl)}`);
    this.#discovery = discovery;
    this.#ttlMs = ttl;
    this.#now = options.now ?? Date.now;
  }

  /** Drops the cached discovery; the next lookup asks the server again. */
  invalidate(): void {
    this.#cache = undefined;
  }

  /**
   * Every served resource, from the cache while it is fresh.
   *
   * @param options the signal; `refresh` to ignore the cache
   * @returns the discovery result
   * @throws {ApiError} when discovery is refused
   * @example
   * ```ts
   * const { resources } = await client.mapper.serverResources();
   * ```
   */
  async serverResources(options: MapperCallOptions & { refresh?: boolean } = {}): Promise<ServerResources> {
    const now = this.#now();
    const cached = this.#cache;
    if (!options.refresh && cached !== undefined && now - cached.at < this.#ttlMs) return cached.value;
    const value = this.#discovery.serverResources(options.signal === undefined ? {} : { signal: options.signal });
    const entry = { at: now, value };
    this.#cache = entry;
    try {
      return await value;
    } catch (error) {
      // A failed discovery must not be served from the cache.
      if (this.#cache === entry) this.#cache = undefined;
      throw error;
    }
  }

  /**
   * Finds the resource of an apiVersion/kind.
   *
   * @param ref `{ apiVersion, kind }`, as in an object
   * @param options the signal
   * @returns the descriptor
   * @throws {ApiError} NotFound (built here, code 404) when the cluster does not serve the kind; its message lists
   *   what the cluster serves instead
   * @throws {TypeError} when `apiVersion` or `kind` is missing
   * @example
   * ```ts
   * const Route = await client.mapper.resolve({ apiVersion: "route.openshift.io/v1", kind: "Route" });
   * ```
   */
  async resolve(ref: TypeRef, options: MapperCallOptions = {}): Promise<DiscoveredResource> {
    if (typeof ref?.apiVersion !== "string" || ref.apiVersion === "" || typeof ref.kind !== "string" || !ref.kind)
      throw new TypeError(`An object needs apiVersion and kind to be mapped to a resource; got ${describeRef(ref)}`);
    const match = (all: ServerResources): DiscoveredResource | undefined =>
      all.resources.find((r) => r.apiVersion === ref.apiVersion && r.kind === ref.kind);
    let all = await this.serverResources(options);
    let found = match(all);
    if (found === undefined) {
      all = await this.serverResources({ ...options, refresh: true });
      found = match(all);
    }
    if (found === undefined) throw notServedKind(ref, all);
    return found;
  }

  /**
   * Finds a resource by the names kubectl accepts: plural, singular, short name or kind (case-insensitive),
   * optionally qualified by group (`deployments.apps`) or version and group (`deployment.v1.apps`).
   *
   * @param name the name as typed
   * @param options the signal
   * @returns the descriptor (the preferred version when no version is given)
   * @throws {ApiError} NotFound (built here) when nothing matches
   * @throws {TypeError} when `name` is empty
   * @example
   * ```ts
   * (await client.mapper.find("po")).plural; // "pods"
   * ```
   */
  async find(name: string, options: MapperCallOptions = {}): Promise<DiscoveredResource> {
    if (typeof name !== "string" || name.trim() === "") throw new TypeError("A resource name must not be empty");
    let all = await this.serverResources(options);
    let found = findByName(all, name);
    if (found === undefined) {
      all = await this.serverResources({ ...options, refresh: true });
      found = findByName(all, name);
    }
    if (found === undefined) {
      const names = [...new Set(all.resources.filter((r) => r.preferred).map((r) => r.plural))].sort();
      throw localNotFound(
        `the server doesn't have a resource type ${JSON.stringify(name)}; it serves: ${list(names)}`,
        undefined,
        "/apis",
      );
    }
    return found;
  }
}

function describeRef(ref: unknown): string {
  try {
    return JSON.stringify({
      apiVersion: (ref as TypeRef | undefined)?.apiVersion,
      kind: (ref as TypeRef | undefined)?.kind,
    });
  } catch {
    return String(ref);
  }
}

function findByName(all: ServerResources, typed: string): DiscoveredResource | undefined {
  const lower = typed.toLowerCase();
  const matchesName = (r: DiscoveredResource, n: string): boolean =>
    r.plural === n || r.singular === n || r.kind.toLowerCase() === n || (r.shortNames ?? []).includes(n);
  // kubectl tries resource.version.group first, then resource.group, then the bare name.
  const dot = lower.indexOf(".");
  if (dot > 0) {
    const head = lower.slice(0, dot);
    const rest = lower.slice(dot + 1);
    const second = rest.indexOf(".");
    if (second > 0) {
      const version = rest.slice(0, second);
      const group = rest.slice(second + 1);
      const hit = all.resources.find((r) => r.group === group && r.version === version && matchesName(r, head));
      if (hit) return hit;
    }
    const hit =
      all.resources.find((r) => r.group === rest && r.preferred && matchesName(r, head)) ??
      all.resources.find((r) => r.group === rest && matchesName(r, head));
    if (hit) return hit;
  }
  return (
    all.resources.find((r) => r.preferred && matchesName(r, lower)) ?? all.resources.find((r) => matchesName(r, lower))
  );
}

function list(names: readonly string[]): string {
  if (names.length === 0) return "(nothing)";
  const shown = names.slice(0, MAX_LISTED).join(", ");
  return names.length > MAX_LISTED ? `${shown}, … (${names.length - MAX_LISTED} more)` : shown;
}

/** A NotFound built from discovery: `path` is the discovery document that lacks the kind. */
function localNotFound(
  message: string,
  details: { group?: string; kind?: string } | undefined,
  path: string,
): ApiError {
  return new ApiError(
    {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message,
      reason: "NotFound",
      ...(details === undefined ? {} : { details }),
      code: 404,
    },
    404,
    { method: "GET", path },
  );
}

function notServedKind(ref: TypeRef, all: ServerResources): ApiError {
  const slash = ref.apiVersion.indexOf("/");
  const group = slash < 0 ? "" : ref.apiVersion.slice(0, slash);
  const head = `no matches for kind ${JSON.stringify(ref.kind)} in version ${JSON.stringify(ref.apiVersion)}`;
  const sameKind = all.resources.filter((r) => r.kind === ref.kind).map((r) => r.apiVersion);
  const inVersion = all.resources.filter((r) => r.apiVersion === ref.apiVersion).map((r) => r.kind);
  const groupInfo = all.groups.find((g) => g.name === group);
  const failed = all.failed.find((f) => f.groupVersion === ref.apiVersion);
  let why: string;
  if (failed !== undefined) why = `discovery of ${ref.apiVersion} failed: ${failed.reason}`;
  else if (sameKind.length > 0) why = `the cluster serves ${ref.kind} as ${list([...new Set(sameKind)])}`;
  else if (inVersion.length > 0) why = `${ref.apiVersion} serves: ${list([...new Set(inVersion)].sort())}`;
  else if (groupInfo !== undefined)
    why = `group ${JSON.stringify(group)} is served in versions ${list(groupInfo.versions.map((v) => v.version))}`;
  else
    why = `this cluster does not serve the group ${JSON.stringify(group)}; it serves: ${list(
      all.groups.map((g) => g.name || "core"),
    )}`;
  const version = ref.apiVersion.slice(slash + 1);
  const path = groupInfo === undefined && group !== "" ? "/apis" : apiPathOf(group, version);
  return localNotFound(`${head}: ${why}`, { group, kind: ref.kind }, path);
}
