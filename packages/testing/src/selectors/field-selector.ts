/**
 * Field selectors (`?fieldSelector=`), parsed, converted and matched as apimachinery's `fields.ParseSelector` and
 * the kube-apiserver's per-kind field label conversion do it.
 *
 * @module
 */
import type { UnsupportedFieldWording } from "./selectable-fields.ts";
import { SelectorError } from "./selector-error.ts";

export {
  fieldsForObject,
  type SelectableFieldSpec,
  selectableFieldSpec,
  supportedFieldSelectors,
  type UnsupportedFieldWording,
} from "./selectable-fields.ts";

/** One term of a field selector. */
export interface FieldRequirement {
  readonly field: string;
  /** `=` (also written `==`) or `!=`. */
  readonly operator: "=" | "!=";
  /** The unescaped value. */
  readonly value: string;
}

/** A parsed field selector. */
export interface FieldSelector {
  /** The terms, in the server's (sorted) order; all must match. */
  readonly requirements: readonly FieldRequirement[];
  /**
   * Whether an object's selectable fields satisfy every term (a missing field reads as `""`).
   *
   * @param fields the object's fields, as `fieldsForObject` computes them
   */
  matches(fields: Readonly<Record<string, string>>): boolean;
  /** Whether the selector selects everything. */
  isEmpty(): boolean;
  /** The canonical text (`a=b,c!=d`: terms sorted, values escaped), which parses back to the same selector. */
  toString(): string;
}

/** Options of {@link parseFieldSelector}. */
export interface ParseFieldSelectorOptions {
  /** The fields the kind supports (`supportedFieldSelectors(kind, group)`). */
  supportedFields: readonly string[];
  /** The resource (`"pods"`); pods also accept the old `spec.host` for `spec.nodeName`. */
  resource: string;
  /**
   * How an unsupported field is worded.
   * @default `"default"` when only `metadata.name`/`metadata.namespace` are supported, else `"custom"`
   */
  wording?: UnsupportedFieldWording;
  /** Old field names and their current ones. @default `{ "spec.host": "spec.nodeName" }` for pods, else none */
  aliases?: Readonly<Record<string, string>>;
}

/** Splits on commas not escaped by a backslash (the backslash stays). */
function splitTerms(text: string): string[] {
  if (text === "") return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (escaped) escaped = false;
    else if (c === "\\") escaped = true;
    else if (c === ",") {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** The first operator occurrence splits the term; `!=` and `==` win over `=` at the same position. */
function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ["!=", "==", "="]) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeValue(s: string, selector: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = "";
  let escaped = false;
  for (const c of s) {
    if (escaped) {
      if (c === "\\" || c === "," || c === "=") out += c;
      else throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`, { selector });
      escaped = false;
      continue;
    }
    if (c === "\\") escaped = true;
    else if (c === "," || c === "=") {
      // Go prints the rune with %v: its code point.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`, {
        selector,
      });
    } else out += c;
  }
  if (escaped) throw new SelectorError("invalid field selector: invalid escape sequence: \\", { selector });
  return out;
}

/**
 * Escapes a literal value for a field selector (`\` → `\\`, `,` → `\,`, `=` → `\=`).
 *
 * @param value the literal value
 * @returns the escaped value
 * @example
 * ```ts
 * escapeFieldValue("a,b"); // "a\\,b"
 * ```
 */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const DEFAULT_FIELDS = new Set(["metadata.name", "metadata.namespace"]);

/**
 * Parses a field selector and checks its fields against the kind's, as the server does before listing.
 *
 * @param text the selector, as in `?fieldSelector=` (already URL-decoded)
 * @param options the kind's supported fields, the resource, and optionally the wording and aliases
 * @returns the selector (field names converted, e.g. `spec.host` → `spec.nodeName` for pods)
 * @throws {SelectorError} with the server's 400 message: `invalid selector: 'x'; can't understand 'x'` for a term
 *   without an operator; `field label not supported: x` (kinds with their own fields) or `"x" is not a known
 *   field selector: only "metadata.name", "metadata.namespace"` (the others) for an unsupported field; an escape
 *   error for a bad value
 * @example
 * ```ts
 * const s = parseFieldSelector("status.phase=Running,spec.nodeName!=", { supportedFields: supportedFieldSelectors("Pod", ""), resource: "pods" });
 * s.matches(fieldsForObject("Pod", "", pod));
 * ```
 */
export function parseFieldSelector(text: string, options: ParseFieldSelectorOptions): FieldSelector {
  if (typeof text !== "string") throw new TypeError("a field selector must be a string");
  const supported = new Set(options.supportedFields);
  const wording =
    options.wording ?? (options.supportedFields.every((f) => DEFAULT_FIELDS.has(f)) ? "default" : "custom");
  const aliases = options.aliases ?? (options.resource === "pods" ? { "spec.host": "spec.nodeName" } : {});
  const parsed: { field: string; operator: "=" | "!="; value: string }[] = [];
  for (const term of splitTerms(text).sort(compareStrings)) {
    if (term === "") continue;
    const split = splitTerm(term);
    if (split === undefined)
      throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`, { selector: text });
    parsed.push({ field: split.lhs, operator: split.op === "!=" ? "!=" : "=", value: unescapeValue(split.rhs, text) });
  }
  const requirements: FieldRequirement[] = parsed.map((r) => {
    const field = Object.hasOwn(aliases, r.field) ? (aliases[r.field] as string) : r.field;
    if (!supported.has(field)) {
      throw new SelectorError(
        wording === "custom"
          ? `field label not supported: ${r.field}`
          : `${JSON.stringify(r.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
        { selector: text },
      );
    }
    return Object.freeze({ ...r, field });
  });
  const frozen = Object.freeze(requirements);
  return {
    requirements: frozen,
    matches(fields: Readonly<Record<string, string>>): boolean {
      return frozen.every((r) => {
        const have = Object.hasOwn(fields, r.field) ? fields[r.field] : "";
        return r.operator === "=" ? have === r.value : have !== r.value;
      });
    },
    isEmpty(): boolean {
      return frozen.length === 0;
    },
    toString(): string {
      return frozen
        .map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`)
        .sort(compareStrings)
        .join(",");
    },
  };
}
