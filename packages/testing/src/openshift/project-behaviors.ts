/**
 * Projects and project requests. A Project is a view of a Namespace (its `openshift.io/*` annotations, finalizers and
 * phase): reading one needs the rights the namespace's role bindings give (OpenShift authorizes a project as its
 * namespace), listing shows only the namespaces the caller may `get`, deleting one deletes the namespace (409 while it
 * terminates). A ProjectRequest is self-provisioning: it makes the namespace with the requester's annotations, binds
 * the requester to `admin`, and adds the role bindings and service accounts OpenShift's project template and
 * controllers add (`builder`, `deployer`, and `default` from the namespace controller).
 *
 * @module
 */

import { dns1123Label } from "../registry/name-validation.ts";
import type { Registry, WriteContext } from "../registry/registry.ts";
import type { ResourceBehavior, VerbRequest, VerbResult } from "../registry/resource-behavior.ts";
import { cloneJson, isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import { parseLabelSelector } from "../selectors/label-selector.ts";
import { alreadyExists, badRequest, conflict, forbidden, invalid, notFound } from "../server/status-error.ts";

type Json = Record<string, unknown>;

const PROJECT = { group: "project.openshift.io", resource: "project" };
const NAMESPACES = { group: "", resource: "namespaces" };
const CONTROLLER: WriteContext = {
  user: { name: "system:serviceaccount:openshift-infra:project-controller", groups: ["system:masters"] },
  dryRun: false,
  fieldManager: "openshift-apiserver",
};
const RBAC = "rbac.authorization.k8s.io";

/** What the project behaviours need. */
export interface ProjectContext {
  readonly registry: () => Registry;
}

function namespaces(registry: Registry): ServedResource {
  const r = registry.table.lookup("/api/v1", "namespaces");
  if (r === undefined) throw new Error("namespaces are not served");
  return r;
}

/** The Project view of a Namespace. */
export function projectOf(ns: KubeObject, resource: ServedResource): KubeObject {
  const { managedFields: _m, ...meta } = cloneJson(ns.metadata ?? {});
  return {
    kind: "Project",
    apiVersion: resource.apiVersion,
    metadata: meta,
    spec: cloneJson(ns.spec ?? {}),
    status: cloneJson(ns.status ?? {}),
  };
}

async function mayGet(request: VerbRequest, namespace: string): Promise<boolean> {
  const decision = await request.authorize({
    user: request.user,
    verb: "get",
    isResourceRequest: true,
    path: "",
    apiGroup: "",
    apiVersion: "v1",
    namespace,
    resource: "namespaces",
    subresource: "",
    name: namespace,
  });
  return decision.allowed;
}

/** Applies a Project's metadata (labels and annotations) to its namespace. */
function updateNamespaceFrom(registry: Registry, request: VerbRequest, project: Json): VerbResult {
  const nsResource = namespaces(registry);
  const entry = registry.find(nsResource, "", request.name);
  if (entry === undefined) throw notFound(NAMESPACES, request.name);
  const meta = isPlainObject(project.metadata) ? project.metadata : {};
  const next = cloneJson(entry.object);
  next.metadata = {
    ...next.metadata,
    labels: (meta.labels as Record<string, string> | undefined) ?? {},
    annotations: (meta.annotations as Record<string, string> | undefined) ?? {},
    ...(typeof meta.resourceVersion === "string" && meta.resourceVersion !== ""
      ? { resourceVersion: meta.resourceVersion }
      : {}),
  };
  const result = registry.updateFrom(nsResource, entry, next, {
    user: request.user,
    dryRun: request.dryRun,
    fieldManager: "openshift-apiserver",
  });
  return { status: 200, object: projectOf(result.object, request.resource) };
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Json = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function projectBehavior(ctx: ProjectContext): ResourceBehavior {
  return {
    verbs: {
      get(request) {
        const reg = ctx.registry();
        const ns = reg.find(namespaces(reg), "", request.name);
        if (ns === undefined) throw notFound(NAMESPACES, request.name);
        return { status: 200, object: projectOf(ns.object, request.resource) };
      },
      async list(request) {
        const reg = ctx.registry();
        const selectorText = request.query.get("labelSelector") ?? "";
        const selector = selectorText === "" ? undefined : parseLabelSelector(selectorText);
        const items: KubeObject[] = [];
        for (const e of reg.storage.list(namespaces(reg).storageKey).items) {
          if (selector !== undefined && !selector.matches(e.object.metadata?.labels)) continue;
          if (!(await mayGet(request, e.name))) continue;
          const { kind: _k, apiVersion: _a, ...item } = projectOf(e.object, request.resource);
          items.push(item as KubeObject);
        }
        return {
          status: 200,
          object: {
            kind: "ProjectList",
            apiVersion: request.resource.apiVersion,
            metadata: { resourceVersion: String(reg.storage.rv) },
            items,
          },
        };
      },
      watch() {
        throw badRequest("the fake cluster does not serve watches of projects: watch namespaces instead");
      },
      create(request) {
        const reg = ctx.registry();
        const body = isPlainObject(request.body) ? request.body : {};
        const meta = isPlainObject(body.metadata) ? body.metadata : {};
        const result = reg.create(
          namespaces(reg),
          "",
          { apiVersion: "v1", kind: "Namespace", metadata: { ...meta } as NonNullable<KubeObject["metadata"]> },
          { user: request.user, dryRun: request.dryRun, fieldManager: "openshift-apiserver" },
        );
        return { status: 201, object: projectOf(result.object, request.resource) };
      },
      delete(request) {
        const reg = ctx.registry();
        const nsResource = namespaces(reg);
        const ns = reg.find(nsResource, "", request.name);
        if (ns === undefined) throw notFound(NAMESPACES, request.name);
        if (ns.object.metadata?.deletionTimestamp !== undefined)
          throw conflict(
            NAMESPACES,
            request.name,
            "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.",
          );
        reg.delete(
          nsResource,
          "",
          request.name,
          {},
          {
            user: request.user,
            dryRun: request.dryRun,
            fieldManager: "openshift-apiserver",
          },
        );
        return { status: 200, object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" } };
      },
      update(request) {
        return updateNamespaceFrom(ctx.registry(), request, isPlainObject(request.body) ? request.body : {});
      },
      patch(request) {
        const reg = ctx.registry();
        const ns = reg.find(namespaces(reg), "", request.name);
        if (ns === undefined) throw notFound(NAMESPACES, request.name);
        if (!/merge-patch\+json|strategic-merge-patch\+json/.test(request.contentType))
          throw badRequest("projects take merge and strategic merge patches of their metadata");
        const patched = mergePatch(projectOf(ns.object, request.resource), request.body) as Json;
        return updateNamespaceFrom(reg, request, patched);
      },
    },
  };
}

function binding(namespace: string, name: string, role: string, subjects: Json[], description?: string): KubeObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: "RoleBinding",
    metadata: {
      name,
      namespace,
      ...(description === undefined ? {} : { annotations: { "openshift.io/description": description } }),
    },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: role },
    subjects,
  };
}

function projectRequestBehavior(ctx: ProjectContext): ResourceBehavior {
  let allocated = 0;
  return {
    verbs: {
      list: () => ({ status: 200, object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" } }),
      create(request) {
        const reg = ctx.registry();
        const body = isPlainObject(request.body) ? request.body : {};
        const meta = isPlainObject(body.metadata) ? body.metadata : {};
        const name = typeof meta.name === "string" ? meta.name : "";
        const kind = { group: "project.openshift.io", kind: "ProjectRequest" };
        if (name === "")
          throw invalid(kind, "", [
            { reason: "FieldValueRequired", field: "metadata.name", detail: "name or generateName is required" },
          ]);
        const problems = dns1123Label(name);
        if (problems.length > 0)
          throw invalid(kind, name, [
            { reason: "FieldValueInvalid", field: "metadata.name", value: name, detail: problems.join("; ") },
          ]);
        for (const prefix of ["openshift-", "kube-"])
          if (name.startsWith(prefix))
            throw forbidden(
              `project.project.openshift.io ${JSON.stringify(name)} is forbidden: cannot request a project starting with ${JSON.stringify(prefix)}`,
              { name, group: "project.openshift.io", kind: "project" },
            );
        if (name === "openshift" || name === "kubernetes" || name === "kube")
          throw forbidden(
            `project.project.openshift.io ${JSON.stringify(name)} is forbidden: cannot request a project with the name ${JSON.stringify(name)}`,
            { name, group: "project.openshift.io", kind: "project" },
          );
        const nsResource = namespaces(reg);
        if (reg.find(nsResource, "", name) !== undefined) throw alreadyExists(PROJECT, name);
        if (request.dryRun)
          return {
            status: 201,
            object: { kind: "Project", apiVersion: request.resource.apiVersion, metadata: { name } },
          };
        allocated++;
        const block = 1_000_000_000 + allocated * 10_000 * 7;
        const requester = request.user.name;
        const result = reg.create(
          nsResource,
          "",
          {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: {
              name,
              annotations: {
                "openshift.io/description": typeof body.description === "string" ? body.description : "",
                "openshift.io/display-name": typeof body.displayName === "string" ? body.displayName : "",
                "openshift.io/requester": requester,
                "openshift.io/sa.scc.mcs": `s0:c${allocated + 7},c${allocated % 10}`,
                "openshift.io/sa.scc.supplemental-groups": `${block}/10000`,
                "openshift.io/sa.scc.uid-range": `${block}/10000`,
              },
            },
          },
          CONTROLLER,
        );
        const bindings = reg.table.lookup(`/apis/${RBAC}/v1`, "rolebindings");
        const accounts = reg.table.lookup("/api/v1", "serviceaccounts");
        if (bindings !== undefined) {
          const objects = [
            binding(name, "admin", "admin", [{ kind: "User", apiGroup: RBAC, name: requester }]),
            binding(
              name,
              "system:deployers",
              "system:deployer",
              [{ kind: "ServiceAccount", name: "deployer", namespace: name }],
              "Allows deploymentconfigs in this namespace to rollout pods in this namespace.  It is auto-managed by a controller; remove subjects to disable.",
            ),
            binding(
              name,
              "system:image-builders",
              "system:image-builder",
              [{ kind: "ServiceAccount", name: "builder", namespace: name }],
              "Allows builds in this namespace to push images to this namespace.  It is auto-managed by a controller; remove subjects to disable.",
            ),
            binding(
              name,
              "system:image-pullers",
              "system:image-puller",
              [{ kind: "Group", apiGroup: RBAC, name: `system:serviceaccounts:${name}` }],
              "Allows all pods in this namespace to pull images from this namespace.  It is auto-managed by a controller; remove subjects to disable.",
            ),
          ];
          for (const o of objects) reg.create(bindings, name, o, CONTROLLER);
        }
        if (accounts !== undefined)
          for (const sa of ["builder", "deployer"])
            reg.create(
              accounts,
              name,
              { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: sa } },
              CONTROLLER,
            );
        return { status: 201, object: projectOf(result.object, request.resource) };
      },
    },
  };
}

/**
 * The behaviours of projects and project requests, by `<group>/<plural>`.
 *
 * @param ctx the registry
 * @returns the behaviours
 */
export function projectBehaviors(ctx: ProjectContext): Map<string, ResourceBehavior> {
  return new Map<string, ResourceBehavior>([
    ["project.openshift.io/projects", projectBehavior(ctx)],
    ["project.openshift.io/projectrequests", projectRequestBehavior(ctx)],
  ]);
}
