/**
 * The runtime descriptor of a resource: everything a client needs to build its URLs and everything a server needs to
 * serve it, plus (at the type level only) the object and list types it carries. Generated modules export one
 * descriptor per kind under the kind's name, so `Pod` is both an interface and a value.
 *
 * @module
 */

/** The verbs of discovery (`APIResource.verbs`). */
export type Verb =
  | "get"
  | "list"
  | "watch"
  | "create"
  | "update"
  | "patch"
  | "delete"
  | "deletecollection"
  | "proxy"
  | (string & {});

/** Marker keys that carry the object and list types of a descriptor; never present at run time. */
declare const objectType: unique symbol;
declare const listType: unique symbol;

/**
 * Describes one resource of one group/version.
 *
 * @typeParam T the object type (`Pod`)
 * @typeParam L the list type (`PodList`)
 */
export interface ResourceDescriptor<T = unknown, L = unknown> {
  /** `apiVersion` of the objects: `"v1"` for the core group (and legacy `/oapi/v1`), else `"<group>/<version>"`. */
  readonly apiVersion: string;
  /** API group; `""` for the core group and for legacy OpenShift `/oapi/v1` kinds. */
  readonly group: string;
  /** API version, such as `"v1"`. */
  readonly version: string;
  /** `kind` of the objects, such as `"Pod"`. */
  readonly kind: string;
  /** The resource name in URLs, such as `"pods"`. */
  readonly plural: string;
  /** Singular name as discovery reports it (lower-case kind), when known. */
  readonly singular?: string;
  /** Whether objects live in a namespace. */
  readonly namespaced: boolean;
  /** The verbs the server supports on the resource. */
  readonly verbs: readonly Verb[];
  /** Subresources such as `"status"`, `"scale"`, `"log"`, `"eviction"`. */
  readonly subresources: readonly string[];
  /** `kind` of the list, such as `"PodList"`. */
  readonly listKind: string;
  /** Short names for the command line, such as `["po"]`. */
  readonly shortNames?: readonly string[];
  /** Categories, such as `["all"]`. */
  readonly categories?: readonly string[];
  /**
   * URL prefix the resource lives under: `"/api/v1"`, `"/apis/<group>/<version>"`, or `"/oapi/v1"` for OpenShift
   * 3.x legacy kinds (whose `apiVersion` is `"v1"`, like core, so `apiVersion` alone cannot place them).
   */
  readonly apiPath: string;
  /** Type-level carrier of the object type; never set. */
  readonly [objectType]?: T;
  /** Type-level carrier of the list type; never set. */
  readonly [listType]?: L;
}

/** The object type a descriptor carries. */
export type ObjectOf<D> = D extends ResourceDescriptor<infer T, unknown> ? T : never;
/** The list type a descriptor carries. */
export type ListOf<D> = D extends ResourceDescriptor<unknown, infer L> ? L : never;

/** Fields of {@link defineResource}; `apiVersion`, `listKind` and `apiPath` are derived when left out. */
export interface DefineResourceOptions {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  singular?: string;
  verbs?: readonly Verb[];
  subresources?: readonly string[];
  listKind?: string;
  shortNames?: readonly string[];
  categories?: readonly string[];
  apiPath?: string;
}

const ALL_VERBS: readonly Verb[] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/**
 * Builds a descriptor for a resource that has no generated module (a CRD, an aggregated API), typed by the caller.
 *
 * @typeParam T the object type
 * @typeParam L the list type
 * @param options group, version, kind, plural, namespaced, and optionally the rest
 * @returns a frozen descriptor
 * @example
 * ```ts
 * import { defineResource } from "@kubeshift/types";
 * interface Widget { apiVersion: "example.com/v1"; kind: "Widget"; metadata: { name: string }; spec: { size: number } }
 * const Widget = defineResource<Widget>({ group: "example.com", version: "v1", kind: "Widget", plural: "widgets", namespaced: true });
 * ```
 */
export function defineResource<T = unknown, L = unknown>(options: DefineResourceOptions): ResourceDescriptor<T, L> {
  const { group, version } = options;
  const descriptor: ResourceDescriptor<T, L> = {
    apiVersion: group === "" ? version : `${group}/${version}`,
    group,
    version,
    kind: options.kind,
    plural: options.plural,
    ...(options.singular === undefined ? {} : { singular: options.singular }),
    namespaced: options.namespaced,
    verbs: options.verbs ?? ALL_VERBS,
    subresources: options.subresources ?? [],
    listKind: options.listKind ?? `${options.kind}List`,
    ...(options.shortNames === undefined ? {} : { shortNames: options.shortNames }),
    ...(options.categories === undefined ? {} : { categories: options.categories }),
    apiPath: options.apiPath ?? (group === "" ? `/api/${version}` : `/apis/${group}/${version}`),
  };
  return Object.freeze(descriptor);
}
