/**
 * Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), as apimachinery's `strategicpatch`
 * applies it on the server: merge keys and strategies from the schema's `x-kubernetes-patch-*` extensions, and the
 * directives `$patch`, `$retainKeys`, `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
 *
 * @module
 */
import { getMember, goFormat, isJsonObject, type JsonObject, jsonClone, setMember } from "./_json.ts";
import { itemsOf, patchMetaOf, propertyOf, type SchemaLookup, type SchemaNode } from "./_schema.ts";
import { INVALID_REQUEST_MESSAGE, PatchError } from "./patch-error.ts";

/** Options of {@link applyStrategicMergePatch}. */
export interface StrategicMergePatchOptions {
  /**
   * The schema of the object's kind. `undefined` (an unknown type) applies the patch without patch metadata: maps
   * merge, lists are replaced, directives still apply — what the server does for fields its types do not describe.
   */
  schema: SchemaLookup | undefined;
}

const DIRECTIVE = "$patch";
const RETAIN_KEYS = "$retainKeys";
const DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
const SET_ELEMENT_ORDER = "$setElementOrder";

/** The errors of `mergepatch` the server maps to 400; their text is the Status message. */
const BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";
const BAD_RETAIN_KEYS = "invalid patch format of retainKeys";
const BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list";
const NO_LIST_OF_LISTS = "lists of lists are not supported";

function badRequest(message: string): PatchError {
  return new PatchError(400, "BadRequest", message);
}

/** Errors the server does not map: they surface as a bare 500 with the library's text. */
function internal(message: string): PatchError {
  return new PatchError(500, "", message);
}

/** Go's `reflect.TypeOf(v)` for a decoded JSON value (the server decodes integers as int64). */
function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return "%!s(<nil>)";
  if (Array.isArray(value)) return "[]interface {}";
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(value) ? "int64" : "float64";
    default:
      return "map[string]interface {}";
  }
}

function badArgType(expected: string, actual: unknown): PatchError {
  return internal(`expected a ${expected}, but received a ${goTypeName(actual)}`);
}

function noMergeKey(item: JsonObject, mergeKey: string): PatchError {
  return internal(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
}

function badPatchType(directive: unknown, item: JsonObject): PatchError {
  return internal(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(item)}`);
}

/** Where the engine stands in the schema; `undefined` lookup means schema-less. */
interface Cursor {
  lookup: SchemaLookup | undefined;
  node: SchemaNode | undefined;
}

function fieldMeta(cursor: Cursor, key: string): { child: Cursor; strategy: string; mergeKey: string | undefined } {
  if (cursor.lookup === undefined) return { child: cursor, strategy: "", mergeKey: undefined };
  const { node } = propertyOf(cursor.lookup, cursor.node, key);
  const { strategies, mergeKey } = patchMetaOf(node);
  return { child: { lookup: cursor.lookup, node }, strategy: retainKeysStrategy(strategies), mergeKey };
}

function elementCursor(cursor: Cursor): Cursor {
  if (cursor.lookup === undefined) return cursor;
  return { lookup: cursor.lookup, node: itemsOf(cursor.lookup, cursor.node) };
}

/** The strategy besides `retainKeys` (which only matters when a patch is computed, not applied). */
function retainKeysStrategy(strategies: readonly string[]): string {
  if (strategies.length === 0) return "";
  if (strategies.length === 1) return strategies[0] === "retainKeys" ? "" : (strategies[0] as string);
  if (strategies.length === 2) {
    if (strategies[0] === "retainKeys") return strategies[1] as string;
    if (strategies[1] === "retainKeys") return strategies[0] as string;
  }
  throw internal(`unexpected patch strategy: [${strategies.join(" ")}]`);
}

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw badRequest(prefix === SET_ELEMENT_ORDER ? BAD_SET_ELEMENT_ORDER : BAD_PRIMITIVE_LIST);
  }
  return key.slice(slash + 1);
}

/** Scalar equality as Go's `==` on decoded interface values. */
function sameScalar(a: unknown, b: unknown): boolean {
  return a === b;
}

type ElementKind = "map" | "scalar";

/** The element kind shared by the lists (`sliceElementType`). */
function elementKind(...lists: unknown[][]): ElementKind {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = goTypeName(v);
      if (kind === undefined) {
        if (Array.isArray(v))
          throw new PatchError(422, "Invalid", INVALID_REQUEST_MESSAGE, { detail: NO_LIST_OF_LISTS });
        kind = k;
      } else if (kind !== k) {
        throw internal(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (kind === undefined) throw internal("no elements in any of the given slices");
  return kind === "map[string]interface {}" ? "map" : "scalar";
}

function mergeKeyOf(item: unknown, mergeKey: string): unknown {
  return isJsonObject(item) ? item[mergeKey] : undefined;
}

function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  const want = kind === "map" ? mergeKeyOf(item, mergeKey) : item;
  for (let i = 0; i < list.length; i++) {
    const have = kind === "map" ? mergeKeyOf(list[i], mergeKey) : list[i];
    if (sameScalar(have, want)) return i;
  }
  return -1;
}

function findByMergeKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isJsonObject(item)) throw internal(`value for key ${i} is not a map.`);
    if (Object.hasOwn(item, mergeKey) && sameScalar(item[mergeKey], value)) return i;
  }
  return -1;
}

function splitDeleteItems(list: unknown[]): { keep: JsonObject[]; remove: JsonObject[] } {
  const keep: JsonObject[] = [];
  const remove: JsonObject[] = [];
  for (const v of list) {
    if (!isJsonObject(v)) throw badArgType("map[string]interface {}", v);
    if (v[DIRECTIVE] === "delete") remove.push(v);
    else keep.push(v);
  }
  return { keep, remove };
}

/** Sorts `items` by their position in `order` (stable; items absent from `order` keep their place). */
function sortByOrder(items: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let toDelete: JsonObject[] = [];
  if (kind === "map") {
    for (const list of [items, order]) {
      for (const item of list) {
        if (!isJsonObject(item)) throw badArgType("map[string]interface {}", item);
        if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      }
    }
    toDelete = splitDeleteItems(order).remove;
  }
  const decorated = items.map((item, i) => ({ item, i, at: indexIn(order, item, mergeKey, kind) }));
  decorated.sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : a.i - b.i));
  let sorted = decorated.map((d) => d.item);
  if (kind === "map" && toDelete.length > 0) {
    sorted = sorted.filter(
      (item) => !toDelete.some((d) => sameScalar(mergeKeyOf(d, mergeKey), mergeKeyOf(item, mergeKey))),
    );
  }
  return sorted;
}

/**
 * Interleaves server-only items into the patch items, keeping both relative orders and using the live order to
 * decide where each server-only item goes (`mergeSortedSlice`).
 */
function interleave(
  serverOnly: unknown[],
  patchItems: unknown[],
  liveOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (i >= serverOnly.length) out.push(patchItems[j++]);
    else if (j >= patchItems.length) out.push(serverOnly[i++]);
    else {
      const li = indexIn(liveOrder, serverOnly[i], mergeKey, kind);
      const ri = indexIn(liveOrder, patchItems[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
      else out.push(patchItems[j++]);
    }
  }
  return out;
}

function normalizeOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const p = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const s = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  return interleave(s, p, serverOrder, mergeKey, kind);
}

function partition(merged: unknown[], by: unknown[], mergeKey: string): { inPatch: unknown[]; serverOnly: unknown[] } {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) {
    let found: boolean;
    if (mergeKey === "") {
      found = by.some((b) => sameScalar(b, v));
    } else {
      if (!isJsonObject(v)) throw badArgType("map[string]interface {}", v);
      if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
      found = findByMergeKey(by, mergeKey, v[mergeKey]) >= 0;
    }
    (found ? inPatch : serverOnly).push(v);
  }
  return { inPatch, serverOnly };
}

function discardNulls(value: unknown): void {
  if (Array.isArray(value)) for (const v of value) discardNulls(v);
  else if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else discardNulls(v);
    }
  }
}

function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw badRequest(BAD_RETAIN_KEYS);
  const keep = new Set<unknown>(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw badRequest(BAD_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function validateSetOrder(patchList: unknown[], order: unknown[], mergeKey: string | undefined): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? splitDeleteItems(patchList).keep : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isJsonObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    let equal: boolean;
    if (!mergeKey) equal = sameScalar(item, order[o]);
    else {
      const left = item;
      const right = order[o];
      if (!isJsonObject(left)) throw badArgType("map[string]interface {}", left);
      if (!isJsonObject(right)) throw badArgType("map[string]interface {}", right);
      if (!Object.hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
      if (!Object.hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
      equal = sameScalar(left[mergeKey], right[mergeKey]);
    }
    if (equal) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw internal(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

function applySetElementOrder(original: JsonObject, patch: JsonObject, cursor: Cursor): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType("[]interface {}", order);
    const field = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = Object.hasOwn(original, field);
    const foundPatch = Object.hasOwn(patch, field);
    const originalList = getMember(original, field);
    const patchList = getMember(patch, field);
    if (foundOriginal && !Array.isArray(originalList)) throw badArgType("[]interface {}", originalList);
    if (foundPatch && !Array.isArray(patchList)) throw badArgType("[]interface {}", patchList);
    const meta = fieldMeta(cursor, field);
    const mergeKey = meta.mergeKey ?? "";
    validateSetOrder((patchList as unknown[] | undefined) ?? [], order, meta.mergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList as unknown[];
    else if (!foundOriginal && foundPatch) merged = patchList as unknown[];
    else if (foundOriginal && foundPatch) {
      merged = mergeSliceHandler(
        originalList as unknown[],
        patchList as unknown[],
        meta.child,
        meta.strategy,
        mergeKey,
        false,
      );
    } else continue;
    const { inPatch, serverOnly } = partition(merged, order, mergeKey);
    const kind = elementKind((originalList as unknown[] | undefined) ?? [], (patchList as unknown[] | undefined) ?? []);
    setMember(
      original,
      field,
      normalizeOrder(inPatch, serverOnly, order, (originalList as unknown[] | undefined) ?? [], mergeKey, kind),
    );
    delete patch[field];
  }
}

function mergeMap(original: JsonObject | undefined, patch: JsonObject, cursor: Cursor): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === "replace") {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (directive === "delete") return {};
    throw badPatchType(directive, patch);
  }
  const target = original ?? {};
  applyRetainKeys(target, patch);
  applySetElementOrder(target, patch, cursor);
  for (const rawKey of Object.keys(patch)) {
    const patchValue = patch[rawKey];
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchValue === null) {
      delete target[key];
      continue;
    }
    if (!Object.hasOwn(target, key)) {
      if (!isDeleteList) {
        discardNulls(patchValue);
        setMember(target, key, patchValue);
      }
      continue;
    }
    const current = target[key];
    if (goTypeName(current) !== goTypeName(patchValue)) {
      if (!isDeleteList) {
        discardNulls(patchValue);
        setMember(target, key, patchValue);
      }
      continue;
    }
    if (isJsonObject(current)) {
      const meta = fieldMeta(cursor, key);
      setMember(
        target,
        key,
        meta.strategy === "replace" ? patchValue : mergeMap(current, patchValue as JsonObject, meta.child),
      );
    } else if (Array.isArray(current)) {
      const meta = fieldMeta(cursor, key);
      setMember(
        target,
        key,
        mergeSliceHandler(
          current,
          patchValue as unknown[],
          meta.child,
          meta.strategy,
          meta.mergeKey ?? "",
          isDeleteList,
        ),
      );
    } else {
      setMember(target, key, patchValue);
    }
  }
  return target;
}

function mergeSliceHandler(
  original: unknown[],
  patch: unknown[],
  cursor: Cursor,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
): unknown[] {
  if (strategy !== "merge") return patch;
  return mergeSlice(original, patch, elementCursor(cursor), mergeKey, isDeleteList);
}

function mergeSlice(
  original: unknown[],
  patch: unknown[],
  element: Cursor,
  mergeKey: string,
  isDeleteList: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  let merged: unknown[];
  let base = original;
  let patchItems = patch;
  if (kind !== "map") {
    if (isDeleteList) return original.filter((v) => !patch.some((d) => sameScalar(d, v)));
    merged = [];
    for (const v of [...original, ...patch]) if (!merged.some((m) => sameScalar(m, v))) merged.push(v);
  } else {
    if (mergeKey === "") throw internal("cannot merge lists without merge key for type map");
    let replace = false;
    const plain: unknown[] = [];
    for (const v of patch) {
      const item = v as JsonObject;
      if (!Object.hasOwn(item, DIRECTIVE)) {
        plain.push(v);
        continue;
      }
      const directive = item[DIRECTIVE];
      if (directive === "delete") {
        if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
        base = base.filter(
          (o) => !(isJsonObject(o) && Object.hasOwn(o, mergeKey) && sameScalar(o[mergeKey], item[mergeKey])),
        );
      } else if (directive === "replace") {
        replace = true;
      } else if (directive === "merge") {
        throw internal("merging lists cannot yet be specified in the patch");
      } else {
        throw badPatchType(directive, item);
      }
    }
    if (replace) return plain;
    patchItems = plain;
    merged = [...base];
    for (const v of patchItems) {
      const item = v as JsonObject;
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      const at = findByMergeKey(merged, mergeKey, item[mergeKey]);
      if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, item, element);
      else merged.push(v);
    }
  }
  const { inPatch, serverOnly } = partition(merged, patchItems, kind === "map" ? mergeKey : "");
  return normalizeOrder(inPatch, serverOnly, patchItems, base, kind === "map" ? mergeKey : "", kind);
}

/** Drops directive keys the real server would lose when it decodes the result into its Go types. */
function stripDirectives(value: unknown): void {
  if (Array.isArray(value)) for (const v of value) stripDirectives(v);
  else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) {
      if (
        key === DIRECTIVE ||
        key === RETAIN_KEYS ||
        key.startsWith(`${SET_ELEMENT_ORDER}/`) ||
        key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`)
      ) {
        delete value[key];
      } else stripDirectives(value[key]);
    }
  }
}

/**
 * Applies a strategic merge patch the way the kube-apiserver does for built-in kinds: lists whose field has
 * `x-kubernetes-patch-strategy: merge` merge by `x-kubernetes-patch-merge-key` (or as a set of scalars), other lists
 * and `replace` fields are replaced, maps merge, `null` deletes. The inputs are never mutated.
 *
 * The real server refuses this patch type for custom resources with a 415 (see `unsupportedPatchTypeError`); with
 * `schema: undefined` the engine applies it without patch metadata, as the server does for fields its types do not
 * describe.
 *
 * @param doc the current object (parsed JSON)
 * @param patch the parsed patch (a JSON object)
 * @param options the kind's schema
 * @returns the patched copy
 * @throws {PatchError} 400 for a patch that is not an object or a malformed `$retainKeys`,
 *   `$deleteFromPrimitiveList` or `$setElementOrder` directive; 422 for lists of lists; 500 with the library's
 *   wording for an unknown `$patch` value, a missing merge key or mixed element types (the server answers those as
 *   bare errors)
 * @example
 * ```ts
 * const next = applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } } }, { schema });
 * ```
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, options: StrategicMergePatchOptions): unknown {
  if (patch === null) return jsonClone(doc);
  if (!isJsonObject(patch)) {
    const what = Array.isArray(patch) ? "array" : typeof patch === "boolean" ? "bool" : typeof patch;
    throw badRequest(`json: cannot unmarshal ${what} into Go value of type map[string]interface {}`);
  }
  if (!isJsonObject(doc)) throw badRequest("invalid JSON document");
  const cursor: Cursor = { lookup: options.schema, node: options.schema?.root };
  const result = mergeMap(jsonClone(doc), jsonClone(patch), cursor);
  stripDirectives(result);
  return result;
}
