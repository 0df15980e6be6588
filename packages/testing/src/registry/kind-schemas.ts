/**
 * The schema a patch engine or the managedFields tracker needs for a kind: built-in kinds from
 * `@kubeshift/types/schema` (patch strategies, merge keys, list and map types) or, for server-side apply, from the
 * bundled OpenAPI v3 documents (which also carry defaults); custom resources from their CRD's `openAPIV3Schema`.
 *
 * @module
 */
import { schema } from "@kubeshift/types/schema";
import type { KindSchema, V3SchemaIndex } from "../openapi/schema-index.ts";
import { type SchemaLookup, type SchemaNode, schemaLookupForKind } from "../patch/_schema.ts";
import { isPlainObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import type { ObjectStorage } from "../store/object-storage.ts";

/**
 * A kind's schema from the OpenAPI v3 documents as a patch-engine schema: the component schemas are the JSON shape
 * {@link SchemaNode} describes, `default` values included.
 */
function openApiV3Lookup(kind: KindSchema): SchemaLookup {
  return {
    root: kind.root as SchemaNode,
    resolve: (ref) => kind.resolve(ref) as SchemaNode | undefined,
  };
}

/** Finds (and caches) the patch schema of served resources. */
export class KindSchemas {
  readonly #storage: ObjectStorage;
  readonly #builtin = new Map<string, SchemaLookup | undefined>();
  readonly #v3 = new Map<string, SchemaLookup | undefined>();

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

  /**
   * The schema server-side apply uses: a built-in kind's OpenAPI v3 schema, whose defaults name the list-map keys an
   * applied item may leave out (`ports[].protocol`), as kube-apiserver builds its type converter from OpenAPI v3; a
   * custom resource's own schema, which carries its defaults. Falls back to {@link lookup}.
   *
   * @param resource the resource applied to
   * @param v3 the OpenAPI v3 index
   */
  forApply(resource: ServedResource, v3: V3SchemaIndex): SchemaLookup | undefined {
    if (resource.crdName !== undefined) return this.#custom(resource);
    const key = `${resource.apiPath} ${resource.kind}`;
    if (!this.#v3.has(key)) {
      const kind = v3.kind(resource.apiPath, resource.group, resource.version, resource.kind);
      this.#v3.set(key, kind === undefined ? undefined : openApiV3Lookup(kind));
    }
    return this.#v3.get(key) ?? this.lookup(resource);
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
