/**
 * The schema a patch engine or the managedFields tracker needs for a kind: built-in kinds from
 * `@kubeshift/types/schema` (patch strategies, merge keys, list and map types), custom resources from their CRD's
 * `openAPIV3Schema`.
 *
 * @module
 */
import { schema } from "@kubeshift/types/schema";
import { type SchemaLookup, type SchemaNode, schemaLookupForKind } from "../patch/_schema.ts";
import { isPlainObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import type { ObjectStorage } from "../store/object-storage.ts";

/** Finds (and caches) the patch schema of served resources. */
export class KindSchemas {
  readonly #storage: ObjectStorage;
  readonly #builtin = new Map<string, SchemaLookup | undefined>();

  constructor(storage: ObjectStorage) {
    this.#storage = storage;
  }

  /** The schema of a resource's kind, or `undefined` when none is known (the engines then treat it as untyped). */
  lookup(resource: ServedResource): SchemaLookup | undefined {
    if (resource.crdName !== undefined) return this.#custom(resource);
    const key = `${resource.apiVersion}/${resource.kind}`;
    if (!this.#builtin.has(key))
      this.#builtin.set(key, schemaLookupForKind(schema, resource.apiVersion, resource.kind));
    return this.#builtin.get(key);
  }

  #custom(resource: ServedResource): SchemaLookup | undefined {
    const crd = this.#storage.get("apiextensions.k8s.io/customresourcedefinitions", resource.crdName as string);
    const versions = (
      crd?.object.spec as { versions?: { name?: string; schema?: { openAPIV3Schema?: unknown } }[] } | undefined
    )?.versions;
    const root = versions?.find((v) => v.name === resource.version)?.schema?.openAPIV3Schema;
    if (!isPlainObject(root)) return undefined;
    return { root: root as SchemaNode, resolve: () => undefined };
  }
}
