/**
 * The generator's intermediate model: every input (OpenAPI v2, OpenAPI v3, CustomResourceDefinitions) is read into
 * these shapes first, so that the emitters never see the differences between the input formats.
 *
 * @module
 */

/** List and map extensions of the Kubernetes OpenAPI dialect, as they apply to one schema node. */
export interface NodeExtensions {
  /** `x-kubernetes-list-type`: `atomic`, `set` or `map`. */
  listType?: string;
  /** `x-kubernetes-list-map-keys`. */
  listMapKeys?: string[];
  /** `x-kubernetes-map-type`: `atomic` or `granular`. */
  mapType?: string;
  /** `x-kubernetes-patch-strategy`, such as `merge` or `merge,retainKeys`. */
  patchStrategy?: string;
  /** `x-kubernetes-patch-merge-key`. */
  patchMergeKey?: string;
  /** `x-kubernetes-preserve-unknown-fields: true`. */
  preserveUnknownFields?: boolean;
  /** `x-kubernetes-embedded-resource: true`. */
  embeddedResource?: boolean;
  /** `nullable: true` (OpenAPI v3 and CRD schemas). */
  nullable?: boolean;
}

/** A scalar, reference, container or inline object type, with its documentation and extensions. */
export type TypeNode = (
  | { kind: "ref"; ref: string }
  | { kind: "string"; format?: string; enum?: string[] }
  | { kind: "integer"; format?: string; enum?: number[] }
  | { kind: "number"; format?: string }
  | { kind: "boolean" }
  | { kind: "int-or-string" }
  | { kind: "quantity" }
  | { kind: "array"; items: TypeNode }
  | { kind: "map"; values: TypeNode }
  | { kind: "object"; properties: Record<string, TypeNode>; required: string[] }
  | { kind: "union"; of: TypeNode[] }
  | { kind: "unknown" }
) & { description?: string; ext?: NodeExtensions };

/** Group, version and kind. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** A named schema of the input (`io.k8s.api.core.v1.Pod`). */
export interface Definition {
  name: string;
  type: TypeNode;
  /** `x-kubernetes-group-version-kind` of the definition, empty when it has none. */
  gvks: GroupVersionKind[];
}

/** One HTTP operation of the input's paths. */
export interface Operation {
  path: string;
  method: "get" | "put" | "post" | "patch" | "delete";
  /** `x-kubernetes-action`, when the spec has it. */
  action?: string;
  /** `x-kubernetes-group-version-kind`, when the spec has it. */
  gvk?: GroupVersionKind;
  /** Definition named by the 200/201 response schema. */
  responseRef?: string;
  /** Definition named by the request body schema. */
  bodyRef?: string;
}

/** What one input file holds once read. */
export interface ApiModel {
  /** Where it came from, for messages. */
  source: string;
  definitions: Map<string, Definition>;
  operations: Operation[];
}

/** A REST resource as discovery would describe it. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular?: string;
  namespaced: boolean;
  verbs: string[];
  subresources: string[];
  /** Definition of the object type. */
  definition?: string;
  /** Definition of the list type, when the resource can be listed. */
  listDefinition?: string;
  listKind: string;
  shortNames?: string[];
  categories?: string[];
  /** `/api/v1`, `/apis/<group>/<version>` or `/oapi/v1`. */
  apiPath: string;
}
