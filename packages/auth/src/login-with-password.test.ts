// OpenShift OAuth login against a local HTTPS server that answers with the bytes recorded from a real OpenShift
// 3.11 master (shared/fixtures/openshift-v3.11.0/openshift/oauth-*.json and discovery/oauth-authorization-server).
import { isKubeError } from "@kubeshift/transport";
import { createNodeTransport } from "@kubeshift/transport/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { loginWithPassword } from "./login-with-password.ts";
import {
  type ReplayServer,
  type Route,
  readFixture,
  type SeenRequest,
  startReplayServer,
  testTls,
} from "./node/_test-support.ts";

const RECORDED_ORIGIN = "https://127.0.0.1:18443";
const PASSWORD = "correct horse battery staple";
const ISSUED = "sha256~recorded-token-issued-by-the-replay-server-0123456789";

const metadata = readFixture(fixturePath("openshift-v3.11.0/discovery/oauth-authorization-server.json")).exchanges[0];
const challenge = readFixture(fixturePath("openshift-v3.11.0/openshift/oauth-authorize-challenge.json")).exchanges;
const pkce = readFixture(fixturePath("openshift-v3.11.0/openshift/oauth-code-pkce.json")).exchanges;

function recorded(exchange: { response: { status: number; headers: Record<string, string>; body: unknown } }): {
  status: number;
  headers: Record<string, string>;
  body: unknown;
} {
  // Recorded absolute URLs point at the recording master; the replay server stands in for it.
  const text = JSON.stringify(exchange.response).replaceAll(RECORDED_ORIGIN, "{{origin}}");
  return JSON.parse(text);
}

function basicOf(request: SeenRequest): [string, string] | undefined {
  const header = request.headers.authorization ?? "";
  if (!header.startsWith("Basic ")) return undefined;
  const decoded = atob(header.slice(6));
  const i = decoded.indexOf(":");
  return [decoded.slice(0, i), decoded.slice(i + 1)];
}

async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

const challenges = new Map<string, string>();
let codes = 0;

const routes: Route[] = [
  { method: "GET", path: "/.well-known/oauth-authorization-server", reply: () => recorded(metadata as never) },
  {
    method: "GET",
    path: "/oauth/authorize",
    reply: (req) => {
      const creds = basicOf(req);
      const csrf = req.headers["x-csrf-token"];
      const query = new URLSearchParams(req.query);
      // Without credentials the master answers with the recorded challenges (exchanges 0 and 1).
      if (creds === undefined) return recorded((csrf ? challenge[1] : challenge[0]) as never);
      // The recording's identity provider accepts any password; this stand-in only accepts PASSWORD and answers a
      // wrong one with the same recorded Basic challenge.
      if (creds[0] !== "developer" || creds[1] !== PASSWORD) return recorded(challenge[1] as never);
      if (query.get("response_type") === "code") {
        const code = `code-${++codes}`;
        challenges.set(code, query.get("code_challenge") ?? "");
        const r = recorded(pkce[1] as never);
        r.headers.location = (r.headers.location ?? "").replace("<code:oauth-developer>", code);
        return r;
      }
      const r = recorded(challenge[3] as never);
      r.headers.location = (r.headers.location ?? "").replace("<token:oauth-developer>", ISSUED);
      return r;
    },
  },
  {
    method: "POST",
    path: "/oauth/token",
    reply: async (req) => {
      const form = new URLSearchParams(req.body);
      const client = basicOf(req);
      const code = form.get("code") ?? "";
      const expected = challenges.get(code);
      challenges.delete(code);
      // A used or unknown code gets the recorded unauthorized_client answer, a wrong verifier invalid_grant.
      if (expected === undefined || client?.[0] !== "openshift-challenging-client" || client[1] !== "") {
        return recorded(pkce[3] as never);
      }
      if (expected !== (await s256(form.get("code_verifier") ?? ""))) return recorded(pkce[5] as never);
      const r = recorded(pkce[2] as never);
      (r.body as Record<string, unknown>).access_token = ISSUED;
      return r;
    },
  },
];

let server: ReplayServer;
// Transport's Node adapter trusting the test CA; login reads redirects itself (redirect: "manual").
const adapter = createNodeTransport({ caPem: testTls.caPem });
const fetch = (request: Request): Promise<Response> => adapter.fetch(request);
beforeAll(async () => {
  server = await startReplayServer(routes);
});
afterAll(async () => {
  await server.close();
  await adapter.close();
});

describe("loginWithPassword", () => {
  it("runs the implicit flow with X-CSRF-Token and Basic credentials and reads the token from the Location fragment", async () => {
    const before = server.requests.length;
    const result = await loginWithPassword({
      server: server.url,
      username: "developer",
      password: PASSWORD,
      fetch,
      flow: "implicit",
      clock: { now: () => Date.parse("2030-01-01T00:00:00Z") },
    });
    expect(result).toEqual({
      token: ISSUED,
      expiresAt: new Date("2030-01-02T00:00:00Z"),
      scope: "user:full",
      tokenType: "Bearer",
    });
    const sent = server.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      "GET /.well-known/oauth-authorization-server?",
      "GET /oauth/authorize?client_id=openshift-challenging-client&response_type=token",
    ]);
    expect(sent[0]?.headers["x-csrf-token"]).toBe("1");
    expect(sent[1]?.headers["x-csrf-token"]).toBe("1");
    expect(basicOf(sent[1] as SeenRequest)).toEqual(["developer", PASSWORD]);
  });

  it("runs the authorization-code grant with PKCE S256 when the server offers it, as oc does", async () => {
    const before = server.requests.length;
    const result = await loginWithPassword({ server: server.url, username: "developer", password: PASSWORD, fetch });
    expect(result.token).toBe(ISSUED);
    expect(result.scope).toBe("user:full");
    const [, authorize, token] = server.requests.slice(before);
    const query = new URLSearchParams(authorize?.query);
    // The query oc 3.11 sends (kubectl/oc-login.log), with our own challenge.
    expect([...query.keys()]).toEqual([
      "client_id",
      "code_challenge",
      "code_challenge_method",
      "redirect_uri",
      "response_type",
    ]);
    expect(query.get("client_id")).toBe("openshift-challenging-client");
    expect(query.get("code_challenge_method")).toBe("S256");
    expect(query.get("redirect_uri")).toBe(`${server.url}/oauth/token/implicit`);
    expect(query.get("response_type")).toBe("code");
    expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(token?.headers.accept).toBe("application/json");
    expect(basicOf(token as SeenRequest)).toEqual(["openshift-challenging-client", ""]);
    const form = new URLSearchParams(token?.body);
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(await s256(form.get("code_verifier") ?? "")).toBe(query.get("code_challenge"));
    // The password went to the authorization endpoint only.
    const withPassword = server.requests.slice(before).filter((r) => basicOf(r)?.[1] === PASSWORD);
    expect(withPassword.map((r) => r.path)).toEqual(["/oauth/authorize"]);
  });

  it("fails with ERR_AUTH on a wrong password, without the password in the message", async () => {
    for (const flow of ["code", "implicit"] as const) {
      const error = (await loginWithPassword({
        server: server.url,
        username: "developer",
        password: "wrong-password-123",
        fetch,
        flow,
      }).catch((e: unknown) => e)) as Error;
      expect(isKubeError(error) && error.code).toBe("ERR_AUTH");
      expect(error.message).toBe("Login failed (401 Unauthorized): verify you have provided correct credentials");
      expect(`${error.message}${String(error.stack)}`).not.toContain("wrong-password-123");
    }
  });

  it("reports an OAuth error from the token endpoint (recorded invalid_grant)", async () => {
    const flaky: typeof fetch = async (request) => {
      if (request.method === "POST" && new URL(request.url).pathname === "/oauth/token") {
        const form = new URLSearchParams(await request.text());
        form.set("code_verifier", "A".repeat(43));
        return fetch(new Request(request.url, { method: "POST", headers: request.headers, body: form.toString() }));
      }
      return fetch(request);
    };
    await expect(
      loginWithPassword({ server: server.url, username: "developer", password: PASSWORD, fetch: flaky }),
    ).rejects.toThrow(/Login failed: invalid_grant: The provided authorization grant/);
  });

  it("tells when the server has no OpenShift OAuth, and refuses bad arguments", async () => {
    const plain = await startReplayServer([]);
    try {
      const error = (await loginWithPassword({ server: plain.url, username: "u", password: "p", fetch }).catch(
        (e: unknown) => e,
      )) as Error;
      expect(isKubeError(error) && error.code).toBe("ERR_AUTH");
      expect(error.message).toContain("does not offer OpenShift OAuth");
    } finally {
      await plain.close();
    }
    await expect(loginWithPassword({ server: "not a url", username: "u", password: "p" })).rejects.toThrow(TypeError);
    await expect(loginWithPassword({ server: server.url, username: "", password: "p" })).rejects.toThrow(TypeError);
  });

  it("keeps the transport's typed error for an unreachable server, and wraps a plain fetch failure", async () => {
    const viaAdapter = (await loginWithPassword({
      server: "https://127.0.0.1:1",
      username: "u",
      password: "p",
      fetch,
    }).catch((e: unknown) => e)) as Error;
    expect(isKubeError(viaAdapter) && viaAdapter.code).toBe("ERR_TRANSPORT");
    const plain = (await loginWithPassword({
      server: "https://127.0.0.1:1",
      username: "u",
      password: "p",
      fetch: () => Promise.reject(new TypeError("fetch failed")),
    }).catch((e: unknown) => e)) as Error;
    expect(isKubeError(plain) && plain.code).toBe("ERR_AUTH");
    expect(plain.message).toContain("Cannot reach https://127.0.0.1:1");
    const reason = new Error("user gave up");
    await expect(
      loginWithPassword({
        server: server.url,
        username: "developer",
        password: PASSWORD,
        fetch,
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);
  });
});
