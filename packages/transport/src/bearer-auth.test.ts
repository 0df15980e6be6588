import { describe, expect, it } from "vitest";
import { fakeSocket, json, ScriptedTransport } from "../test/scripted-transport.ts";
import { ApiError } from "./api-error.ts";
import { bearerAuth } from "./bearer-auth.ts";
import { redactSecrets } from "./redact.ts";
import { type CredentialSource, composeTransport } from "./transport.ts";

function rotatingSource(tokens: string[]): CredentialSource & { invalidated: string[]; asked: number } {
  let current = 0;
  const source = {
    invalidated: [] as string[],
    asked: 0,
    async getToken() {
      source.asked++;
      return tokens[current];
    },
    invalidate(token: string) {
      source.invalidated.push(token);
      current++;
    },
  };
  return source;
}

describe("bearerAuth()", () => {
  it("sends Authorization: Bearer from the source and registers the token as a secret", async () => {
    const base = new ScriptedTransport([json(200, {})]);
    const t = composeTransport(base, bearerAuth({ getToken: async () => "tok-abcdefgh-1" }));
    const res = await t.fetch(new Request("https://k.test/api"));
    expect(res.status).toBe(200);
    expect(base.calls[0]?.request.headers.get("authorization")).toBe("Bearer tok-abcdefgh-1");
    expect(redactSecrets("echo tok-abcdefgh-1 back")).toBe("echo <redacted> back");
  });

  it("leaves a request that already has Authorization alone and sends none when the source has no token", async () => {
    const base = new ScriptedTransport([json(200, {}), json(200, {})]);
    const t = composeTransport(base, bearerAuth({ getToken: async () => undefined }));
    await t.fetch(new Request("https://k.test/api", { headers: { authorization: "Basic eDp5" } }));
    await t.fetch(new Request("https://k.test/api"));
    expect(base.calls[0]?.request.headers.get("authorization")).toBe("Basic eDp5");
    expect(base.calls[1]?.request.headers.has("authorization")).toBe(false);
  });

  it("after a 401 invalidates the token once, fetches a fresh one and retries once, resending the replayable body", async () => {
    const source = rotatingSource(["old-token-1234", "new-token-5678"]);
    const base = new ScriptedTransport([json(401, { kind: "Status", code: 401 }), json(201, { ok: true })]);
    const t = composeTransport(base, bearerAuth(source));
    const res = await t.fetch(new Request("https://k.test/api/v1/namespaces", { method: "POST", body: '{"a":1}' }), {
      replayable: true,
    });
    expect(res.status).toBe(201);
    expect(source.invalidated).toEqual(["old-token-1234"]);
    expect(base.calls.map((c) => c.request.headers.get("authorization"))).toEqual([
      "Bearer old-token-1234",
      "Bearer new-token-5678",
    ]);
    expect(base.calls.map((c) => c.body)).toEqual(['{"a":1}', '{"a":1}']);
  });

  it("returns the second 401 as is and does not loop", async () => {
    const source = rotatingSource(["old-token-1234", "new-token-5678", "newer-token-9"]);
    const base = new ScriptedTransport([json(401, {}), json(401, {})]);
    const res = await composeTransport(base, bearerAuth(source)).fetch(new Request("https://k.test/api"));
    expect(res.status).toBe(401);
    expect(base.calls).toHaveLength(2);
    expect(source.invalidated).toEqual(["old-token-1234"]);
  });

  it("does not retry after a 401 when the body cannot be replayed, or when the source offers the same token", async () => {
    const source = rotatingSource(["old-token-1234", "new-token-5678"]);
    const base = new ScriptedTransport([json(401, {})]);
    const res = await composeTransport(base, bearerAuth(source)).fetch(
      new Request("https://k.test/api/v1/pods", { method: "POST", body: "{}" }),
    );
    expect(res.status).toBe(401);
    expect(source.invalidated).toEqual([]);

    const same = { getToken: async () => "same-token-1234", invalidated: 0, invalidate: () => void same.invalidated++ };
    const base2 = new ScriptedTransport([json(401, { message: "kept" })]);
    const res2 = await composeTransport(base2, bearerAuth(same)).fetch(new Request("https://k.test/api"));
    expect(res2.status).toBe(401);
    expect(await res2.json()).toEqual({ message: "kept" });
    expect(base2.calls).toHaveLength(1);
    expect(same.invalidated).toBe(1);
  });

  it("does not retry after a 401 with retryOnUnauthorized: false", async () => {
    const source = rotatingSource(["old-token-1234", "new-token-5678"]);
    const base = new ScriptedTransport([json(401, {})]);
    const res = await composeTransport(base, bearerAuth(source, { retryOnUnauthorized: false })).fetch(
      new Request("https://k.test/api"),
    );
    expect(res.status).toBe(401);
    expect(source.invalidated).toEqual([]);
  });

  it("passes the request's signal to getToken and rethrows its reason when aborted meanwhile", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    let seen: AbortSignal | undefined;
    const source: CredentialSource = {
      async getToken(signal) {
        seen = signal;
        controller.abort(reason);
        return "tok-abcdefgh-2";
      },
    };
    const base = new ScriptedTransport([]);
    await expect(
      composeTransport(base, bearerAuth(source)).fetch(
        new Request("https://k.test/api", { signal: controller.signal }),
      ),
    ).rejects.toBe(reason);
    expect(seen?.aborted).toBe(true);
    expect(base.calls).toHaveLength(0);
  });

  it("sets Authorization on websocket upgrades and retries once with a fresh token after a refused 401 upgrade", async () => {
    const source = rotatingSource(["old-token-1234", "new-token-5678"]);
    const unauthorized = ApiError.fromBody("", 401, { method: "GET", path: "/api/v1/pods?watch=true" });
    const base = new ScriptedTransport([], [{ reject: unauthorized }, fakeSocket("v4.channel.k8s.io")]);
    const socket = await composeTransport(base, bearerAuth(source)).websocket("wss://k.test/api/v1/pods?watch=true", {
      protocols: ["v4.channel.k8s.io"],
    });
    expect(socket.protocol).toBe("v4.channel.k8s.io");
    expect(base.sockets.map((s) => new Headers(s.options.headers).get("authorization"))).toEqual([
      "Bearer old-token-1234",
      "Bearer new-token-5678",
    ]);
    expect(base.sockets[1]?.options.protocols).toEqual(["v4.channel.k8s.io"]);
  });
});
