/**
 * Reads discovery documents: `APIResourceList` (`/api/v1`, `/apis/<group>/<version>`) and aggregated discovery
 * (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`), into one flat shape.
 *
 * @module
 */

/** One resource as a discovery document reports it. */
export interface DiscoveredResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  /** Empty or missing in discovery documents of servers older than 1.27. */
  singular?: string;
  shortNames?: string[];
  categories?: string[];
  subresources: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

/**
 * Reads an `APIResourceList`.
 *
 * @param doc the parsed document
 * @returns its resources, with subresources (`pods/log`) folded into their parent
 * @throws {TypeError} when the document is not an APIResourceList
 */
export function readResourceList(doc: unknown): DiscoveredResource[] {
  if (!isObject(doc) || doc.kind !== "APIResourceList" || typeof doc.groupVersion !== "string") {
    throw new TypeError("not an APIResourceList");
  }
  const [group, version] = doc.groupVersion.includes("/") ? doc.groupVersion.split("/") : ["", doc.groupVersion];
  const out = new Map<string, DiscoveredResource>();
  const subs: [string, string][] = [];
  for (const r of Array.isArray(doc.resources) ? doc.resources : []) {
    if (!isObject(r) || typeof r.name !== "string") continue;
    if (r.name.includes("/")) {
      const [parent, sub] = r.name.split("/");
      if (parent !== undefined && sub !== undefined) subs.push([parent, sub]);
      continue;
    }
    const entry: DiscoveredResource = {
      group: group ?? "",
      version: version ?? "",
      plural: r.name,
      kind: typeof r.kind === "string" ? r.kind : "",
      namespaced: r.namespaced === true,
      verbs: strings(r.verbs).sort(),
      subresources: [],
    };
    if (typeof r.singularName === "string" && r.singularName !== "") entry.singular = r.singularName;
    if (strings(r.shortNames).length > 0) entry.shortNames = strings(r.shortNames);
    if (strings(r.categories).length > 0) entry.categories = strings(r.categories);
    out.set(r.name, entry);
  }
  for (const [parent, sub] of subs) out.get(parent)?.subresources.push(sub);
  for (const r of out.values()) r.subresources.sort();
  return [...out.values()];
}

/**
 * Reads an aggregated discovery document (`APIGroupDiscoveryList`, v2 or v2beta1).
 *
 * @param doc the parsed document
 * @returns every resource of every group and version
 * @throws {TypeError} when the document is not an APIGroupDiscoveryList
 */
export function readAggregatedDiscovery(doc: unknown): DiscoveredResource[] {
  if (!isObject(doc) || doc.kind !== "APIGroupDiscoveryList") throw new TypeError("not an APIGroupDiscoveryList");
  const out: DiscoveredResource[] = [];
  for (const item of Array.isArray(doc.items) ? doc.items : []) {
    if (!isObject(item)) continue;
    const group = isObject(item.metadata) && typeof item.metadata.name === "string" ? item.metadata.name : "";
    for (const v of Array.isArray(item.versions) ? item.versions : []) {
      if (!isObject(v) || typeof v.version !== "string") continue;
      for (const r of Array.isArray(v.resources) ? v.resources : []) {
        if (!isObject(r) || typeof r.resource !== "string") continue;
        const entry: DiscoveredResource = {
          group,
          version: v.version,
          plural: r.resource,
          kind: isObject(r.responseKind) && typeof r.responseKind.kind === "string" ? r.responseKind.kind : "",
          namespaced: r.scope === "Namespaced",
          verbs: strings(r.verbs).sort(),
          subresources: (Array.isArray(r.subresources) ? r.subresources : [])
            .filter(isObject)
            .map((s) => s.subresource)
            .filter((s): s is string => typeof s === "string")
            .sort(),
        };
        if (typeof r.singularResource === "string" && r.singularResource !== "") entry.singular = r.singularResource;
        if (strings(r.shortNames).length > 0) entry.shortNames = strings(r.shortNames);
        if (strings(r.categories).length > 0) entry.categories = strings(r.categories);
        out.push(entry);
      }
    }
  }
  return out;
}
