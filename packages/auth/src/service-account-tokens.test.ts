// Service-account tokens: claims as recorded from kube-apiserver 1.20 and OpenShift 3.11 (the recordings keep the
// decoded JWT claims, not the tokens), signed here with a throwaway key served from a local HTTPS server shaped like
// the recorded /.well-known/openid-configuration and /openid/v1/jwks (which answers 406 to Accept: application/json).
import { ApiError, isInvalid, isNotFound } from "@kubeshift/transport";
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { inspectToken } from "./inspect-token.ts";
import {
  httpsFetch,
  type ReplayServer,
  readFixture,
  type SeenRequest,
  startReplayServer,
  testRequester,
  testTls,
} from "./node/_test-support.ts";
import { getLegacyServiceAccountToken, requestServiceAccountToken } from "./request-service-account-token.ts";
import { createServiceAccountKeySet } from "./service-account-key-set.ts";
import { ServiceAccountTokenError } from "./service-account-token-error.ts";
import { verifyServiceAccountToken } from "./verify-service-account-token.ts";

type Claims = { header: { alg: string; kid: string }; payload: JWTPayload };
const tokenRequest = readFixture(fixturePath("kubernetes-v1.20.2/auth/token-request.json")).exchanges;
const legacySecret = readFixture(fixturePath("kubernetes-v1.20.2/auth/legacy-sa-token-secret.json")).exchanges;
const openid = readFixture(fixturePath("kubernetes-v1.20.2/discovery/openid.json")).exchanges;
const ocGetToken = readFixture(
  fixturePath("openshift-v3.11.0/openshift/rbac-oc-serviceaccounts-get-token.json"),
).exchanges;
const ocProject = readFixture(fixturePath("openshift-v3.11.0/openshift/project-serviceaccounts.json")).exchanges;

function claimsOf(response: { jwtClaims?: Record<string, unknown> }): Claims {
  const jc = response.jwtClaims as Record<string, unknown>;
  return ("payload" in jc ? jc : Object.values(jc)[0]) as Claims;
}
const boundClaims = claimsOf(tokenRequest[0]?.response as never);
const legacyClaims = claimsOf(legacySecret[1]?.response as never);
const openshiftClaims = claimsOf(ocProject.find((e) => e.response.jwtClaims !== undefined)?.response as never);
const ISSUED_AT = (boundClaims.payload.iat as number) * 1000;

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
let keys: { kid: string; privateKey: PrivateKey; jwk: JWK }[] = [];
async function newKey(kid: string): Promise<{ kid: string; privateKey: PrivateKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}
async function sign(payload: JWTPayload, key: { kid: string; privateKey: PrivateKey }, kid = key.kid): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid }).sign(key.privateKey);
}

let served: JWK[] = [];
let server: ReplayServer;
const fetch = httpsFetch({ caPem: testTls.caPem });
const clock = { now: () => ISSUED_AT + 60_000 };

beforeAll(async () => {
  keys = [await newKey(String(boundClaims.header.kid)), await newKey("rotated-key")];
  served = [keys[0]?.jwk as JWK];
  server = await startReplayServer([
    {
      method: "GET",
      path: "/.well-known/openid-configuration",
      reply: () => {
        const r = JSON.parse(JSON.stringify(openid[0]?.response)) as {
          status: number;
          headers: Record<string, string>;
          body: Record<string, unknown>;
        };
        r.body.jwks_uri = "{{origin}}/openid/v1/jwks";
        return r;
      },
    },
    // kube-apiserver serves the key set only as application/jwk-set+json (recorded 406 otherwise).
    {
      method: "GET",
      path: "/openid/v1/jwks",
      when: (r) => r.headers.accept === "application/json",
      reply: openid[1]?.response as never,
    },
    {
      method: "GET",
      path: "/openid/v1/jwks",
      reply: () => ({ status: 200, headers: { "content-type": "application/jwk-set+json" }, body: { keys: served } }),
    },
  ]);
});
afterAll(() => server.close());

describe("inspectToken", () => {
  it("reads a TokenRequest token (recorded 1.20 claims) as bound, with audience and lifetime", async () => {
    const claims = inspectToken(await sign(boundClaims.payload, keys[0] as never));
    expect(claims).toMatchObject({
      kind: "bound",
      issuer: "https://kubernetes.default.svc",
      subject: "system:serviceaccount:fx-auth:robot",
      namespace: "fx-auth",
      serviceAccount: { name: "robot", uid: "48da215f-13cd-4566-b97c-09f367e31b0f" },
      audiences: ["https://kubernetes.default.svc"],
      keyId: boundClaims.header.kid,
      algorithm: "RS256",
    });
    expect(claims.expiresAt?.getTime()).toBe((boundClaims.payload.exp as number) * 1000);
    expect(claims.issuedAt?.getTime()).toBe(ISSUED_AT);
    expect(claims.pod).toBeUndefined();
  });

  it("reads a secret-based token (recorded 1.20 and OpenShift 3.11 claims) as legacy", async () => {
    const k8s = inspectToken(await sign(legacyClaims.payload, keys[0] as never));
    expect(k8s).toMatchObject({
      kind: "legacy",
      issuer: "kubernetes/serviceaccount",
      namespace: "fx-auth",
      serviceAccount: { name: "legacy", uid: "94f13023-d0b9-4b94-8479-bf8c26a4a1fb" },
      secret: { name: "legacy-token-66t6q" },
      audiences: [],
    });
    expect(k8s.expiresAt).toBeUndefined();
    const oc = inspectToken(await sign(openshiftClaims.payload, keys[0] as never, ""));
    expect(oc).toMatchObject({ kind: "legacy", namespace: "fx-proj", keyId: "" });
  });

  it("reads the pod binding and warnafter of a projected token", async () => {
    const payload = {
      ...boundClaims.payload,
      "kubernetes.io": {
        namespace: "fx-auth",
        serviceaccount: { name: "robot", uid: "u1" },
        pod: { name: "web-0", uid: "p1" },
        node: { name: "node-a", uid: "n1" },
        warnafter: 1795907208,
      },
    };
    const claims = inspectToken(await sign(payload, keys[0] as never));
    expect(claims.pod).toEqual({ name: "web-0", uid: "p1" });
    expect(claims.node).toEqual({ name: "node-a", uid: "n1" });
    expect(claims.warnAfter?.getTime()).toBe(1795907208000);
  });

  it("refuses what is not a service-account JWT, with a typed reason", async () => {
    const reason = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof ServiceAccountTokenError ? e.reason : `untyped: ${String(e)}`;
      }
      return undefined;
    };
    expect(reason(() => inspectToken("not.a.jwt"))).toBe("malformed");
    expect(reason(() => inspectToken("sha256~opaque-openshift-token"))).toBe("malformed");
    const oidc = await sign({ iss: "https://accounts.example", sub: "jane" }, keys[0] as never);
    expect(reason(() => inspectToken(oidc))).toBe("not-service-account");
    expect(() => inspectToken(42 as unknown as string)).toThrow(TypeError);
  });
});

describe("verifyServiceAccountToken", () => {
  it("verifies a token the cluster issued, with keys and issuer from its discovery endpoints", async () => {
    const requester = testRequester(fetch, server.url, "admin-token");
    const token = await sign(boundClaims.payload, keys[0] as never);
    const claims = await verifyServiceAccountToken(token, {
      requester,
      audience: "https://kubernetes.default.svc",
      clock,
    });
    expect(claims.serviceAccount.name).toBe("robot");
    expect(requester.paths).toEqual(["GET /.well-known/openid-configuration", "GET /openid/v1/jwks"]);
    const jwksRequest = server.requests.filter((r: SeenRequest) => r.path === "/openid/v1/jwks").at(-1);
    expect(jwksRequest?.headers.accept).toBe("application/jwk-set+json");
  });

  it("rejects a token it did not issue: another key under the same kid, or an unknown kid", async () => {
    const keySet = createServiceAccountKeySet(
      { requester: testRequester(fetch, server.url, "t") },
      { clock, cooldownMs: 0 },
    );
    const forged = await sign(boundClaims.payload, keys[1] as never, keys[0]?.kid);
    await expect(verifyServiceAccountToken(forged, { keySet, clock })).rejects.toMatchObject({ reason: "signature" });
    const stranger = await sign(boundClaims.payload, keys[1] as never, "never-published");
    await expect(verifyServiceAccountToken(stranger, { keySet, clock })).rejects.toMatchObject({
      reason: "unknown-key",
    });
    const hmac = await new SignJWT(boundClaims.payload)
      .setProtectedHeader({ alg: "HS256", kid: keys[0]?.kid as string })
      .sign(new TextEncoder().encode("a-shared-secret-that-is-long-enough"));
    await expect(verifyServiceAccountToken(hmac, { keySet, clock })).rejects.toBeInstanceOf(ServiceAccountTokenError);
  });

  it("picks up a rotated signing key by fetching the key set again", async () => {
    const keySet = createServiceAccountKeySet(
      { requester: testRequester(fetch, server.url, "t") },
      { clock, cooldownMs: 0 },
    );
    await verifyServiceAccountToken(await sign(boundClaims.payload, keys[0] as never), { keySet, clock });
    expect(keySet.fetches).toBe(1);
    served = [keys[0]?.jwk as JWK, keys[1]?.jwk as JWK];
    try {
      const rotated = await sign(boundClaims.payload, keys[1] as never);
      await expect(verifyServiceAccountToken(rotated, { keySet, clock })).resolves.toMatchObject({ kind: "bound" });
      expect(keySet.fetches).toBe(2);
    } finally {
      served = [keys[0]?.jwk as JWK];
    }
  });

  it("checks audience, issuer and lifetime", async () => {
    const keySet = createServiceAccountKeySet({ requester: testRequester(fetch, server.url, "t") });
    const token = await sign(boundClaims.payload, keys[0] as never);
    await expect(verifyServiceAccountToken(token, { keySet, clock, audience: "vault" })).rejects.toMatchObject({
      reason: "audience",
    });
    await expect(verifyServiceAccountToken(token, { keySet, clock, issuer: "https://other" })).rejects.toMatchObject({
      reason: "issuer",
    });
    const late = { now: () => (boundClaims.payload.exp as number) * 1000 + 1000 };
    await expect(verifyServiceAccountToken(token, { keySet, clock: late })).rejects.toMatchObject({
      reason: "expired",
    });
  });

  it("accepts a legacy token signed by the cluster unless told not to", async () => {
    const keySet = createServiceAccountKeySet({ requester: testRequester(fetch, server.url, "t") });
    const token = await sign(legacyClaims.payload, keys[0] as never);
    await expect(verifyServiceAccountToken(token, { keySet, clock, audience: "anything" })).resolves.toMatchObject({
      kind: "legacy",
    });
    await expect(verifyServiceAccountToken(token, { keySet, clock, allowLegacy: false })).rejects.toMatchObject({
      reason: "legacy-not-allowed",
    });
  });

  it("finds the keys from a JWKS URL, or from an issuer's discovery document", async () => {
    const token = await sign({ ...boundClaims.payload, iss: server.url }, keys[0] as never);
    await expect(
      verifyServiceAccountToken(token, { jwksUrl: `${server.url}/openid/v1/jwks`, fetch, clock }),
    ).resolves.toMatchObject({ issuer: server.url });
    await expect(verifyServiceAccountToken(token, { issuer: server.url, fetch, clock })).resolves.toMatchObject({
      kind: "bound",
    });
    const other = await sign(boundClaims.payload, keys[0] as never);
    await expect(verifyServiceAccountToken(other, { issuer: server.url, fetch, clock })).rejects.toMatchObject({
      reason: "issuer",
    });
    await expect(verifyServiceAccountToken(token, {} as never)).rejects.toThrow(TypeError);
  });

  it("reports keys that cannot be fetched as keys-unavailable", async () => {
    const token = await sign(boundClaims.payload, keys[0] as never);
    const anonymous = await startReplayServer([
      { method: "GET", path: "/.well-known/openid-configuration", reply: openid[4]?.response as never },
      { method: "GET", path: "/openid/v1/jwks", reply: openid[5]?.response as never },
    ]);
    try {
      const error = await verifyServiceAccountToken(token, {
        requester: testRequester(fetch, anonymous.url, undefined),
        clock,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceAccountTokenError);
      expect((error as ServiceAccountTokenError).reason).toBe("keys-unavailable");
      expect((error as Error).message).toContain("Forbidden (403)");
    } finally {
      await anonymous.close();
    }
  });
});

describe("requestServiceAccountToken", () => {
  it("posts the TokenRequest kube-apiserver 1.20 answered, and returns its token and expiry", async () => {
    const recorded = tokenRequest[0];
    const issued = await sign(boundClaims.payload, keys[0] as never);
    const api = await startReplayServer([
      {
        method: "POST",
        path: "/api/v1/namespaces/fx-auth/serviceaccounts/robot/token",
        reply: (req) => {
          expect(JSON.parse(req.body)).toEqual(recorded?.request.body);
          const r = JSON.parse(JSON.stringify(recorded?.response));
          r.body.status.token = issued;
          return r;
        },
      },
    ]);
    try {
      const result = await requestServiceAccountToken(testRequester(fetch, api.url, "admin"), {
        namespace: "fx-auth",
        name: "robot",
        audiences: ["https://kubernetes.default.svc"],
        expirationSeconds: 3600,
      });
      expect(result).toEqual({
        token: issued,
        expirationTimestamp: "2026-11-28T23:06:48Z",
        expiresAt: new Date("2026-11-28T23:06:48Z"),
        audiences: ["https://kubernetes.default.svc"],
      });
      expect(api.requests).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it("throws the recorded 422 (too short) and 404 (no such account) as ApiErrors", async () => {
    const api = await startReplayServer([
      {
        method: "POST",
        path: "/api/v1/namespaces/fx-auth/serviceaccounts/robot/token",
        reply: tokenRequest[2]?.response as never,
      },
      {
        method: "POST",
        path: "/api/v1/namespaces/fx-auth/serviceaccounts/nobody/token",
        reply: tokenRequest[4]?.response as never,
      },
    ]);
    try {
      const requester = testRequester(fetch, api.url, "admin");
      const invalid = await requestServiceAccountToken(requester, {
        namespace: "fx-auth",
        name: "robot",
        expirationSeconds: 60,
      }).catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(ApiError);
      expect(isInvalid(invalid)).toBe(true);
      expect((invalid as Error).message).toContain("may not specify a duration less than 10 minutes");
      const missing = await requestServiceAccountToken(requester, { namespace: "fx-auth", name: "nobody" }).catch(
        (e: unknown) => e,
      );
      expect(isNotFound(missing)).toBe(true);
    } finally {
      await api.close();
    }
    await expect(requestServiceAccountToken({} as never, { namespace: "Bad_NS", name: "x" })).rejects.toThrow(
      TypeError,
    );
    await expect(
      requestServiceAccountToken({} as never, { namespace: "a", name: "x", expirationSeconds: -1 }),
    ).rejects.toThrow(RangeError);
  });
});

describe("getLegacyServiceAccountToken", () => {
  it("walks the service account's secrets like oc serviceaccounts get-token (recorded OpenShift 3.11)", async () => {
    const jwt = await sign(openshiftClaims.payload, keys[0] as never, "");
    const api = await startReplayServer(
      ocGetToken.map((e) => ({ method: e.request.method, path: e.request.path, reply: e.response as never })),
      { placeholders: { "<base64:<token:sa-fx-rbac-robot>>": btoa(jwt) } },
    );
    try {
      const requester = testRequester(fetch, api.url, "developer");
      const result = await getLegacyServiceAccountToken(requester, { namespace: "fx-rbac", name: "robot" });
      expect(result.token).toBe(jwt);
      expect(result.secretName).toBe("robot-token-2gnjw");
      expect(result.caPem).toContain("-----BEGIN CERTIFICATE-----");
      expect(requester.paths).toEqual([
        "GET /api/v1/namespaces/fx-rbac/serviceaccounts/robot",
        "GET /api/v1/namespaces/fx-rbac/secrets/robot-dockercfg-nv2xr",
        "GET /api/v1/namespaces/fx-rbac/secrets/robot-token-2gnjw",
      ]);
    } finally {
      await api.close();
    }
  });

  it("fails with ERR_AUTH when no listed secret holds a token yet", async () => {
    const unpopulated = JSON.parse(JSON.stringify(ocGetToken[2]?.response));
    delete unpopulated.body.data.token;
    const api = await startReplayServer([
      ...ocGetToken
        .slice(0, 2)
        .map((e) => ({ method: e.request.method, path: e.request.path, reply: e.response as never })),
      { method: "GET", path: ocGetToken[2]?.request.path as string, reply: unpopulated },
    ]);
    try {
      await expect(
        getLegacyServiceAccountToken(testRequester(fetch, api.url, "developer"), {
          namespace: "fx-rbac",
          name: "robot",
        }),
      ).rejects.toThrow('could not find a service account token for service account "robot" in namespace "fx-rbac"');
    } finally {
      await api.close();
    }
  });
});
