import { describe, expect, it } from "vitest";
import { fakeSocket, json, ScriptedTransport } from "../test/scripted-transport.ts";
import { impersonate } from "./impersonate.ts";
import { composeTransport } from "./transport.ts";

describe("impersonate()", () => {
  it("sends Impersonate-User, -Uid, one -Group header per group and escaped -Extra-<key> headers", async () => {
    const base = new ScriptedTransport([json(200, {})]);
    const t = composeTransport(
      base,
      impersonate({
        user: "system:serviceaccount:dev:builder",
        uid: "1234-abcd",
        groups: ["system:authenticated", "developers"],
        extra: { "scopes.example.com/x y": ["view", "edit"], reason: ["debugging%"] },
      }),
    );
    await t.fetch(new Request("https://k.test/api"));
    const h = base.calls[0]?.request.headers;
    expect(h?.get("impersonate-user")).toBe("system:serviceaccount:dev:builder");
    expect(h?.get("impersonate-uid")).toBe("1234-abcd");
    expect(h?.get("impersonate-group")).toBe("system:authenticated, developers");
    expect(h?.get("impersonate-extra-scopes.example.com%2Fx%20y")).toBe("view, edit");
    expect(h?.get("impersonate-extra-reason")).toBe("debugging%");
  });

  it("escapes '%' and non-ASCII bytes of extra keys like client-go's headerKeyEscape", async () => {
    const base = new ScriptedTransport([json(200, {})]);
    await composeTransport(base, impersonate({ user: "u", extra: { "a%b": ["1"], é: ["2"] } })).fetch(
      new Request("https://k.test/api"),
    );
    const h = base.calls[0]?.request.headers;
    expect(h?.get("impersonate-extra-a%25b")).toBe("1");
    expect(h?.get("impersonate-extra-%C3%A9")).toBe("2");
  });

  it("adds the headers to websocket upgrades and leaves a request that already impersonates alone", async () => {
    const base = new ScriptedTransport([json(200, {})], [fakeSocket()]);
    const t = composeTransport(base, impersonate({ user: "jane", groups: ["g1"] }));
    await t.fetch(new Request("https://k.test/api", { headers: { "impersonate-user": "bob" } }));
    await t.websocket("wss://k.test/api", { headers: { origin: "https://k.test" } });
    expect(base.calls[0]?.request.headers.get("impersonate-user")).toBe("bob");
    expect(base.calls[0]?.request.headers.has("impersonate-group")).toBe(false);
    const ws = new Headers(base.sockets[0]?.options.headers);
    expect(ws.get("impersonate-user")).toBe("jane");
    expect(ws.get("impersonate-group")).toBe("g1");
    expect(ws.get("origin")).toBe("https://k.test");
  });

  it("rejects empty names and values that cannot be header values", () => {
    expect(() => impersonate({ user: "" })).toThrow(TypeError);
    expect(() => impersonate({ user: "u", groups: [""] })).toThrow(TypeError);
    expect(() => impersonate({ user: "u", uid: "" })).toThrow(TypeError);
    expect(() => impersonate({ user: "line\nbreak" })).toThrow(TypeError);
  });
});
