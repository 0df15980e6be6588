/**
 * Label selectors (`?labelSelector=`), parsed and matched exactly as apimachinery's `labels.Parse` does, with the
 * Kubernetes 1.20 server's error wording.
 *
 * @module
 */
import { goQuote, isQualifiedName, isValidLabelValue } from "./_validation.ts";
import { SelectorError } from "./selector-error.ts";

/** The operators of a label requirement; `exists` is a bare key, `!` a negated one. */
export type LabelOperator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

/** One requirement of a label selector. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted, without duplicates; empty for `exists` and `!`. */
  readonly values: readonly string[];
}

/** A parsed label selector. */
export interface LabelSelector {
  /** The requirements, sorted by key (all must match). */
  readonly requirements: readonly LabelRequirement[];
  /**
   * Whether a set of labels satisfies every requirement.
   *
   * @param labels an object's `metadata.labels`
   */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** Whether the selector selects everything (no requirement). */
  isEmpty(): boolean;
  /** The canonical text (`a in (x,y),!b,c=d`), which parses back to the same selector. */
  toString(): string;
}

type Token = "error" | "eos" | ")" | "," | "!" | "==" | "=" | ">" | "id" | "in" | "<" | "!=" | "notin" | "(";

const SYMBOLS: Readonly<Record<string, Token>> = {
  ")": ")",
  ",": ",",
  "!": "!",
  "==": "==",
  "=": "=",
  ">": ">",
  in: "in",
  "<": "<",
  "!=": "!=",
  notin: "notin",
  "(": "(",
};

interface Item {
  tok: Token;
  lit: string;
  pos: number;
}

function isWhitespace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

function isSpecial(c: string): boolean {
  return c === "=" || c === "!" || c === "(" || c === ")" || c === "," || c === ">" || c === "<";
}

function lex(s: string): Item[] {
  const items: Item[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isWhitespace(s[i] as string)) i++;
    const start = i;
    if (i >= s.length) {
      items.push({ tok: "eos", lit: "", pos: start });
      return items;
    }
    if (isSpecial(s[i] as string)) {
      // The longest run of special characters that still spells an operator.
      let buffer = "";
      let last: Item | undefined;
      while (i < s.length && isSpecial(s[i] as string)) {
        buffer += s[i];
        const tok = SYMBOLS[buffer];
        if (tok !== undefined) last = { tok, lit: buffer, pos: start };
        else if (last !== undefined) break;
        i++;
      }
      if (last === undefined)
        items.push({ tok: "error", lit: `error expected: keyword found '${buffer}'`, pos: start });
      else {
        i = start + last.lit.length;
        items.push(last);
      }
      continue;
    }
    let buffer = "";
    while (i < s.length && !isSpecial(s[i] as string) && !isWhitespace(s[i] as string)) buffer += s[i++];
    const keyword = SYMBOLS[buffer];
    items.push({ tok: keyword ?? "id", lit: buffer, pos: start });
  }
}

function fail(message: string, selector: string, at: Item | undefined): never {
  throw new SelectorError(message, at === undefined ? { selector } : { selector, column: at.pos + 1 });
}

class Parser {
  readonly #items: Item[];
  readonly #text: string;
  #position = 0;

  constructor(text: string) {
    this.#text = text;
    this.#items = lex(text);
  }

  /** In value context, `in` and `notin` are plain identifiers. */
  #look(values: boolean): Item {
    const item = this.#items[this.#position] as Item;
    return values && (item.tok === "in" || item.tok === "notin") ? { ...item, tok: "id" } : item;
  }

  #take(values: boolean): Item {
    const item = this.#look(values);
    this.#position = Math.min(this.#position + 1, this.#items.length - 1);
    return item;
  }

  parse(): LabelRequirement[] {
    const out: LabelRequirement[] = [];
    for (;;) {
      const next = this.#look(true);
      if (next.tok === "eos") return out;
      if (next.tok !== "id" && next.tok !== "!") {
        fail(`found '${next.lit}', expected: !, identifier, or 'end of string'`, this.#text, next);
      }
      try {
        out.push(this.#requirement());
      } catch (e) {
        if (e instanceof SelectorError) {
          throw new SelectorError(`unable to parse requirement: ${e.message}`, {
            selector: this.#text,
            ...(e.column === undefined ? {} : { column: e.column }),
          });
        }
        throw e;
      }
      const after = this.#take(true);
      if (after.tok === "eos") return out;
      if (after.tok !== ",") fail(`found '${after.lit}', expected: ',' or 'end of string'`, this.#text, after);
      const following = this.#look(true);
      if (following.tok !== "id" && following.tok !== "!") {
        fail(`found '${following.lit}', expected: identifier after ','`, this.#text, following);
      }
    }
  }

  #requirement(): LabelRequirement {
    let item = this.#take(true);
    let negated = false;
    if (item.tok === "!") {
      negated = true;
      item = this.#take(true);
    }
    if (item.tok !== "id") fail(`found '${item.lit}', expected: identifier`, this.#text, item);
    const key = item.lit;
    validateKey(key, this.#text, item);
    const next = this.#look(true);
    // "!key" is complete whatever follows (the caller then reports anything but "," or the end).
    if (negated) return newRequirement(key, "!", [], this.#text, item);
    if (next.tok === "eos" || next.tok === ",") return newRequirement(key, "exists", [], this.#text, item);
    const opItem = this.#take(false);
    let operator: LabelOperator;
    switch (opItem.tok) {
      case "in":
        operator = "in";
        break;
      case "=":
        operator = "=";
        break;
      case "==":
        operator = "==";
        break;
      case ">":
        operator = "gt";
        break;
      case "<":
        operator = "lt";
        break;
      case "notin":
        operator = "notin";
        break;
      case "!=":
        operator = "!=";
        break;
      default:
        fail(`found '${opItem.lit}', expected: '=', '!=', '==', 'in', notin'`, this.#text, opItem);
    }
    const values = operator === "in" || operator === "notin" ? this.#valueSet() : this.#exactValue();
    return newRequirement(key, operator, [...values].sort(compareStrings), this.#text, item);
  }

  #valueSet(): Set<string> {
    const open = this.#take(true);
    if (open.tok !== "(") fail(`found '${open.lit}' expected: '('`, this.#text, open);
    const first = this.#look(true);
    if (first.tok === ")") {
      this.#take(true);
      return new Set([""]);
    }
    if (first.tok !== "id" && first.tok !== ",")
      fail(`found '${first.lit}', expected: ',', ')' or identifier`, this.#text, first);
    const values = this.#identifiers();
    const close = this.#take(true);
    if (close.tok !== ")") fail(`found '${first.lit}', expected: ')'`, this.#text, close);
    return values;
  }

  #identifiers(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const item = this.#take(true);
      if (item.tok === "id") {
        values.add(item.lit);
        const next = this.#look(true);
        if (next.tok === ",") continue;
        if (next.tok === ")") return values;
        fail(`found '${next.lit}', expected: ',' or ')'`, this.#text, next);
      } else if (item.tok === ",") {
        if (values.size === 0) values.add("");
        const next = this.#look(true);
        if (next.tok === ")") {
          values.add("");
          return values;
        }
        if (next.tok === ",") values.add("");
      } else {
        fail(`found '${item.lit}', expected: ',', or identifier`, this.#text, item);
      }
    }
  }

  #exactValue(): Set<string> {
    const next = this.#look(true);
    if (next.tok === "eos" || next.tok === ",") return new Set([""]);
    const item = this.#take(true);
    if (item.tok === "id") return new Set([item.lit]);
    fail(`found '${item.lit}', expected: identifier`, this.#text, item);
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function validateKey(key: string, text: string, at: Item | undefined): void {
  const errs = isQualifiedName(key);
  if (errs.length > 0) fail(`invalid label key ${goQuote(key)}: ${errs.join("; ")}`, text, at);
}

const INT64 = /^[+-]?\d+$/;

function parseInt64(s: string): bigint | undefined {
  if (!INT64.test(s)) return undefined;
  const n = BigInt(s);
  return n > 9223372036854775807n || n < -9223372036854775808n ? undefined : n;
}

/** apimachinery's `NewRequirement` checks, in its order. */
function newRequirement(
  key: string,
  operator: LabelOperator,
  values: string[],
  text: string,
  at: Item | undefined,
): LabelRequirement {
  validateKey(key, text, at);
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) fail("for 'in', 'notin' operators, values set can't be empty", text, at);
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) fail("exact-match compatibility requires one single value", text, at);
      break;
    case "exists":
    case "!":
      if (values.length !== 0) fail("values set must be empty for exists and does not exist", text, at);
      break;
    case "gt":
    case "lt":
      if (values.length !== 1) fail("for 'Gt', 'Lt' operators, exactly one value is required", text, at);
      for (const v of values) {
        if (parseInt64(v) === undefined) fail("for 'Gt', 'Lt' operators, the value must be an integer", text, at);
      }
      break;
  }
  for (const v of values) {
    const errs = isValidLabelValue(v);
    if (errs.length > 0)
      fail(`invalid label value: ${goQuote(v)}: at key: ${goQuote(key)}: ${errs.join("; ")}`, text, at);
  }
  return { key, operator, values };
}

function matchesRequirement(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case "in":
    case "=":
    case "==":
      return has && r.values.includes(value as string);
    case "notin":
    case "!=":
      return !has || !r.values.includes(value as string);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has) return false;
      const have = parseInt64(value as string);
      const want = parseInt64(r.values[0] as string);
      if (have === undefined || want === undefined) return false;
      return r.operator === "gt" ? have > want : have < want;
    }
  }
}

function requirementText(r: LabelRequirement): string {
  switch (r.operator) {
    case "exists":
      return r.key;
    case "!":
      return `!${r.key}`;
    case "in":
    case "notin":
      return `${r.key} ${r.operator} (${r.values.join(",")})`;
    case "gt":
      return `${r.key}>${r.values[0]}`;
    case "lt":
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

/**
 * Parses a label selector: `=`, `==`, `!=`, `in (…)`, `notin (…)`, `key` (exists), `!key`, and the server's `>`
 * and `<` on integer values. Keys must be qualified names and values label values, as the server checks them.
 *
 * @param text the selector, as in `?labelSelector=` (already URL-decoded)
 * @returns the selector; `""` gives one that matches everything
 * @throws {SelectorError} with the server's 400 message, e.g. `unable to parse requirement: found '', expected:
 *   ',' or ')'` for `a in (b`, or `found '=', expected: ',' or 'end of string'` for `a=b=c`
 * @example
 * ```ts
 * const s = parseLabelSelector("app=web,tier in (a,b),!canary");
 * s.matches({ app: "web", tier: "a" }); // true
 * s.toString(); // "!canary,app=web,tier in (a,b)"
 * ```
 */
export function parseLabelSelector(text: string): LabelSelector {
  if (typeof text !== "string") throw new TypeError("a label selector must be a string");
  const requirements = new Parser(text).parse();
  // A stable sort by key, as the server sorts them.
  requirements.sort((a, b) => compareStrings(a.key, b.key));
  const frozen = Object.freeze(requirements.map((r) => Object.freeze({ ...r, values: Object.freeze([...r.values]) })));
  return {
    requirements: frozen,
    matches(labels: Readonly<Record<string, string>> | undefined): boolean {
      const set = labels ?? {};
      return frozen.every((r) => matchesRequirement(r, set));
    },
    isEmpty(): boolean {
      return frozen.length === 0;
    },
    toString(): string {
      return frozen.map(requirementText).join(",");
    },
  };
}
