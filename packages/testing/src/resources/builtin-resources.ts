/**
 * The built-in resources the fake cluster serves: every kind of Kubernetes 1.34 (alpha and beta versions
 * included), from `@kubeshift/types/catalog`.
 *
 * @module
 */
import type { ResourceDescriptor } from "@kubeshift/types";
import { kubernetesResources } from "@kubeshift/types/catalog";

/** Descriptors of every built-in resource. */
export function builtinResources(): readonly ResourceDescriptor[] {
  return kubernetesResources;
}
