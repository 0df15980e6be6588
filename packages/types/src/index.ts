/**
 * Types and runtime descriptors for Kubernetes and OpenShift resources. The generated kinds are imported by
 * group/version subpath (`@kubeshift/types/core/v1`, `@kubeshift/types/route.openshift.io/v1`, …); this entry holds
 * the descriptor contract every module shares, the lookups over descriptors, and the shape of the structural schema
 * (`@kubeshift/types/schema`).
 *
 * @example
 * ```ts
 * import type { ResourceDescriptor } from "@kubeshift/types";
 * import { Pod } from "@kubeshift/types/core/v1";
 * const d: ResourceDescriptor = Pod;
 * ```
 *
 * @module
 */
export {
  type DefineResourceOptions,
  defineResource,
  type ListOf,
  type ObjectOf,
  type ResourceDescriptor,
  type Verb,
} from "./descriptor.ts";
export {
  createResourceIndex,
  type FindByKindOptions,
  type ResourceIndex,
  type ResourceSource,
} from "./resource-index.ts";
export {
  type DefinitionLookupOptions,
  definitionNameOf,
  fieldOf,
  listMergeStrategy,
  resolveNode,
  type SchemaAny,
  type SchemaArray,
  type SchemaBoolean,
  type SchemaExtensions,
  type SchemaIntOrString,
  type SchemaMap,
  type SchemaNode,
  type SchemaNumber,
  type SchemaObject,
  type SchemaOneOf,
  type SchemaQuantity,
  type SchemaRef,
  type SchemaString,
  type StructuralSchema,
} from "./structural-schema.ts";
