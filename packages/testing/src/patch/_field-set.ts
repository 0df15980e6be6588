/**
 * Sets of field paths (structured-merge-diff's `fieldpath.Set`) and their `FieldsV1` wire form: `f:<name>` for a
 * field or map key, `k:{…}` for an item of a map-keyed list, `v:<json>` for an item of a set, `i:<n>` for an atomic
 * list position, and `"."` for "this node itself".
 *
 * @module
 */
import { isJsonObject, type JsonObject } from "./_json.ts";

/** One path element, in its `FieldsV1` spelling (`f:name`, `k:{"name":"web"}`, `v:"x"`, `i:0`). */
export type PathElement = string;

/** A tree of path elements: `members` end a path here, `children` continue it. */
export class FieldSet {
  readonly members: Set<PathElement> = new Set();
  readonly children: Map<PathElement, FieldSet> = new Map();

  /** Adds one path. */
  insert(path: readonly PathElement[]): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.child(path[i] as PathElement);
    node.members.add(path[path.length - 1] as PathElement);
  }

  /** The child node for an element, created when missing. */
  child(pe: PathElement): FieldSet {
    let c = this.children.get(pe);
    if (c === undefined) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    return c;
  }

  /** Whether the exact path is a member. */
  has(path: readonly PathElement[]): boolean {
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1; i++) {
      node = node.children.get(path[i] as PathElement);
      if (node === undefined) return false;
    }
    return path.length > 0 && node.members.has(path[path.length - 1] as PathElement);
  }

  /** Whether the path or anything below it is in the set. */
  hasPrefix(path: readonly PathElement[]): boolean {
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1; i++) {
      node = node.children.get(path[i] as PathElement);
      if (node === undefined) return false;
    }
    const last = path[path.length - 1] as PathElement;
    return path.length === 0 ? !this.isEmpty() : node.members.has(last) || node.children.has(last);
  }

  /** No member anywhere. */
  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  /** Every member path, depth first. */
  paths(prefix: PathElement[] = []): PathElement[][] {
    const out: PathElement[][] = [];
    const keys = [...new Set([...this.members, ...this.children.keys()])].sort(comparePathElements);
    for (const k of keys) {
      if (this.members.has(k)) out.push([...prefix, k]);
      const c = this.children.get(k);
      if (c !== undefined) out.push(...c.paths([...prefix, k]));
    }
    return out;
  }

  /** A deep copy. */
  clone(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [k, c] of this.children) out.children.set(k, c.clone());
    return out;
  }

  /** Members of either set. */
  union(other: FieldSet): FieldSet {
    const out = this.clone();
    for (const m of other.members) out.members.add(m);
    for (const [k, c] of other.children) out.children.set(k, (out.children.get(k) ?? new FieldSet()).union(c));
    return out;
  }

  /** Members of both sets. */
  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    for (const [k, c] of this.children) {
      const oc = other.children.get(k);
      if (oc !== undefined) {
        const i = c.intersection(oc);
        if (!i.isEmpty()) out.children.set(k, i);
      }
    }
    return out;
  }

  /** Members of this set that are not members of `other` (children are compared member by member). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [k, c] of this.children) {
      const oc = other.children.get(k);
      const d = oc === undefined ? c.clone() : c.difference(oc);
      if (!d.isEmpty()) out.children.set(k, d);
    }
    return out;
  }

  /** Like {@link difference}, but a member of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [k, c] of this.children) {
      if (other.members.has(k)) continue;
      const oc = other.children.get(k);
      const d = oc === undefined ? c.clone() : c.recursiveDifference(oc);
      if (!d.isEmpty()) out.children.set(k, d);
    }
    return out;
  }

  /** The `FieldsV1` JSON of the set, keys in structured-merge-diff's order. */
  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    const keys = [...new Set([...this.members, ...this.children.keys()])].sort(comparePathElements);
    for (const k of keys) {
      const c = this.children.get(k);
      const sub: JsonObject = {};
      if (c !== undefined && !c.isEmpty()) {
        if (this.members.has(k)) sub["."] = {};
        Object.assign(sub, c.toFieldsV1());
      }
      if (this.members.has(k) || Object.keys(sub).length > 0) out[k] = sub;
    }
    return out;
  }

  /**
   * Reads `FieldsV1` JSON.
   *
   * @throws {TypeError} for a value that is not `FieldsV1`
   */
  static fromFieldsV1(value: unknown): FieldSet {
    const out = new FieldSet();
    if (!isJsonObject(value)) throw new TypeError("FieldsV1 must be a JSON object");
    for (const [k, v] of Object.entries(value)) {
      if (k === ".") continue;
      if (!/^[fkvi]:/.test(k)) throw new TypeError(`unexpected FieldsV1 key ${JSON.stringify(k)}`);
      if (!isJsonObject(v)) throw new TypeError(`FieldsV1 value at ${JSON.stringify(k)} must be an object`);
      const keys = Object.keys(v);
      if (keys.length === 0 || Object.hasOwn(v, ".")) out.members.add(k);
      if (keys.some((x) => x !== ".")) {
        const c = FieldSet.fromFieldsV1(v);
        if (!c.isEmpty()) out.children.set(k, c);
      }
    }
    return out;
  }
}

/** The path element of a field or map key. */
export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

const KIND_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function typeRank(v: unknown): number {
  if (v === null) return 0;
  if (typeof v === "boolean") return 1;
  if (typeof v === "number") return 2;
  if (typeof v === "string") return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** structured-merge-diff's total order of values. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "boolean") return Number(a) - Number(b as boolean);
  if (typeof a === "number") return a - (b as number);
  if (typeof a === "string") return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    for (let i = 0; i < Math.min(a.length, bb.length); i++) {
      const c = compareValues(a[i], bb[i]);
      if (c !== 0) return c;
    }
    return a.length - bb.length;
  }
  if (a === null) return 0;
  const ka = Object.keys(a as JsonObject).sort();
  const kb = Object.keys(b as JsonObject).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const c = compareValues(ka[i], kb[i]);
    if (c !== 0) return c;
    const d = compareValues((a as JsonObject)[ka[i] as string], (b as JsonObject)[kb[i] as string]);
    if (d !== 0) return d;
  }
  return ka.length - kb.length;
}

/** structured-merge-diff's order of path elements: fields, then keys, then values, then indices. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ka = KIND_ORDER[a[0] as string] ?? 4;
  const kb = KIND_ORDER[b[0] as string] ?? 4;
  if (ka !== kb) return ka - kb;
  const ra = a.slice(2);
  const rb = b.slice(2);
  switch (a[0]) {
    case "f":
      return ra < rb ? -1 : ra > rb ? 1 : 0;
    case "i":
      return Number(ra) - Number(rb);
    case "v":
      return compareValues(JSON.parse(ra), JSON.parse(rb));
    default: {
      // Keys compare field by field (name, then value), fields sorted by name.
      const oa = Object.entries(JSON.parse(ra) as JsonObject);
      const ob = Object.entries(JSON.parse(rb) as JsonObject);
      for (let i = 0; i < Math.min(oa.length, ob.length); i++) {
        const [na, va] = oa[i] as [string, unknown];
        const [nb, vb] = ob[i] as [string, unknown];
        if (na !== nb) return na < nb ? -1 : 1;
        const c = compareValues(va, vb);
        if (c !== 0) return c;
      }
      return oa.length - ob.length;
    }
  }
}

/** Serialises a path the way the server prints it in conflict messages: `.data.k`, `.spec.containers[name="web"]`. */
export function pathToString(path: readonly PathElement[]): string {
  let out = "";
  for (const pe of path) {
    const rest = pe.slice(2);
    switch (pe[0]) {
      case "f":
        out += `.${rest}`;
        break;
      case "i":
        out += `[${rest}]`;
        break;
      case "v":
        out += `[${rest}]`;
        break;
      default: {
        const entries = Object.entries(JSON.parse(rest) as JsonObject);
        out += `[${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}]`;
      }
    }
  }
  return out;
}
