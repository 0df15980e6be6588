/**
 * The default RBAC policy a fresh cluster starts with: the ClusterRoles and ClusterRoleBindings of kube-apiserver's
 * bootstrap policy that matter to clients (`cluster-admin`, the aggregated `admin`/`edit`/`view`, `system:basic-user`,
 * `system:discovery`, `system:public-info-viewer`, `system:service-account-issuer-discovery`), and on OpenShift the
 * roles of its own kinds (`self-provisioner`, `system:image-signer`, `system:image-puller`, `system:image-builder`,
 * `system:deployer`, the OpenShift parts of `admin`/`edit`/`view` under both the legacy `""` group and
 * `*.openshift.io`).
 *
 * @module
 */
import type { KubeObject } from "../resources/kube-object.ts";
import type { PolicyRule } from "./_policy-rule.ts";

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const ALL = [...WRITE.slice(0, 3), "get", "list", "patch", "update", "watch"];
const RBAC_GROUP = "rbac.authorization.k8s.io";
const AGGREGATE = `${RBAC_GROUP}/aggregate-to-`;

function rule(apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): PolicyRule {
  return { apiGroups, resources, verbs, ...(resourceNames === undefined ? {} : { resourceNames }) };
}

function paths(urls: string[], verbs: string[] = ["get"]): PolicyRule {
  return { nonResourceURLs: urls, verbs };
}

/** The same rule for the legacy `/oapi/v1` group `""` and the OpenShift group. */
function both(group: string, resources: string[], verbs: string[], resourceNames?: string[]): PolicyRule[] {
  return [rule(["", group], resources, verbs, resourceNames)];
}

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRole",
    metadata: {
      name,
      labels: { "kubernetes.io/bootstrapping": "rbac-defaults", ...extra.labels },
      annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
    },
    ...(extra.aggregateFrom === undefined
      ? {}
      : {
          aggregationRule: {
            clusterRoleSelectors: [{ matchLabels: { [`${AGGREGATE}${extra.aggregateFrom}`]: "true" } }],
          },
        }),
    rules,
  };
}

function clusterRoleBinding(name: string, role: string, subjects: { kind: string; name: string }[]): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRoleBinding",
    metadata: {
      name,
      labels: { "kubernetes.io/bootstrapping": "rbac-defaults" },
      annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
    },
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: role },
    subjects: subjects.map((s) => ({ apiGroup: RBAC_GROUP, ...s })),
  };
}

function kubernetesView(): PolicyRule[] {
  return [
    rule(
      [""],
      [
        "configmaps",
        "endpoints",
        "persistentvolumeclaims",
        "persistentvolumeclaims/status",
        "pods",
        "replicationcontrollers",
        "replicationcontrollers/scale",
        "serviceaccounts",
        "services",
        "services/status",
      ],
      READ,
    ),
    rule(
      [""],
      [
        "bindings",
        "events",
        "limitranges",
        "namespaces/status",
        "pods/log",
        "pods/status",
        "replicationcontrollers/status",
        "resourcequotas",
        "resourcequotas/status",
      ],
      READ,
    ),
    rule([""], ["namespaces"], READ),
    rule(["discovery.k8s.io"], ["endpointslices"], READ),
    rule(
      ["apps"],
      [
        "controllerrevisions",
        "daemonsets",
        "daemonsets/status",
        "deployments",
        "deployments/scale",
        "deployments/status",
        "replicasets",
        "replicasets/scale",
        "replicasets/status",
        "statefulsets",
        "statefulsets/scale",
        "statefulsets/status",
      ],
      READ,
    ),
    rule(["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], READ),
    rule(["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], READ),
    rule(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], READ),
    rule(["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"], READ),
  ];
}

function kubernetesEdit(): PolicyRule[] {
  return [
    rule([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], READ),
    rule([""], ["serviceaccounts"], ["impersonate"]),
    rule([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], WRITE),
    rule([""], ["pods/eviction"], ["create"]),
    rule(
      [""],
      [
        "configmaps",
        "events",
        "persistentvolumeclaims",
        "replicationcontrollers",
        "replicationcontrollers/scale",
        "secrets",
        "serviceaccounts",
        "services",
        "services/proxy",
      ],
      WRITE,
    ),
    rule([""], ["serviceaccounts/token"], ["create"]),
    rule(
      ["apps"],
      [
        "daemonsets",
        "deployments",
        "deployments/rollback",
        "deployments/scale",
        "replicasets",
        "replicasets/scale",
        "statefulsets",
        "statefulsets/scale",
      ],
      WRITE,
    ),
    rule(["autoscaling"], ["horizontalpodautoscalers"], WRITE),
    rule(["batch"], ["cronjobs", "jobs"], WRITE),
    rule(["policy"], ["poddisruptionbudgets"], WRITE),
    rule(["networking.k8s.io"], ["ingresses", "networkpolicies"], WRITE),
    rule(["discovery.k8s.io"], ["endpointslices"], WRITE),
  ];
}

function kubernetesAdmin(): PolicyRule[] {
  return [
    rule(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
    rule([RBAC_GROUP], ["rolebindings", "roles"], ALL),
  ];
}

function openshiftView(): PolicyRule[] {
  return [
    ...both("build.openshift.io", ["buildconfigs", "buildconfigs/webhooks", "builds", "builds/log"], READ),
    ...both(
      "apps.openshift.io",
      ["deploymentconfigs", "deploymentconfigs/log", "deploymentconfigs/scale", "deploymentconfigs/status"],
      READ,
    ),
    ...both(
      "image.openshift.io",
      [
        "imagestreamimages",
        "imagestreammappings",
        "imagestreams",
        "imagestreams/status",
        "imagestreamtags",
        "imagetags",
      ],
      READ,
    ),
    ...both("image.openshift.io", ["imagestreams/layers"], ["get"]),
    ...both("route.openshift.io", ["routes", "routes/status"], READ),
    ...both("template.openshift.io", ["processedtemplates", "templateconfigs", "templateinstances", "templates"], READ),
    ...both("quota.openshift.io", ["appliedclusterresourcequotas"], READ),
    ...both("project.openshift.io", ["projects"], ["get"]),
  ];
}

function openshiftEdit(): PolicyRule[] {
  return [
    ...both("build.openshift.io", ["buildconfigs", "buildconfigs/webhooks", "builds"], WRITE),
    ...both(
      "build.openshift.io",
      ["buildconfigs/instantiate", "buildconfigs/instantiatebinary", "builds/clone"],
      ["create"],
    ),
    ...both("build.openshift.io", ["builds/details"], ["update"]),
    ...both("apps.openshift.io", ["deploymentconfigs", "deploymentconfigs/scale"], WRITE),
    ...both(
      "apps.openshift.io",
      ["deploymentconfigrollbacks", "deploymentconfigs/instantiate", "deploymentconfigs/rollback"],
      ["create"],
    ),
    ...both(
      "image.openshift.io",
      ["imagestreamimages", "imagestreammappings", "imagestreams", "imagestreamtags", "imagetags"],
      WRITE,
    ),
    ...both("image.openshift.io", ["imagestreams/secrets"], READ),
    ...both("image.openshift.io", ["imagestreamimports"], ["create"]),
    ...both("image.openshift.io", ["imagestreams/layers"], ["get", "update"]),
    ...both("route.openshift.io", ["routes"], WRITE),
    ...both("route.openshift.io", ["routes/custom-host"], ["create"]),
    ...both(
      "template.openshift.io",
      ["processedtemplates", "templateconfigs", "templateinstances", "templates"],
      WRITE,
    ),
  ];
}

function openshiftAdmin(): PolicyRule[] {
  return [
    ...both(
      "authorization.openshift.io",
      ["localresourceaccessreviews", "localsubjectaccessreviews", "resourceaccessreviews", "subjectaccessreviews"],
      ["create"],
    ),
    ...both("authorization.openshift.io", ["rolebindings", "roles"], ALL),
    ...both("project.openshift.io", ["projects"], ["delete", "get", "patch", "update"]),
  ];
}

/**
 * The bootstrap ClusterRoles and ClusterRoleBindings.
 *
 * @param options `openshift`: add the OpenShift roles and bindings
 * @returns the objects, in the order they are created
 */
export function bootstrapPolicy(options: { openshift: boolean }): KubeObject[] {
  const os = options.openshift;
  const discoveryPaths = [
    "/api",
    "/api/*",
    "/apis",
    "/apis/*",
    "/healthz",
    "/livez",
    "/openapi",
    "/openapi/*",
    "/readyz",
    "/version",
    "/version/",
  ];
  const basicUser: PolicyRule[] = [
    rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]),
    rule(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"]),
    ...(os
      ? [
          ...both("user.openshift.io", ["users"], ["get"], ["~"]),
          ...both("project.openshift.io", ["projectrequests"], ["list"]),
          ...both("project.openshift.io", ["projects"], ["list", "watch"]),
          ...both("authorization.openshift.io", ["selfsubjectrulesreviews"], ["create"]),
          ...both("authorization.openshift.io", ["clusterroles"], ["get", "list"]),
          rule([RBAC_GROUP], ["clusterroles"], READ),
          rule(["storage.k8s.io"], ["storageclasses"], ["get", "list"]),
        ]
      : []),
  ];
  const objects: KubeObject[] = [
    clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"]), paths(["*"], ["*"])]),
    clusterRole("admin", [], { aggregateFrom: "admin" }),
    clusterRole("edit", [], { aggregateFrom: "edit", labels: { [`${AGGREGATE}admin`]: "true" } }),
    clusterRole("view", [], { aggregateFrom: "view", labels: { [`${AGGREGATE}edit`]: "true" } }),
    clusterRole("system:aggregate-to-admin", kubernetesAdmin(), { labels: { [`${AGGREGATE}admin`]: "true" } }),
    clusterRole("system:aggregate-to-edit", kubernetesEdit(), { labels: { [`${AGGREGATE}edit`]: "true" } }),
    clusterRole("system:aggregate-to-view", kubernetesView(), { labels: { [`${AGGREGATE}view`]: "true" } }),
    clusterRole("system:basic-user", basicUser),
    clusterRole("system:discovery", [paths(discoveryPaths)]),
    clusterRole("system:public-info-viewer", [paths(["/healthz", "/livez", "/readyz", "/version", "/version/"])]),
    clusterRole("system:service-account-issuer-discovery", [
      paths([
        "/.well-known/openid-configuration",
        "/.well-known/openid-configuration/",
        "/openid/v1/jwks",
        "/openid/v1/jwks/",
      ]),
    ]),
    clusterRoleBinding("cluster-admin", "cluster-admin", [{ kind: "Group", name: "system:masters" }]),
    clusterRoleBinding("system:basic-user", "system:basic-user", [{ kind: "Group", name: "system:authenticated" }]),
    clusterRoleBinding("system:discovery", "system:discovery", [{ kind: "Group", name: "system:authenticated" }]),
    clusterRoleBinding("system:public-info-viewer", "system:public-info-viewer", [
      { kind: "Group", name: "system:authenticated" },
      { kind: "Group", name: "system:unauthenticated" },
    ]),
    clusterRoleBinding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", [
      { kind: "Group", name: "system:serviceaccounts" },
    ]),
  ];
  if (!os) return objects;
  objects.push(
    clusterRole("system:openshift:aggregate-to-admin", openshiftAdmin(), {
      labels: { [`${AGGREGATE}admin`]: "true" },
    }),
    clusterRole("system:openshift:aggregate-to-edit", openshiftEdit(), { labels: { [`${AGGREGATE}edit`]: "true" } }),
    clusterRole("system:openshift:aggregate-to-view", openshiftView(), { labels: { [`${AGGREGATE}view`]: "true" } }),
    clusterRole("self-provisioner", both("project.openshift.io", ["projectrequests"], ["create"])),
    clusterRole("system:image-signer", [
      ...both("image.openshift.io", ["images", "imagestreams/layers"], ["get", "update"]),
      ...both("image.openshift.io", ["imagesignatures"], ["create", "delete"]),
    ]),
    clusterRole("system:image-puller", both("image.openshift.io", ["imagestreams/layers"], ["get"])),
    clusterRole("system:image-builder", [
      ...both("image.openshift.io", ["imagestreams/layers"], ["get", "update"]),
      ...both("image.openshift.io", ["imagestreams"], ["create"]),
      ...both("build.openshift.io", ["builds/details"], ["update"]),
      ...both("build.openshift.io", ["builds"], ["get"]),
    ]),
    clusterRole("system:deployer", [
      rule([""], ["replicationcontrollers"], ["delete", "get", "list", "patch", "update", "watch"]),
      rule([""], ["replicationcontrollers/scale"], ["get", "update"]),
      rule([""], ["pods"], READ),
      rule([""], ["pods/log"], ["get"]),
      rule([""], ["events"], ["create", "list"]),
      ...both("image.openshift.io", ["imagestreamtags", "imagetags"], ["create", "update"]),
    ]),
    clusterRole("system:openshift:discovery", [
      paths(["/.well-known", "/.well-known/*", "/oapi", "/oapi/*", "/version/openshift"]),
    ]),
    clusterRoleBinding("system:openshift:discovery", "system:openshift:discovery", [
      { kind: "Group", name: "system:authenticated" },
    ]),
    clusterRole("sudoer", [rule(["", "user.openshift.io"], ["systemusers"], ["impersonate"], ["system:admin"])]),
    clusterRoleBinding("self-provisioners", "self-provisioner", [
      { kind: "Group", name: "system:authenticated:oauth" },
    ]),
    clusterRoleBinding("cluster-admins", "cluster-admin", [{ kind: "Group", name: "system:cluster-admins" }]),
  );
  return objects;
}
