/**
 * Typed reading of a YAML document the way kubectl reads a kubeconfig: go-yaml v2 scalars (see `_yaml-scalars.ts`),
 * aliases and `<<` merge keys, duplicate keys where the last one wins, and JSON typing where a value of the wrong
 * type is an error naming its position.
 *
 * @module
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter } from "yaml";
import { decodeStdBase64 } from "./_base64.ts";
import { type ResolvedScalar, resolvePlainScalar, resolveTaggedScalar } from "./_yaml-scalars.ts";
import { KubeconfigError } from "./kubeconfig-error.ts";

/** The JSON type names used in messages. */
type JsonKind = "null" | "boolean" | "number" | "string" | "array" | "object";

// Aliases make a small document expand exponentially ("billion laughs"); go-yaml refuses excessive aliasing too.
const MAX_VISITS = 200_000;

/** Reads one YAML document as JSON-typed values, failing with the file, line and column of a bad node. */
export class YamlDecoder {
  readonly #doc: Document;
  readonly #lines: LineCounter;
  readonly #file: string | undefined;
  #visits = 0;

  constructor(doc: Document, lines: LineCounter, file: string | undefined) {
    this.#doc = doc;
    this.#lines = lines;
    this.#file = file;
  }

  /** Throws a `KubeconfigError` positioned at `node`. */
  fail(node: unknown, message: string): never {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    const pos = range === undefined ? undefined : this.#lines.linePos(range[0]);
    throw new KubeconfigError(message, { file: this.#file, line: pos?.line, column: pos?.col });
  }

  /** Follows aliases to the node they name. */
  deref(node: unknown): unknown {
    let current = node;
    for (let depth = 0; isAlias(current); depth++) {
      if (++this.#visits > MAX_VISITS || depth > 100) this.fail(current, "document contains excessive aliasing");
      const target = current.resolve(this.#doc);
      if (target === undefined) this.fail(current, `unknown anchor '${current.source}' referenced`);
      current = target;
    }
    if (++this.#visits > MAX_VISITS) this.fail(node, "document contains excessive aliasing");
    return current;
  }

  /** The scalar's JSON value, typed like go-yaml. */
  scalar(node: unknown): ResolvedScalar {
    if (!isScalar(node)) return { type: "null", value: null };
    const text = node.source ?? (node.value === null || node.value === undefined ? "" : String(node.value));
    if (node.tag?.startsWith("tag:yaml.org,2002:")) {
      const resolved = resolveTaggedScalar(node.tag, text);
      if (typeof resolved === "string") this.fail(node, resolved);
      return resolved;
    }
    if (node.type === "PLAIN" || node.type === undefined) return resolvePlainScalar(text);
    return { type: "string", value: text };
  }

  /** The JSON kind of a node, after aliases. */
  kind(raw: unknown): JsonKind {
    const node = this.deref(raw);
    if (node === null || node === undefined) return "null";
    if (isMap(node)) return "object";
    if (isSeq(node)) return "array";
    if (isScalar(node)) {
      const t = this.scalar(node).type;
      return t === "bool" ? "boolean" : t === "int" || t === "float" ? "number" : t;
    }
    return this.fail(node, "unsupported YAML node");
  }

  /** A mapping's entries in order, with `<<` merges applied and later duplicate keys replacing earlier ones. */
  entries(raw: unknown, path: string): Map<string, unknown> {
    const node = this.deref(raw);
    const out = new Map<string, unknown>();
    if (!isMap(node)) this.fail(node, `${path}: expected an object, found ${article(this.kind(node))}`);
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = this.deref(pair.key);
      if (isScalar(key) && key.type === "PLAIN" && key.source === "<<" && key.tag === undefined) {
        this.#merge(pair.value, out, path);
        continue;
      }
      out.set(this.#keyString(key), pair.value);
    }
    return out;
  }

  #merge(raw: unknown, out: Map<string, unknown>, path: string): void {
    const node = this.deref(raw);
    if (isMap(node)) {
      for (const [k, v] of this.entries(node, path)) out.set(k, v);
      return;
    }
    if (isSeq(node)) {
      // go-yaml steps backwards: earlier maps in the list take precedence.
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = this.deref(node.items[i]);
        if (!isMap(item)) this.fail(item ?? node, "map merge requires map or sequence of maps as the value");
        for (const [k, v] of this.entries(item, path)) out.set(k, v);
      }
      return;
    }
    this.fail(node ?? raw, "map merge requires map or sequence of maps as the value");
  }

  #keyString(key: unknown): string {
    if (key === null || key === undefined) return "null";
    if (!isScalar(key)) this.fail(key, "unsupported mapping key: only scalar keys can become JSON");
    const s = this.scalar(key);
    if (s.type === "null") return "null";
    if (s.type === "float" && !Number.isFinite(s.value)) return String(s.value).replace("Infinity", "+Inf");
    return String(s.value);
  }

  /** A sequence's items (`undefined` for null). */
  items(raw: unknown, path: string): unknown[] | undefined {
    const node = this.deref(raw);
    const kind = this.kind(node);
    if (kind === "null") return undefined;
    if (!isSeq(node)) return this.fail(node, `${path}: expected an array, found ${article(kind)}`);
    return node.items;
  }

  /** A string field (`undefined` for null). */
  string(raw: unknown, path: string): string | undefined {
    const node = this.deref(raw);
    const kind = this.kind(node);
    if (kind === "null") return undefined;
    if (kind !== "string") return this.fail(node, `${path}: expected a string, found ${article(kind)}`);
    return this.scalar(node).value as string;
  }

  /** A boolean field (`undefined` for null). */
  bool(raw: unknown, path: string): boolean | undefined {
    const node = this.deref(raw);
    const kind = this.kind(node);
    if (kind === "null") return undefined;
    if (kind !== "boolean") return this.fail(node, `${path}: expected a boolean, found ${article(kind)}`);
    return this.scalar(node).value as boolean;
  }

  /** A list of strings; `null` when the field is null, null items become `""` as in Go. */
  stringList(raw: unknown, path: string): string[] | null {
    const items = this.items(raw, path);
    if (items === undefined) return null;
    return items.map((item, i) => this.string(item, `${path}[${i}]`) ?? "");
  }

  /** A map of strings (`null` values become `""`). */
  stringMap(raw: unknown, path: string): Record<string, string> | undefined {
    if (this.kind(raw) === "null") return undefined;
    const out = Object.create(null) as Record<string, string>;
    for (const [k, v] of this.entries(raw, path)) out[k] = this.string(v, `${path}.${k}`) ?? "";
    return out;
  }

  /** Base64 bytes (`[]byte` in Go: standard alphabet, padding required, line breaks ignored). */
  base64(raw: unknown, path: string): Uint8Array | undefined {
    const text = this.string(raw, path);
    if (text === undefined) return undefined;
    const decoded = decodeStdBase64(text);
    if (typeof decoded === "number")
      this.fail(this.deref(raw), `${path}: illegal base64 data at input byte ${decoded}`);
    return decoded;
  }

  /** Any JSON value (extensions), typed like go-yaml; non-finite numbers are refused as JSON refuses them. */
  json(raw: unknown, path: string): unknown {
    const node = this.deref(raw);
    const kind = this.kind(node);
    switch (kind) {
      case "null":
        return null;
      case "object": {
        const out = Object.create(null) as Record<string, unknown>;
        for (const [k, v] of this.entries(node, path)) out[k] = this.json(v, `${path}.${k}`);
        return out;
      }
      case "array":
        return (this.items(node, path) ?? []).map((item, i) => this.json(item, `${path}[${i}]`));
      default: {
        const s = this.scalar(node);
        if (typeof s.value === "number" && !Number.isFinite(s.value))
          this.fail(node, `${path}: json: unsupported value: ${s.value}`);
        return s.value;
      }
    }
  }
}

function article(kind: JsonKind): string {
  return kind === "null" ? "null" : kind === "array" || kind === "object" ? `an ${kind}` : `a ${kind}`;
}
