/**
 * Typed decoding against a kind's schema, the way the API server's JSON decoder treats a body: unknown fields are
 * dropped and reported (`fieldValidation=Strict` fails, `Warn` answers `Warning` headers, `Ignore` is silent), and
 * values of the wrong JSON type fail with Go's `cannot unmarshal` wording.
 *
 * @module
 */
import type { KindSchema, SchemaNode } from "../openapi/schema-index.ts";
import { isPlainObject } from "../resources/kube-object.ts";

/** What decoding found. */
export interface DecodeReport {
  /** The object without unknown fields. */
  readonly value: Record<string, unknown>;
  /** Paths of unknown fields (`spec.foo`, `spec.containers[0].bar`). */
  readonly unknownFields: readonly string[];
  /** The first type error, worded as Go's decoder words it. */
  readonly typeError: string | undefined;
}

const ANY_TYPES = new Set([
  "io.k8s.apimachinery.pkg.runtime.RawExtension",
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
  "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
]);
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

interface Walk {
  readonly schema: KindSchema;
  readonly unknown: string[];
  typeError: string | undefined;
  depth: number;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}

function shortName(definition: string | undefined): string {
  if (definition === undefined) return "Object";
  const parts = definition.split(".");
  return parts[parts.length - 1] ?? definition;
}

function goTypeOf(walk: Walk, node: SchemaNode | undefined): string {
  if (node === undefined) return "interface {}";
  const ref = refOf(node);
  if (ref !== undefined) {
    const name = walk.schema.refName(ref);
    if (name === QUANTITY) return "resource.Quantity";
    if (name === INT_OR_STRING) return "intstr.IntOrString";
    const parts = name.split(".");
    return `${parts[parts.length - 2] ?? ""}.${parts[parts.length - 1] ?? name}`;
  }
  switch (node.type) {
    case "string":
      return node.format === "byte" ? "[]uint8" : "string";
    case "integer":
      return node.format === "int64" ? "int64" : "int32";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    case "array":
      return `[]${goTypeOf(walk, node.items as SchemaNode | undefined)}`;
    case "object":
      if (isPlainObject(node.additionalProperties))
        return `map[string]${goTypeOf(walk, node.additionalProperties as SchemaNode)}`;
      return "map[string]interface {}";
    default:
      return "interface {}";
  }
}

function refOf(node: SchemaNode): string | undefined {
  if (typeof node.$ref === "string") return node.$ref;
  const allOf = node.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && typeof (allOf[0] as SchemaNode).$ref === "string")
    return (allOf[0] as SchemaNode).$ref as string;
  return undefined;
}

function typeError(walk: Walk, value: unknown, owner: string | undefined, path: string, node: SchemaNode): void {
  if (walk.typeError !== undefined) return;
  // Go names the field by its JSON path without list indexes and map keys.
  const where = path.replace(/\[[^\]]*\]/g, "");
  walk.typeError = `json: cannot unmarshal ${jsonType(value)} into Go struct field ${shortName(owner)}.${where} of type ${goTypeOf(walk, node)}`;
}

function isBase64(text: string): number {
  // Returns the offset of the first illegal byte, or -1 when valid (Go's StdEncoding).
  const clean = text;
  if (clean.length % 4 === 1) return clean.length - 1;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const ok =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
    if (!ok) return i;
    if (c === 61 && i < clean.length - 2) return i;
  }
  return -1;
}

/** Walks `value` against `node`; returns the decoded value (unknown fields dropped). */
function decode(
  walk: Walk,
  value: unknown,
  node: SchemaNode | undefined,
  owner: string | undefined,
  path: string,
): unknown {
  if (node === undefined || value === null || value === undefined) return value;
  if (walk.depth > 200) return value;
  const ref = refOf(node);
  if (ref !== undefined) {
    const name = walk.schema.refName(ref);
    if (ANY_TYPES.has(name)) return value;
    if (name === QUANTITY) {
      if (typeof value !== "string" && typeof value !== "number")
        walk.typeError ??= `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`;
      return value;
    }
    if (name === INT_OR_STRING) {
      if (typeof value !== "string" && typeof value !== "number") typeError(walk, value, owner, path, node);
      return value;
    }
    const target = walk.schema.resolve(ref);
    if (target === undefined) return value;
    walk.depth++;
    const out = decode(walk, value, target, name, path);
    walk.depth--;
    return out;
  }
  if (node["x-kubernetes-int-or-string"] === true || node.format === "int-or-string") {
    if (typeof value !== "string" && typeof value !== "number") typeError(walk, value, owner, path, node);
    return value;
  }
  const type = node.type;
  switch (type) {
    case "string":
      if (typeof value !== "string") {
        typeError(walk, value, owner, path, node);
        return value;
      }
      if (node.format === "byte" && walk.typeError === undefined) {
        const bad = isBase64(value);
        if (bad >= 0) walk.typeError = `illegal base64 data at input byte ${bad}`;
      }
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) typeError(walk, value, owner, path, node);
      return value;
    case "number":
      if (typeof value !== "number") typeError(walk, value, owner, path, node);
      return value;
    case "boolean":
      if (typeof value !== "boolean") typeError(walk, value, owner, path, node);
      return value;
    case "array": {
      if (!Array.isArray(value)) {
        typeError(walk, value, owner, path, node);
        return value;
      }
      const items = node.items as SchemaNode | undefined;
      return value.map((v, i) => decode(walk, v, items, owner, `${path}[${i}]`));
    }
    default:
      break;
  }
  if (node["x-kubernetes-preserve-unknown-fields"] === true && node.properties === undefined) return value;
  const properties = node.properties as Record<string, SchemaNode> | undefined;
  const additional = node.additionalProperties;
  if (type !== "object" && properties === undefined && additional === undefined) return value;
  if (!isPlainObject(value)) {
    typeError(walk, value, owner, path, node);
    return value;
  }
  if (properties === undefined && additional === undefined) return value;
  const preserve = node["x-kubernetes-preserve-unknown-fields"] === true;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === "" ? key : `${path}.${key}`;
    const prop = properties?.[key];
    if (prop !== undefined) out[key] = decode(walk, child, prop, owner, childPath);
    else if (isPlainObject(additional))
      out[key] = decode(walk, child, additional as SchemaNode, owner, `${path}[${key}]`);
    else if (additional === true || preserve) out[key] = child;
    else walk.unknown.push(childPath);
  }
  return out;
}

/**
 * Decodes an object against its kind's schema.
 *
 * @param object the parsed body
 * @param schema the kind's schema
 * @returns the decoded object, its unknown fields and the first type error
 */
export function decodeWithSchema(object: Record<string, unknown>, schema: KindSchema): DecodeReport {
  const walk: Walk = { schema, unknown: [], typeError: undefined, depth: 0 };
  const value = decode(walk, object, schema.root, schema.rootName, "") as Record<string, unknown>;
  return { value, unknownFields: walk.unknown, typeError: walk.typeError };
}
