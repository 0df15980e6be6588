import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallResult, call } from "../_test-client.ts";
import { createManualClock } from "../clock.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

const RBAC = "rbac.authorization.k8s.io";
// A whole second, near now (the serving certificate is made from the same clock).
const clock = createManualClock(Math.floor(Date.now() / 1000) * 1000);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

async function until<T>(what: string, fn: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("service-account tokens", () => {
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await startFakeCluster({
      clock,
      users: [{ name: "admin", token: "admin-token", groups: ["system:masters"] }],
    });
    cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } });
    for (const name of ["robot", "temp"])
      cluster.store.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: "apps" } });
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "RoleBinding",
      metadata: { name: "robot-view", namespace: "apps" },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "ServiceAccount", name: "robot", namespace: "apps" }],
    });
  });
  afterAll(() => cluster.close());

  const tokenRequest = (name: string, spec: object, token = "admin-token"): Promise<CallResult> =>
    call(cluster, "POST", `/api/v1/namespaces/apps/serviceaccounts/${name}/token`, {
      token,
      body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec },
    });

  const whoami = (token: string): Promise<CallResult> =>
    call(cluster, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      token,
      body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    });

  it("TokenRequest returns an RS256 JWT with the kubernetes.io claims, verifiable with the published keys", async () => {
    const r = await tokenRequest("robot", { audiences: ["https://kubernetes.default.svc"], expirationSeconds: 3600 });
    expect(r.status).toBe(201);
    const body = r.json();
    expect(body).toMatchObject({
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      spec: { audiences: ["https://kubernetes.default.svc"], expirationSeconds: 3600, boundObjectRef: null },
      status: { expirationTimestamp: iso(clock.now() + 3_600_000) },
    });
    const token = body.status.token as string;
    const header = decodeProtectedHeader(token);
    expect(header.alg).toBe("RS256");
    const claims = decodeJwt(token);
    const sa = cluster.store.get<{ metadata: { uid: string } }>(
      { apiVersion: "v1", kind: "ServiceAccount" },
      "robot",
      "apps",
    );
    expect(claims).toMatchObject({
      iss: "https://kubernetes.default.svc",
      sub: "system:serviceaccount:apps:robot",
      aud: ["https://kubernetes.default.svc"],
      exp: clock.now() / 1000 + 3600,
      "kubernetes.io": { namespace: "apps", serviceaccount: { name: "robot", uid: sa?.metadata.uid } },
    });
    const jwks = await call(cluster, "GET", "/openid/v1/jwks", {
      token,
      headers: { Accept: "application/jwk-set+json" },
    });
    expect(jwks.status).toBe(200);
    expect(jwks.headers["content-type"]).toBe("application/jwk-set+json");
    expect(jwks.json().keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", kid: header.kid });
    const verified = await jwtVerify(token, createLocalJWKSet(jwks.json()), { currentDate: new Date(clock.now()) });
    expect(verified.payload.sub).toBe("system:serviceaccount:apps:robot");
  });

  it("the token authenticates as the service account, with its groups and a credential id", async () => {
    const token = (await tokenRequest("robot", {})).json().status.token as string;
    const me = await whoami(token);
    expect(me.status).toBe(201);
    const info = me.json().status.userInfo;
    expect(info.username).toBe("system:serviceaccount:apps:robot");
    expect(info.groups).toEqual(["system:serviceaccounts", "system:serviceaccounts:apps", "system:authenticated"]);
    expect(info.extra["authentication.kubernetes.io/credential-id"][0]).toMatch(/^JTI=/);
    expect((await call(cluster, "GET", "/api/v1/namespaces/apps/configmaps", { token })).status).toBe(200);
    expect((await call(cluster, "GET", "/api/v1/namespaces/apps/secrets", { token })).status).toBe(403);
  });

  it("validation and errors are the server's: 422 under ten minutes, 404 for a missing service account", async () => {
    const short = await tokenRequest("robot", { expirationSeconds: 60 });
    expect(short.status).toBe(422);
    expect(short.json().message).toBe(
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    );
    const missing = await tokenRequest("nobody", {});
    expect(missing.status).toBe(404);
    expect(missing.json().message).toBe('serviceaccounts "nobody" not found');
  });

  it("a token for another audience does not authenticate requests, but TokenReview with that audience accepts it", async () => {
    const token = (await tokenRequest("robot", { audiences: ["vault"] })).json().status.token as string;
    expect((await whoami(token)).status).toBe(401);
    const review = (audiences?: string[]) =>
      call(cluster, "POST", "/apis/authentication.k8s.io/v1/tokenreviews", {
        token: "admin-token",
        body: {
          apiVersion: "authentication.k8s.io/v1",
          kind: "TokenReview",
          spec: { token, ...(audiences === undefined ? {} : { audiences }) },
        },
      });
    const rejected = (await review()).json().status;
    expect(rejected).toEqual({
      user: {},
      error:
        '[invalid bearer token, token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc"]]',
    });
    const accepted = (await review(["vault"])).json().status;
    expect(accepted).toMatchObject({
      authenticated: true,
      user: { username: "system:serviceaccount:apps:robot" },
      audiences: ["vault"],
    });
    const garbage = await call(cluster, "POST", "/apis/authentication.k8s.io/v1/tokenreviews", {
      token: "admin-token",
      body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token: "not-a-token" } },
    });
    expect(garbage.json().status).toEqual({ user: {}, error: "invalid bearer token" });
  });

  it("expired, revoked, and deleted-account tokens get 401", async () => {
    const expiring = (await tokenRequest("robot", { expirationSeconds: 600 })).json().status.token as string;
    const revoked = (await tokenRequest("robot", {})).json().status.token as string;
    const orphan = (await tokenRequest("temp", {})).json().status.token as string;
    expect((await whoami(expiring)).status).toBe(201);
    expect((await whoami(orphan)).status).toBe(201);
    expect(cluster.revokeToken(revoked)).toBe(true);
    expect((await whoami(revoked)).status).toBe(401);
    cluster.store.delete({ apiVersion: "v1", kind: "ServiceAccount" }, "temp", "apps");
    const r = await whoami(orphan);
    expect(r.status).toBe(401);
    expect(r.json()).toMatchObject({ reason: "Unauthorized", message: "Unauthorized" });
    clock.advance(601_000);
    expect((await whoami(expiring)).status).toBe(401);
  });

  it("a recreated account with the same name does not inherit the old account's tokens", async () => {
    cluster.store.create({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "phoenix", namespace: "apps" },
    });
    const token = (await tokenRequest("phoenix", {})).json().status.token as string;
    cluster.store.delete({ apiVersion: "v1", kind: "ServiceAccount" }, "phoenix", "apps");
    cluster.store.create({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "phoenix", namespace: "apps" },
    });
    expect((await whoami(token)).status).toBe(401);
  });

  it("a token bound to a pod stops working when the pod is deleted", async () => {
    cluster.store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "worker", namespace: "apps" },
      spec: { serviceAccountName: "robot", containers: [{ name: "c", image: "busybox" }] },
    });
    const r = await tokenRequest("robot", { boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "worker" } });
    expect(r.status).toBe(201);
    const token = r.json().status.token as string;
    expect(decodeJwt(token)["kubernetes.io"]).toMatchObject({ pod: { name: "worker" } });
    const me = (await whoami(token)).json().status.userInfo;
    expect(me.extra["authentication.kubernetes.io/pod-name"]).toEqual(["worker"]);
    cluster.store.delete({ apiVersion: "v1", kind: "Pod" }, "worker", "apps", { gracePeriodSeconds: 0 });
    await until("pod gone", () =>
      cluster.store.get({ apiVersion: "v1", kind: "Pod" }, "worker", "apps") === undefined ? true : undefined,
    );
    expect((await whoami(token)).status).toBe(401);
    const missing = await tokenRequest("robot", { boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "gone" } });
    expect(missing.status).toBe(404);
  });

  it("a token secret made by hand is filled in by the tokens controller, authenticates, and dies with the secret", async () => {
    cluster.store.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "robot-legacy",
        namespace: "apps",
        annotations: { "kubernetes.io/service-account.name": "robot" },
      },
      type: "kubernetes.io/service-account-token",
    });
    const secret = await until("token", () => {
      const s = cluster.store.get<{ data?: Record<string, string>; metadata: { annotations: Record<string, string> } }>(
        { apiVersion: "v1", kind: "Secret" },
        "robot-legacy",
        "apps",
      );
      return s?.data?.token === undefined ? undefined : s;
    });
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(["ca.crt", "namespace", "token"]);
    expect(secret.metadata.annotations["kubernetes.io/service-account.uid"]).toMatch(/^[0-9a-f-]{36}$/);
    const token = Buffer.from(secret.data?.token ?? "", "base64").toString();
    expect(decodeJwt(token)).toMatchObject({
      iss: "kubernetes/serviceaccount",
      "kubernetes.io/serviceaccount/secret.name": "robot-legacy",
      "kubernetes.io/serviceaccount/service-account.name": "robot",
    });
    expect((await whoami(token)).json().status.userInfo.username).toBe("system:serviceaccount:apps:robot");
    cluster.store.delete({ apiVersion: "v1", kind: "Secret" }, "robot-legacy", "apps");
    expect((await whoami(token)).status).toBe(401);
  });

  it("issuer discovery: openid-configuration, and the key set only as application/jwk-set+json", async () => {
    const robot = (await tokenRequest("robot", {})).json().status.token as string;
    const config = await call(cluster, "GET", "/.well-known/openid-configuration", { token: robot });
    expect(config.status).toBe(200);
    expect(config.json()).toEqual({
      issuer: "https://kubernetes.default.svc",
      jwks_uri: `${cluster.url}/openid/v1/jwks`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    });
    const json = await call(cluster, "GET", "/openid/v1/jwks", {
      token: robot,
      headers: { Accept: "application/json" },
    });
    expect(json.status).toBe(406);
    expect(json.json()).toMatchObject({ reason: "NotAcceptable", message: "406: Not Acceptable" });
    expect((await call(cluster, "GET", "/openid/v1/jwks", { token: robot })).status).toBe(200);
    cluster.addUser({ name: "plain", token: "plain-token" });
    const denied = await call(cluster, "GET", "/openid/v1/jwks", { token: "plain-token" });
    expect(denied.status).toBe(403);
    expect(denied.json().message).toBe('forbidden: User "plain" cannot get path "/openid/v1/jwks"');
  });

  it("cluster.createServiceAccountToken() issues the same tokens without HTTP", async () => {
    const token = await cluster.createServiceAccountToken("apps", "robot", {
      audiences: ["api"],
      expirationSeconds: 900,
    });
    expect(decodeJwt(token)).toMatchObject({ aud: ["api"], sub: "system:serviceaccount:apps:robot" });
    await expect(cluster.createServiceAccountToken("apps", "nobody")).rejects.toMatchObject({ status: 404 });
  });
});
