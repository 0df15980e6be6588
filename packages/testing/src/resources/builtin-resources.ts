/**
 * The built-in resources the fake cluster serves: every kind of Kubernetes 1.34 (alpha and beta versions
 * included), from `@kubeshift/types/catalog`, plus `authentication.k8s.io/v1beta1` SelfSubjectReview, which 1.34 no
 * longer serves but kubectl before 1.28 asks for (`kubectl auth whoami`).
 *
 * @module
 */
import type { ResourceDescriptor } from "@kubeshift/types";
import { kubernetesResources } from "@kubeshift/types/catalog";

let cached: readonly ResourceDescriptor[] | undefined;

/** Descriptors of every built-in resource. */
export function builtinResources(): readonly ResourceDescriptor[] {
  if (cached !== undefined) return cached;
  const review = kubernetesResources.find(
    (d) => d.group === "authentication.k8s.io" && d.version === "v1" && d.plural === "selfsubjectreviews",
  );
  cached =
    review === undefined
      ? kubernetesResources
      : [
          ...kubernetesResources,
          {
            ...review,
            version: "v1beta1",
            apiVersion: "authentication.k8s.io/v1beta1",
            apiPath: "/apis/authentication.k8s.io/v1beta1",
          },
        ];
  return cached;
}
