import { readFileSync } from "node:fs";
import { isAlreadyExists, isKubeError, isNotFound, redactSecrets } from "@kubeshift/transport";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { type Exchange, type Fixture, replayTransport, scriptedTransport } from "../test/replay-transport.ts";
import { createClient } from "./client.ts";

const fixture = (p: string): Fixture => JSON.parse(readFileSync(fixturePath(`${p}.json`), "utf8")) as Fixture;
const os = (p: string): Exchange[] => fixture(`openshift-v3.11.0/${p}`).exchanges;
const SERVER = "https://127.0.0.1:18443";

describe("client.newProject()", () => {
  it("posts a ProjectRequest to project.openshift.io/v1, as recorded", async () => {
    const transport = replayTransport(os("openshift/projectrequest-groups"));
    const client = createClient({ transport, server: SERVER });
    const project = await client.newProject("fx-proj-groups");
    expect(project).toMatchObject({ kind: "Project", metadata: { name: "fx-proj-groups" } });
    expect(JSON.parse(transport.seen[0]?.body ?? "")).toEqual(os("openshift/projectrequest-groups")[0]?.request.body);
  });

  it("falls back to /oapi/v1/projectrequests when the group is not served, with display name and description", async () => {
    const oapi = os("openshift/projectrequest-oapi");
    const transport = replayTransport(oapi, {
      fallback: (r) =>
        new URL(r.url).pathname.startsWith("/apis/project.openshift.io")
          ? new Response("404 page not found\n", { status: 404, headers: { "content-type": "text/plain" } })
          : new URL(r.url).pathname === "/apis"
            ? Response.json({ kind: "APIGroupList", groups: [] })
            : undefined,
    });
    const client = createClient({ transport, server: SERVER });
    const project = await client.newProject("fx-proj", {
      displayName: "Fixture project (oapi)",
      description: "created through /oapi/v1/projectrequests",
    });
    expect(project).toMatchObject({ kind: "Project", apiVersion: "v1" });
    const post = transport.seen.find((s) => s.url.pathname === "/oapi/v1/projectrequests");
    expect(JSON.parse(post?.body ?? "")).toEqual(oapi[0]?.request.body);
  });

  it("a project that exists already is AlreadyExists, not a fallback", async () => {
    const errors = os("openshift/projectrequest-errors");
    const conflict = errors.find((e) => e.response.status === 409);
    const transport = scriptedTransport(() => Response.json(conflict?.response.body, { status: 409 }));
    const client = createClient({ transport, server: SERVER });
    expect(isAlreadyExists(await client.newProject("fx-proj").catch((e: unknown) => e))).toBe(true);
    expect(transport.seen).toHaveLength(1);
  });
});

describe("client.createServiceAccount()", () => {
  it("posts a ServiceAccount like oc create serviceaccount", async () => {
    const recorded = os("openshift/rbac-oc-create-serviceaccount").filter((e) => e.request.method === "POST");
    const transport = replayTransport(recorded);
    const client = createClient({ transport, server: SERVER });
    const sa = await client.createServiceAccount("robot", { namespace: "fx-rbac" });
    expect(sa).toMatchObject({ kind: "ServiceAccount", metadata: { name: "robot", namespace: "fx-rbac" } });
    expect(JSON.parse(transport.seen[0]?.body ?? "")).toEqual({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "robot" },
    });
  });
});

describe("client.policy.addRoleToUser()", () => {
  it("sends what oc policy add-role-to-user sends for a service account: a new binding admin-0 next to admin", async () => {
    const recorded = os("openshift/rbac-oc-policy-add-role-to-user");
    const transport = replayTransport(recorded);
    const warnings: string[] = [];
    const client = createClient({ transport, server: SERVER });
    const binding = await client.policy.addRoleToUser("admin", "system:serviceaccount:fx-rbac:robot", {
      namespace: "fx-rbac",
      onWarning: (w) => warnings.push(w),
    });
    expect(binding).toMatchObject({ kind: "RoleBinding", metadata: { name: "admin-0" } });
    expect(warnings).toEqual([]);
    expect(transport.seen.map((s) => `${s.method} ${s.url.pathname}`)).toEqual([
      "GET /apis/rbac.authorization.k8s.io/v1/namespaces/fx-rbac/rolebindings",
      "GET /apis/rbac.authorization.k8s.io/v1/clusterroles/admin",
      "GET /api/v1/namespaces/fx-rbac/serviceaccounts/robot",
      "POST /apis/rbac.authorization.k8s.io/v1/namespaces/fx-rbac/rolebindings",
    ]);
    const ocBody = recorded.at(-1)?.request.body as { metadata: Record<string, unknown> };
    const { creationTimestamp: _dropped, ...ocMetadata } = ocBody.metadata;
    expect(JSON.parse(transport.seen.at(-1)?.body ?? "")).toEqual({ ...ocBody, metadata: ocMetadata });
  });

  it("returns the existing binding when the subject already has the role, without writing", async () => {
    const list = {
      kind: "RoleBindingList",
      metadata: {},
      items: [
        {
          metadata: { name: "admin-0", namespace: "p" },
          subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" }],
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" },
        },
      ],
    };
    const transport = scriptedTransport(() => Response.json(list));
    const client = createClient({ transport, server: SERVER });
    const binding = await client.policy.addRoleToUser("admin", "alice", { namespace: "p" });
    expect(binding.metadata?.name).toBe("admin-0");
    expect(transport.seen.map((s) => s.method)).toEqual(["GET"]);
  });

  it("binds a user with the rbac apiGroup, warns about a missing role, and names the binding after the role", async () => {
    const transport = scriptedTransport((r, seen) => {
      if (r.method === "POST") return new Response(seen.body, { status: 201 });
      if (seen.url.pathname.endsWith("/rolebindings"))
        return Response.json({ kind: "RoleBindingList", metadata: {}, items: [] });
      return Response.json(
        { kind: "Status", code: 404, reason: "NotFound", message: "not found", details: { name: "x" } },
        { status: 404 },
      );
    });
    const warnings: string[] = [];
    const client = createClient({ transport, server: SERVER });
    const binding = (await client.policy.addRoleToUser("edit", "bob", {
      namespace: "p",
      onWarning: (w) => warnings.push(w),
    })) as {
      subjects: unknown[];
      metadata: { name: string };
    };
    expect(binding.metadata.name).toBe("edit");
    expect(binding.subjects).toEqual([{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "bob" }]);
    expect(warnings).toEqual(['role "edit" not found']);
  });

  it("rejects a malformed service account user with a TypeError", async () => {
    const client = createClient({ transport: scriptedTransport(() => Response.json({ items: [] })), server: SERVER });
    expect(
      await client.policy.addRoleToUser("admin", "system:serviceaccount:only-ns").catch((e: unknown) => e),
    ).toBeInstanceOf(TypeError);
  });
});

describe("client.getServiceAccountToken()", () => {
  it("reads the legacy token secret on OpenShift 3.11 (no TokenRequest), as oc serviceaccounts get-token, and registers it as a secret", async () => {
    const token = "legacy-sa-token-value-0123456789";
    const recorded = os("openshift/rbac-oc-serviceaccounts-get-token").map((e) =>
      JSON.parse(JSON.stringify(e).replace("<base64:<token:sa-fx-rbac-robot>>", btoa(token))),
    ) as Exchange[];
    const transport = replayTransport([...os("discovery/api-v1"), ...recorded]);
    const client = createClient({ transport, server: SERVER });
    const result = await client.getServiceAccountToken("robot", { namespace: "fx-rbac" });
    expect(result).toEqual({ token, source: "Secret", secretName: "robot-token-2gnjw" });
    expect(transport.seen.map((s) => s.url.pathname)).toEqual([
      "/api/v1",
      "/api/v1/namespaces/fx-rbac/serviceaccounts/robot",
      "/api/v1/namespaces/fx-rbac/secrets/robot-dockercfg-nv2xr",
      "/api/v1/namespaces/fx-rbac/secrets/robot-token-2gnjw",
    ]);
    expect(redactSecrets(`got ${token}`)).toBe("got <redacted>");
  });

  it("uses TokenRequest where the server offers serviceaccounts/token (Kubernetes 1.20)", async () => {
    const transport = replayTransport(
      [
        ...fixture("kubernetes-v1.20.2/discovery/api-v1").exchanges,
        ...fixture("kubernetes-v1.20.2/auth/token-request").exchanges,
      ],
      { reuse: true },
    );
    const client = createClient({ transport, server: SERVER });
    const result = await client.getServiceAccountToken("robot", {
      namespace: "fx-auth",
      audiences: ["https://kubernetes.default.svc"],
      expirationSeconds: 3600,
    });
    expect(result.source).toBe("TokenRequest");
    expect(result.token).toBe("<token:sa-fx-auth-robot>");
    expect(result.expirationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    const missing = await client
      .getServiceAccountToken("nobody", {
        namespace: "fx-auth",
        audiences: ["https://kubernetes.default.svc"],
        expirationSeconds: 3600,
      })
      .catch((e: unknown) => e);
    expect(isNotFound(missing)).toBe(true);
  });

  it("gives up with ERR_AUTH when no token secret appears in time", async () => {
    const transport = scriptedTransport((_r, seen) =>
      seen.url.pathname === "/api/v1"
        ? Response.json({ kind: "APIResourceList", groupVersion: "v1", resources: [] })
        : Response.json({ kind: "ServiceAccount", metadata: { name: "robot", uid: "u1" }, secrets: [] }),
    );
    const client = createClient({ transport, server: SERVER });
    const error = await client.getServiceAccountToken("robot", { waitMs: 0 }).catch((e: unknown) => e);
    expect(isKubeError(error) && error.code).toBe("ERR_AUTH");
    expect((error as Error).message).toMatch(/could not find a service account token for service account "robot"/);
  });

  it("stops waiting when the signal aborts", async () => {
    const transport = scriptedTransport((_r, seen) =>
      seen.url.pathname === "/api/v1"
        ? Response.json({ kind: "APIResourceList", groupVersion: "v1", resources: [] })
        : Response.json({ kind: "ServiceAccount", metadata: { name: "robot" }, secrets: [] }),
    );
    const client = createClient({ transport, server: SERVER });
    const controller = new AbortController();
    const pending = client.getServiceAccountToken("robot", { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error("stop")), 30);
    expect(((await pending) as Error).message).toBe("stop");
  });
});
