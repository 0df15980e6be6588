import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallResult, call } from "../_test-client.ts";
import { createManualClock } from "../clock.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

const CLIENT = "openshift-challenging-client";
const basic = (user: string, password: string): string => `Basic ${btoa(`${user}:${password}`)}`;

function fragment(r: CallResult): URLSearchParams {
  return new URLSearchParams(new URL(String(r.headers.location)).hash.slice(1));
}

async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return Buffer.from(digest).toString("base64url");
}

describe("the OAuth server (allow-all identity provider)", () => {
  const clock = createManualClock(Math.floor(Date.now() / 1000) * 1000);
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await startFakeCluster({ openshift: { accessTokenMaxAgeSeconds: 3600 }, clock });
  });
  afterAll(() => cluster.close());

  const authorize = (query: string, headers: Record<string, string> = {}): Promise<CallResult> =>
    call(cluster, "GET", `/oauth/authorize?${query}`, { token: null, headers });

  it("publishes its metadata to anonymous clients", async () => {
    const r = await call(cluster, "GET", "/.well-known/oauth-authorization-server", { token: null });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      issuer: cluster.url,
      authorization_endpoint: `${cluster.url}/oauth/authorize`,
      token_endpoint: `${cluster.url}/oauth/token`,
      scopes_supported: [
        "user:check-access",
        "user:full",
        "user:info",
        "user:list-projects",
        "user:list-scoped-projects",
      ],
      response_types_supported: ["code", "token"],
      grant_types_supported: ["authorization_code", "implicit"],
      code_challenge_methods_supported: ["plain", "S256"],
    });
  });

  it("challenges only requests that carry X-CSRF-Token, and gives a token for valid Basic credentials", async () => {
    const q = `client_id=${CLIENT}&response_type=token`;
    const noCsrf = await authorize(q);
    expect(noCsrf.status).toBe(401);
    expect(noCsrf.headers["www-authenticate"]).toBeUndefined();
    expect(noCsrf.headers.warning).toBe(
      '199 Origin "A non-empty X-CSRF-Token header is required to receive basic-auth challenges"',
    );
    expect(noCsrf.text).toBe("A non-empty X-CSRF-Token header is required to receive basic-auth challenges\n");
    const challenge = await authorize(q, { "X-CSRF-Token": "1" });
    expect(challenge.status).toBe(401);
    expect(challenge.headers["www-authenticate"]).toBe('Basic realm="openshift"');
    const granted = await authorize(q, { "X-CSRF-Token": "1", Authorization: basic("developer", "any") });
    expect(granted.status).toBe(302);
    const location = new URL(String(granted.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(`${cluster.url}/oauth/token/implicit`);
    const params = fragment(granted);
    expect([...params.keys()]).toEqual(["access_token", "expires_in", "scope", "token_type"]);
    expect(params.get("access_token")).toMatch(/^[\w-]{43}$/);
    expect(location.hash).toContain("&expires_in=3600&scope=user%3Afull&token_type=Bearer");
  });

  it("the first login creates the User and its Identity; users/~ answers who the token belongs to", async () => {
    const r = await authorize(`client_id=${CLIENT}&response_type=token`, {
      "X-CSRF-Token": "1",
      Authorization: basic("alice", "x"),
    });
    const token = fragment(r).get("access_token") as string;
    for (const path of ["/apis/user.openshift.io/v1/users/~", "/oapi/v1/users/~"]) {
      const me = await call(cluster, "GET", path, { token });
      expect(me.status).toBe(200);
      expect(me.json()).toMatchObject({
        kind: "User",
        apiVersion: path.startsWith("/oapi") ? "v1" : "user.openshift.io/v1",
        metadata: { name: "alice" },
        identities: ["anypassword:alice"],
        groups: ["system:authenticated", "system:authenticated:oauth"],
      });
    }
    const identity = cluster.store.get({ apiVersion: "user.openshift.io/v1", kind: "Identity" }, "anypassword:alice");
    expect(identity).toMatchObject({ providerName: "anypassword", providerUserName: "alice", user: { name: "alice" } });
    const stored = cluster.store.get<{ metadata: { name: string } }>(
      { apiVersion: "oauth.openshift.io/v1", kind: "OAuthAccessToken" },
      token,
    );
    expect(stored).toMatchObject({ clientName: CLIENT, expiresIn: 3600, scopes: ["user:full"], userName: "alice" });
  });

  it("answers errors as 3.11 does: unknown client, bad redirect_uri, missing response_type, unknown scope", async () => {
    const creds = { "X-CSRF-Token": "1", Authorization: basic("developer", "x") };
    const client = await authorize("client_id=no-such-client&response_type=token", creds);
    expect(client.status).toBe(400);
    expect(client.json()).toEqual({
      error: "unauthorized_client",
      error_description: "The client is not authorized to request a token using this method.",
    });
    const redirect = await authorize(
      `client_id=${CLIENT}&response_type=token&redirect_uri=${encodeURIComponent("https://evil.example.com/")}`,
      creds,
    );
    expect(redirect.status).toBe(400);
    expect(redirect.json().error).toBe("invalid_request");
    const type = await authorize(`client_id=${CLIENT}`, creds);
    expect(type.status).toBe(302);
    expect(type.headers.location).toBe(
      `${cluster.url}/oauth/token/implicit?error=unsupported_response_type&error_description=The+authorization+server+does+not+support+obtaining+a+token+using+this+method.`,
    );
    const scope = await authorize(`client_id=${CLIENT}&response_type=token&scope=no-such-scope`, creds);
    expect(scope.headers.location).toBe(
      `${cluster.url}/oauth/token/implicit?error=invalid_scope&error_description=%5B0%5D%3A+Invalid+value%3A+%22no-such-scope%22%3A+no+scope+handler+found`,
    );
  });

  it("runs the authorization-code grant with PKCE S256 that oc login uses; a code works once", async () => {
    const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    const query = new URLSearchParams({
      client_id: CLIENT,
      code_challenge: await s256(verifier),
      code_challenge_method: "S256",
      redirect_uri: `${cluster.url}/oauth/token/implicit`,
      response_type: "code",
    }).toString();
    const creds = { "X-CSRF-Token": "1", Authorization: basic("developer", "x") };
    const granted = await authorize(query, creds);
    expect(granted.status).toBe(302);
    const code = new URL(String(granted.headers.location)).searchParams.get("code") as string;
    expect(String(granted.headers.location)).toMatch(/\?code=[\w-]+&state=$/);
    const redeem = (c: string, v: string): Promise<CallResult> =>
      call(cluster, "POST", "/oauth/token", {
        token: null,
        headers: {
          Authorization: basic(CLIENT, ""),
          Accept: "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({
          code: c,
          code_verifier: v,
          grant_type: "authorization_code",
          redirect_uri: `${cluster.url}/oauth/token/implicit`,
        }).toString(),
      });
    const token = await redeem(code, verifier);
    expect(token.status).toBe(200);
    expect(token.json()).toMatchObject({ expires_in: 3600, scope: "user:full", token_type: "Bearer" });
    const me = await call(cluster, "GET", "/apis/user.openshift.io/v1/users/~", { token: token.json().access_token });
    expect(me.json().metadata.name).toBe("developer");
    const again = await redeem(code, verifier);
    expect(again.status).toBe(400);
    expect(again.json().error).toBe("unauthorized_client");
    const second = new URL(String((await authorize(query, creds)).headers.location)).searchParams.get("code") as string;
    const wrong = await redeem(second, "A".repeat(43));
    expect(wrong.status).toBe(400);
    expect(wrong.json().error).toBe("invalid_grant");
  });

  it("tokens expire with the cluster clock and are revoked by deleting their OAuthAccessToken", async () => {
    const login = async (user: string): Promise<string> =>
      fragment(
        await authorize(`client_id=${CLIENT}&response_type=token`, {
          "X-CSRF-Token": "1",
          Authorization: basic(user, "x"),
        }),
      ).get("access_token") as string;
    const revokee = await login("revokee");
    const expiring = await login("expiring");
    const me = (t: string) => call(cluster, "GET", "/apis/user.openshift.io/v1/users/~", { token: t });
    expect((await me(revokee)).status).toBe(200);
    const deleted = await call(cluster, "DELETE", `/apis/oauth.openshift.io/v1/oauthaccesstokens/${revokee}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json()).toMatchObject({ status: "Success", details: { kind: "oauthaccesstokens" } });
    const after = await me(revokee);
    expect(after.status).toBe(401);
    expect(after.json()).toMatchObject({ reason: "Unauthorized", message: "Unauthorized" });
    clock.advance(3_599_000);
    expect((await me(expiring)).status).toBe(200);
    clock.advance(1_000);
    expect((await me(expiring)).status).toBe(401);
    expect((await call(cluster, "GET", "/version", { token: expiring })).status).toBe(401);
  });

  it("a Group's members carry it: users/~ lists it and RoleBindings to the group apply", async () => {
    cluster.store.create({
      apiVersion: "user.openshift.io/v1",
      kind: "Group",
      metadata: { name: "qa" },
      users: ["carol"],
    });
    cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "qa-space" } });
    cluster.store.create({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "qa-view", namespace: "qa-space" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "qa" }],
    });
    const token = cluster.issueOAuthToken("carol");
    const me = await call(cluster, "GET", "/apis/user.openshift.io/v1/users/~", { token });
    expect(me.json().groups).toEqual(["qa", "system:authenticated", "system:authenticated:oauth"]);
    expect((await call(cluster, "GET", "/api/v1/namespaces/qa-space/configmaps", { token })).status).toBe(200);
    expect((await call(cluster, "GET", "/api/v1/namespaces/default/configmaps", { token })).status).toBe(403);
  });

  it("an ordinary user may not list tokens; cluster.issueOAuthToken() logs in without HTTP", async () => {
    const token = cluster.issueOAuthToken("bob");
    const r = await call(cluster, "GET", "/apis/oauth.openshift.io/v1/oauthaccesstokens", { token });
    expect(r.status).toBe(403);
    expect(r.json().message).toBe(
      'oauthaccesstokens.oauth.openshift.io is forbidden: User "bob" cannot list resource "oauthaccesstokens" in API group "oauth.openshift.io" at the cluster scope',
    );
  });
});

describe("the OAuth server with a users and passwords map", () => {
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await startFakeCluster({ openshift: { identityProvider: { users: { developer: "s3cret" } } } });
  });
  afterAll(() => cluster.close());

  it("accepts the right password, and answers a wrong one or an unknown user with the challenge again", async () => {
    const q = `/oauth/authorize?client_id=${CLIENT}&response_type=token`;
    const ok = await call(cluster, "GET", q, {
      token: null,
      headers: { "X-CSRF-Token": "1", Authorization: basic("developer", "s3cret") },
    });
    expect(ok.status).toBe(302);
    expect(
      cluster.store.get({ apiVersion: "user.openshift.io/v1", kind: "Identity" }, "htpasswd:developer"),
    ).toBeDefined();
    for (const [user, password] of [
      ["developer", "wrong"],
      ["stranger", "s3cret"],
    ]) {
      const bad = await call(cluster, "GET", q, {
        token: null,
        headers: { "X-CSRF-Token": "1", Authorization: basic(user as string, password as string) },
      });
      expect(bad.status).toBe(401);
      expect(bad.headers["www-authenticate"]).toBe('Basic realm="openshift"');
    }
  });

  it("is not served on a plain Kubernetes cluster", async () => {
    await using plain = await startFakeCluster();
    const r = await call(plain, "GET", "/.well-known/oauth-authorization-server", { token: null });
    expect(r.status).toBe(401);
    expect(() => plain.issueOAuthToken("x")).toThrow(TypeError);
  });
});
