/**
 * The accepted differences between the generated descriptors (Kubernetes 1.34, OpenShift 4.x, legacy origin 1.5)
 * and the discovery documents the recorded servers (Kubernetes 1.20.2, OpenShift 3.11.0) answered. Every entry
 * names one resource, one field and why it differs; the cross-check test fails on any difference not listed here and
 * on any entry that no longer matches a difference. The README table is written from this list.
 *
 * @module
 */
import type { DiscoveryDifference } from "./discovery-cross-check.ts";

/** One accepted difference. */
export interface DiscoveryException {
  server: DiscoveryDifference["server"];
  apiPath: string;
  plural: string;
  field: DiscoveryDifference["field"];
  /** Why the difference is right. */
  reason: string;
}

const K120 = "kubernetes-v1.20.2";
const OS311 = "openshift-v3.11.0";

/** Resources of a group/version that Kubernetes stopped serving before 1.34, one exception per resource. */
function removed(
  server: string,
  apiPath: string,
  plurals: string[],
  version: string,
  instead: string,
): DiscoveryException[] {
  return plurals.map((plural) => ({
    server,
    apiPath,
    plural,
    field: "descriptor",
    reason: `${apiPath.slice(6)} ${plural} is no longer served: removed in Kubernetes ${version}; ${instead}`,
  }));
}

const both = (f: (server: string) => DiscoveryException[]): DiscoveryException[] => [...f(K120), ...f(OS311)];

/** Every accepted difference. */
export const DISCOVERY_EXCEPTIONS: readonly DiscoveryException[] = [
  ...[K120, OS311].map(
    (server): DiscoveryException => ({
      server,
      apiPath: "/api/v1",
      plural: "services",
      field: "verbs",
      reason:
        "Kubernetes 1.34 serves deletecollection on services (DELETE /api/v1/namespaces/{namespace}/services is in the 1.34 paths); 1.20 and 1.11 did not",
    }),
  ),
  {
    server: OS311,
    apiPath: "/api/v1",
    plural: "securitycontextconstraints",
    field: "descriptor",
    reason:
      "OpenShift 3.x also served SecurityContextConstraints in the core group; Kubernetes core v1 has no such resource: use security.openshift.io/v1 SecurityContextConstraints",
  },
  ...both((s) =>
    removed(
      s,
      "/apis/admissionregistration.k8s.io/v1beta1",
      ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
      "1.22",
      "admissionregistration.k8s.io/v1 has them",
    ),
  ),
  ...both((s) =>
    removed(
      s,
      "/apis/apiextensions.k8s.io/v1beta1",
      ["customresourcedefinitions"],
      "1.22",
      "apiextensions.k8s.io/v1 has it",
    ),
  ),
  ...both((s) =>
    removed(s, "/apis/apiregistration.k8s.io/v1beta1", ["apiservices"], "1.22", "apiregistration.k8s.io/v1 has it"),
  ),
  ...both((s) =>
    removed(s, "/apis/authentication.k8s.io/v1beta1", ["tokenreviews"], "1.22", "authentication.k8s.io/v1 has it"),
  ),
  ...both((s) =>
    removed(
      s,
      "/apis/authorization.k8s.io/v1beta1",
      ["localsubjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews"],
      "1.22",
      "authorization.k8s.io/v1 has them",
    ),
  ),
  ...both((s) =>
    removed(s, "/apis/autoscaling/v2beta1", ["horizontalpodautoscalers"], "1.25", "autoscaling/v2 has it"),
  ),
  ...removed(K120, "/apis/autoscaling/v2beta2", ["horizontalpodautoscalers"], "1.26", "autoscaling/v2 has it"),
  ...both((s) => removed(s, "/apis/batch/v1beta1", ["cronjobs"], "1.25", "batch/v1 has it")),
  ...both((s) =>
    removed(
      s,
      "/apis/certificates.k8s.io/v1beta1",
      ["certificatesigningrequests"],
      "1.22",
      "certificates.k8s.io/v1 has it",
    ),
  ),
  ...removed(K120, "/apis/coordination.k8s.io/v1beta1", ["leases"], "1.22", "coordination.k8s.io/v1 has it"),
  ...removed(K120, "/apis/discovery.k8s.io/v1beta1", ["endpointslices"], "1.25", "discovery.k8s.io/v1 has it"),
  ...both((s) => removed(s, "/apis/events.k8s.io/v1beta1", ["events"], "1.25", "events.k8s.io/v1 has it")),
  ...both((s) => removed(s, "/apis/extensions/v1beta1", ["ingresses"], "1.22", "networking.k8s.io/v1 has it")),
  ...removed(
    OS311,
    "/apis/extensions/v1beta1",
    ["daemonsets", "deployments", "replicasets"],
    "1.16",
    "apps/v1 has them",
  ),
  ...removed(OS311, "/apis/extensions/v1beta1", ["networkpolicies"], "1.16", "networking.k8s.io/v1 has it"),
  ...removed(
    OS311,
    "/apis/extensions/v1beta1",
    ["podsecuritypolicies"],
    "1.16",
    "PodSecurityPolicy itself was removed in 1.25",
  ),
  ...removed(
    OS311,
    "/apis/extensions/v1beta1",
    ["replicationcontrollers"],
    "1.16",
    "the kind was ReplicationControllerDummy, which only carried the scale subresource; core v1 replicationcontrollers has scale",
  ),
  ...both((s) => removed(s, "/apis/policy/v1beta1", ["poddisruptionbudgets"], "1.25", "policy/v1 has it")),
  ...both((s) =>
    removed(
      s,
      "/apis/policy/v1beta1",
      ["podsecuritypolicies"],
      "1.25",
      "PodSecurityPolicy has no successor (Pod Security Admission replaced it)",
    ),
  ),
  ...removed(
    K120,
    "/apis/flowcontrol.apiserver.k8s.io/v1beta1",
    ["flowschemas", "prioritylevelconfigurations"],
    "1.26",
    "flowcontrol.apiserver.k8s.io/v1 has them",
  ),
  ...removed(
    K120,
    "/apis/networking.k8s.io/v1beta1",
    ["ingressclasses", "ingresses"],
    "1.22",
    "networking.k8s.io/v1 has them",
  ),
  ...removed(K120, "/apis/node.k8s.io/v1beta1", ["runtimeclasses"], "1.25", "node.k8s.io/v1 has it"),
  ...both((s) =>
    removed(
      s,
      "/apis/rbac.authorization.k8s.io/v1beta1",
      ["clusterrolebindings", "clusterroles", "rolebindings", "roles"],
      "1.22",
      "rbac.authorization.k8s.io/v1 has them",
    ),
  ),
  ...both((s) =>
    removed(s, "/apis/scheduling.k8s.io/v1beta1", ["priorityclasses"], "1.22", "scheduling.k8s.io/v1 has it"),
  ),
  ...removed(
    K120,
    "/apis/storage.k8s.io/v1beta1",
    ["csidrivers", "csinodes", "storageclasses", "volumeattachments"],
    "1.22",
    "storage.k8s.io/v1 has them",
  ),
  ...removed(
    OS311,
    "/apis/storage.k8s.io/v1beta1",
    ["storageclasses", "volumeattachments"],
    "1.22",
    "storage.k8s.io/v1 has them",
  ),
  ...removed(
    OS311,
    "/apis/apps/v1beta1",
    ["controllerrevisions", "deployments", "statefulsets"],
    "1.16",
    "apps/v1 has them",
  ),
  ...removed(
    OS311,
    "/apis/apps/v1beta2",
    ["controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"],
    "1.16",
    "apps/v1 has them",
  ),
];
