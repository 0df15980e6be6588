import { describe, expect, it } from "vitest";
import { fakeSocket, json, ScriptedTransport } from "../test/scripted-transport.ts";
import { basicAuth } from "./basic-auth.ts";
import { redactSecrets } from "./redact.ts";
import { composeTransport } from "./transport.ts";

describe("basicAuth()", () => {
  it("sends Basic base64(user:password) encoded as UTF-8, on requests and websocket upgrades", async () => {
    const base = new ScriptedTransport([json(200, {})], [fakeSocket()]);
    const t = composeTransport(base, basicAuth({ username: "jürgen", password: "pässwörd-1" }));
    await t.fetch(new Request("https://k.test/api"));
    await t.websocket("wss://k.test/api");
    const expected = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode("jürgen:pässwörd-1")))}`;
    expect(base.calls[0]?.request.headers.get("authorization")).toBe(expected);
    expect(new Headers(base.sockets[0]?.options.headers).get("authorization")).toBe(expected);
  });

  it("registers the password so error messages never show it", () => {
    basicAuth({ username: "admin", password: "correct-horse-battery" });
    expect(redactSecrets("login failed for admin/correct-horse-battery")).not.toContain("correct-horse-battery");
  });

  it("rejects a user name containing ':'", () => {
    expect(() => basicAuth({ username: "a:b", password: "x" })).toThrow(TypeError);
  });
});
