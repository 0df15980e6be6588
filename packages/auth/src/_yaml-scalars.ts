/**
 * How kubectl reads an unquoted YAML scalar. kubectl decodes kubeconfig files with go-yaml v2 (YAML 1.1 rules,
 * through sigs.k8s.io/yaml), so `n`, `yes`, `off` are booleans, `0123` is an octal number and `1_000` is a number,
 * while timestamps stay strings. A value of the wrong type makes kubectl refuse the file; we must agree with it
 * exactly, so the rules of go-yaml's `resolve()` are reproduced here rather than taken from a YAML 1.1 schema.
 *
 * @module
 */

/** A resolved scalar: its JSON type and value (`number` may be ±Infinity or NaN, which JSON cannot carry). */
export type ResolvedScalar =
  | { type: "null"; value: null }
  | { type: "bool"; value: boolean }
  | { type: "int"; value: number }
  | { type: "float"; value: number }
  | { type: "string"; value: string };

const TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const FALSE = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);
const NULL = new Set(["", "~", "null", "Null", "NULL"]);
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  [".nan", Number.NaN],
  [".NaN", Number.NaN],
  [".NAN", Number.NaN],
  [".inf", Number.POSITIVE_INFINITY],
  [".Inf", Number.POSITIVE_INFINITY],
  [".INF", Number.POSITIVE_INFINITY],
  ["+.inf", Number.POSITIVE_INFINITY],
  ["+.Inf", Number.POSITIVE_INFINITY],
  ["+.INF", Number.POSITIVE_INFINITY],
  ["-.inf", Number.NEGATIVE_INFINITY],
  ["-.Inf", Number.NEGATIVE_INFINITY],
  ["-.INF", Number.NEGATIVE_INFINITY],
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint`: sign (signed only), base prefix, digits, range. */
function parseGoInt(text: string, signed: boolean): bigint | undefined {
  let s = text;
  let negative = false;
  if (signed && (s.startsWith("+") || s.startsWith("-"))) {
    negative = s.startsWith("-");
    s = s.slice(1);
  }
  let digits: RegExp;
  let body: string;
  let prefix = "";
  if (/^0[xX]/.test(s)) {
    digits = /^[0-9a-fA-F]+$/;
    body = s.slice(2);
    prefix = "0x";
  } else if (/^0[oO]/.test(s)) {
    digits = /^[0-7]+$/;
    body = s.slice(2);
    prefix = "0o";
  } else if (/^0[bB]/.test(s)) {
    digits = /^[01]+$/;
    body = s.slice(2);
    prefix = "0b";
  } else if (s.length > 1 && s.startsWith("0")) {
    digits = /^[0-7]+$/;
    body = s.slice(1);
    prefix = "0o";
  } else {
    digits = /^[0-9]+$/;
    body = s;
  }
  if (!digits.test(body)) return undefined;
  const magnitude = BigInt(`${prefix}${body}`);
  const value = negative ? -magnitude : magnitude;
  if (signed ? value < INT64_MIN || value > INT64_MAX : value > UINT64_MAX) return undefined;
  return value;
}

/** Go's `strconv.ParseFloat(s, 64)` for the decimal forms go-yaml lets through; out-of-range values fail as in Go. */
function parseGoFloat(text: string): number | undefined {
  const value = Number(text);
  if (Number.isNaN(value) || !Number.isFinite(value)) return undefined;
  return value;
}

// Integers beyond 2^53 lose precision here; they can only occur inside extensions, where kubectl keeps them exactly.
function intResult(value: bigint): ResolvedScalar {
  return { type: "int", value: Number(value) };
}

/**
 * Resolves an unquoted, untagged scalar the way go-yaml v2 does before sigs.k8s.io/yaml turns it into JSON.
 *
 * @param source the scalar's text as written
 * @returns its type and value
 */
export function resolvePlainScalar(source: string): ResolvedScalar {
  if (NULL.has(source)) return { type: "null", value: null };
  const first = source[0] ?? "";
  if ("yYnNtTfFoO~".includes(first)) {
    if (TRUE.has(source)) return { type: "bool", value: true };
    if (FALSE.has(source)) return { type: "bool", value: false };
    return { type: "string", value: source };
  }
  if (first === ".") {
    const special = SPECIAL_FLOATS.get(source);
    if (special !== undefined) return { type: "float", value: special };
    // Go's ParseFloat on the raw text: ".5" and ".5e3" parse, "._5" and ".e5" do not.
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(source)) {
      const f = parseGoFloat(source);
      if (f !== undefined) return { type: "float", value: f };
    }
    return { type: "string", value: source };
  }
  if (first === "+" || first === "-" || (first >= "0" && first <= "9")) {
    const special = SPECIAL_FLOATS.get(source);
    if (special !== undefined) return { type: "float", value: special };
    const plain = source.replaceAll("_", "");
    const signed = parseGoInt(plain, true);
    if (signed !== undefined) return intResult(signed);
    const unsigned = parseGoInt(plain, false);
    if (unsigned !== undefined) return intResult(unsigned);
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = parseGoFloat(plain);
      if (f !== undefined) return { type: "float", value: f };
    }
    if (plain.startsWith("0b") || plain.startsWith("-0b")) {
      const negative = plain.startsWith("-");
      const body = plain.slice(negative ? 3 : 2);
      if (/^[01]+$/.test(body)) {
        const v = negative ? -BigInt(`0b${body}`) : BigInt(`0b${body}`);
        if (v >= INT64_MIN && v <= INT64_MAX) return intResult(v);
      }
    }
    return { type: "string", value: source };
  }
  return { type: "string", value: source };
}

/**
 * Resolves a scalar that carries an explicit standard tag (`!!str`, `!!int`, …), as go-yaml does.
 *
 * @param tag the full tag (`tag:yaml.org,2002:int`)
 * @param text the scalar's value
 * @returns the resolved value, or a message when the value does not fit the tag
 */
export function resolveTaggedScalar(tag: string, text: string): ResolvedScalar | string {
  const short = tag.startsWith("tag:yaml.org,2002:") ? tag.slice("tag:yaml.org,2002:".length) : tag;
  switch (short) {
    case "str":
    case "binary":
    case "timestamp":
      return { type: "string", value: text };
    default: {
      const resolved = resolvePlainScalar(text);
      const want = short === "bool" ? "bool" : short === "null" ? "null" : short === "int" ? "int" : "float";
      if (!["bool", "null", "int", "float"].includes(short)) return resolved;
      if (resolved.type === want || (want === "float" && resolved.type === "int")) return resolved;
      return `cannot decode a string as a !!${short}`;
    }
  }
}
