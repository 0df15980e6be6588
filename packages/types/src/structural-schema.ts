/**
 * The structural schema of every generated definition: the data a server (or a fake one) needs for strategic merge
 * patch, server-side apply and strict field validation, without the descriptions. The data itself is generated into
 * `@kubeshift/types/schema`; this module defines its shape and a few accessors.
 *
 * Shape, in short: `definitions` maps a definition name (`io.k8s.api.apps.v1.Deployment`,
 * `com.github.openshift.api.route.v1.Route`, `oapi.v1.DeploymentConfig` for legacy OpenShift 3.x kinds) to a
 * {@link SchemaNode}. A node is a `ref` to another definition, a scalar (`string` with `format` and `enum`,
 * `integer`, `number`, `boolean`, `int-or-string`, `quantity`), an `array` (`items`), a `map` (`values`, from
 * `additionalProperties`), an `object` (`properties`, `required`), `oneOf` (alternatives) or `any` (any JSON value).
 * Every node may carry the list and map extensions of the Kubernetes OpenAPI dialect.
 *
 * @module
 */

/** Extensions that steer merging and validation; any node may carry them. */
export interface SchemaExtensions {
  /** `x-kubernetes-list-type`. */
  readonly listType?: "atomic" | "set" | "map";
  /** `x-kubernetes-list-map-keys`: the keys that identify an item of a `map` list. */
  readonly listMapKeys?: readonly string[];
  /** `x-kubernetes-map-type`. */
  readonly mapType?: "atomic" | "granular";
  /** `x-kubernetes-patch-strategy`, such as `"merge"`, `"retainKeys"` or `"merge,retainKeys"`. */
  readonly patchStrategy?: string;
  /** `x-kubernetes-patch-merge-key`: the key that identifies an item in a strategic merge of a list. */
  readonly patchMergeKey?: string;
  /** `x-kubernetes-preserve-unknown-fields`: fields not in `properties` are kept, not pruned or rejected. */
  readonly preserveUnknownFields?: true;
  /** `x-kubernetes-embedded-resource`: the value is a whole object with apiVersion, kind and metadata. */
  readonly embeddedResource?: true;
  /** The value may be `null`. */
  readonly nullable?: true;
}

/** A reference to another definition. */
export interface SchemaRef extends SchemaExtensions {
  readonly type: "ref";
  /** Key in {@link StructuralSchema.definitions}. */
  readonly ref: string;
}

/** A string, with its OpenAPI format (`date-time`, `byte`, …) and allowed values when the spec names them. */
export interface SchemaString extends SchemaExtensions {
  readonly type: "string";
  readonly format?: string;
  readonly enum?: readonly string[];
}

/** An integer (`int32`, `int64`) or a number (`double`). */
export interface SchemaNumber extends SchemaExtensions {
  readonly type: "integer" | "number";
  readonly format?: string;
}

/** A boolean. */
export interface SchemaBoolean extends SchemaExtensions {
  readonly type: "boolean";
}

/** `x-kubernetes-int-or-string` (IntOrString): a number or a string. */
export interface SchemaIntOrString extends SchemaExtensions {
  readonly type: "int-or-string";
}

/** A resource quantity (`"100m"`, `"1Gi"`): a string on the wire; servers also accept numbers. */
export interface SchemaQuantity extends SchemaExtensions {
  readonly type: "quantity";
}

/** A list; `listType`, `listMapKeys`, `patchStrategy` and `patchMergeKey` say how it merges. */
export interface SchemaArray extends SchemaExtensions {
  readonly type: "array";
  readonly items: SchemaNode;
}

/** An object with arbitrary keys (`additionalProperties`), such as labels. */
export interface SchemaMap extends SchemaExtensions {
  readonly type: "map";
  readonly values: SchemaNode;
}

/** An object with known properties. */
export interface SchemaObject extends SchemaExtensions {
  readonly type: "object";
  readonly properties: Readonly<Record<string, SchemaNode>>;
  /** Properties that must be present. */
  readonly required?: readonly string[];
}

/** One of several shapes (`JSONSchemaPropsOrBool` and the like). */
export interface SchemaOneOf extends SchemaExtensions {
  readonly type: "oneOf";
  readonly of: readonly SchemaNode[];
}

/** Any JSON value (`apiextensions.v1.JSON`, an untyped field). */
export interface SchemaAny extends SchemaExtensions {
  readonly type: "any";
}

/** A node of the structural schema. */
export type SchemaNode =
  | SchemaRef
  | SchemaString
  | SchemaNumber
  | SchemaBoolean
  | SchemaIntOrString
  | SchemaQuantity
  | SchemaArray
  | SchemaMap
  | SchemaObject
  | SchemaOneOf
  | SchemaAny;

/** The structural schema of all generated definitions. */
export interface StructuralSchema {
  /** Definition name → schema. */
  readonly definitions: Readonly<Record<string, SchemaNode>>;
  /** apiVersion (`"v1"`, `"apps/v1"`) → kind → definition name, for every definition that declares its kind. */
  readonly kinds: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Kind → definition name for the legacy OpenShift 3.x `/oapi/v1` API (whose apiVersion `"v1"` is core's too). */
  readonly legacyKinds: Readonly<Record<string, string>>;
}

/** Options of {@link definitionNameOf}. */
export interface DefinitionLookupOptions {
  /** Look the kind up in the legacy `/oapi/v1` API first. @default false */
  readonly legacy?: boolean;
}

/**
 * Finds the definition name of a kind.
 *
 * @param schema the structural schema (`schema` of `@kubeshift/types/schema`)
 * @param apiVersion `"v1"`, `"apps/v1"`, …
 * @param kind the kind
 * @param options `legacy: true` to prefer the `/oapi/v1` kinds
 * @returns the definition name, or `undefined` when the kind is unknown
 * @example
 * ```ts
 * import { definitionNameOf, schema } from "@kubeshift/types/schema";
 * definitionNameOf(schema, "apps/v1", "Deployment"); // "io.k8s.api.apps.v1.Deployment"
 * ```
 */
export function definitionNameOf(
  schema: StructuralSchema,
  apiVersion: string,
  kind: string,
  options: DefinitionLookupOptions = {},
): string | undefined {
  const legacy = apiVersion === "v1" ? schema.legacyKinds[kind] : undefined;
  if (options.legacy === true && legacy !== undefined) return legacy;
  return schema.kinds[apiVersion]?.[kind] ?? legacy;
}

/**
 * Follows `ref` nodes until a node that is not a reference.
 *
 * @param schema the structural schema
 * @param node a node, or a definition name
 * @returns the resolved node; the extensions of the referring node win over those of the definition
 * @throws {RangeError} when a reference names no definition
 * @example
 * ```ts
 * import { resolveNode, schema } from "@kubeshift/types/schema";
 * resolveNode(schema, "io.k8s.api.core.v1.Pod").type; // "object"
 * ```
 */
export function resolveNode(schema: StructuralSchema, node: SchemaNode | string): SchemaNode {
  let current: SchemaNode = typeof node === "string" ? { type: "ref", ref: node } : node;
  let outer: SchemaExtensions = {};
  for (let depth = 0; current.type === "ref"; depth++) {
    const target: SchemaNode | undefined = schema.definitions[current.ref];
    if (target === undefined || depth > 64)
      throw new RangeError(`unknown schema definition ${JSON.stringify(current.ref)}`);
    const { type: _type, ref: _ref, ...ext } = current;
    outer = { ...ext, ...outer };
    current = target;
  }
  return Object.keys(outer).length === 0 ? current : ({ ...current, ...outer } as SchemaNode);
}

/**
 * The schema of a field of an object node (after resolving references).
 *
 * @param schema the structural schema
 * @param node the object's node or definition name
 * @param field the JSON field name
 * @returns the field's node (not resolved), or `undefined` when the object has no such field (or is not an object)
 * @example
 * ```ts
 * import { fieldOf, schema } from "@kubeshift/types/schema";
 * fieldOf(schema, "io.k8s.api.core.v1.PodSpec", "containers")?.patchMergeKey; // "name"
 * ```
 */
export function fieldOf(schema: StructuralSchema, node: SchemaNode | string, field: string): SchemaNode | undefined {
  const resolved = resolveNode(schema, node);
  return resolved.type === "object" && Object.hasOwn(resolved.properties, field)
    ? resolved.properties[field]
    : undefined;
}

/**
 * How a strategic merge patch treats a list field: merged by key, merged as a set of scalars, or replaced.
 *
 * @param node the list field's node (as {@link fieldOf} returns it)
 * @returns `{ strategy: "merge", key }` for a list merged by `patchMergeKey`, `{ strategy: "merge" }` for a merged
 *   list of scalars, `{ strategy: "replace" }` otherwise; `retainKeys` tells whether the patch strategy includes it
 * @example
 * ```ts
 * import { fieldOf, listMergeStrategy, schema } from "@kubeshift/types/schema";
 * const containers = fieldOf(schema, "io.k8s.api.core.v1.PodSpec", "containers");
 * containers && listMergeStrategy(containers); // { strategy: "merge", key: "name", retainKeys: false }
 * ```
 */
export function listMergeStrategy(node: SchemaNode): {
  strategy: "merge" | "replace";
  key?: string;
  retainKeys: boolean;
} {
  const parts = (node.patchStrategy ?? "").split(",");
  const retainKeys = parts.includes("retainKeys");
  if (!parts.includes("merge")) return { strategy: "replace", retainKeys };
  return node.patchMergeKey === undefined
    ? { strategy: "merge", retainKeys }
    : { strategy: "merge", key: node.patchMergeKey, retainKeys };
}
