/**
 * End to end: @kubeshift/auth's OpenShift and service-account functions against the fake cluster over HTTPS,
 * through @kubeshift/transport's Node adapter (trusting the cluster CA, redirects not followed) — the proofs the auth
 * package could only run against recordings until this server existed: OAuth login (PKCE and implicit, wrong
 * password, expiry), whoami (groups API, /oapi/v1 fallback, SelfSubjectReview), `login()` writing a kubeconfig,
 * TokenRequest and legacy token secrets, token verification against the cluster's keys, and impersonation.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getLegacyServiceAccountToken,
  login,
  loginWithPassword,
  requestServiceAccountToken,
  verifyServiceAccountToken,
  whoami,
} from "@kubeshift/auth";
import { type ApiRequester, composeTransport, impersonate, isKubeError, type Transport } from "@kubeshift/transport";
import { createNodeTransport, type NodeTransport } from "@kubeshift/transport/node";
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "./_test-client.ts";
import { createManualClock } from "./clock.ts";
import { type FakeCluster, startFakeCluster } from "./start-fake-cluster.ts";

/** Real tools and several clusters: generous on a loaded machine. */
const SLOW = { timeout: 120_000 };

const RBAC = "rbac.authorization.k8s.io";
const transports: NodeTransport[] = [];
const dir = mkdtempSync(join(tmpdir(), "kubeshift-auth-e2e-"));

afterAll(async () => {
  for (const t of transports) await t.close();
  rmSync(dir, { recursive: true, force: true });
});

function transportFor(cluster: FakeCluster): NodeTransport {
  const t = createNodeTransport({ caPem: cluster.caPem ?? "" });
  transports.push(t);
  return t;
}

/** An ApiRequester with a bearer token, as the client would give auth. */
function requester(cluster: FakeCluster, token: string, base: Transport = transportFor(cluster)): ApiRequester {
  return {
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set("Authorization", `Bearer ${token}`);
      return base.fetch(new Request(new URL(path, cluster.url), { ...init, headers }));
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("OpenShift OAuth login", () => {
  const clock = createManualClock(Math.floor(Date.now() / 1000) * 1000);
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await startFakeCluster({
      openshift: {
        identityProvider: { users: { developer: "s3cret", tester: "t3st" } },
        accessTokenMaxAgeSeconds: 600,
      },
      clock,
    });
  });
  afterAll(() => cluster.close());

  const fetchOf = (): ((r: Request) => Promise<Response>) => {
    const t = transportFor(cluster);
    return (r) => t.fetch(r);
  };

  it("loginWithPassword() uses the PKCE code grant the server offers (flow auto), like oc 3.11", SLOW, async () => {
    const token = await loginWithPassword({
      server: cluster.url,
      username: "developer",
      password: "s3cret",
      fetch: fetchOf(),
      clock,
    });
    expect(token).toMatchObject({ tokenType: "Bearer", scope: "user:full" });
    expect(token.expiresAt?.getTime()).toBe(clock.now() + 600_000);
    const stored = cluster.store.get<{ authorizeToken?: string; userName: string }>(
      { apiVersion: "oauth.openshift.io/v1", kind: "OAuthAccessToken" },
      token.token,
    );
    expect(stored?.userName).toBe("developer");
    expect(stored?.authorizeToken).toMatch(/^[\w-]{43}$/);
    const me = await whoami(requester(cluster, token.token));
    expect(me).toMatchObject({ metadata: { name: "developer" }, identities: ["htpasswd:developer"] });
  });

  it("loginWithPassword({ flow: 'implicit' }) takes the token from the redirect fragment", SLOW, async () => {
    const token = await loginWithPassword({
      server: cluster.url,
      username: "tester",
      password: "t3st",
      fetch: fetchOf(),
      flow: "implicit",
    });
    const stored = cluster.store.get<{ authorizeToken?: string }>(
      { apiVersion: "oauth.openshift.io/v1", kind: "OAuthAccessToken" },
      token.token,
    );
    expect(stored).toBeDefined();
    expect(stored?.authorizeToken).toBeUndefined();
    expect((await whoami(requester(cluster, token.token))).metadata.name).toBe("tester");
  });

  it("a wrong password fails with ERR_AUTH and a message without the password", SLOW, async () => {
    for (const flow of ["auto", "implicit"] as const) {
      const e = await rejection(
        loginWithPassword({ server: cluster.url, username: "developer", password: "wrong", fetch: fetchOf(), flow }),
      );
      expect(isKubeError(e)).toBe(true);
      expect(e).toMatchObject({ code: "ERR_AUTH" });
      expect((e as Error).message).toBe(
        "Login failed (401 Unauthorized): verify you have provided correct credentials",
      );
    }
  });

  it("an expired token is refused: whoami() rejects with 401", SLOW, async () => {
    const token = await loginWithPassword({
      server: cluster.url,
      username: "developer",
      password: "s3cret",
      fetch: fetchOf(),
    });
    clock.advance(601_000);
    const e = await rejection(whoami(requester(cluster, token.token)));
    expect(e).toMatchObject({ code: "ERR_API", status: 401 });
  });

  it("login() logs in, asks users/~ and the projects, and writes the kubeconfig entries oc would", SLOW, async () => {
    const dev = cluster.issueOAuthToken("developer");
    for (const name of ["fx-b", "fx-a"])
      await call(cluster, "POST", "/apis/project.openshift.io/v1/projectrequests", {
        token: dev,
        body: { kind: "ProjectRequest", apiVersion: "project.openshift.io/v1", metadata: { name } },
      });
    const kubeconfig = join(dir, "login-kubeconfig");
    // login() updates a kubeconfig as `oc login --kubeconfig` does; the file starts empty.
    writeFileSync(kubeconfig, "apiVersion: v1\nkind: Config\n", { mode: 0o600 });
    const result = await login({
      server: cluster.url,
      username: "developer",
      password: "s3cret",
      fetch: fetchOf(),
      caPem: cluster.caPem ?? "",
      kubeconfig,
    });
    const nick = `127-0-0-1:${cluster.port}`;
    expect(result).toMatchObject({
      project: "fx-a",
      projects: ["fx-a", "fx-b"],
      clusterName: nick,
      userName: `developer/${nick}`,
      contextName: `fx-a/${nick}/developer`,
      user: { metadata: { name: "developer" } },
    });
    const text = readFileSync(kubeconfig, "utf8");
    expect(text).toContain(`current-context: fx-a/${nick}/developer`);
    expect(text).toContain(`token: ${result.token}`);
  });
});

describe("whoami against the fake cluster", () => {
  it(
    "reads users/~ on the groups API, falls back to /oapi/v1, and uses SelfSubjectReview on plain Kubernetes",
    SLOW,
    async () => {
      await using os = await startFakeCluster({ openshift: true });
      const token = os.issueOAuthToken("developer");
      const groups = await whoami(requester(os, token));
      expect(groups).toMatchObject({ apiVersion: "user.openshift.io/v1", metadata: { name: "developer" } });
      // A 3.x server without the user.openshift.io group: its users/~ is a 404 and the legacy API answers.
      os.faults.add({ match: { path: "/apis/user.openshift.io/v1/users/~" }, respond: { status: 404 } });
      const legacy = await whoami(requester(os, token));
      expect(legacy).toMatchObject({ apiVersion: "v1", metadata: { name: "developer" } });
      const cert = await os.issueClientCertificate({ user: "system:admin", groups: ["system:masters"] });
      const t = createNodeTransport({
        caPem: os.caPem ?? "",
        clientCertificate: { certPem: cert.certPem, keyPem: cert.keyPem },
      });
      transports.push(t);
      const admin = await whoami({ request: (p, init) => t.fetch(new Request(new URL(p, os.url), init)) });
      expect(admin).toMatchObject({
        metadata: { name: "system:admin", creationTimestamp: null },
        identities: null,
        groups: ["system:authenticated", "system:masters"],
      });

      // On plain Kubernetes users/~ is a 404 for a cluster admin (a user without rights gets RBAC's 403 first, as
      // from a real server), and whoami() asks a SelfSubjectReview.
      await using k8s = await startFakeCluster({
        users: [{ name: "root", token: "root-token", groups: ["system:masters"] }],
      });
      const plain = await whoami(requester(k8s, "root-token"));
      expect(plain).toEqual({
        kind: "User",
        apiVersion: "user.openshift.io/v1",
        metadata: { name: "root" },
        groups: ["system:masters", "system:authenticated"],
      });
    },
  );
});

describe("service-account tokens", () => {
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await startFakeCluster({ openshift: true });
    const dev = cluster.issueOAuthToken("developer");
    await call(cluster, "POST", "/apis/project.openshift.io/v1/projectrequests", {
      token: dev,
      body: { kind: "ProjectRequest", apiVersion: "project.openshift.io/v1", metadata: { name: "fx-sa" } },
    });
    cluster.store.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot", namespace: "fx-sa" } });
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "RoleBinding",
      metadata: { name: "robot-admin", namespace: "fx-sa" },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "admin" },
      subjects: [{ kind: "ServiceAccount", name: "robot", namespace: "fx-sa" }],
    });
  });
  afterAll(() => cluster.close());

  it(
    "requestServiceAccountToken() gets a token that verifyServiceAccountToken() accepts with the cluster's keys",
    SLOW,
    async () => {
      const admin = requester(cluster, cluster.token);
      const issued = await requestServiceAccountToken(admin, {
        namespace: "fx-sa",
        name: "robot",
        audiences: ["https://kubernetes.default.svc"],
        expirationSeconds: 3600,
      });
      expect(issued.audiences).toEqual(["https://kubernetes.default.svc"]);
      expect(issued.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
      const robot = requester(cluster, issued.token);
      const claims = await verifyServiceAccountToken(issued.token, {
        requester: robot,
        audience: "https://kubernetes.default.svc",
      });
      expect(claims).toMatchObject({
        kind: "bound",
        issuer: "https://kubernetes.default.svc",
        username: "system:serviceaccount:fx-sa:robot",
        namespace: "fx-sa",
        serviceAccount: { name: "robot" },
      });
      expect((await whoami(robot)).metadata.name).toBe("system:serviceaccount:fx-sa:robot");
    },
  );

  it(
    "verifyServiceAccountToken() rejects a token the cluster did not sign, and one for another audience",
    SLOW,
    async () => {
      const robot = requester(
        cluster,
        (await requestServiceAccountToken(requester(cluster, cluster.token), { namespace: "fx-sa", name: "robot" }))
          .token,
      );
      const { privateKey } = await generateKeyPair("RS256");
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT({
        "kubernetes.io": { namespace: "fx-sa", serviceaccount: { name: "robot", uid: "x" } },
      })
        .setProtectedHeader({ alg: "RS256", kid: "not-the-cluster-key" })
        .setIssuer("https://kubernetes.default.svc")
        .setSubject("system:serviceaccount:fx-sa:robot")
        .setAudience("https://kubernetes.default.svc")
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(privateKey);
      const e = await rejection(verifyServiceAccountToken(forged, { requester: robot }));
      expect(e).toMatchObject({ code: "ERR_AUTH", reason: "unknown-key" });
      expect((await call(cluster, "GET", "/api/v1/namespaces/fx-sa/configmaps", { token: forged })).status).toBe(401);
      const vault = await requestServiceAccountToken(requester(cluster, cluster.token), {
        namespace: "fx-sa",
        name: "robot",
        audiences: ["vault"],
      });
      const wrongAudience = await rejection(
        verifyServiceAccountToken(vault.token, { requester: robot, audience: "https://kubernetes.default.svc" }),
      );
      expect(wrongAudience).toMatchObject({ reason: "audience" });
    },
  );

  it(
    "getLegacyServiceAccountToken() finds the token secret OpenShift 3.x made for the account, and it authenticates",
    SLOW,
    async () => {
      const admin = requester(cluster, cluster.token);
      let legacy: Awaited<ReturnType<typeof getLegacyServiceAccountToken>> | undefined;
      for (let i = 0; i < 1000 && legacy === undefined; i++) {
        legacy = await getLegacyServiceAccountToken(admin, { namespace: "fx-sa", name: "robot" }).catch(
          () => undefined,
        );
        if (legacy === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      expect(legacy?.secretName).toMatch(/^robot-token-[a-z0-9]{5}$/);
      expect(legacy?.caPem).toBe(cluster.caPem);
      const token = legacy?.token ?? "";
      const claims = await verifyServiceAccountToken(token, { requester: requester(cluster, token) });
      expect(claims).toMatchObject({
        kind: "legacy",
        issuer: "kubernetes/serviceaccount",
        username: "system:serviceaccount:fx-sa:robot",
      });
      const r = await call(cluster, "GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/fx-sa/rolebindings", {
        token,
      });
      expect(r.status).toBe(200);
    },
  );
});

describe("impersonation through transport's middleware", () => {
  it("admin acts as another user; a user without the impersonate verb is refused", SLOW, async () => {
    await using cluster = await startFakeCluster({
      users: [
        { name: "admin", token: "admin-token", groups: ["system:masters"] },
        { name: "jane", token: "jane-token" },
      ],
    });
    const base = transportFor(cluster);
    const asBob = composeTransport(
      base,
      impersonate({ user: "bob", groups: ["qa"], uid: "uid-bob", extra: { "team/name": ["x"] } }),
    );
    const review = (token: string): Promise<Response> =>
      requester(cluster, token, asBob).request("/apis/authentication.k8s.io/v1/selfsubjectreviews", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }),
      });
    const me = await review("admin-token");
    expect(me.status).toBe(201);
    expect(((await me.json()) as { status: { userInfo: unknown } }).status.userInfo).toEqual({
      username: "bob",
      uid: "uid-bob",
      groups: ["qa", "system:authenticated"],
      extra: { "team/name": ["x"] },
    });
    const refused = await review("jane-token");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe(
      'users "bob" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });
});
