/**
 * JSON value helpers shared by the patch engines: type guards, structural equality, deep copies, and Go's `%v`
 * formatting (the real server words some patch errors with it).
 *
 * @module
 */

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** Tells whether a value is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Structural equality of two JSON values; key order does not matter, array order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const k of keys) {
    if (!Object.hasOwn(bo, k) || !jsonEqual(ao[k], bo[k])) return false;
  }
  return true;
}

/** A deep copy of a JSON value (own enumerable keys only). */
export function jsonClone<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => jsonClone(v)) as T;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value as JsonObject)) setMember(out, k, jsonClone(v));
  return out as T;
}

/** The JSON type name Go's `encoding/json` uses in "cannot unmarshal X into …" errors. */
export function goJsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "bool";
    default:
      return "object";
  }
}

/** Formats a number the way Go's `%v` prints a float64 decoded from JSON. */
function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // Go switches to exponent form at 1e21 and below 1e-4, with at least two exponent digits.
  const s = String(n);
  if (!s.includes("e")) return s;
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

/**
 * Formats a decoded JSON value like Go's `fmt.Sprintf("%v", v)` on `interface{}` values: `map[a:1 b:[x y]]`,
 * keys sorted, `<nil>` for null.
 */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goFormat).join(" ")}]`;
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return goFloat(value);
    case "boolean":
      return String(value);
    case "object": {
      const keys = Object.keys(value as JsonObject).sort();
      return `map[${keys.map((k) => `${k}:${goFormat((value as JsonObject)[k])}`).join(" ")}]`;
    }
    default:
      return String(value);
  }
}

/**
 * Sets an own member, also when the key is `__proto__` (which a plain assignment would turn into a prototype
 * change: a patch must not be able to do that).
 */
export function setMember(target: JsonObject, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** An own member of an object (never an inherited one such as `__proto__` or `constructor`). */
export function getMember(target: JsonObject, key: string): unknown {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}
