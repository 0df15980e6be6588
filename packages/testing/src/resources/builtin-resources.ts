/**
 * The built-in resources the fake cluster serves: every kind of Kubernetes 1.34.
 *
 * @module
 */
import type { ResourceDescriptor } from "@kubeshift/types";
import { placeholderResources } from "./_placeholder-catalog.ts";

/** Descriptors of every built-in resource. */
export function builtinResources(): readonly ResourceDescriptor[] {
  return placeholderResources;
}
