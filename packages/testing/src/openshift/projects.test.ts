import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallResult, call } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("projects and project requests", () => {
  let cluster: FakeCluster;
  let developer: string;
  let tester: string;
  beforeAll(async () => {
    cluster = await startFakeCluster({ openshift: true });
    developer = cluster.issueOAuthToken("developer");
    tester = cluster.issueOAuthToken("tester");
  });
  afterAll(() => cluster.close());

  const request = (token: string, name: string | undefined, api = "/apis/project.openshift.io/v1", extra = {}) =>
    call(cluster, "POST", `${api}/projectrequests`, {
      token,
      body: {
        kind: "ProjectRequest",
        apiVersion: api === "/oapi/v1" ? "v1" : "project.openshift.io/v1",
        metadata: name === undefined ? {} : { name },
        ...extra,
      },
    });

  it("a project list with a label selector that does not parse is a 400 BadRequest, as for every other list", async () => {
    const r = await call(cluster, "GET", "/apis/project.openshift.io/v1/projects?labelSelector=a%20in%20(b", {
      token: developer,
    });
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ kind: "Status", reason: "BadRequest", code: 400 });
  });

  it("a project request makes the namespace, binds the requester to admin and adds the project's accounts", async () => {
    const r = await request(developer, "fx-proj", "/oapi/v1", {
      displayName: "Fixture project",
      description: "made by a test",
    });
    expect(r.status).toBe(201);
    expect(r.json()).toMatchObject({
      kind: "Project",
      apiVersion: "v1",
      metadata: {
        name: "fx-proj",
        annotations: {
          "openshift.io/description": "made by a test",
          "openshift.io/display-name": "Fixture project",
          "openshift.io/requester": "developer",
        },
      },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
    expect(r.json().metadata.annotations["openshift.io/sa.scc.uid-range"]).toMatch(/^\d+\/10000$/);
    const bindings = await call(cluster, "GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/fx-proj/rolebindings", {
      token: developer,
    });
    expect(bindings.status).toBe(200);
    const byName = Object.fromEntries(
      (bindings.json().items as { metadata: { name: string }; roleRef: { name: string }; subjects: object[] }[]).map(
        (b) => [b.metadata.name, [b.roleRef.name, b.subjects]],
      ),
    );
    expect(byName.admin).toEqual([
      "admin",
      [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "developer" }],
    ]);
    expect(byName["system:deployers"]?.[0]).toBe("system:deployer");
    expect(byName["system:image-builders"]?.[0]).toBe("system:image-builder");
    expect(byName["system:image-pullers"]?.[1]).toEqual([
      { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:serviceaccounts:fx-proj" },
    ]);
    const accounts = await until("service accounts and their secrets", async () => {
      const list = (
        await call(cluster, "GET", "/api/v1/namespaces/fx-proj/serviceaccounts", { token: developer })
      ).json();
      const items = list.items as { metadata: { name: string }; secrets?: unknown[]; imagePullSecrets?: unknown[] }[];
      return items.length === 3 && items.every((a) => (a.secrets ?? []).length === 2) ? items : undefined;
    });
    expect(accounts.map((a) => a.metadata.name).sort()).toEqual(["builder", "default", "deployer"]);
    expect(accounts.every((a) => (a.imagePullSecrets ?? []).length === 1)).toBe(true);
    const secrets = (await call(cluster, "GET", "/api/v1/namespaces/fx-proj/secrets", { token: developer })).json()
      .items as { type: string }[];
    expect(secrets.filter((s) => s.type === "kubernetes.io/service-account-token")).toHaveLength(6);
    expect(secrets.filter((s) => s.type === "kubernetes.io/dockercfg")).toHaveLength(3);
  });

  it("refuses existing, invalid, reserved and missing names as 3.11 words them; GET is the self-provisioning probe", async () => {
    const taken = await request(developer, "fx-proj");
    expect(taken.status).toBe(409);
    expect(taken.json()).toMatchObject({
      message: 'project.project.openshift.io "fx-proj" already exists',
      details: { name: "fx-proj", group: "project.openshift.io", kind: "project" },
    });
    const invalid = await request(developer, "Fx_Bad.Name", "/oapi/v1");
    expect(invalid.status).toBe(422);
    expect(invalid.json().message).toBe(
      "ProjectRequest.project.openshift.io \"Fx_Bad.Name\" is invalid: metadata.name: Invalid value: \"Fx_Bad.Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
    const reserved = await request(developer, "openshift-fx", "/oapi/v1");
    expect(reserved.status).toBe(403);
    expect(reserved.json().message).toBe(
      'project.project.openshift.io "openshift-fx" is forbidden: cannot request a project starting with "openshift-"',
    );
    const unnamed = await request(developer, undefined);
    expect(unnamed.status).toBe(422);
    expect(unnamed.json().message).toBe(
      'ProjectRequest.project.openshift.io "" is invalid: metadata.name: Required value: name or generateName is required',
    );
    const probe = await call(cluster, "GET", "/apis/project.openshift.io/v1/projectrequests", { token: developer });
    expect(probe.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" });
    const namespace = await call(cluster, "POST", "/api/v1/namespaces", {
      token: developer,
      body: { metadata: { name: "fx-proj-ns" } },
    });
    expect(namespace.status).toBe(403);
  });

  it("lists only the projects a user may see; others' projects are 403 and missing ones 403 (404 for admins)", async () => {
    expect((await request(tester, "fx-proj-tester")).status).toBe(201);
    const names = async (token: string, api: string): Promise<string[]> =>
      ((await call(cluster, "GET", `${api}/projects`, { token })).json().items as { metadata: { name: string } }[]).map(
        (p) => p.metadata.name,
      );
    expect(await names(developer, "/oapi/v1")).toEqual(["fx-proj"]);
    expect(await names(tester, "/apis/project.openshift.io/v1")).toEqual(["fx-proj-tester"]);
    expect(await names(cluster.token, "/apis/project.openshift.io/v1")).toEqual(
      expect.arrayContaining(["default", "fx-proj", "fx-proj-tester", "kube-system", "openshift"]),
    );
    const other = await call(cluster, "GET", "/apis/project.openshift.io/v1/projects/fx-proj", { token: tester });
    expect(other.status).toBe(403);
    expect(other.json().message).toBe(
      'projects.project.openshift.io "fx-proj" is forbidden: User "tester" cannot get resource "projects" in API group "project.openshift.io" in the namespace "fx-proj"',
    );
    const missing = await call(cluster, "GET", "/apis/project.openshift.io/v1/projects/fx-no-such", {
      token: developer,
    });
    expect(missing.status).toBe(403);
    const missingAdmin = await call(cluster, "GET", "/apis/project.openshift.io/v1/projects/fx-no-such");
    expect(missingAdmin.status).toBe(404);
    expect(missingAdmin.json().message).toBe('namespaces "fx-no-such" not found');
    const table = await call(cluster, "GET", "/apis/project.openshift.io/v1/projects", {
      token: developer,
      headers: { Accept: "application/json;as=Table;v=v1;g=meta.k8s.io" },
    });
    expect(table.json().kind).toBe("Table");
    expect(table.json().rows.map((row: { cells: string[] }) => row.cells[0])).toEqual(["fx-proj"]);
  });

  it("a project's owner updates its display name through the project", async () => {
    const r = await call(cluster, "PATCH", "/apis/project.openshift.io/v1/projects/fx-proj", {
      token: developer,
      headers: { "Content-Type": "application/merge-patch+json" },
      body: { metadata: { annotations: { "openshift.io/display-name": "Renamed" } } },
    });
    expect(r.status).toBe(200);
    const ns = cluster.store.get<{ metadata: { annotations: Record<string, string> } }>(
      { apiVersion: "v1", kind: "Namespace" },
      "fx-proj",
    );
    expect(ns?.metadata.annotations["openshift.io/display-name"]).toBe("Renamed");
  });

  it("deleting a project deletes its namespace: Terminating, 409 on a second delete, 403 for another user's", async () => {
    expect((await request(developer, "fx-gone")).status).toBe(201);
    const other = await call(cluster, "DELETE", "/apis/project.openshift.io/v1/projects/fx-proj-tester", {
      token: developer,
    });
    expect(other.status).toBe(403);
    // The namespace controller waits two seconds, so that the second delete finds the project still terminating
    // (with its role bindings) even on a loaded machine.
    await using slow = await startFakeCluster({ openshift: true, controllerDelayMs: 2000 });
    const owner = slow.issueOAuthToken("owner");
    await call(slow, "POST", "/oapi/v1/projectrequests", {
      token: owner,
      body: { kind: "ProjectRequest", apiVersion: "v1", metadata: { name: "fx-del" } },
    });
    const first = await call(slow, "DELETE", "/oapi/v1/projects/fx-del", { token: owner });
    expect(first.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" });
    const terminating = await call(slow, "GET", "/oapi/v1/projects/fx-del", { token: owner });
    expect(terminating.json().status).toEqual({ phase: "Terminating" });
    const second: CallResult = await call(slow, "DELETE", "/oapi/v1/projects/fx-del", { token: owner });
    expect(second.status).toBe(409);
    expect(second.json().message).toBe(
      'Operation cannot be fulfilled on namespaces "fx-del": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
    );
    await until("namespace purged", async () =>
      (await call(slow, "GET", "/oapi/v1/projects/fx-del")).status === 404 ? true : undefined,
    );
  });
});
