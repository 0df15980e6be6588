/**
 * structured-merge-diff's typed operations over plain JSON and a {@link SchemaLookup}: the field set of an object,
 * the comparison of two objects (added, modified, removed paths), the merge of an applied configuration into a live
 * object, and the removal of paths. Without a schema (or below `x-kubernetes-preserve-unknown-fields`) the types are
 * deduced like the server deduces them: maps are granular, lists atomic.
 *
 * @module
 */

import { FieldSet, fieldElement, type PathElement } from "./_field-set.ts";
import { getMember, isJsonObject, type JsonObject, jsonClone, jsonEqual, setMember } from "./_json.ts";
import { resolveNode, type SchemaLookup, type SchemaNode } from "./_schema.ts";

/** A position in the schema; `node: undefined` means "deduced". */
export interface TypeRef {
  lookup: SchemaLookup | undefined;
  node: SchemaNode | undefined;
}

type Described =
  | { kind: "scalar" }
  | { kind: "map"; atomic: boolean; field: (name: string) => { type: TypeRef; declared: boolean } }
  | { kind: "list"; relationship: "atomic" | "set" | "map"; keys: readonly string[]; element: TypeRef };

const DEDUCED: TypeRef = { lookup: undefined, node: undefined };

function deduce(value: unknown): Described {
  if (isJsonObject(value)) return { kind: "map", atomic: false, field: () => ({ type: DEDUCED, declared: false }) };
  if (Array.isArray(value)) return { kind: "list", relationship: "atomic", keys: [], element: DEDUCED };
  return { kind: "scalar" };
}

/** What the schema says a node is, falling back to what the value looks like. */
export function describe(t: TypeRef, value: unknown): Described {
  if (t.lookup === undefined || t.node === undefined) return deduce(value);
  const lookup = t.lookup;
  const node = resolveNode(lookup, t.node);
  if (node === undefined) return deduce(value);
  if (node.type === "array" || node.items !== undefined) {
    const listType = node["x-kubernetes-list-type"];
    const strategies = (node["x-kubernetes-patch-strategy"] ?? "").split(",");
    const mergeKey = node["x-kubernetes-patch-merge-key"];
    let relationship: "atomic" | "set" | "map" = "atomic";
    let keys: readonly string[] = [];
    if (listType === "map" || listType === "set" || listType === "atomic") relationship = listType;
    else if (strategies.includes("merge")) relationship = mergeKey === undefined ? "set" : "map";
    if (relationship === "map") keys = node["x-kubernetes-list-map-keys"] ?? (mergeKey === undefined ? [] : [mergeKey]);
    return { kind: "list", relationship, keys, element: { lookup, node: node.items } };
  }
  const isObject = node.type === "object" || node.properties !== undefined || node.additionalProperties !== undefined;
  if (!isObject) return node["x-kubernetes-preserve-unknown-fields"] === true ? deduce(value) : { kind: "scalar" };
  const properties = node.properties ?? {};
  const extra = node.additionalProperties;
  const open =
    node["x-kubernetes-preserve-unknown-fields"] === true ||
    (node.properties === undefined && node.additionalProperties === undefined);
  return {
    kind: "map",
    atomic: node["x-kubernetes-map-type"] === "atomic",
    field: (name) => {
      if (Object.hasOwn(properties, name)) return { type: { lookup, node: properties[name] }, declared: true };
      if (typeof extra === "object") return { type: { lookup, node: extra }, declared: false };
      return { type: open ? DEDUCED : { lookup, node: undefined }, declared: false };
    },
  };
}

function kindOf(value: unknown): "map" | "list" | "scalar" {
  return isJsonObject(value) ? "map" : Array.isArray(value) ? "list" : "scalar";
}

/**
 * The schema default of a key field of a map list's items (structured-merge-diff's `getAssociativeKeyDefault`):
 * OpenAPI v3 documents and CRD schemas carry it (`ports[].protocol: TCP`), the compact schema does not.
 */
function keyDefault(element: TypeRef, key: string): unknown {
  if (element.lookup === undefined || element.node === undefined) return undefined;
  const properties = resolveNode(element.lookup, element.node)?.properties;
  if (properties === undefined || !Object.hasOwn(properties, key)) return undefined;
  const field = properties[key];
  return field?.default !== undefined ? field.default : resolveNode(element.lookup, field)?.default;
}

/**
 * The path element of a list item. A map list's item is named by its key fields, a key it leaves out by the key's
 * schema default, as structured-merge-diff does (so an applied `{containerPort: 80}` is the live
 * `{containerPort: 80, protocol: TCP}`); a key with neither is left out of the name (the server refuses the item).
 */
export function itemElement(d: Extract<Described, { kind: "list" }>, item: unknown, index: number): PathElement {
  if (d.relationship === "set") return `v:${JSON.stringify(item)}`;
  if (d.relationship === "map" && isJsonObject(item)) {
    const key: JsonObject = {};
    for (const k of [...d.keys].sort()) {
      const given = getMember(item, k);
      const value = given === undefined ? keyDefault(d.element, k) : given;
      if (value !== undefined) setMember(key, k, value);
    }
    if (Object.keys(key).length > 0) return `k:${JSON.stringify(key)}`;
  }
  return `i:${index}`;
}

/** The set of every field an object sets (`TypedValue.ToFieldSet`). */
export function toFieldSet(value: unknown, t: TypeRef): FieldSet {
  const set = new FieldSet();
  walkFieldSet(value, t, [], set);
  return set;
}

function walkFieldSet(value: unknown, t: TypeRef, path: PathElement[], set: FieldSet): void {
  const d = describe(t, value);
  if (d.kind === "scalar" || (d.kind !== kindOf(value) && value !== null)) {
    set.insert(path);
    return;
  }
  if (d.kind === "list") {
    if (d.relationship === "atomic") {
      set.insert(path);
      return;
    }
    if (!Array.isArray(value)) return;
    value.forEach((item, i) => {
      const pe = itemElement(d, item, i);
      walkFieldSet(item, d.element, [...path, pe], set);
      set.insert([...path, pe]);
    });
    return;
  }
  if (d.atomic) {
    set.insert(path);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const { type, declared } = d.field(k);
    const p = [...path, fieldElement(k)];
    walkFieldSet(v, type, p, set);
    if (v === null || (isJsonObject(v) && Object.keys(v).length === 0) || !declared) set.insert(p);
  }
}

/** The paths `rhs` adds, changes and drops relative to `lhs` (`TypedValue.Compare`). */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** Compares two objects of one type. */
export function compare(lhs: unknown, rhs: unknown, t: TypeRef): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walkCompare(lhs, rhs, t, [], c);
  return c;
}

function isLeaf(d: Described, l: unknown, r: unknown): boolean {
  if (d.kind === "scalar") return true;
  if (d.kind === "list" && d.relationship === "atomic") return true;
  if (d.kind === "map" && d.atomic) return true;
  const want = d.kind;
  for (const v of [l, r]) if (v !== undefined && v !== null && kindOf(v) !== want) return true;
  return false;
}

function walkCompare(l: unknown, r: unknown, t: TypeRef, path: PathElement[], c: Comparison): void {
  const d = describe(t, r ?? l);
  if (isLeaf(d, l, r)) {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!jsonEqual(l, r)) c.modified.insert(path);
    return;
  }
  if (d.kind === "list") {
    const left = indexItems(d, l);
    const right = indexItems(d, r);
    for (const [pe, item] of left) walkCompare(item, right.get(pe), d.element, [...path, pe], c);
    for (const [pe, item] of right) if (!left.has(pe)) walkCompare(undefined, item, d.element, [...path, pe], c);
  } else if (d.kind === "map") {
    const lo = isJsonObject(l) ? l : {};
    const ro = isJsonObject(r) ? r : {};
    for (const [k, v] of Object.entries(lo))
      walkCompare(v, getMember(ro, k), d.field(k).type, [...path, fieldElement(k)], c);
    for (const [k, v] of Object.entries(ro)) {
      if (!Object.hasOwn(lo, k)) walkCompare(undefined, v, d.field(k).type, [...path, fieldElement(k)], c);
    }
  }
  if (path.length === 0) return;
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}

function indexItems(d: Extract<Described, { kind: "list" }>, list: unknown): Map<PathElement, unknown> {
  const out = new Map<PathElement, unknown>();
  if (!Array.isArray(list)) return out;
  list.forEach((item, i) => {
    const pe = itemElement(d, item, i);
    if (!out.has(pe)) out.set(pe, item);
  });
  return out;
}

/** Merges an applied configuration into a live object (`TypedValue.Merge`): the configuration wins. */
export function merge(live: unknown, config: unknown, t: TypeRef): unknown {
  if (live === undefined) return jsonClone(config);
  if (config === undefined) return jsonClone(live);
  const d = describe(t, config);
  if (isLeaf(d, live, config) || config === null || live === null) return jsonClone(config);
  if (d.kind === "map") {
    const out: JsonObject = {};
    const lo = live as JsonObject;
    const co = config as JsonObject;
    for (const [k, v] of Object.entries(lo))
      setMember(out, k, Object.hasOwn(co, k) ? merge(v, co[k], d.field(k).type) : jsonClone(v));
    for (const [k, v] of Object.entries(co)) if (!Object.hasOwn(lo, k)) setMember(out, k, jsonClone(v));
    return out;
  }
  if (d.kind === "list") return mergeList(d, live as unknown[], config as unknown[]);
  return jsonClone(config);
}

/**
 * Merges the items of a granular list: live items keep their place, applied items keep the applied order, and an
 * item new to the list goes right after the applied item before it (structured-merge-diff v4's ordering).
 */
function mergeList(d: Extract<Described, { kind: "list" }>, live: unknown[], config: unknown[]): unknown[] {
  const livePEs = live.map((item, i) => itemElement(d, item, i));
  const configPEs = config.map((item, i) => itemElement(d, item, i));
  const liveBy = new Map<PathElement, unknown>();
  livePEs.forEach((pe, i) => {
    if (!liveBy.has(pe)) liveBy.set(pe, live[i]);
  });
  const configBy = new Map<PathElement, unknown>();
  configPEs.forEach((pe, i) => {
    if (!configBy.has(pe)) configBy.set(pe, config[i]);
  });
  const shared = configPEs.filter((pe) => liveBy.has(pe));
  let nextShared = shared.shift();
  const out: unknown[] = [];
  const done = new Set<PathElement>();
  let li = 0;
  let ri = 0;
  while (li < livePEs.length || ri < configPEs.length) {
    if (li < livePEs.length && ri < configPEs.length) {
      const pe = livePEs[li] as PathElement;
      if (pe === configPEs[ri]) {
        done.add(pe);
        out.push(merge(liveBy.get(pe), configBy.get(pe), d.element));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (configBy.has(pe) && nextShared !== undefined && nextShared !== pe) {
        li++;
        continue;
      }
    }
    if (li < livePEs.length) {
      const pe = livePEs[li] as PathElement;
      if (!configBy.has(pe)) {
        out.push(jsonClone(live[li]));
        li++;
        continue;
      }
      if (done.has(pe)) {
        li++;
        continue;
      }
    }
    if (ri < configPEs.length) {
      const pe = configPEs[ri] as PathElement;
      done.add(pe);
      out.push(merge(liveBy.get(pe), configBy.get(pe), d.element));
      ri++;
      if (nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

/** A copy of `value` without the member paths of `remove` (`TypedValue.RemoveItems`). */
export function removeItems(value: unknown, remove: FieldSet, t: TypeRef): unknown {
  if (remove.isEmpty()) return jsonClone(value);
  const d = describe(t, value);
  if (d.kind === "map" && isJsonObject(value) && !d.atomic) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const pe = fieldElement(k);
      if (remove.members.has(pe)) continue;
      const sub = remove.children.get(pe);
      setMember(out, k, sub === undefined ? jsonClone(v) : removeItems(v, sub, d.field(k).type));
    }
    return out;
  }
  if (d.kind === "list" && Array.isArray(value) && d.relationship !== "atomic") {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const pe = itemElement(d, item, i);
      if (remove.members.has(pe)) return;
      const sub = remove.children.get(pe);
      out.push(sub === undefined ? jsonClone(item) : removeItems(item, sub, d.element));
    });
    return out;
  }
  return jsonClone(value);
}

/** Struct fields that are Go values (never omitted) in practically every kind; used when the schema has no markers. */
const VALUE_STRUCT_FIELDS = new Set([
  "metadata",
  "spec",
  "status",
  "template",
  "jobTemplate",
  "strategy",
  "updateStrategy",
]);

function hasDefaultMarkers(node: SchemaNode | undefined): boolean {
  return Object.values(node?.properties ?? {}).some((p) => p.default !== undefined);
}

function isStruct(lookup: SchemaLookup, node: SchemaNode): boolean {
  const resolved = resolveNode(lookup, node);
  return resolved?.properties !== undefined && resolved.additionalProperties === undefined;
}

/**
 * The value of a Go object of this type with nothing set. The server compares a created object against it, which
 * decides which nodes of the new object count as "added" (a `"."` in FieldsV1). Struct fields that are never
 * omitted are present as `{}`: exactly those marked `default: {}` when the schema comes from OpenAPI v3, else
 * required structs and the usual value structs (`metadata`, `spec`, `status`, `template`, `strategy`, …); other
 * required fields are `null`.
 */
export function zeroValue(t: TypeRef, depth = 0, markers?: boolean): JsonObject {
  const out: JsonObject = {};
  if (t.lookup === undefined || depth > 32) return out;
  const lookup = t.lookup;
  const node = resolveNode(lookup, t.node);
  const exact = markers ?? hasDefaultMarkers(node);
  const properties = node?.properties ?? {};
  const required = new Set(node?.required ?? []);
  for (const [name, prop] of Object.entries(properties)) {
    const present = exact
      ? isJsonObject(prop.default) && Object.keys(prop.default).length === 0
      : isStruct(lookup, prop) && (required.has(name) || VALUE_STRUCT_FIELDS.has(name));
    if (present) {
      out[name] = zeroValue({ lookup, node: prop }, depth + 1, exact);
    } else if (required.has(name)) {
      out[name] = null;
    } else if (name === "creationTimestamp" && node?.properties?.generateName !== undefined) {
      // ObjectMeta's creationTimestamp is a non-pointer metav1.Time: a Go zero object serialises it as null, and
      // the schema has no marker for that.
      out[name] = null;
    }
  }
  return out;
}
