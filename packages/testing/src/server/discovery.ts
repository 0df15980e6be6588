/**
 * Discovery documents built from the resource table: `/api`, `/apis`, `/apis/<group>`, `/api/v1`,
 * `/apis/<group>/<version>` (APIVersions, APIGroupList, APIGroup, APIResourceList), and the aggregated forms
 * (`APIGroupDiscoveryList`, `apidiscovery.k8s.io` v2 and v2beta1) that kubectl 1.26+ asks for first. Documents
 * are cached until the table changes (a CRD is established or removed).
 *
 * @module
 */
import type { ResourceTable, ServedGroup } from "../resources/resource-table.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import { subresourceInfo } from "../resources/subresource-kinds.ts";

interface GroupVersion {
  groupVersion: string;
  version: string;
}

function groupVersions(group: ServedGroup): { versions: GroupVersion[]; preferredVersion: GroupVersion } {
  const versions = group.versions.map((v) => ({ groupVersion: `${group.name}/${v}`, version: v }));
  return { versions, preferredVersion: versions[0] as GroupVersion };
}

/** A stable short hash, like `storageVersionHash` (8 bytes, base64). */
function storageVersionHash(resource: ServedResource): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const c of `${resource.group}/${resource.storageVersion ?? resource.version}/${resource.kind}`) {
    h1 = Math.imul(h1 ^ c.charCodeAt(0), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ c.charCodeAt(0), 2246822519) >>> 0;
  }
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setUint32(0, h1);
  new DataView(bytes.buffer).setUint32(4, h2);
  return btoa(String.fromCharCode(...bytes));
}

/** Builds (and caches) the discovery documents of one cluster. */
export class Discovery {
  readonly #table: ResourceTable;
  readonly #serverAddress: () => string;
  #cache = new Map<string, string>();
  #generation = -1;

  /**
   * @param table the served resources
   * @param serverAddress `host:port` for `serverAddressByClientCIDRs`
   */
  constructor(table: ResourceTable, serverAddress: () => string) {
    this.#table = table;
    this.#serverAddress = serverAddress;
  }

  #cached(key: string, build: () => unknown): string {
    if (this.#generation !== this.#table.generation) {
      this.#cache = new Map();
      this.#generation = this.#table.generation;
    }
    let json = this.#cache.get(key);
    if (json === undefined) {
      json = JSON.stringify(build());
      this.#cache.set(key, json);
    }
    return json;
  }

  /** `GET /api`. */
  apiVersions(): string {
    return this.#cached("api", () => ({
      kind: "APIVersions",
      versions: this.#table.legacyVersions("/api"),
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: this.#serverAddress() }],
    }));
  }

  /** `GET /apis`. */
  apiGroupList(): string {
    return this.#cached("apis", () => ({
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: this.#table.groups().map((g) => ({ name: g.name, ...groupVersions(g) })),
    }));
  }

  /** `GET /apis/<group>`, or `undefined` when the group is not served. */
  apiGroup(name: string): string | undefined {
    const group = this.#table.group(name);
    if (group === undefined) return undefined;
    return this.#cached(`group ${name}`, () => ({ kind: "APIGroup", apiVersion: "v1", name, ...groupVersions(group) }));
  }

  /** `GET /api/v1` or `/apis/<group>/<version>`, or `undefined` when nothing is served there. */
  apiResourceList(apiPath: string): string | undefined {
    const resources = this.#table.resourcesAt(apiPath);
    if (resources.length === 0) return undefined;
    return this.#cached(`resources ${apiPath}`, () => {
      const first = resources[0] as ServedResource;
      const groupVersion = first.apiVersion;
      const entries: Record<string, unknown>[] = [];
      for (const r of resources) {
        entries.push({
          name: r.plural,
          singularName: r.singular,
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: [...r.verbs],
          ...(r.shortNames.length > 0 ? { shortNames: [...r.shortNames] } : {}),
          ...(r.categories.length > 0 ? { categories: [...r.categories] } : {}),
          ...(r.verbs.size > 0 && r.verbs.has("get") ? { storageVersionHash: storageVersionHash(r) } : {}),
        });
        for (const sub of r.subresources) {
          const info = subresourceInfo(r.kind, sub);
          const entry: Record<string, unknown> = {
            name: `${r.plural}/${sub}`,
            singularName: "",
            namespaced: r.namespaced,
          };
          if (info.group !== undefined && (info.group !== r.group || info.version !== r.version)) {
            entry.group = info.group;
            entry.version = info.version;
          }
          entry.kind = info.kind ?? r.kind;
          entry.verbs = [...info.verbs];
          entries.push(entry);
        }
      }
      entries.sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : 1));
      // The core group's list has no apiVersion (a quirk the real server keeps).
      return apiPath === "/api/v1"
        ? { kind: "APIResourceList", groupVersion, resources: entries }
        : { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources: entries };
    });
  }

  #discoveryResources(apiPath: string): Record<string, unknown>[] {
    const resources = this.#table.resourcesAt(apiPath).sort((a, b) => (a.plural < b.plural ? -1 : 1));
    return resources.map((r) => {
      const entry: Record<string, unknown> = {
        resource: r.plural,
        responseKind: { group: "", version: "", kind: r.kind },
        scope: r.namespaced ? "Namespaced" : "Cluster",
        singularResource: r.singular,
        verbs: [...r.verbs],
      };
      if (r.shortNames.length > 0) entry.shortNames = [...r.shortNames];
      if (r.categories.length > 0) entry.categories = [...r.categories];
      if (r.subresources.length > 0)
        entry.subresources = r.subresources.map((sub) => {
          const info = subresourceInfo(r.kind, sub);
          const other = info.group !== undefined && (info.group !== r.group || info.version !== r.version);
          return {
            subresource: sub,
            responseKind: {
              group: other ? info.group : "",
              version: other ? info.version : "",
              kind: info.kind ?? r.kind,
            },
            verbs: [...info.verbs],
          };
        });
      return entry;
    });
  }

  /** Aggregated discovery of `/api` or `/apis`. */
  aggregated(root: "/api" | "/apis", version: "v2" | "v2beta1"): string {
    return this.#cached(`aggregated ${root} ${version}`, () => {
      const items: Record<string, unknown>[] = [];
      if (root === "/api") {
        const versions = this.#table.legacyVersions("/api");
        items.push({
          metadata: { creationTimestamp: null },
          versions: versions.map((v) => ({
            version: v,
            resources: this.#discoveryResources(`/api/${v}`),
            freshness: "Current",
          })),
        });
      } else {
        for (const g of this.#table.groups()) {
          items.push({
            metadata: { name: g.name, creationTimestamp: null },
            versions: g.versions.map((v) => ({
              version: v,
              resources: this.#discoveryResources(`/apis/${g.name}/${v}`),
              freshness: "Current",
            })),
          });
        }
      }
      return {
        kind: "APIGroupDiscoveryList",
        apiVersion: `apidiscovery.k8s.io/${version}`,
        metadata: {},
        items,
      };
    });
  }

  /** The paths `GET /` lists. */
  rootPaths(extra: readonly string[]): string[] {
    const paths = new Set<string>([
      "/api",
      "/api/v1",
      "/apis",
      "/apis/",
      "/healthz",
      "/livez",
      "/readyz",
      "/version",
      "/openapi/v2",
      "/openapi/v3",
      "/openapi/v3/",
      "/.well-known/openid-configuration",
    ]);
    for (const g of this.#table.groups()) {
      paths.add(`/apis/${g.name}`);
      for (const v of g.versions) paths.add(`/apis/${g.name}/${v}`);
    }
    for (const p of extra) paths.add(p);
    return [...paths].sort();
  }
}
