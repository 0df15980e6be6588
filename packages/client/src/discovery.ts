/**
 * Discovery: what the server serves. Single documents (`/version`, `/api`, `/apis`, one group/version, legacy
 * `/oapi/v1`) and the whole picture at once, from aggregated discovery (one request each for `/api` and `/apis` on
 * Kubernetes 1.26+) with a fallback to one request per group/version on older servers and OpenShift 3.x.
 *
 * @module
 */
import { DecodeError } from "@kubeshift/transport";
import type { ResourceDescriptor } from "@kubeshift/types";
import { readText } from "./_read-text.ts";
import type {
  ApiGroup,
  ApiGroupDiscovery,
  ApiGroupDiscoveryList,
  ApiGroupList,
  ApiResource,
  ApiResourceList,
  ApiVersions,
  GroupVersionKind,
  VersionInfo,
} from "./discovery-types.ts";
import type { KubeList, KubeObject } from "./kube-object.ts";

/** The `Accept` of aggregated discovery, v2 then v2beta1, with the plain documents as fallback (as kubectl 1.30+). */
export const AGGREGATED_DISCOVERY_ACCEPT: string =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," +
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

/** What discovery needs from a client: a GET relative to the server that throws `ApiError` on failure. */
export interface DiscoveryRequester {
  /** Sends a request to `path` (relative to the server) and resolves with a 2xx response; rejects with `ApiError`. */
  raw(path: string, init?: { headers?: HeadersInit; signal?: AbortSignal | undefined }): Promise<Response>;
}

/** Options of every discovery call. */
export interface DiscoveryCallOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** A resource found by discovery: a descriptor plus what only discovery knows. */
export interface DiscoveredResource extends ResourceDescriptor<KubeObject, KubeList<KubeObject>> {
  /** Whether this is the preferred version of its group. */
  readonly preferred: boolean;
  /** What each subresource takes and returns when it is another kind (`eviction` → policy/v1 Eviction). */
  readonly subresourceKinds: Readonly<Record<string, GroupVersionKind>>;
}

/** A group/version whose resources could not be read (an aggregated API server that is down). */
export interface FailedGroupVersion {
  /** `"<group>/<version>"`, `"v1"` for core, `"oapi/v1"` for legacy OpenShift. */
  readonly groupVersion: string;
  /** Why. */
  readonly reason: string;
}

/** Everything the server serves. */
export interface ServerResources {
  /** The groups with their versions; the core group is listed with name `""`. */
  readonly groups: readonly ApiGroup[];
  /** Every resource of every served group/version (subresources folded into their parent). */
  readonly resources: readonly DiscoveredResource[];
  /** Group/versions that could not be read; their resources are missing from `resources`. */
  readonly failed: readonly FailedGroupVersion[];
  /** Whether the server answered aggregated discovery (one request per root) rather than per group/version. */
  readonly aggregated: boolean;
  /** Whether the server serves OpenShift 3.x legacy `/oapi/v1` (its kinds are in `resources`). */
  readonly legacyOpenShift: boolean;
}

/**
 * The URL prefix of a group/version.
 *
 * @param group API group, `""` for core
 * @param version API version
 * @returns `"/api/v1"` for core, `"/apis/<group>/<version>"` otherwise
 * @example
 * ```ts
 * apiPathOf("apps", "v1"); // "/apis/apps/v1"
 * ```
 */
export function apiPathOf(group: string, version: string): string {
  return group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
}

const LEGACY_OAPI = "/oapi/v1";

/**
 * Reads what a server serves. Every method sends one or more GETs through the client (same credentials, retries and
 * errors) and returns the parsed documents as sent.
 *
 * @example
 * ```ts
 * const { gitVersion } = await client.discovery.version();
 * const all = await client.discovery.serverResources();
 * ```
 */
export class Discovery {
  readonly #requester: DiscoveryRequester;

  /** @param requester the client (or anything that sends GETs relative to the server) */
  constructor(requester: DiscoveryRequester) {
    this.#requester = requester;
  }

  async #get<T>(path: string, accept: string, signal: AbortSignal | undefined): Promise<T> {
    const response = await this.#requester.raw(path, { headers: { accept }, signal });
    const text = await readText(response);
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new DecodeError(`Cannot decode the answer to GET ${JSON.stringify(path)} as JSON`, {
        cause,
        excerpt: text.slice(0, 120),
      });
    }
  }

  /**
   * @param options the signal
   * @returns `/version`
   * @throws {ApiError} when the server refuses
   * @example
   * ```ts
   * (await client.discovery.version()).gitVersion; // "v1.20.2"
   * ```
   */
  version(options: DiscoveryCallOptions = {}): Promise<VersionInfo> {
    return this.#get("/version", "application/json", options.signal);
  }

  /**
   * @param options the signal
   * @returns `/api`: the versions of the core group
   * @throws {ApiError} when the server refuses (anonymous users get 403 on many clusters)
   * @example
   * ```ts
   * (await client.discovery.coreVersions()).versions; // ["v1"]
   * ```
   */
  coreVersions(options: DiscoveryCallOptions = {}): Promise<ApiVersions> {
    return this.#get("/api", "application/json", options.signal);
  }

  /**
   * @param options the signal
   * @returns `/apis`: every group and its versions
   * @throws {ApiError} when the server refuses
   * @example
   * ```ts
   * (await client.discovery.groups()).groups.map((g) => g.name);
   * ```
   */
  groups(options: DiscoveryCallOptions = {}): Promise<ApiGroupList> {
    return this.#get("/apis", "application/json", options.signal);
  }

  /**
   * The resources of one group/version.
   *
   * @param groupVersionOrPath `"v1"`, `"apps/v1"`, or a URL prefix such as `"/oapi/v1"`
   * @param options the signal
   * @returns the `APIResourceList`
   * @throws {ApiError} NotFound when the group/version is not served
   * @throws {DecodeError} when the answer is not an APIResourceList
   * @example
   * ```ts
   * const legacy = await client.discovery.resources("/oapi/v1"); // OpenShift 3.x
   * ```
   */
  async resources(groupVersionOrPath: string, options: DiscoveryCallOptions = {}): Promise<ApiResourceList> {
    const path = pathOfGroupVersion(groupVersionOrPath);
    const list = await this.#get<ApiResourceList>(path, "application/json", options.signal);
    if (typeof list !== "object" || list === null || !Array.isArray(list.resources))
      throw new DecodeError(`The answer to GET ${JSON.stringify(path)} is not an APIResourceList`, {
        excerpt: JSON.stringify(list)?.slice(0, 120) ?? String(list),
      });
    return list;
  }

  /**
   * Everything the server serves: aggregated discovery when the server offers it, else `/api`, `/apis` and one
   * request per group/version (in parallel), plus legacy `/oapi/v1` when the server has OpenShift groups. A
   * group/version that fails is reported in `failed`; only a failure of `/api` or `/apis` themselves rejects.
   *
   * @param options the signal
   * @returns groups, resources and failures
   * @throws {ApiError} when `/api` or `/apis` is refused
   * @example
   * ```ts
   * const { resources } = await client.discovery.serverResources();
   * resources.filter((r) => r.preferred).map((r) => `${r.plural}.${r.group}`);
   * ```
   */
  async serverResources(options: DiscoveryCallOptions = {}): Promise<ServerResources> {
    const { signal } = options;
    const [core, named] = await Promise.all([
      this.#get<ApiVersions | ApiGroupDiscoveryList>("/api", AGGREGATED_DISCOVERY_ACCEPT, signal),
      this.#get<ApiGroupList | ApiGroupDiscoveryList>("/apis", AGGREGATED_DISCOVERY_ACCEPT, signal),
    ]);
    const groups: ApiGroup[] = [];
    const resources: DiscoveredResource[] = [];
    const failed: FailedGroupVersion[] = [];
    const pending: Promise<void>[] = [];
    let aggregated = false;

    const collectList = (path: string, group: string, version: string, preferred: boolean): void => {
      pending.push(
        this.resources(path, { ...(signal === undefined ? {} : { signal }) }).then(
          (list) => {
            resources.push(...fromResourceList(list, path, group, version, preferred));
          },
          (error: unknown) => {
            if (signal?.aborted) throw signal.reason;
            failed.push({ groupVersion: group === "" ? version : `${group}/${version}`, reason: reasonOf(error) });
          },
        ),
      );
    };

    for (const root of [core, named]) {
      if (isAggregated(root)) {
        aggregated = true;
        for (const item of root.items) {
          groups.push(groupOf(item));
          collectAggregated(item, resources, failed);
        }
      } else if (isApiVersions(root)) {
        const versions = root.versions ?? [];
        groups.push({
          name: "",
          versions: versions.map((v) => ({ groupVersion: v, version: v })),
          ...(versions[0] === undefined
            ? {}
            : { preferredVersion: { groupVersion: versions[0], version: versions[0] } }),
        });
        for (const [i, v] of versions.entries()) collectList(apiPathOf("", v), "", v, i === 0);
      } else {
        for (const group of root.groups ?? []) {
          groups.push(group);
          const preferred = group.preferredVersion?.version ?? group.versions[0]?.version;
          for (const v of group.versions)
            collectList(apiPathOf(group.name, v.version), group.name, v.version, v.version === preferred);
        }
      }
    }

    let legacyOpenShift = false;
    if (groups.some((g) => g.name.endsWith(".openshift.io"))) {
      pending.push(
        this.resources(LEGACY_OAPI, { ...(signal === undefined ? {} : { signal }) }).then(
          (list) => {
            legacyOpenShift = true;
            resources.push(...fromResourceList(list, LEGACY_OAPI, "", "v1", false));
          },
          (error: unknown) => {
            if (signal?.aborted) throw signal.reason;
            // OpenShift 4 removed /oapi: a 404 there means "no legacy API", not a failure.
            if ((error as { status?: unknown }).status !== 404)
              failed.push({ groupVersion: "oapi/v1", reason: reasonOf(error) });
          },
        ),
      );
    }
    await Promise.all(pending);
    resources.sort(byPriority(groups));
    return { groups, resources, failed, aggregated, legacyOpenShift };
  }
}

function pathOfGroupVersion(gv: string): string {
  if (gv.startsWith("/")) return gv;
  const slash = gv.indexOf("/");
  return slash < 0 ? apiPathOf("", gv) : apiPathOf(gv.slice(0, slash), gv.slice(slash + 1));
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isAggregated(doc: unknown): doc is ApiGroupDiscoveryList {
  return (
    (doc as { kind?: unknown })?.kind === "APIGroupDiscoveryList" && Array.isArray((doc as { items?: unknown }).items)
  );
}

function isApiVersions(doc: unknown): doc is ApiVersions {
  return Array.isArray((doc as { versions?: unknown })?.versions);
}

function groupOf(item: ApiGroupDiscovery): ApiGroup {
  const name = item.metadata?.name ?? "";
  const versions = item.versions.map((v) => ({
    groupVersion: name === "" ? v.version : `${name}/${v.version}`,
    version: v.version,
  }));
  return { name, versions, ...(versions[0] === undefined ? {} : { preferredVersion: versions[0] }) };
}

function collectAggregated(item: ApiGroupDiscovery, out: DiscoveredResource[], failed: FailedGroupVersion[]): void {
  const group = item.metadata?.name ?? "";
  // Aggregated discovery lists versions in preference order.
  for (const [i, v] of item.versions.entries()) {
    if (v.freshness === "Stale")
      failed.push({
        groupVersion: group === "" ? v.version : `${group}/${v.version}`,
        reason: "the aggregated API server did not answer discovery (freshness: Stale)",
      });
    const apiPath = apiPathOf(group, v.version);
    for (const r of v.resources ?? []) {
      const subresourceKinds: Record<string, GroupVersionKind> = {};
      for (const s of r.subresources ?? []) {
        if (s.responseKind?.kind)
          subresourceKinds[s.subresource] = {
            group: s.responseKind.group || (s.responseKind.version ? s.responseKind.group : group),
            version: s.responseKind.version || v.version,
            kind: s.responseKind.kind,
          };
      }
      const kind = r.responseKind?.kind ?? "";
      out.push(
        describe({
          group,
          version: v.version,
          apiPath,
          plural: r.resource,
          kind,
          singular: r.singularResource || kind.toLowerCase(),
          namespaced: r.scope === "Namespaced",
          verbs: r.verbs ?? [],
          subresources: (r.subresources ?? []).map((s) => s.subresource),
          shortNames: r.shortNames,
          categories: r.categories,
          preferred: i === 0,
          subresourceKinds,
        }),
      );
    }
  }
}

/**
 * Folds an `APIResourceList` into descriptors: subresources (`pods/log`) join their parent.
 *
 * @internal exported for the resource mapper and tests
 */
export function fromResourceList(
  list: ApiResourceList,
  apiPath: string,
  group: string,
  version: string,
  preferred: boolean,
): DiscoveredResource[] {
  const parents = new Map<string, ApiResource>();
  const subs = new Map<string, ApiResource[]>();
  for (const r of list.resources ?? []) {
    const slash = r.name.indexOf("/");
    if (slash < 0) parents.set(r.name, r);
    else {
      const parent = r.name.slice(0, slash);
      const entries = subs.get(parent) ?? [];
      entries.push({ ...r, name: r.name.slice(slash + 1) });
      subs.set(parent, entries);
    }
  }
  const out: DiscoveredResource[] = [];
  for (const [plural, r] of parents) {
    const subresourceKinds: Record<string, GroupVersionKind> = {};
    const subresources: string[] = [];
    for (const s of subs.get(plural) ?? []) {
      subresources.push(s.name);
      subresourceKinds[s.name] = { group: s.group ?? group, version: s.version ?? version, kind: s.kind };
    }
    out.push(
      describe({
        group,
        version,
        apiPath,
        plural,
        kind: r.kind,
        singular: r.singularName || r.kind.toLowerCase(),
        namespaced: r.namespaced,
        verbs: r.verbs ?? [],
        subresources,
        shortNames: r.shortNames,
        categories: r.categories,
        preferred,
        subresourceKinds,
      }),
    );
  }
  return out;
}

interface DescribeInput {
  group: string;
  version: string;
  apiPath: string;
  plural: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  verbs: readonly string[];
  subresources: readonly string[];
  shortNames: readonly string[] | undefined;
  categories: readonly string[] | undefined;
  preferred: boolean;
  subresourceKinds: Record<string, GroupVersionKind>;
}

function describe(input: DescribeInput): DiscoveredResource {
  return Object.freeze({
    apiVersion: input.group === "" ? input.version : `${input.group}/${input.version}`,
    group: input.group,
    version: input.version,
    kind: input.kind,
    plural: input.plural,
    singular: input.singular,
    namespaced: input.namespaced,
    verbs: Object.freeze([...input.verbs]),
    subresources: Object.freeze([...input.subresources]),
    listKind: `${input.kind}List`,
    ...(input.shortNames?.length ? { shortNames: Object.freeze([...input.shortNames]) } : {}),
    ...(input.categories?.length ? { categories: Object.freeze([...input.categories]) } : {}),
    apiPath: input.apiPath,
    preferred: input.preferred,
    subresourceKinds: Object.freeze(input.subresourceKinds),
  });
}

/** Core first, then groups in discovery order (kubectl's priority), preferred versions first, legacy /oapi last. */
function byPriority(groups: readonly ApiGroup[]): (a: DiscoveredResource, b: DiscoveredResource) => number {
  const order = new Map<string, number>();
  const versionOrder = new Map<string, number>();
  for (const [i, g] of groups.entries()) {
    if (!order.has(g.name)) order.set(g.name, i);
    for (const [j, v] of g.versions.entries()) versionOrder.set(v.groupVersion, j);
  }
  const rank = (r: DiscoveredResource): number => {
    if (r.apiPath === LEGACY_OAPI) return Number.MAX_SAFE_INTEGER;
    return r.group === "" ? -1 : (order.get(r.group) ?? groups.length);
  };
  return (a, b) =>
    rank(a) - rank(b) ||
    Number(b.preferred) - Number(a.preferred) ||
    (versionOrder.get(a.apiVersion) ?? 0) - (versionOrder.get(b.apiVersion) ?? 0) ||
    (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0);
}
