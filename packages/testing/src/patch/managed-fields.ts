/**
 * `metadata.managedFields` bookkeeping for every write that is not a server-side apply (create, update, patch):
 * the writer takes ownership of the fields it added or changed, and fields it removed leave every manager.
 *
 * @module
 */

import { recordUpdate } from "./_field-manager.ts";
import { isJsonObject } from "./_json.ts";
import {
  decodeManagers,
  encodeManagers,
  type ManagedFieldsEntry,
  type Managers,
  rootType,
  withoutManagedFields,
} from "./_managers.ts";
import type { SchemaLookup } from "./_schema.ts";
import { zeroValue } from "./_typed.ts";
import { applyManaged } from "./server-side-apply.ts";

export type { ManagedFieldsEntry } from "./_managers.ts";

/** Options of {@link updateManagedFields}. */
export interface UpdateManagedFieldsOptions {
  /** The field manager: `?fieldManager=`, else the user agent up to its first `/`, else `"unknown"`. */
  manager: string;
  /**
   * `"Update"` for create, update and patch; `"Apply"` when `next` is an applied configuration (the entries then
   * are those of a forced server-side apply of it, see `serverSideApply`).
   */
  operation: "Update" | "Apply";
  /** The subresource written through (`"status"`, `"scale"`); recorded on the entry. */
  subresource?: string;
  /** The time to record, RFC 3339 with seconds (`2026-11-28T22:06:04Z`). */
  time: string;
  /** The apiVersion of the request (`"v1"`, `"apps/v1"`). */
  apiVersion: string;
  /** The kind's schema; without it every map is granular and every list atomic, as for an unknown type. */
  schema?: SchemaLookup;
}

/** The managers a write starts from: reset by `managedFields: []`, taken from the request when it sets valid ones. */
function startingManagers(previous: object | undefined, next: object): Managers {
  const requested = isJsonObject(next) && isJsonObject(next.metadata) ? next.metadata.managedFields : undefined;
  if (Array.isArray(requested)) {
    if (requested.length === 0) return new Map();
    if (requested.length === 1 && isJsonObject(requested[0]) && Object.keys(requested[0]).length === 0)
      return new Map();
    const fromRequest = decodeManagers(requested);
    if (fromRequest !== undefined && fromRequest.size > 0) return fromRequest;
  }
  const live = isJsonObject(previous) && isJsonObject(previous.metadata) ? previous.metadata.managedFields : undefined;
  return decodeManagers(live) ?? new Map();
}

/**
 * Computes the `metadata.managedFields` the kube-apiserver writes for a create, update or patch by `manager`.
 *
 * Call it with the object as it will be stored after decoding and defaulting (the server records defaulted fields
 * such as `imagePullPolicy` as the writer's) but before the strategy resets fields (`status` on the main resource).
 * The result does not depend on `next.metadata.managedFields` unless the request sets them: `[]` resets
 * ownership, a valid non-empty list replaces it, anything else keeps the live object's. Like the server, an update
 * of an existing object that has no entries adds none.
 *
 * @param previous the stored object, `undefined` for a create
 * @param next the object about to be stored
 * @param options who writes, when, through which version and subresource, and the kind's schema
 * @returns the entries to store in `next.metadata.managedFields` (empty when nothing is owned)
 * @example
 * ```ts
 * next.metadata.managedFields = updateManagedFields(live, next, {
 *   manager: "kubectl-edit", operation: "Update", time: "2026-11-28T22:06:04Z", apiVersion: "v1",
 * });
 * ```
 */
export function updateManagedFields(
  previous: object | undefined,
  next: object,
  options: UpdateManagedFieldsOptions,
): ManagedFieldsEntry[] {
  if (options.operation === "Apply") {
    const result = applyManaged(previous, next, {
      manager: options.manager,
      force: true,
      time: options.time,
      apiVersion: options.apiVersion,
      schema: options.schema,
    });
    return result.managedFields;
  }
  const managers = startingManagers(previous, next);
  // The server does not start tracking on an update of an object nobody manages (created before field management,
  // or reset with `managedFields: []`): only creates and applies introduce entries.
  if (previous !== undefined && managers.size === 0) return [];
  const type = rootType(options.schema);
  const lhs = previous === undefined ? zeroValue(type) : withoutManagedFields(previous);
  recordUpdate(managers, lhs, withoutManagedFields(next), type, {
    manager: options.manager,
    apiVersion: options.apiVersion,
    subresource: options.subresource,
    time: options.time,
  });
  return encodeManagers(managers);
}
