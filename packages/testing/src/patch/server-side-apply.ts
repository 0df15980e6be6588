/**
 * Server-side apply (`PATCH` with `application/apply-patch+yaml`), as the kube-apiserver's field manager runs it
 * over structured-merge-diff: the applied configuration is merged into the live object, the applier owns exactly
 * the fields it applied, fields it stops applying are removed when nobody else owns them, and changing a value
 * another manager owns is a 409 conflict unless `force` is set.
 *
 * @module
 */

import { recordApply, recordUpdate } from "./_field-manager.ts";
import { goJsonTypeName, isJsonObject, type JsonObject, jsonClone } from "./_json.ts";
import {
  decodeManagers,
  encodeManagers,
  type ManagedFieldsEntry,
  rootType,
  withoutManagedFields,
} from "./_managers.ts";
import type { SchemaLookup } from "./_schema.ts";
import { zeroValue } from "./_typed.ts";
import { PatchError } from "./patch-error.ts";

/** Options of {@link serverSideApply}. */
export interface ServerSideApplyOptions {
  /** `?fieldManager=` (required by the server for apply; checking it is the caller's job). */
  manager: string;
  /** `?force=true`: take ownership of conflicting fields instead of failing. */
  force: boolean;
  /** The kind's schema; without it maps are granular and lists atomic (an unknown type). */
  schema?: SchemaLookup | undefined;
  /** The time to record on the applier's entry, RFC 3339 with seconds. */
  time: string;
  /** The apiVersion of the request; the applied configuration must carry the same. */
  apiVersion: string;
  /** The subresource applied through, if any. */
  subresource?: string;
}

/** The result of {@link serverSideApply}. */
export interface ServerSideApplyResult {
  /** The object to store, with its new `metadata.managedFields` (the live object itself when nothing changed). */
  object: object;
  /** The new `metadata.managedFields`. */
  managedFields: ManagedFieldsEntry[];
  /** Whether anything but `managedFields` changed (the server keeps the resourceVersion of a no-op apply). */
  changed: boolean;
}

function withManagedFields(obj: JsonObject, managedFields: ManagedFieldsEntry[]): JsonObject {
  const metadata = isJsonObject(obj.metadata) ? { ...obj.metadata } : {};
  if (managedFields.length > 0) metadata.managedFields = managedFields;
  else delete metadata.managedFields;
  return { ...obj, metadata };
}

/** The apply core shared with `updateManagedFields` (operation `"Apply"`). */
export function applyManaged(
  live: object | undefined,
  applied: unknown,
  options: ServerSideApplyOptions,
): ServerSideApplyResult {
  if (!isJsonObject(applied)) {
    throw new PatchError(
      400,
      "BadRequest",
      `error decoding YAML: json: cannot unmarshal ${goJsonTypeName(applied)} into Go value of type map[string]interface {}`,
    );
  }
  if (
    isJsonObject(applied.metadata) &&
    applied.metadata.managedFields !== undefined &&
    applied.metadata.managedFields !== null
  ) {
    throw new PatchError(400, "BadRequest", "metadata.managedFields must be nil");
  }
  const patchVersion = typeof applied.apiVersion === "string" ? applied.apiVersion : "";
  if (patchVersion !== options.apiVersion) {
    throw new PatchError(
      400,
      "BadRequest",
      `Incorrect version specified in apply patch. Specified patch version: ${patchVersion}, expected: ${options.apiVersion}`,
    );
  }
  const type = rootType(options.schema);
  const liveJson = live === undefined ? undefined : (jsonClone(withoutManagedFields(live)) as JsonObject);
  const managers =
    decodeManagers(isJsonObject(live) && isJsonObject(live.metadata) ? live.metadata.managedFields : undefined) ??
    new Map();
  const writer = {
    manager: options.manager,
    apiVersion: options.apiVersion,
    subresource: options.subresource,
    time: options.time,
  };
  if (liveJson !== undefined && managers.size === 0) {
    // Fields that existed before anyone applied belong to "before-first-apply", so a first apply that changes
    // them conflicts instead of silently taking them over.
    recordUpdate(managers, zeroValue(type), liveJson, type, {
      ...writer,
      manager: "before-first-apply",
      subresource: undefined,
    });
  }
  const outcome = recordApply(
    managers,
    liveJson ?? {},
    liveJson ?? zeroValue(type),
    applied,
    type,
    writer,
    options.force,
  );
  const managedFields = encodeManagers(managers);
  const base = outcome.changed || liveJson === undefined ? outcome.object : liveJson;
  return { object: withManagedFields(base, managedFields), managedFields, changed: outcome.changed };
}

/**
 * Runs a server-side apply of `applied` over `live` for `options.manager`.
 *
 * Deliberate gaps (see `README-engines.md`): no conversion between API versions of managed fields, no syncing of
 * the `kubectl.kubernetes.io/last-applied-configuration` annotation, no reset of fields a strategy owns (`status`
 * on the main resource) — the caller resets those before or after.
 *
 * @param live the stored object, `undefined` when the apply creates it
 * @param applied the applied configuration (parsed YAML or JSON)
 * @param options the manager, `force`, the time, the request's apiVersion and the kind's schema
 * @returns the object to store (with `metadata.managedFields`), the entries, and whether the object changed
 * @throws {PatchError} 409 `Conflict` with one `FieldManagerConflict` cause per field another manager owns and the
 *   configuration changes (unless `force`); 400 when the configuration is not an object, sets
 *   `metadata.managedFields`, or has another apiVersion than the request
 * @example
 * ```ts
 * const { object } = serverSideApply(live, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ssa" }, data: { k: "v" } }, {
 *   manager: "kubectl", force: false, time: new Date().toISOString().replace(/\.\d+Z$/, "Z"), apiVersion: "v1",
 * });
 * ```
 */
export function serverSideApply(
  live: object | undefined,
  applied: object,
  options: ServerSideApplyOptions,
): ServerSideApplyResult {
  return applyManaged(live, applied, options);
}
