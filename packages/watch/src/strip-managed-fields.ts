/**
 * `stripManagedFields`: the ready-made transform that drops `metadata.managedFields` (server-side apply bookkeeping,
 * often half of an object's JSON) before objects are cached, as controller-runtime's `TransformStripManagedFields`.
 *
 * @module
 */

/**
 * Removes `metadata.managedFields`, changing the object in place (its `metadata` is replaced by a copy without the
 * field: deleting a property would switch the engine to a slower, larger object layout). Idempotent, so it is safe
 * on objects that pass through twice.
 *
 * @param object any object
 * @returns the same object
 * @example
 * ```ts
 * createInformer(client, Pod, { transform: stripManagedFields }); // or { stripManagedFields: true }
 * ```
 */
export function stripManagedFields<T>(object: T): T {
  const o = object as { metadata?: unknown } | null | undefined;
  const metadata = o?.metadata;
  if (typeof metadata !== "object" || metadata === null || !("managedFields" in metadata)) return object;
  const { managedFields: _, ...rest } = metadata as Record<string, unknown>;
  (o as { metadata?: unknown }).metadata = rest;
  return object;
}
