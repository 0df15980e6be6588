/**
 * The managers of an object as the server tracks them: decoded from and encoded to `metadata.managedFields`, one
 * entry per manager + operation (+ apiVersion for updates) + subresource, with the bookkeeping the apiserver's field
 * manager wraps around structured-merge-diff (meta fields stripped, at most 10 update entries).
 *
 * @module
 */

import { FieldSet, fieldElement } from "./_field-set.ts";
import { getMember, isJsonObject, type JsonObject } from "./_json.ts";
import type { SchemaLookup } from "./_schema.ts";
import { describe, type TypeRef } from "./_typed.ts";

/** One `metadata.managedFields` entry. */
export interface ManagedFieldsEntry {
  /** The field manager (`fieldManager`, or the user agent up to its first `/`). */
  manager?: string;
  /** `"Apply"` for server-side apply, `"Update"` for every other write. */
  operation?: "Apply" | "Update" | (string & {});
  /** The API version the fields are expressed in. */
  apiVersion?: string;
  /** When the manager last changed the object (RFC 3339, seconds). */
  time?: string;
  /** Always `"FieldsV1"`. */
  fieldsType?: string;
  /** The owned fields. */
  fieldsV1?: Record<string, unknown>;
  /** The subresource written through (`status`, `scale`), when not the main resource. */
  subresource?: string;
}

/** One manager's fields. */
export interface Tracked {
  manager: string;
  operation: string;
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Managers by their identifier. */
export type Managers = Map<string, Tracked>;

/** The manager identifier the server builds (the entry's JSON without time and fields; no apiVersion for Apply). */
export function managerId(t: {
  manager: string;
  operation: string;
  apiVersion: string;
  subresource?: string | undefined;
}): string {
  const id: JsonObject = { manager: t.manager, operation: t.operation };
  if (t.operation !== "Apply" && t.apiVersion !== "") id.apiVersion = t.apiVersion;
  if (t.subresource !== undefined && t.subresource !== "") id.subresource = t.subresource;
  return JSON.stringify(id);
}

/** Decodes `metadata.managedFields`; `undefined` when any entry is invalid (the server then ignores them all). */
export function decodeManagers(entries: unknown): Managers | undefined {
  const out: Managers = new Map();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) return undefined;
  for (const e of entries) {
    if (!isJsonObject(e)) return undefined;
    const { manager, operation, apiVersion, fieldsType, fieldsV1, time, subresource } = e;
    if (operation !== "Apply" && operation !== "Update") return undefined;
    if (typeof apiVersion !== "string" || apiVersion === "") return undefined;
    if (fieldsType !== "FieldsV1") return undefined;
    let set: FieldSet;
    try {
      set = fieldsV1 === undefined || fieldsV1 === null ? new FieldSet() : FieldSet.fromFieldsV1(fieldsV1);
    } catch {
      return undefined;
    }
    const t: Tracked = { manager: typeof manager === "string" ? manager : "", operation, apiVersion, set };
    if (typeof subresource === "string" && subresource !== "") t.subresource = subresource;
    if (typeof time === "string") t.time = time;
    out.set(managerId(t), t);
  }
  return out;
}

function seconds(time: string | undefined): number {
  if (time === undefined) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Encodes managers as `metadata.managedFields`, in the server's order (operation, time, manager, version). */
export function encodeManagers(managers: Managers): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = [];
  for (const t of managers.values()) {
    if (t.set.isEmpty()) continue;
    const e: ManagedFieldsEntry = { manager: t.manager, operation: t.operation, apiVersion: t.apiVersion };
    if (t.time !== undefined) e.time = t.time;
    e.fieldsType = "FieldsV1";
    e.fieldsV1 = t.set.toFieldsV1();
    if (t.subresource !== undefined) e.subresource = t.subresource;
    entries.push(e);
  }
  entries.sort(
    (p, q) =>
      compareStrings(p.operation ?? "", q.operation ?? "") ||
      seconds(p.time) - seconds(q.time) ||
      compareStrings(p.manager ?? "", q.manager ?? "") ||
      compareStrings(p.apiVersion ?? "", q.apiVersion ?? "") ||
      compareStrings(p.subresource ?? "", q.subresource ?? ""),
  );
  return entries;
}

/** Fields no manager ever owns (the field manager strips them). */
export const STRIPPED: FieldSet = (() => {
  const s = new FieldSet();
  s.insert([fieldElement("apiVersion")]);
  s.insert([fieldElement("kind")]);
  s.insert([fieldElement("metadata")]);
  for (const f of [
    "name",
    "namespace",
    "creationTimestamp",
    "selfLink",
    "uid",
    "clusterName",
    "generation",
    "managedFields",
    "resourceVersion",
  ]) {
    s.insert([fieldElement("metadata"), fieldElement(f)]);
  }
  return s;
})();

/** The server keeps at most this many update entries; older ones merge into `ancient-changes`. */
export const MAX_UPDATE_MANAGERS = 10;

/** Merges the oldest update entries into per-version `ancient-changes` entries above {@link MAX_UPDATE_MANAGERS}. */
export function capUpdateManagers(managers: Managers): void {
  const updaters = [...managers.entries()].filter(([, t]) => t.operation !== "Apply").map(([id]) => id);
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort((a, b) => {
    const ta = seconds(managers.get(a)?.time);
    const tb = seconds(managers.get(b)?.time);
    return ta - tb || compareStrings(a, b);
  });
  const firstForVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
    const id = updaters[i] as string;
    const t = managers.get(id) as Tracked;
    const bucket: Tracked = {
      manager: "ancient-changes",
      operation: "Update",
      apiVersion: t.apiVersion,
      set: new FieldSet(),
    };
    const bucketId = managerId(bucket);
    const first = firstForVersion.get(t.apiVersion);
    if (first === undefined) {
      firstForVersion.set(t.apiVersion, id);
      continue;
    }
    if (!managers.has(bucketId)) {
      const firstTracked = managers.get(first) as Tracked;
      managers.delete(first);
      managers.set(bucketId, { ...bucket, set: firstTracked.set });
    }
    const current = managers.get(bucketId) as Tracked;
    const merged: Tracked = { ...bucket, set: t.set.union(current.set) };
    if (t.time !== undefined) merged.time = t.time;
    managers.delete(id);
    managers.set(bucketId, merged);
    length--;
  }
}

/** The object without `metadata.managedFields` (what the field manager compares and merges). */
export function withoutManagedFields(obj: unknown): unknown {
  if (!isJsonObject(obj) || !isJsonObject(obj.metadata) || !Object.hasOwn(obj.metadata, "managedFields")) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The root type of a kind; schema-less kinds are deduced. */
export function rootType(schema: SchemaLookup | undefined): TypeRef {
  return { lookup: schema, node: schema?.root };
}

/** Adds, as members, the struct fields of a set that only have children (`EnsureNamedFieldsAreMembers`). */
export function ensureNamedFieldsAreMembers(set: FieldSet, t: TypeRef, sample: unknown): FieldSet {
  const out = set.clone();
  walkNamed(out, t, sample);
  return out;
}

function walkNamed(node: FieldSet, t: TypeRef, sample: unknown): void {
  const d = describe(t, sample);
  for (const [pe, child] of node.children) {
    if (d.kind === "map" && pe.startsWith("f:")) {
      const name = pe.slice(2);
      const { type, declared } = d.field(name);
      if (declared) node.members.add(pe);
      walkNamed(child, type, isJsonObject(sample) ? getMember(sample, name) : undefined);
    } else if (d.kind === "list") {
      walkNamed(child, d.element, undefined);
    }
  }
}
