/**
 * The structural schema the patch engines read: what `x-kubernetes-patch-*` says for strategic merge patch, and the
 * list/map topology (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`) server-side
 * apply and managedFields need. The shape is OpenAPI v2's `definitions` (also what a CRD's `openAPIV3Schema` looks
 * like), so the fake cluster can feed it `@kubeshift/types`' compact schema, a swagger document or a CRD.
 *
 * @module
 */

/** One schema node (a definition, a property, `items`, `additionalProperties`). */
export interface SchemaNode {
  readonly type?: string;
  readonly format?: string;
  /** `#/definitions/<name>`, `#/components/schemas/<name>` or a bare definition name. */
  readonly $ref?: string;
  /** OpenAPI v3 wraps a `$ref` with siblings in `allOf: [{ $ref }]`. */
  readonly allOf?: readonly SchemaNode[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  /** Required properties; in Kubernetes' schemas, the Go fields serialised even when empty. */
  readonly required?: readonly string[];
  /** OpenAPI v3 marks non-pointer struct fields (always present in a Go object) with `default: {}`. */
  readonly default?: unknown;
  readonly "x-kubernetes-patch-merge-key"?: string;
  readonly "x-kubernetes-patch-strategy"?: string;
  readonly "x-kubernetes-list-type"?: string;
  readonly "x-kubernetes-list-map-keys"?: readonly string[];
  readonly "x-kubernetes-map-type"?: string;
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
  readonly "x-kubernetes-int-or-string"?: boolean;
  readonly "x-kubernetes-embedded-resource"?: boolean;
}

/** The schema of one kind: its root node, and how references inside it resolve. */
export interface SchemaLookup {
  /** The schema of the object's root type (a `Pod`, a `ConfigMap`, a custom resource). */
  readonly root: SchemaNode;
  /**
   * Resolves a `$ref`.
   *
   * @param ref the reference as written in the schema
   * @returns the referenced node, `undefined` when unknown
   */
  resolve(ref: string): SchemaNode | undefined;
}

/**
 * Builds a {@link SchemaLookup} over a map of definitions (swagger's `definitions`, OpenAPI v3's
 * `components.schemas`).
 *
 * @param definitions definitions by name (`io.k8s.api.core.v1.Pod`)
 * @param root the name of the kind's definition
 * @returns the lookup, or `undefined` when `root` is not defined
 * @example
 * ```ts
 * const lookup = createSchemaLookup(swagger.definitions, "io.k8s.api.apps.v1.Deployment");
 * ```
 */
export function createSchemaLookup(
  definitions: Readonly<Record<string, SchemaNode>>,
  root: string,
): SchemaLookup | undefined {
  const node = definitions[root];
  if (node === undefined) return undefined;
  return {
    root: node,
    resolve(ref: string): SchemaNode | undefined {
      const name = ref.slice(ref.lastIndexOf("/") + 1);
      return Object.hasOwn(definitions, name) ? definitions[name] : undefined;
    },
  };
}

const EXTENSIONS = [
  "x-kubernetes-patch-merge-key",
  "x-kubernetes-patch-strategy",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
] as const;

/**
 * Follows `$ref` (and a one-element `allOf`) to the node that carries the structure; the extensions of the
 * referring node win, because OpenAPI puts `x-kubernetes-patch-*` on the property, not on the definition.
 */
export function resolveNode(lookup: SchemaLookup, node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  const outer: Record<string, unknown> = {};
  for (let depth = 0; current !== undefined && depth < 16; depth++) {
    const target = current.$ref ?? (current.allOf?.length === 1 ? current.allOf[0]?.$ref : undefined);
    if (target === undefined) break;
    for (const key of EXTENSIONS) if (current[key] !== undefined && outer[key] === undefined) outer[key] = current[key];
    current = lookup.resolve(target);
  }
  if (current === undefined) return undefined;
  if (Object.keys(outer).length === 0) return current;
  const merged: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(outer)) merged[k] = v;
  return merged as SchemaNode;
}

/** The strategic-merge-patch metadata of a field. */
export interface PatchMeta {
  strategies: readonly string[];
  mergeKey: string | undefined;
}

/** `x-kubernetes-patch-strategy` (comma-separated) and `x-kubernetes-patch-merge-key` of a node. */
export function patchMetaOf(node: SchemaNode | undefined): PatchMeta {
  const strategy = node?.["x-kubernetes-patch-strategy"];
  return {
    strategies: strategy === undefined || strategy === "" ? [] : strategy.split(","),
    mergeKey: node?.["x-kubernetes-patch-merge-key"],
  };
}

/** A node's property schema, or its `additionalProperties` schema for keys that are not properties. */
export function propertyOf(
  lookup: SchemaLookup,
  node: SchemaNode | undefined,
  name: string,
): { node: SchemaNode | undefined; declared: boolean } {
  const resolved = resolveNode(lookup, node);
  const prop = resolved?.properties?.[name];
  if (prop !== undefined && Object.hasOwn(resolved?.properties ?? {}, name)) return { node: prop, declared: true };
  const extra = resolved?.additionalProperties;
  return { node: typeof extra === "object" ? extra : undefined, declared: false };
}

/** The element schema of an array node. */
export function itemsOf(lookup: SchemaLookup, node: SchemaNode | undefined): SchemaNode | undefined {
  return resolveNode(lookup, node)?.items;
}

/** A node of `@kubeshift/types`' compact structural schema, as far as the adapter reads it. */
interface CompactNode {
  readonly type: string;
  readonly ref?: string;
  readonly format?: string;
  readonly items?: CompactNode;
  readonly values?: CompactNode;
  readonly properties?: Readonly<Record<string, CompactNode>>;
  readonly required?: readonly string[];
  readonly listType?: string;
  readonly listMapKeys?: readonly string[];
  readonly mapType?: string;
  readonly patchStrategy?: string;
  readonly patchMergeKey?: string;
  readonly preserveUnknownFields?: true;
  readonly embeddedResource?: true;
}

/** `@kubeshift/types/schema`'s `StructuralSchema`, as far as the adapter reads it. */
export interface CompactSchema {
  readonly definitions: Readonly<Record<string, unknown>>;
  readonly kinds: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly legacyKinds: Readonly<Record<string, string>>;
}

function convertCompact(node: CompactNode, cache: WeakMap<object, SchemaNode>): SchemaNode {
  const hit = cache.get(node);
  if (hit !== undefined) return hit;
  const out: Record<string, unknown> = {};
  switch (node.type) {
    case "ref":
      out.$ref = node.ref;
      break;
    case "string":
    case "integer":
    case "number":
    case "boolean":
      out.type = node.type;
      if (node.format !== undefined) out.format = node.format;
      break;
    case "int-or-string":
      out.type = "string";
      out["x-kubernetes-int-or-string"] = true;
      break;
    case "quantity":
      out.type = "string";
      break;
    case "array":
      out.type = "array";
      if (node.items !== undefined) out.items = convertCompact(node.items, cache);
      break;
    case "map":
      out.type = "object";
      if (node.values !== undefined) out.additionalProperties = convertCompact(node.values, cache);
      break;
    case "object": {
      out.type = "object";
      const properties: Record<string, SchemaNode> = {};
      for (const [k, v] of Object.entries(node.properties ?? {})) properties[k] = convertCompact(v, cache);
      out.properties = properties;
      if (node.required !== undefined) out.required = node.required;
      break;
    }
    default:
      // `any`, `oneOf`: the value's own shape decides, as for an untyped field.
      out["x-kubernetes-preserve-unknown-fields"] = true;
  }
  if (node.listType !== undefined) out["x-kubernetes-list-type"] = node.listType;
  if (node.listMapKeys !== undefined) out["x-kubernetes-list-map-keys"] = node.listMapKeys;
  if (node.mapType !== undefined) out["x-kubernetes-map-type"] = node.mapType;
  if (node.patchStrategy !== undefined) out["x-kubernetes-patch-strategy"] = node.patchStrategy;
  if (node.patchMergeKey !== undefined) out["x-kubernetes-patch-merge-key"] = node.patchMergeKey;
  if (node.preserveUnknownFields === true) out["x-kubernetes-preserve-unknown-fields"] = true;
  if (node.embeddedResource === true) out["x-kubernetes-embedded-resource"] = true;
  const converted = out as SchemaNode;
  cache.set(node, converted);
  return converted;
}

/**
 * Builds a {@link SchemaLookup} over `@kubeshift/types/schema` for one kind.
 *
 * @param schema the compact structural schema (`schema` of `@kubeshift/types/schema`)
 * @param apiVersion the kind's apiVersion (`"v1"`, `"apps/v1"`)
 * @param kind the kind (`"Deployment"`)
 * @param options `legacy: true` for OpenShift 3.x `/oapi/v1` kinds, which share `apiVersion: v1` with core
 * @returns the lookup, or `undefined` for a kind the schema does not know (a custom resource)
 * @example
 * ```ts
 * import { schema } from "@kubeshift/types/schema";
 * const lookup = schemaLookupForKind(schema, "apps/v1", "Deployment");
 * ```
 */
export function schemaLookupForKind(
  schema: CompactSchema,
  apiVersion: string,
  kind: string,
  options: { legacy?: boolean } = {},
): SchemaLookup | undefined {
  const legacy = apiVersion === "v1" ? schema.legacyKinds[kind] : undefined;
  const name = options.legacy === true && legacy !== undefined ? legacy : (schema.kinds[apiVersion]?.[kind] ?? legacy);
  if (name === undefined) return undefined;
  const root = schema.definitions[name] as CompactNode | undefined;
  if (root === undefined) return undefined;
  const cache = new WeakMap<object, SchemaNode>();
  return {
    root: convertCompact(root, cache),
    resolve(ref: string): SchemaNode | undefined {
      const target = schema.definitions[ref] as CompactNode | undefined;
      return target === undefined ? undefined : convertCompact(target, cache);
    },
  };
}
