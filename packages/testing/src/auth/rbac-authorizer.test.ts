import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";
import { ruleAllows } from "./_policy-rule.ts";
import type { AuthorizationAttributes } from "./authorizer.ts";

const RBAC = "rbac.authorization.k8s.io";

function attrs(partial: Partial<AuthorizationAttributes>): AuthorizationAttributes {
  return {
    user: { name: "u", groups: [] },
    verb: "get",
    isResourceRequest: true,
    path: "",
    apiGroup: "",
    apiVersion: "v1",
    namespace: "ns",
    resource: "pods",
    subresource: "",
    name: "",
    ...partial,
  };
}

describe("policy rules", () => {
  it("match verbs, groups and resources, with * wildcards", () => {
    const rule = { verbs: ["get", "list"], apiGroups: ["", "apps"], resources: ["pods", "deployments"] };
    expect(ruleAllows(rule, attrs({}))).toBe(true);
    expect(ruleAllows(rule, attrs({ verb: "delete" }))).toBe(false);
    expect(ruleAllows(rule, attrs({ apiGroup: "batch" }))).toBe(false);
    expect(ruleAllows(rule, attrs({ resource: "secrets" }))).toBe(false);
    expect(
      ruleAllows({ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, attrs({ resource: "x", apiGroup: "y" })),
    ).toBe(true);
  });

  it("name subresources explicitly, or with a star before the subresource", () => {
    const scaleAnything = { verbs: ["update"], apiGroups: ["apps"], resources: ["*/scale"] };
    expect(
      ruleAllows(
        scaleAnything,
        attrs({ verb: "update", apiGroup: "apps", resource: "deployments", subresource: "scale" }),
      ),
    ).toBe(true);
    expect(ruleAllows(scaleAnything, attrs({ verb: "update", apiGroup: "apps", resource: "deployments" }))).toBe(false);
    const logs = { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] };
    expect(ruleAllows(logs, attrs({ subresource: "log" }))).toBe(true);
    expect(ruleAllows(logs, attrs({}))).toBe(false);
  });

  it("limit to resource names when they are given", () => {
    const rule = { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["allowed"] };
    expect(ruleAllows(rule, attrs({ resource: "configmaps", name: "allowed" }))).toBe(true);
    expect(ruleAllows(rule, attrs({ resource: "configmaps", name: "other" }))).toBe(false);
    expect(ruleAllows(rule, attrs({ resource: "configmaps", verb: "list" }))).toBe(false);
  });

  it("match non-resource URLs exactly or by a prefix ending in a star", () => {
    const rule = { verbs: ["get"], nonResourceURLs: ["/healthz", "/apis/*"] };
    const path = (p: string, verb = "get") => attrs({ isResourceRequest: false, path: p, verb });
    expect(ruleAllows(rule, path("/healthz"))).toBe(true);
    expect(ruleAllows(rule, path("/healthz/ping"))).toBe(false);
    expect(ruleAllows(rule, path("/apis/apps/v1"))).toBe(true);
    expect(ruleAllows(rule, path("/apis/apps/v1", "post"))).toBe(false);
  });
});

describe("RBAC on every request of the default cluster", () => {
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await startFakeCluster({
      users: [
        { name: "admin", token: "admin-token", groups: ["system:masters"] },
        { name: "viewer", token: "viewer-token", groups: ["devs"] },
        { name: "editor", token: "editor-token" },
        { name: "nobody", token: "nobody-token" },
      ],
    });
    cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
    cluster.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cm", namespace: "team" },
      data: { k: "v" },
    });
    for (const [name, role, subject] of [
      ["viewers", "view", { kind: "Group", apiGroup: RBAC, name: "devs" }],
      ["editors", "edit", { kind: "User", apiGroup: RBAC, name: "editor" }],
    ] as const)
      cluster.store.create({
        apiVersion: `${RBAC}/v1`,
        kind: "RoleBinding",
        metadata: { name, namespace: "team" },
        roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: role },
        subjects: [subject],
      });
  });
  afterAll(() => cluster.close());

  it("the aggregated admin, edit and view roles carry their system:aggregate-to-* rules", async () => {
    const r = await call(cluster, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view", {
      token: "admin-token",
    });
    const rules = r.json().rules as { resources?: string[] }[];
    expect(rules.some((x) => x.resources?.includes("pods"))).toBe(true);
    expect(rules.some((x) => x.resources?.includes("secrets"))).toBe(false);
    const edit = (
      await call(cluster, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/edit", { token: "admin-token" })
    ).json();
    expect(edit.rules.some((x: { resources?: string[] }) => x.resources?.includes("secrets"))).toBe(true);
    // edit includes view's rules through the chained aggregation.
    expect(edit.rules.some((x: { resources?: string[] }) => x.resources?.includes("controllerrevisions"))).toBe(true);
  });

  it("a view user reads, and gets the real server's 403 for every verb view lacks", async () => {
    expect((await call(cluster, "GET", "/api/v1/namespaces/team/configmaps", { token: "viewer-token" })).status).toBe(
      200,
    );
    expect(
      (await call(cluster, "GET", "/api/v1/namespaces/team/configmaps/cm", { token: "viewer-token" })).status,
    ).toBe(200);
    const denied: [string, string, string, object?][] = [
      ["POST", "/api/v1/namespaces/team/configmaps", "create", { metadata: { name: "x" } }],
      ["PUT", "/api/v1/namespaces/team/configmaps/cm", "update", { metadata: { name: "cm" } }],
      ["PATCH", "/api/v1/namespaces/team/configmaps/cm", "patch", {}],
      ["DELETE", "/api/v1/namespaces/team/configmaps/cm", "delete"],
      ["DELETE", "/api/v1/namespaces/team/configmaps", "deletecollection"],
    ];
    for (const [method, path, verb, body] of denied) {
      const r = await call(cluster, method, path, {
        token: "viewer-token",
        ...(body === undefined ? {} : { body }),
        headers: method === "PATCH" ? { "Content-Type": "application/merge-patch+json" } : {},
      });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json()).toMatchObject({
        reason: "Forbidden",
        message: `configmaps${path.endsWith("/cm") ? ' "cm"' : ""} is forbidden: User "viewer" cannot ${verb} resource "configmaps" in API group "" in the namespace "team"`,
        details: { kind: "configmaps", ...(path.endsWith("/cm") ? { name: "cm" } : {}) },
      });
    }
    const secrets = await call(cluster, "GET", "/api/v1/namespaces/team/secrets", { token: "viewer-token" });
    expect(secrets.status).toBe(403);
    const elsewhere = await call(cluster, "GET", "/api/v1/namespaces/default/configmaps", { token: "viewer-token" });
    expect(elsewhere.json().message).toBe(
      'configmaps is forbidden: User "viewer" cannot list resource "configmaps" in API group "" in the namespace "default"',
    );
  });

  it("an edit user writes in its namespace only; cluster-scoped reads are denied at the cluster scope", async () => {
    const created = await call(cluster, "POST", "/api/v1/namespaces/team/configmaps", {
      token: "editor-token",
      body: { metadata: { name: "by-editor" } },
    });
    expect(created.status).toBe(201);
    const nodes = await call(cluster, "GET", "/api/v1/nodes", { token: "editor-token" });
    expect(nodes.status).toBe(403);
    expect(nodes.json().message).toBe(
      'nodes is forbidden: User "editor" cannot list resource "nodes" in API group "" at the cluster scope',
    );
  });

  it("every authenticated user may discover and ask about itself; nobody else may list", async () => {
    expect((await call(cluster, "GET", "/apis", { token: "nobody-token" })).status).toBe(200);
    expect((await call(cluster, "GET", "/version", { token: "nobody-token" })).status).toBe(200);
    expect((await call(cluster, "GET", "/api/v1/namespaces", { token: "nobody-token" })).status).toBe(403);
  });

  it("a binding added at run time takes effect on the next request, and removing it takes it away", async () => {
    const path = "/api/v1/namespaces/team/secrets";
    expect((await call(cluster, "GET", path, { token: "nobody-token" })).status).toBe(403);
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "Role",
      metadata: { name: "secret-reader", namespace: "team" },
      rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }],
    });
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "RoleBinding",
      metadata: { name: "nobody-secrets", namespace: "team" },
      roleRef: { apiGroup: RBAC, kind: "Role", name: "secret-reader" },
      subjects: [{ kind: "User", apiGroup: RBAC, name: "nobody" }],
    });
    expect((await call(cluster, "GET", path, { token: "nobody-token" })).status).toBe(200);
    cluster.store.delete({ apiVersion: `${RBAC}/v1`, kind: "RoleBinding" }, "nobody-secrets", "team");
    expect((await call(cluster, "GET", path, { token: "nobody-token" })).status).toBe(403);
  });

  it("a ClusterRole labelled aggregate-to-view extends view for everyone bound to it", async () => {
    const path = "/api/v1/namespaces/team/podtemplates";
    expect((await call(cluster, "GET", path, { token: "viewer-token" })).status).toBe(403);
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: { name: "templates-viewer", labels: { [`${RBAC}/aggregate-to-view`]: "true" } },
      rules: [{ apiGroups: [""], resources: ["podtemplates"], verbs: ["list"] }],
    });
    await new Promise((r) => setTimeout(r, 20));
    expect((await call(cluster, "GET", path, { token: "viewer-token" })).status).toBe(200);
  });

  it("an aggregation rule whose selector does not parse selects nothing and leaves the other aggregations working", async () => {
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: { name: "broken-aggregate" },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "bad key!": "x" } }] },
      rules: [],
    });
    const path = "/api/v1/namespaces/team/limitranges";
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: { name: "limits-viewer", labels: { [`${RBAC}/aggregate-to-view`]: "true" } },
      rules: [{ apiGroups: [""], resources: ["limitranges"], verbs: ["list"] }],
    });
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await call(cluster, "GET", path, { token: "viewer-token" })).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(200);
    const broken = (
      await call(cluster, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/broken-aggregate", {
        token: "admin-token",
      })
    ).json();
    expect(broken.rules ?? []).toEqual([]);
  });

  it("anonymous requests are 401 unless anonymous is on; then they get the public-info paths and nothing else", async () => {
    expect((await call(cluster, "GET", "/version", { token: null })).status).toBe(401);
    await using open = await startFakeCluster({ anonymous: true });
    expect((await call(open, "GET", "/version", { token: null })).status).toBe(200);
    expect((await call(open, "GET", "/healthz", { token: null })).status).toBe(200);
    const r = await call(open, "GET", "/api", { token: null });
    expect(r.status).toBe(403);
    expect(r.json().message).toBe('forbidden: User "system:anonymous" cannot get path "/api"');
  });
});
