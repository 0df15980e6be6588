// whoami() against a local HTTPS server answering with the recorded bytes of OpenShift 3.11 and Kubernetes 1.20.
import { ApiError, isKubeError, isUnauthorized } from "@kubeshift/transport";
import { afterAll, describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { emptyKubeconfig } from "./kubeconfig.ts";
import {
  httpsFetch,
  type ReplayServer,
  type Route,
  readFixture,
  startReplayServer,
  testRequester,
  testTls,
} from "./node/_test-support.ts";
import { whoami, whoamiToken } from "./whoami.ts";

const usersMe = readFixture(fixturePath("openshift-v3.11.0/openshift/oauth-users-me.json")).exchanges;
const garbage = readFixture(fixturePath("openshift-v3.11.0/openshift/oauth-garbage-token.json")).exchanges;
const k8sAuthn = readFixture(fixturePath("kubernetes-v1.20.2/auth/authentication-api.json")).exchanges;
const fetch = httpsFetch({ caPem: testTls.caPem });
const servers: ReplayServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function serve(routes: Route[]): Promise<ReplayServer> {
  const server = await startReplayServer(routes);
  servers.push(server);
  return server;
}

const NOT_FOUND = {
  status: 404,
  headers: { "content-type": "application/json" },
  body: k8sAuthn[3]?.response.body,
};

describe("whoami", () => {
  it("returns the User from users/~ on the groups API (recorded OpenShift 3.11 answer)", async () => {
    const server = await serve([
      { method: "GET", path: "/apis/user.openshift.io/v1/users/~", reply: usersMe[0]?.response as never },
    ]);
    const requester = testRequester(fetch, server.url, "oauth-token");
    const user = await whoami(requester);
    expect(user.metadata.name).toBe("developer");
    expect(user.groups).toEqual(["system:authenticated", "system:authenticated:oauth"]);
    expect(user.identities).toEqual(["anypassword:developer"]);
    expect(requester.paths).toEqual(["GET /apis/user.openshift.io/v1/users/~"]);
  });

  it("falls back to /oapi/v1/users/~ on servers without the user.openshift.io group", async () => {
    const server = await serve([
      { method: "GET", path: "/apis/user.openshift.io/v1/users/~", reply: NOT_FOUND },
      { method: "GET", path: "/oapi/v1/users/~", reply: usersMe[3]?.response as never },
    ]);
    const requester = testRequester(fetch, server.url, "cert-admin");
    const user = await whoami(requester);
    expect(user.apiVersion).toBe("v1");
    expect(user.metadata.name).toBe("system:admin");
    expect(user.identities).toBeNull();
    expect(requester.paths).toEqual(["GET /apis/user.openshift.io/v1/users/~", "GET /oapi/v1/users/~"]);
  });

  it("throws the server's 401 as an ApiError for a token it never issued (recorded garbage token)", async () => {
    const server = await serve([
      { method: "GET", path: "/apis/user.openshift.io/v1/users/~", reply: garbage[0]?.response as never },
    ]);
    const error = await whoami(testRequester(fetch, server.url, "this-is-not-a-valid-token")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isUnauthorized(error)).toBe(true);
  });

  it("uses SelfSubjectReview on plain Kubernetes, and says so when the server (1.20) has none", async () => {
    const review = {
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1",
      status: {
        userInfo: { username: "token-admin", uid: "uid-admin", groups: ["system:masters", "system:authenticated"] },
      },
    };
    const modern = await serve([
      { method: "GET", path: "/apis/user.openshift.io/v1/users/~", reply: NOT_FOUND },
      { method: "GET", path: "/oapi/v1/users/~", reply: NOT_FOUND },
      {
        method: "POST",
        path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        reply: { status: 201, body: review },
      },
    ]);
    const user = await whoami(testRequester(fetch, modern.url, "t"));
    expect(user).toEqual({
      kind: "User",
      apiVersion: "user.openshift.io/v1",
      metadata: { name: "token-admin", uid: "uid-admin" },
      groups: ["system:masters", "system:authenticated"],
    });

    const old = await serve([
      { method: "GET", path: "/apis/user.openshift.io/v1/users/~", reply: NOT_FOUND },
      { method: "GET", path: "/oapi/v1/users/~", reply: NOT_FOUND },
      ...[3, 4, 5].map((i, n) => ({
        method: "POST",
        path: `/apis/authentication.k8s.io/${["v1", "v1beta1", "v1alpha1"][n]}/selfsubjectreviews`,
        reply: k8sAuthn[i]?.response as never,
      })),
    ]);
    const error = await whoami(testRequester(fetch, old.url, "t")).catch((e: unknown) => e);
    expect(isKubeError(error) && error.code).toBe("ERR_AUTH");
    expect((error as Error).message).toContain(
      "neither OpenShift's users/~ nor authentication.k8s.io SelfSubjectReview",
    );
  });
});

describe("whoami on plain Kubernetes for a user without rights on the user API", () => {
  const forbidden = (path: string) => ({
    status: 403,
    headers: { "content-type": "application/json" },
    body: {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `forbidden: User "dev" cannot get path "${path}"`,
      reason: "Forbidden",
      details: {},
      code: 403,
    },
  });

  it("treats a 403 on users/~ (RBAC runs before routing) like a missing user API and asks SelfSubjectReview", async () => {
    const server = await serve([
      {
        method: "GET",
        path: "/apis/user.openshift.io/v1/users/~",
        reply: forbidden("/apis/user.openshift.io/v1/users/~"),
      },
      { method: "GET", path: "/oapi/v1/users/~", reply: forbidden("/oapi/v1/users/~") },
      {
        method: "POST",
        path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        reply: {
          status: 201,
          body: {
            kind: "SelfSubjectReview",
            apiVersion: "authentication.k8s.io/v1",
            status: { userInfo: { username: "dev", groups: ["system:authenticated"] } },
          },
        },
      },
    ]);
    const user = await whoami(testRequester(fetch, server.url, "t"));
    expect(user.metadata.name).toBe("dev");
    expect(user.groups).toEqual(["system:authenticated"]);
  });

  it("reports the 403 of users/~ when the server has no SelfSubjectReview either", async () => {
    const server = await serve([
      {
        method: "GET",
        path: "/apis/user.openshift.io/v1/users/~",
        reply: forbidden("/apis/user.openshift.io/v1/users/~"),
      },
      { method: "GET", path: "/oapi/v1/users/~", reply: NOT_FOUND },
      ...["v1", "v1beta1", "v1alpha1"].map((v) => ({
        method: "POST",
        path: `/apis/authentication.k8s.io/${v}/selfsubjectreviews`,
        reply: NOT_FOUND,
      })),
    ]);
    const error = await whoami(testRequester(fetch, server.url, "t")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
    expect((error as ApiError).message).toContain('cannot get path "/apis/user.openshift.io/v1/users/~"');
  });
});

describe("whoamiToken", () => {
  it("returns the token of the current context, like oc whoami --show-token", async () => {
    const config = emptyKubeconfig();
    config.clusters.k = { server: "https://k" };
    config.users.u = { token: "the-session-token" };
    config.users.cert = {
      clientCertificateData: new TextEncoder().encode("x"),
      clientKeyData: new TextEncoder().encode("y"),
    };
    config.contexts.c = { cluster: "k", user: "u" };
    config.contexts.certs = { cluster: "k", user: "cert" };
    config.currentContext = "c";
    expect(await whoamiToken(config)).toBe("the-session-token");
    const error = await whoamiToken(config, { context: "certs" }).catch((e: unknown) => e);
    expect(isKubeError(error) && error.code).toBe("ERR_AUTH");
    expect((error as Error).message).toBe("no token is currently in use for this session");
  });
});
