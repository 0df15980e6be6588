/**
 * The two operations of structured-merge-diff's `Updater` as the apiserver's field manager drives them: an update
 * (the writer takes what it changed) and an apply (the applier owns what it applied, drops what it stopped applying,
 * and conflicts with other owners of the values it changes).
 *
 * @module
 */

import { type FieldSet, type PathElement, pathToString } from "./_field-set.ts";
import { isJsonObject, type JsonObject } from "./_json.ts";
import {
  capUpdateManagers,
  ensureNamedFieldsAreMembers,
  type Managers,
  managerId,
  STRIPPED,
  type Tracked,
} from "./_managers.ts";
import { compare, merge, removeItems, type TypeRef, toFieldSet } from "./_typed.ts";
import { PatchError } from "./patch-error.ts";

/** Who writes. */
export interface Writer {
  manager: string;
  apiVersion: string;
  subresource?: string | undefined;
  time: string;
}

/**
 * Records an update from `lhs` to `rhs` by `writer` into `managers` (mutated).
 *
 * @returns whether anything changed
 */
export function recordUpdate(managers: Managers, lhs: unknown, rhs: unknown, type: TypeRef, writer: Writer): boolean {
  const cmp = compare(lhs, rhs, type);
  const taken = cmp.modified.union(cmp.added);
  for (const [id, t] of managers) {
    const set = t.set.difference(taken).difference(cmp.removed);
    if (set.isEmpty()) managers.delete(id);
    else t.set = set;
  }
  const own = taken.difference(cmp.removed).difference(STRIPPED);
  if (!own.isEmpty()) {
    const self: Tracked = { manager: writer.manager, operation: "Update", apiVersion: writer.apiVersion, set: own };
    if (writer.subresource !== undefined && writer.subresource !== "") self.subresource = writer.subresource;
    const id = managerId(self);
    const before = managers.get(id);
    if (before !== undefined) self.set = own.union(before.set);
    self.time = writer.time;
    managers.set(id, self);
  }
  capUpdateManagers(managers);
  return !(cmp.added.isEmpty() && cmp.modified.isEmpty() && cmp.removed.isEmpty());
}

interface Conflict {
  id: string;
  tracked: Tracked;
  path: PathElement[];
}

function printManager(t: Tracked): string {
  let s = JSON.stringify(t.manager);
  if (t.subresource !== undefined) s += ` with subresource ${JSON.stringify(t.subresource)}`;
  if (t.operation === "Update") s += ` using ${t.apiVersion}`;
  return s;
}

function conflictError(conflicts: Conflict[]): PatchError {
  conflicts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const causes = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${printManager(c.tracked)}`,
    field: pathToString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0] as Conflict;
    message = `Apply failed with 1 conflict: conflict with ${printManager(c.tracked)}: ${pathToString(c.path)}`;
  } else {
    const lines: string[] = [];
    let last: string | undefined;
    for (const c of conflicts) {
      if (c.id !== last) lines.push(`conflicts with ${printManager(c.tracked)}:`);
      last = c.id;
      lines.push(`- ${pathToString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new PatchError(409, "Conflict", message, { causes });
}

/** The result of {@link recordApply}. */
export interface ApplyOutcome {
  /** The merged and pruned object (without managedFields). */
  object: JsonObject;
  /** Whether the object differs from the live one. */
  changed: boolean;
}

/**
 * Applies `config` over `live` for `writer`, updating `managers` (mutated).
 *
 * @throws {PatchError} 409 with one `FieldManagerConflict` cause per conflicting field, unless `force`
 */
export function recordApply(
  managers: Managers,
  live: JsonObject,
  compareBase: unknown,
  config: JsonObject,
  type: TypeRef,
  writer: Writer,
  force: boolean,
): ApplyOutcome {
  const merged = merge(live, config, type) as JsonObject;
  const self: Tracked = {
    manager: writer.manager,
    operation: "Apply",
    apiVersion: writer.apiVersion,
    set: toFieldSet(config, type).difference(STRIPPED),
  };
  if (writer.subresource !== undefined && writer.subresource !== "") self.subresource = writer.subresource;
  const id = managerId(self);
  const previous = managers.get(id);
  if (previous?.time !== undefined) self.time = previous.time;
  managers.set(id, self);
  const object = previous === undefined ? merged : prune(merged, managers, previous.set, type);

  const cmp = compare(compareBase, object, type);
  const taken = cmp.modified.union(cmp.added);
  const conflicts: Conflict[] = [];
  for (const [otherId, t] of managers) {
    if (otherId === id) continue;
    const clash = t.set.intersection(taken);
    for (const path of clash.paths()) conflicts.push({ id: otherId, tracked: t, path });
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  for (const [otherId, t] of managers) {
    if (otherId === id) continue;
    const set = t.set.difference(taken).difference(cmp.removed);
    if (set.isEmpty()) managers.delete(otherId);
    else t.set = set;
  }
  if (self.set.isEmpty()) managers.delete(id);
  const changed = !(cmp.added.isEmpty() && cmp.modified.isEmpty() && cmp.removed.isEmpty());
  if (changed) self.time = writer.time;
  capUpdateManagers(managers);
  return { object, changed };
}

/**
 * Removes what the applier owned last time, no longer applies, and nobody else owns; fields the applier never
 * tracked (defaults, fields set by untracked writes) stay (`Updater.prune`).
 */
function prune(merged: JsonObject, managers: Managers, lastSet: FieldSet, type: TypeRef): JsonObject {
  if (lastSet.isEmpty()) return merged;
  const last = ensureNamedFieldsAreMembers(lastSet, type, merged);
  let owned: FieldSet | undefined;
  for (const t of managers.values()) owned = owned === undefined ? t.set : owned.union(t.set);
  const ownedN = owned === undefined ? last.difference(last) : ensureNamedFieldsAreMembers(owned, type, merged);
  const mergedSet = ensureNamedFieldsAreMembers(toFieldSet(merged, type), type, merged);
  const pruned1 = removeItems(merged, last, type);
  const pruned1Set = ensureNamedFieldsAreMembers(toFieldSet(pruned1, type), type, pruned1);
  const pruned2 = removeItems(merged, mergedSet.difference(pruned1Set.union(ownedN)), type);
  const pruned2Set = ensureNamedFieldsAreMembers(toFieldSet(pruned2, type), type, pruned2);
  const result = removeItems(merged, mergedSet.difference(pruned2Set).intersection(last), type);
  return isJsonObject(result) ? result : merged;
}
