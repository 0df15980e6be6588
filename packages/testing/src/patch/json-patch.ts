/**
 * RFC 6902 JSON patch, as the kube-apiserver applies it (evanphx/json-patch v4 semantics, which the server uses).
 *
 * @module
 */
import { getMember, goJsonTypeName, isJsonObject, type JsonObject, jsonClone, jsonEqual, setMember } from "./_json.ts";
import { INVALID_REQUEST_MESSAGE, PatchError } from "./patch-error.ts";

/** The server refuses JSON patches with more operations than this (413). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

type Container = JsonObject | unknown[];

/** Thrown inside the engine; turned into the server's generic 422 at the boundary. */
class OperationFailure extends Error {}

function fail(message: string): never {
  throw new OperationFailure(message);
}

function decodeToken(token: string): string {
  return token.replace(/~[01]/g, (m) => (m === "~1" ? "/" : "~"));
}

/** Go's `strconv.Atoi`, which the library uses for array indices (so `+1` and `01` are accepted). */
function parseIndex(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) fail(`value was not a proper array index: '${key}'`);
  const n = Number(key);
  if (!Number.isSafeInteger(n)) fail(`value was not a proper array index: '${key}'`);
  return n;
}

/** The container holding the last token of a path, and that token; `undefined` when the path does not resolve. */
function findParent(doc: Container, path: string): { container: Container; key: string } | undefined {
  // Like the library: at least one "/" is needed (the whole document "" cannot be addressed), and the first token
  // is dropped unread, so "a/b" addresses "/b".
  const parts = path.split("/");
  if (parts.length < 2) return undefined;
  let current: Container = doc;
  for (const raw of parts.slice(1, -1)) {
    const key = decodeToken(raw);
    let next: unknown;
    if (Array.isArray(current)) {
      if (!/^[+-]?\d+$/.test(key)) return undefined;
      const i = Number(key);
      if (i < 0 || i >= current.length) return undefined;
      next = current[i];
    } else {
      next = getMember(current, key);
    }
    if (!Array.isArray(next) && !isJsonObject(next)) return undefined;
    current = next;
  }
  return { container: current, key: decodeToken(parts[parts.length - 1] as string) };
}

function get(container: Container, key: string): unknown {
  if (Array.isArray(container)) {
    const i = parseIndex(key);
    if (i < 0 || i >= container.length) fail(`Unable to access invalid index: ${i}`);
    return container[i];
  }
  // A missing key reads as null in the library (which is why `replace` of a missing key succeeds there).
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

function add(container: Container, key: string, value: unknown): void {
  if (!Array.isArray(container)) {
    setMember(container, key, value);
    return;
  }
  if (key === "-") {
    container.push(value);
    return;
  }
  let i = parseIndex(key);
  const size = container.length + 1;
  if (i >= size || i < -size) fail(`Unable to access invalid index: ${i}`);
  if (i < 0) i += size;
  container.splice(i, 0, value);
}

function remove(container: Container, key: string): void {
  if (!Array.isArray(container)) {
    if (!Object.hasOwn(container, key)) fail(`Unable to remove nonexistent key: ${key}`);
    delete container[key];
    return;
  }
  let i = parseIndex(key);
  if (i >= container.length || i < -container.length) fail(`Unable to access invalid index: ${i}`);
  if (i < 0) i += container.length;
  container.splice(i, 1);
}

function set(container: Container, key: string, value: unknown): void {
  if (!Array.isArray(container)) {
    setMember(container, key, value);
    return;
  }
  const i = parseIndex(key);
  if (i < 0 || i >= container.length) fail(`Unable to access invalid index: ${i}`);
  container[i] = value;
}

function stringField(op: JsonObject, name: string): string {
  const v = op[name];
  return typeof v === "string" ? v : "unknown";
}

function resolve(doc: Container, path: string, what: string): { container: Container; key: string } {
  const found = findParent(doc, path);
  if (found === undefined) fail(`${what} operation does not apply: doc is missing path: "${path}"`);
  return found;
}

function applyOperation(doc: Container, op: JsonObject): void {
  const kind = stringField(op, "op");
  const path = stringField(op, "path");
  // A missing "value" decodes to nothing and a JSON null to a nil node in the library: both insert null.
  const value = jsonClone(op.value ?? null);
  switch (kind) {
    case "add": {
      const { container, key } = resolve(doc, path, "add");
      add(container, key, value);
      return;
    }
    case "remove": {
      const { container, key } = resolve(doc, path, "remove");
      remove(container, key);
      return;
    }
    case "replace": {
      const { container, key } = resolve(doc, path, "replace");
      get(container, key);
      set(container, key, value);
      return;
    }
    case "move": {
      const fromPath = stringField(op, "from");
      const from = resolve(doc, fromPath, "move");
      const moved = get(from.container, from.key);
      remove(from.container, from.key);
      const to = resolve(doc, path, "move");
      add(to.container, to.key, moved ?? null);
      return;
    }
    case "copy": {
      const fromPath = stringField(op, "from");
      const from = resolve(doc, fromPath, "copy");
      const copied = jsonClone(get(from.container, from.key) ?? null);
      const to = resolve(doc, path, "copy");
      add(to.container, to.key, copied);
      return;
    }
    case "test": {
      const { container, key } = resolve(doc, path, "test");
      const actual = get(container, key) ?? null;
      if (!jsonEqual(actual, value)) fail(`testing value ${path} failed`);
      return;
    }
    default:
      fail(`Unexpected kind: ${kind}`);
  }
}

/**
 * Applies an RFC 6902 JSON patch (`application/json-patch+json`) the way the kube-apiserver does.
 *
 * The input is never mutated. Like the server's library, array indices may be negative (counted from the end),
 * `replace` of a missing object key adds it, and a missing `value` means `null`.
 *
 * @param doc the current object (parsed JSON)
 * @param patch the parsed patch document: an array of operations
 * @returns the patched copy
 * @throws {PatchError} 400 when the patch is not an array of objects (Go's decode error wording), 413 above
 *   {@link MAX_JSON_PATCH_OPERATIONS} operations, 422 "the server rejected our request due to an error in our
 *   request" when an operation fails (failed `test`, missing path, bad index, unknown `op`); the precise reason is
 *   the error's `cause`
 * @example
 * ```ts
 * applyJsonPatch({ data: { a: "1" } }, [{ op: "replace", path: "/data/a", value: "2" }]); // { data: { a: "2" } }
 * ```
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (patch === null) return jsonClone(doc);
  if (!Array.isArray(patch)) {
    throw new PatchError(
      400,
      "BadRequest",
      `json: cannot unmarshal ${goJsonTypeName(patch)} into Go value of type jsonpatch.Patch`,
    );
  }
  for (const op of patch) {
    if (!isJsonObject(op) && op !== null) {
      throw new PatchError(
        400,
        "BadRequest",
        `json: cannot unmarshal ${goJsonTypeName(op)} into Go value of type jsonpatch.Operation`,
      );
    }
  }
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError(
      413,
      "RequestEntityTooLarge",
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${patch.length}`,
    );
  }
  if (!Array.isArray(doc) && !isJsonObject(doc)) {
    throw new PatchError(422, "Invalid", INVALID_REQUEST_MESSAGE, { detail: "the document is not a JSON object" });
  }
  const result = jsonClone(doc) as Container;
  for (const op of patch as (JsonObject | null)[]) {
    try {
      applyOperation(result, op ?? {});
    } catch (e) {
      if (e instanceof OperationFailure)
        throw new PatchError(422, "Invalid", INVALID_REQUEST_MESSAGE, { detail: e.message });
      throw e;
    }
  }
  return result;
}
