/**
 * The behaviour of each built-in resource, by `<group>/<plural>`; resources not listed are generic objects.
 *
 * @module
 */
import {
  configMapBehavior,
  IpAllocator,
  namespaceBehavior,
  secretBehavior,
  serviceBehavior,
} from "./core-behaviors.ts";
import { crdBehavior } from "./crd-behavior.ts";
import { podBehavior } from "./pod-behavior.ts";
import type { ResourceBehavior } from "./resource-behavior.ts";
import {
  cronJobBehavior,
  daemonSetBehavior,
  deploymentBehavior,
  jobBehavior,
  replicaSetBehavior,
  replicationControllerBehavior,
  statefulSetBehavior,
} from "./workload-behaviors.ts";

const RBAC_NAMES: ResourceBehavior = { nameRule: "path-segment" };

/** Builds the behaviour table of one cluster (behaviours with state, like IP allocation, are per cluster). */
export function builtinBehaviors(ips: IpAllocator = new IpAllocator()): ReadonlyMap<string, ResourceBehavior> {
  return new Map<string, ResourceBehavior>([
    ["/namespaces", namespaceBehavior],
    ["/pods", podBehavior],
    ["/services", serviceBehavior(ips)],
    ["/configmaps", configMapBehavior],
    ["/secrets", secretBehavior],
    ["/replicationcontrollers", replicationControllerBehavior],
    ["apps/deployments", deploymentBehavior],
    ["apps/replicasets", replicaSetBehavior],
    ["apps/statefulsets", statefulSetBehavior],
    ["apps/daemonsets", daemonSetBehavior],
    ["batch/jobs", jobBehavior],
    ["batch/cronjobs", cronJobBehavior],
    ["apiextensions.k8s.io/customresourcedefinitions", crdBehavior],
    ["rbac.authorization.k8s.io/roles", RBAC_NAMES],
    ["rbac.authorization.k8s.io/clusterroles", RBAC_NAMES],
    ["rbac.authorization.k8s.io/rolebindings", RBAC_NAMES],
    ["rbac.authorization.k8s.io/clusterrolebindings", RBAC_NAMES],
  ]);
}
