// Integration: the OpenShift conveniences and the legacy /oapi/v1 API against the fake cluster's OpenShift surface
// over HTTPS, the walk-through of the seed document: a project, a service account, admin granted to it, its token
// (TokenRequest and the legacy secret), and calls made with that token.
import { createStaticTokenSource, loadConnection, type ResolvedConnection } from "@kubeshift/auth";
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { isAlreadyExists, isForbidden } from "@kubeshift/transport";
import { defineResource } from "@kubeshift/types";
import { ConfigMap, Secret } from "@kubeshift/types/core/v1";
import { Route } from "@kubeshift/types/route.openshift.io/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./client.ts";
import { connect } from "./connect.ts";

let cluster: FakeCluster;
let admin: Client;
let resolved: ResolvedConnection;
const PROJECT = "fx-rbac";

async function caught(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
}

function clientWithToken(token: string): Promise<Client> {
  const { clientCertificate: _none, ...tls } = resolved.connection;
  return connect({ connection: { ...resolved, connection: tls, credentials: createStaticTokenSource(token) } });
}

beforeAll(async () => {
  cluster = await startFakeCluster({ openshift: true });
  const path = await cluster.kubeconfig.writeTempFile();
  resolved = await loadConnection({ path });
  admin = await connect({ path, namespace: PROJECT });
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await cluster?.close();
});

describe("OpenShift conveniences on the fake cluster", () => {
  it("newProject() creates a project through a ProjectRequest; a second one is AlreadyExists", async () => {
    const project = await admin.newProject(PROJECT, { displayName: "RBAC fixtures", description: "made by a test" });
    expect(project).toMatchObject({ kind: "Project", metadata: { name: PROJECT } });
    expect(project.metadata?.annotations).toMatchObject({
      "openshift.io/display-name": "RBAC fixtures",
      "openshift.io/description": "made by a test",
    });
    expect(isAlreadyExists(await caught(admin.newProject(PROJECT)))).toBe(true);
  });

  it("createServiceAccount, policy.addRoleToUser (a new binding next to the project's admin binding), as oc does", async () => {
    const sa = await admin.createServiceAccount("robot", { namespace: PROJECT });
    expect(sa).toMatchObject({ kind: "ServiceAccount", metadata: { name: "robot", namespace: PROJECT } });
    const warnings: string[] = [];
    const binding = (await admin.policy.addRoleToUser("admin", `system:serviceaccount:${PROJECT}:robot`, {
      namespace: PROJECT,
      onWarning: (w) => warnings.push(w),
    })) as { metadata: { name: string }; subjects: unknown[]; roleRef: unknown };
    expect(warnings).toEqual([]);
    // The project template bound admin to the requester as "admin": oc's naming gives the robot "admin-0".
    expect(binding.metadata.name).toBe("admin-0");
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "robot", namespace: PROJECT }]);
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" });
    // Granting it again finds the binding instead of adding another.
    const again = await admin.policy.addRoleToUser("admin", `system:serviceaccount:${PROJECT}:robot`, {
      namespace: PROJECT,
    });
    expect(again.metadata?.name).toBe(binding.metadata.name);
  });

  it("getServiceAccountToken() through TokenRequest: the robot can then use the API in its project only", async () => {
    const { token, source, expirationTimestamp } = await admin.getServiceAccountToken("robot", { namespace: PROJECT });
    expect(source).toBe("TokenRequest");
    expect(Date.parse(expirationTimestamp ?? "")).toBeGreaterThan(Date.now());
    const robot = await clientWithToken(token);
    try {
      await robot.create(
        ConfigMap,
        { metadata: { name: "made-by-robot" }, data: { by: "robot" } },
        { namespace: PROJECT },
      );
      expect((await robot.list(ConfigMap, { namespace: PROJECT })).items.map((c) => c.metadata?.name)).toContain(
        "made-by-robot",
      );
      const elsewhere = await caught(robot.list(ConfigMap, { namespace: "default" }));
      expect(isForbidden(elsewhere)).toBe(true);
      expect((elsewhere as Error).message).toMatch(/system:serviceaccount:fx-rbac:robot/);
    } finally {
      await robot.close();
    }
  });

  it("getServiceAccountToken({ source: 'Secret' }) reads the legacy token secret, as oc serviceaccounts get-token", async () => {
    const { token, source, secretName } = await admin.getServiceAccountToken("robot", {
      namespace: PROJECT,
      source: "Secret",
    });
    expect(source).toBe("Secret");
    expect(secretName).toMatch(/^robot-token-[a-z0-9]{5}$/);
    const secret = await admin.get(Secret, secretName ?? "", { namespace: PROJECT });
    expect(secret.type).toBe("kubernetes.io/service-account-token");
    const robot = await clientWithToken(token);
    try {
      expect((await robot.list(ConfigMap, { namespace: PROJECT })).items.length).toBeGreaterThan(0);
    } finally {
      await robot.close();
    }
  });
});

describe("legacy /oapi/v1 and the groups", () => {
  it("discovery lists /oapi/v1, and the mapper sends apiVersion v1 kinds core does not serve there", async () => {
    const all = await admin.discovery.serverResources();
    expect(all.legacyOpenShift).toBe(true);
    expect((await admin.mapper.resolve({ apiVersion: "v1", kind: "Route" })).apiPath).toBe("/oapi/v1");
    expect((await admin.mapper.resolve({ apiVersion: "route.openshift.io/v1", kind: "Route" })).apiPath).toBe(
      "/apis/route.openshift.io/v1",
    );
  });

  it("a route applied as apiVersion v1 lands in /oapi/v1 and is the same object through the group", async () => {
    await admin.apply(
      { apiVersion: "v1", kind: "Route", metadata: { name: "web" }, spec: { to: { kind: "Service", name: "web" } } },
      { fieldManager: "test" },
    );
    const viaGroup = await admin.get(Route, "web");
    expect(viaGroup.spec?.to.name).toBe("web");
    const LegacyRoute = defineResource({
      group: "",
      version: "v1",
      kind: "Route",
      plural: "routes",
      namespaced: true,
      apiPath: "/oapi/v1",
    });
    expect(
      (await admin.list(LegacyRoute)).items.map((r) => (r as { metadata?: { name?: string } }).metadata?.name),
    ).toEqual(["web"]);
    const table = await admin.table(Route);
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      "NAME",
      "HOST/PORT",
      "PATH",
      "SERVICES",
      "PORT",
      "TERMINATION",
      "WILDCARD",
    ]);
    expect(table.rows.map((r) => r.cells[0])).toEqual(["web"]);
  });
});
