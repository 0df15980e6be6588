/**
 * Types and runtime descriptors for Kubernetes and OpenShift resources. The generated kinds are imported by
 * group/version subpath (`@kubeshift/types/core/v1`, `@kubeshift/types/route.openshift.io/v1`, …); this entry holds
 * the descriptor contract every module shares.
 *
 * @example
 * ```ts
 * import type { ResourceDescriptor } from "@kubeshift/types";
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
