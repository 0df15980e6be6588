/**
 * The few built-in descriptors the client's own conveniences need (logs, eviction, service accounts, role bindings,
 * projects). Kept here rather than imported from `@kubeshift/types` so that a program using only the verbs does not
 * bundle a whole generated group.
 *
 * @module
 */
import { defineResource, type ResourceDescriptor } from "@kubeshift/types";
import type { KubeObject } from "./kube-object.ts";

/** core/v1 pods. */
export const PodResource: ResourceDescriptor<KubeObject> = defineResource({
  group: "",
  version: "v1",
  kind: "Pod",
  plural: "pods",
  namespaced: true,
  subresources: ["status", "log", "eviction"],
});

/** core/v1 serviceaccounts. */
export const ServiceAccountResource: ResourceDescriptor<KubeObject> = defineResource({
  group: "",
  version: "v1",
  kind: "ServiceAccount",
  plural: "serviceaccounts",
  namespaced: true,
  subresources: ["token"],
});

/** rbac.authorization.k8s.io/v1 rolebindings. */
export const RoleBindingResource: ResourceDescriptor<KubeObject> = defineResource({
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "RoleBinding",
  plural: "rolebindings",
  namespaced: true,
});

/** rbac.authorization.k8s.io/v1 clusterroles. */
export const ClusterRoleResource: ResourceDescriptor<KubeObject> = defineResource({
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "ClusterRole",
  plural: "clusterroles",
  namespaced: false,
});

/** rbac.authorization.k8s.io/v1 roles. */
export const RoleResource: ResourceDescriptor<KubeObject> = defineResource({
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "Role",
  plural: "roles",
  namespaced: true,
});
