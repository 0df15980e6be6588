/**
 * Lookups over a set of descriptors: by apiVersion and kind, by group/version/plural, by URL prefix and plural, and
 * by short name. `@kubeshift/types/catalog` builds one over every generated descriptor.
 *
 * @module
 */
import type { ResourceDescriptor } from "./descriptor.ts";

/** Which API a descriptor comes from. */
export type ResourceSource = "kubernetes" | "openshift" | "openshift-legacy" | (string & {});

/** Options of the kind lookup. */
export interface FindByKindOptions {
  /** Prefer the legacy OpenShift `/oapi/v1` kinds, whose apiVersion `"v1"` is the core group's too. @default false */
  readonly legacy?: boolean;
}

/** Lookups over a set of descriptors. */
export interface ResourceIndex {
  /** Every descriptor, in source order. */
  readonly all: readonly ResourceDescriptor[];
  /**
   * The descriptor of a kind. Several resources may serve one kind (`templates` and `processedtemplates`); the
   * one whose plural is the kind's own comes first.
   */
  byKind(apiVersion: string, kind: string, options?: FindByKindOptions): ResourceDescriptor | undefined;
  /** The descriptor of `group`/`version`/`plural`; group `""` is the core group (not `/oapi/v1`). */
  byPlural(group: string, version: string, plural: string): ResourceDescriptor | undefined;
  /** The descriptor of `plural` under a URL prefix such as `/apis/apps/v1` or `/oapi/v1`. */
  byApiPath(apiPath: string, plural: string): ResourceDescriptor | undefined;
  /** Descriptors with this short name (`po`, `deploy`, `dc`), in source order. */
  byShortName(shortName: string): readonly ResourceDescriptor[];
  /** Where a descriptor of this index comes from. */
  sourceOf(descriptor: ResourceDescriptor): ResourceSource | undefined;
}

/**
 * Builds a {@link ResourceIndex} over descriptors grouped by source.
 *
 * @param sources source name → its descriptors; the order of the sources is the order of {@link ResourceIndex.all}
 * @returns the index
 * @example
 * ```ts
 * import { createResourceIndex, defineResource } from "@kubeshift/types";
 * const Widget = defineResource({ group: "example.com", version: "v1", kind: "Widget", plural: "widgets", namespaced: true });
 * const index = createResourceIndex({ crds: [Widget] });
 * index.byKind("example.com/v1", "Widget") === Widget; // true
 * ```
 */
export function createResourceIndex(sources: Readonly<Record<string, readonly ResourceDescriptor[]>>): ResourceIndex {
  const all: ResourceDescriptor[] = [];
  const source = new Map<ResourceDescriptor, string>();
  const byPath = new Map<string, ResourceDescriptor>();
  const byKind = new Map<string, ResourceDescriptor>();
  const legacyByKind = new Map<string, ResourceDescriptor>();
  const byShort = new Map<string, ResourceDescriptor[]>();
  const ownPlural = (d: ResourceDescriptor): boolean => d.singular === undefined || d.singular === d.kind.toLowerCase();
  for (const [name, list] of Object.entries(sources)) {
    for (const d of list) {
      all.push(d);
      source.set(d, name);
      byPath.set(`${d.apiPath} ${d.plural}`, d);
      const legacy = d.apiPath.startsWith("/oapi/");
      const kinds = legacy ? legacyByKind : byKind;
      const key = `${d.apiVersion} ${d.kind}`;
      const existing = kinds.get(key);
      if (existing === undefined || (!ownPlural(existing) && ownPlural(d))) kinds.set(key, d);
      for (const s of d.shortNames ?? []) {
        const found = byShort.get(s);
        if (found === undefined) byShort.set(s, [d]);
        else found.push(d);
      }
    }
  }
  return {
    all,
    byKind(apiVersion, kind, options = {}) {
      const key = `${apiVersion} ${kind}`;
      if (options.legacy === true) return legacyByKind.get(key) ?? byKind.get(key);
      return byKind.get(key) ?? legacyByKind.get(key);
    },
    byPlural(group, version, plural) {
      return byPath.get(`${group === "" ? `/api/${version}` : `/apis/${group}/${version}`} ${plural}`);
    },
    byApiPath(apiPath, plural) {
      return byPath.get(`${apiPath} ${plural}`);
    },
    byShortName(shortName) {
      return byShort.get(shortName) ?? [];
    },
    sourceOf(descriptor) {
      return source.get(descriptor);
    },
  };
}
