/**
 * RFC 7386 JSON merge patch, as the kube-apiserver applies it (evanphx/json-patch `MergePatch`).
 *
 * @module
 */
import { getMember, isJsonObject, type JsonObject, jsonClone, jsonEqual, setMember } from "./_json.ts";
import { PatchError } from "./patch-error.ts";

/** Drops `null` members of objects at any depth (inside arrays too), as the library does for new values. */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneNulls);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) setMember(out, k, pruneNulls(v));
  return out;
}

function mergeInto(target: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
      continue;
    }
    const current = getMember(target, key);
    if (current === undefined || current === null || !isJsonObject(current)) {
      setMember(target, key, pruneNulls(jsonClone(value)));
    } else if (isJsonObject(value)) {
      mergeInto(current, value);
    } else {
      // The library keeps a non-object patch value verbatim over an object (its nulls are not pruned).
      setMember(target, key, jsonClone(value));
    }
  }
}

/**
 * Applies an RFC 7386 merge patch (`application/merge-patch+json`) the way the kube-apiserver does: objects merge
 * recursively, `null` deletes a member, anything else (arrays included) replaces. The input is never mutated.
 *
 * @param doc the current object (parsed JSON)
 * @param patch the parsed merge patch
 * @returns the patched copy
 * @throws {PatchError} 400 "Invalid JSON Patch" when the patch is `null` or a string, number or boolean
 * @example
 * ```ts
 * applyMergePatch({ data: { a: "1", b: "2" } }, { data: { b: null, c: "3" } }); // { data: { a: "1", c: "3" } }
 * ```
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return pruneNulls(jsonClone(patch));
  if (!isJsonObject(patch)) throw new PatchError(400, "BadRequest", "Invalid JSON Patch");
  if (!isJsonObject(doc)) return pruneNulls(jsonClone(patch));
  const result = jsonClone(doc);
  mergeInto(result, patch);
  return result;
}

/**
 * The merge patch that turns `from` into `to` (what `kubectl` computes for `--type=merge`); used to check the
 * engine: `applyMergePatch(a, createMergePatch(a, b))` equals `b` for objects without `null` values.
 *
 * @param from the original object
 * @param to the wanted object
 * @returns a merge patch
 * @example
 * ```ts
 * createMergePatch({ a: 1, b: 2 }, { a: 1, c: 3 }); // { b: null, c: 3 }
 * ```
 */
export function createMergePatch(from: JsonObject, to: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) setMember(patch, key, null);
  for (const [key, value] of Object.entries(to)) {
    const before = getMember(from, key);
    if (isJsonObject(before) && isJsonObject(value)) {
      const sub = createMergePatch(before, value);
      if (Object.keys(sub).length > 0) setMember(patch, key, sub);
    } else if (!Object.hasOwn(from, key) || !jsonEqual(before, value)) {
      setMember(patch, key, jsonClone(value));
    }
  }
  return patch;
}
