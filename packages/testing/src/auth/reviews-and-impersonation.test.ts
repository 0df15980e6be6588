import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

const RBAC = "rbac.authorization.k8s.io";

// The body kubectl 1.33 sends for `kubectl auth can-i get pods` in namespace default (from its -v=8 log).
const KUBECTL_SSAR = Buffer.from(
  "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f763112" +
    "1753656c665375626a656374416363657373526576696577123c0a100a001200" +
    "1a0022002a00320038004200121e0a1c0a0764656661756c7412036765741a00" +
    "22002a04706f647332003a001a08080012001a0020001a002200",
  "hex",
);

describe("access and token reviews", () => {
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await startFakeCluster({
      users: [
        { name: "admin", token: "admin-token", groups: ["system:masters"] },
        { name: "jane", token: "jane-token", groups: ["devs"], uid: "uid-jane" },
      ],
    });
    cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "RoleBinding",
      metadata: { name: "jane-view", namespace: "team" },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "User", apiGroup: RBAC, name: "jane" }],
    });
  });
  afterAll(() => cluster.close());

  const ssar = (token: string, spec: object) =>
    call(cluster, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
      token,
      body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec },
    });

  it("SelfSubjectAccessReview answers allowed with the binding as reason, or not allowed", async () => {
    const yes = await ssar("jane-token", { resourceAttributes: { namespace: "team", verb: "list", resource: "pods" } });
    expect(yes.status).toBe(201);
    expect(yes.json()).toMatchObject({
      kind: "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      status: {
        allowed: true,
        reason: 'RBAC: allowed by RoleBinding "jane-view/team" of ClusterRole "view" to User "jane"',
      },
    });
    const no = await ssar("jane-token", {
      resourceAttributes: { namespace: "team", verb: "list", resource: "secrets" },
    });
    expect(no.json().status).toEqual({ allowed: false });
    const path = await ssar("jane-token", { nonResourceAttributes: { path: "/healthz", verb: "get" } });
    expect(path.json().status.allowed).toBe(true);
    const admin = await ssar("admin-token", { resourceAttributes: { verb: "delete", resource: "nodes" } });
    expect(admin.json().status).toEqual({ allowed: true });
  });

  it("SelfSubjectAccessReview in kubectl's protobuf encoding is read (kubectl 1.26+ sends no JSON)", async () => {
    const r = await call(cluster, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
      token: "jane-token",
      body: KUBECTL_SSAR.toString("latin1"),
      headers: {
        "Content-Type": "application/vnd.kubernetes.protobuf",
        Accept: "application/vnd.kubernetes.protobuf,application/json",
      },
    });
    expect(r.status).toBe(201);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.json().spec).toEqual({ resourceAttributes: { namespace: "default", verb: "get", resource: "pods" } });
    expect(r.json().status.allowed).toBe(false);
  });

  it("a protobuf body of a kind the server does not decode is a 415", async () => {
    const r = await call(cluster, "POST", "/api/v1/namespaces/team/configmaps", {
      token: "admin-token",
      body: "k8s\u0000garbage",
      headers: { "Content-Type": "application/vnd.kubernetes.protobuf" },
    });
    expect(r.status).toBe(415);
  });

  it("SubjectAccessReview and LocalSubjectAccessReview are for those allowed to create them; the namespace must match", async () => {
    const body = {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: { user: "jane", resourceAttributes: { namespace: "team", verb: "get", resource: "configmaps" } },
    };
    const asAdmin = await call(cluster, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", {
      token: "admin-token",
      body,
    });
    expect(asAdmin.json().status.allowed).toBe(true);
    const asJane = await call(cluster, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", {
      token: "jane-token",
      body,
    });
    expect(asJane.status).toBe(403);
    const local = await call(
      cluster,
      "POST",
      "/apis/authorization.k8s.io/v1/namespaces/other/localsubjectaccessreviews",
      {
        token: "admin-token",
        body: { ...body, kind: "LocalSubjectAccessReview" },
      },
    );
    expect(local.status).toBe(400);
    expect(local.json().message).toBe("spec.resourceAttributes.namespace must match namespace: other");
  });

  it("SelfSubjectRulesReview lists the rules of the caller's bindings in the namespace", async () => {
    const r = await call(cluster, "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", {
      token: "jane-token",
      body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectRulesReview", spec: { namespace: "team" } },
    });
    expect(r.status).toBe(201);
    const status = r.json().status;
    expect(status.incomplete).toBe(false);
    expect(status.resourceRules).toContainEqual({
      verbs: ["create"],
      apiGroups: ["authorization.k8s.io"],
      resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
    });
    expect(status.resourceRules.some((x: { resources: string[] }) => x.resources.includes("pods"))).toBe(true);
    expect(
      status.nonResourceRules.some((x: { nonResourceURLs: string[] }) => x.nonResourceURLs.includes("/version")),
    ).toBe(true);
  });

  it("SelfSubjectReview (v1, and the v1beta1 of kubectl before 1.28) tells who the caller is", async () => {
    for (const version of ["v1", "v1beta1"]) {
      const r = await call(cluster, "POST", `/apis/authentication.k8s.io/${version}/selfsubjectreviews`, {
        token: "jane-token",
        body: { apiVersion: `authentication.k8s.io/${version}`, kind: "SelfSubjectReview" },
      });
      expect(r.status).toBe(201);
      expect(r.json().status.userInfo).toEqual({
        username: "jane",
        uid: "uid-jane",
        groups: ["devs", "system:authenticated"],
      });
    }
  });
});

describe("impersonation", () => {
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await startFakeCluster({
      users: [
        { name: "admin", token: "admin-token", groups: ["system:masters"] },
        { name: "support", token: "support-token" },
      ],
    });
    cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: { name: "impersonate-jane" },
      rules: [
        { apiGroups: [""], resources: ["users"], verbs: ["impersonate"], resourceNames: ["jane"] },
        { apiGroups: [""], resources: ["groups"], verbs: ["impersonate"], resourceNames: ["devs"] },
      ],
    });
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name: "support-impersonates-jane" },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "impersonate-jane" },
      subjects: [{ kind: "User", apiGroup: RBAC, name: "support" }],
    });
  });
  afterAll(() => cluster.close());

  const whoami = (token: string, headers: Record<string, string>) =>
    call(cluster, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      token,
      headers,
      body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    });

  it("runs the request as the impersonated user, groups, uid and extras", async () => {
    const r = await whoami("admin-token", {
      "Impersonate-User": "jane",
      "Impersonate-Group": "devs",
      "Impersonate-Uid": "uid-42",
      "Impersonate-Extra-Scopes": "view",
      "Impersonate-Extra-Example.com%2Fteam": "a",
    });
    expect(r.status).toBe(201);
    expect(r.json().status.userInfo).toEqual({
      username: "jane",
      uid: "uid-42",
      groups: ["devs", "system:authenticated"],
      extra: { scopes: ["view"], "example.com/team": ["a"] },
    });
  });

  it("a service account gets the service-account groups", async () => {
    const r = await whoami("admin-token", { "Impersonate-User": "system:serviceaccount:team:robot" });
    expect(r.json().status.userInfo).toEqual({
      username: "system:serviceaccount:team:robot",
      groups: ["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"],
    });
  });

  it("needs the impersonate verb on each attribute: allowed names pass, others are 403 worded as the server does", async () => {
    expect((await whoami("support-token", { "Impersonate-User": "jane", "Impersonate-Group": "devs" })).status).toBe(
      201,
    );
    const user = await whoami("support-token", { "Impersonate-User": "bob" });
    expect(user.status).toBe(403);
    expect(user.json().message).toBe(
      'users "bob" is forbidden: User "support" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    const group = await whoami("support-token", { "Impersonate-User": "jane", "Impersonate-Group": "system:masters" });
    expect(group.status).toBe(403);
    expect(group.json().details).toEqual({ name: "system:masters", kind: "groups" });
    const sa = await whoami("support-token", { "Impersonate-User": "system:serviceaccount:team:robot" });
    expect(sa.json().message).toBe(
      'serviceaccounts "robot" is forbidden: User "support" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "team"',
    );
  });

  it("impersonated users are authorized as themselves", async () => {
    const r = await call(cluster, "GET", "/api/v1/namespaces/team/configmaps", {
      token: "admin-token",
      headers: { "Impersonate-User": "jane" },
    });
    expect(r.status).toBe(403);
    expect(r.json().message).toContain('User "jane" cannot list resource "configmaps"');
  });

  it("a group without a user is an internal error, as on the real server", async () => {
    const r = await whoami("admin-token", { "Impersonate-Group": "devs" });
    expect(r.status).toBe(500);
    expect(r.json().message).toBe(
      "Internal error occurred: requested [{Group  devs  authentication.k8s.io/v1  }] without impersonating a user",
    );
  });
});
