/**
 * Fills in the defaulted key fields of list-map items (`ports[].protocol: TCP`) in an applied configuration, the way
 * structured-merge-diff takes a key's schema default when the item leaves the key out: without it, an applied
 * `{containerPort: 80}` would not match the live `{containerPort: 80, protocol: TCP}` and the list would grow.
 *
 * @module
 */
import type { KindSchema, SchemaNode } from "../openapi/schema-index.ts";
import { isPlainObject } from "../resources/kube-object.ts";

function resolve(schema: KindSchema, node: SchemaNode | undefined, depth = 0): SchemaNode | undefined {
  if (node === undefined || depth > 16) return node;
  const ref =
    typeof node.$ref === "string"
      ? node.$ref
      : Array.isArray(node.allOf) && node.allOf.length === 1
        ? ((node.allOf[0] as SchemaNode).$ref as string | undefined)
        : undefined;
  if (ref === undefined) return node;
  const target = schema.resolve(ref);
  if (target === undefined) return undefined;
  // The list extensions sit on the referring property.
  const merged: Record<string, unknown> = { ...resolve(schema, target, depth + 1) };
  for (const k of ["x-kubernetes-list-type", "x-kubernetes-list-map-keys"])
    if (node[k] !== undefined) merged[k] = node[k];
  return merged;
}

function walk(schema: KindSchema, value: unknown, node: SchemaNode | undefined, depth: number): unknown {
  const n = resolve(schema, node);
  if (n === undefined || depth > 64) return value;
  if (Array.isArray(value)) {
    const items = resolve(schema, n.items as SchemaNode | undefined);
    const keys =
      n["x-kubernetes-list-type"] === "map" && Array.isArray(n["x-kubernetes-list-map-keys"])
        ? (n["x-kubernetes-list-map-keys"] as string[])
        : [];
    const props = (items?.properties ?? {}) as Record<string, SchemaNode>;
    return value.map((item) => {
      const out = walk(schema, item, items, depth + 1);
      if (!isPlainObject(out)) return out;
      for (const k of keys) {
        const def = resolve(schema, props[k])?.default;
        if (out[k] === undefined && def !== undefined) out[k] = def;
      }
      return out;
    });
  }
  if (!isPlainObject(value)) return value;
  const props = (n.properties ?? {}) as Record<string, SchemaNode>;
  const additional = isPlainObject(n.additionalProperties) ? (n.additionalProperties as SchemaNode) : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = walk(schema, v, props[k] ?? additional, depth + 1);
  return out;
}

/**
 * Returns the applied configuration with defaulted list-map keys filled in.
 *
 * @param applied the applied configuration
 * @param schema the kind's OpenAPI v3 schema (with `default` values)
 */
export function defaultListMapKeys(applied: unknown, schema: KindSchema | undefined): unknown {
  return schema === undefined ? applied : walk(schema, applied, schema.root, 0);
}
