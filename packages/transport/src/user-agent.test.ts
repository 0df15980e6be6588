import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fakeSocket, json, ScriptedTransport } from "../test/scripted-transport.ts";
import { VERSION } from "./_version.ts";
import { composeTransport } from "./transport.ts";
import { defaultUserAgent, userAgent } from "./user-agent.ts";

describe("userAgent()", () => {
  it("defaults to kubeshift/<version> (<runtime>/<version>; <os>/<arch>)", () => {
    expect(defaultUserAgent()).toMatch(/^kubeshift\/\d+\.\d+\.\d+\S* \((node|deno|bun)\/\d+\.\d+\.\d+\S*; \w+\/\w+\)$/);
  });

  it("VERSION equals the version in package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });

  it("sets User-Agent on requests and websockets that have none and keeps one the caller set", async () => {
    const base = new ScriptedTransport([json(200, {}), json(200, {})], [fakeSocket()]);
    const t = composeTransport(base, userAgent("my-operator/2.1"));
    await t.fetch(new Request("https://k.test/api"));
    await t.fetch(new Request("https://k.test/api", { headers: { "user-agent": "mine/1" } }));
    await t.websocket("wss://k.test/api");
    expect(base.calls.map((c) => c.request.headers.get("user-agent"))).toEqual(["my-operator/2.1", "mine/1"]);
    expect(new Headers(base.sockets[0]?.options.headers).get("user-agent")).toBe("my-operator/2.1");
  });

  it("rejects an empty or invalid value", () => {
    expect(() => userAgent(" ")).toThrow(TypeError);
    expect(() => userAgent("a\nb")).toThrow(TypeError);
  });
});
