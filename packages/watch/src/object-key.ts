/**
 * The cache key of an object, as client-go's `MetaNamespaceKeyFunc`: `namespace/name`, or `name` for cluster-scoped
 * objects. Identity is the name, not the uid: a delete and a re-create under the same name share a key.
 *
 * @module
 */

/** The metadata fields keys and resourceVersion rules read. */
export interface KeyedObject {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string } | undefined;
}

/**
 * The store key of an object.
 *
 * @param object an object with `metadata.name` (and `metadata.namespace` when namespaced)
 * @returns `namespace/name`, or `name` when the object has no namespace; `undefined` when it has no name
 * @example
 * ```ts
 * objectKey({ metadata: { namespace: "dev", name: "web" } }); // "dev/web"
 * ```
 */
export function objectKey(object: KeyedObject): string | undefined {
  const metadata = object.metadata;
  const name = metadata?.name;
  if (typeof name !== "string" || name === "") return undefined;
  const namespace = metadata?.namespace;
  return typeof namespace === "string" && namespace !== "" ? `${namespace}/${name}` : name;
}

/**
 * The store key of a name in a namespace.
 *
 * @param name the object name
 * @param namespace its namespace; leave out for cluster-scoped objects
 * @returns the key {@link objectKey} gives such an object
 * @example
 * ```ts
 * informer.store.get(keyOf("web", "dev"));
 * ```
 */
export function keyOf(name: string, namespace?: string): string {
  return namespace === undefined || namespace === "" ? name : `${namespace}/${name}`;
}

/**
 * An object's `metadata.resourceVersion`; `undefined` when missing or empty. Internal to the package.
 *
 * @internal
 */
export function resourceVersionOf(object: unknown): string | undefined {
  const rv = (object as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof rv === "string" && rv !== "" ? rv : undefined;
}

/**
 * An object's `metadata.uid`; `undefined` when missing or empty. Internal to the package.
 *
 * @internal
 */
export function uidOf(object: unknown): string | undefined {
  const uid = (object as { metadata?: { uid?: unknown } } | null)?.metadata?.uid;
  return typeof uid === "string" && uid !== "" ? uid : undefined;
}
