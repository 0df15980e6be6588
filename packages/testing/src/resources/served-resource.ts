/**
 * A resource the fake cluster serves: its descriptor, how it is stored and how it behaves.
 *
 * @module
 */
import type { ResourceDescriptor } from "@kubeshift/types";
import type { ResourceBehavior } from "../registry/resource-behavior.ts";

/** One served group/version/resource. */
export interface ServedResource {
  /** The descriptor it was built from. */
  readonly descriptor: ResourceDescriptor;
  /** API group (`""` for core). */
  readonly group: string;
  /** Version. */
  readonly version: string;
  /** `apiVersion` of its objects. */
  readonly apiVersion: string;
  /** Kind. */
  readonly kind: string;
  /** List kind. */
  readonly listKind: string;
  /** Plural (URL) name. */
  readonly plural: string;
  /** Singular name. */
  readonly singular: string;
  /** Namespaced or cluster-scoped. */
  readonly namespaced: boolean;
  /** Verbs. */
  readonly verbs: ReadonlySet<string>;
  /** Subresource names. */
  readonly subresources: readonly string[];
  /** Short names. */
  readonly shortNames: readonly string[];
  /** Categories. */
  readonly categories: readonly string[];
  /** URL prefix (`/api/v1`, `/apis/apps/v1`). */
  readonly apiPath: string;
  /** Storage bucket: the versions of one group/resource share it. */
  readonly storageKey: string;
  /** Behaviour. */
  readonly behavior: ResourceBehavior;
  /** Built-in kind: list items leave `kind` and `apiVersion` out (typed lists), and Table printers exist. */
  readonly builtin: boolean;
  /** Name of the CustomResourceDefinition that serves it. */
  readonly crdName?: string;
  /** Storage version of a custom resource (other served versions are converted with strategy None). */
  readonly storageVersion?: string;
  /** The group validation errors name (`Route.route.openshift.io` for the legacy `/oapi/v1` routes). */
  readonly internalGroup?: string;
}

/**
 * Builds a served resource from a descriptor.
 *
 * @param descriptor the descriptor
 * @param behavior the kind's behaviour
 * @param extra storage key override, CRD name, built-in flag
 */
export function createServedResource(
  descriptor: ResourceDescriptor,
  behavior: ResourceBehavior,
  extra: {
    storageKey?: string;
    crdName?: string;
    builtin?: boolean;
    storageVersion?: string;
    internalGroup?: string;
  } = {},
): ServedResource {
  return Object.freeze({
    descriptor,
    group: descriptor.group,
    version: descriptor.version,
    apiVersion: descriptor.apiVersion,
    kind: descriptor.kind,
    listKind: descriptor.listKind,
    plural: descriptor.plural,
    singular: descriptor.singular ?? descriptor.kind.toLowerCase(),
    namespaced: descriptor.namespaced,
    verbs: new Set(descriptor.verbs),
    subresources: descriptor.subresources,
    shortNames: descriptor.shortNames ?? [],
    categories: descriptor.categories ?? [],
    apiPath: descriptor.apiPath,
    storageKey: extra.storageKey ?? `${descriptor.group}/${descriptor.plural}`,
    behavior,
    builtin: extra.builtin ?? true,
    ...(extra.crdName === undefined ? {} : { crdName: extra.crdName }),
    ...(extra.storageVersion === undefined ? {} : { storageVersion: extra.storageVersion }),
    ...(extra.internalGroup === undefined ? {} : { internalGroup: extra.internalGroup }),
  });
}
