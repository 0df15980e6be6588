import { describe, expect, it } from "vitest";
import { json, ScriptedTransport } from "../test/scripted-transport.ts";
import { composeTransport, isIdempotent, isStreamingRequest, type Middleware } from "./transport.ts";

function tag(name: string, log: string[]): Middleware {
  return (next) => ({
    async fetch(request, options) {
      log.push(`>${name}`);
      const res = await next.fetch(request, options);
      log.push(`<${name}`);
      return res;
    },
    websocket: (url, options) => next.websocket(url, options),
  });
}

describe("composeTransport()", () => {
  it("makes the first middleware the outermost", async () => {
    const log: string[] = [];
    const t = composeTransport(new ScriptedTransport([json(200, {})]), tag("a", log), tag("b", log));
    await t.fetch(new Request("https://k.test/"));
    expect(log).toEqual([">a", ">b", "<b", "<a"]);
  });
});

describe("isIdempotent() and isStreamingRequest()", () => {
  it("derives idempotency from the method unless the hint says otherwise", () => {
    expect(isIdempotent(new Request("https://k.test/", { method: "PUT" }))).toBe(true);
    expect(isIdempotent(new Request("https://k.test/", { method: "POST" }))).toBe(false);
    expect(isIdempotent(new Request("https://k.test/", { method: "PATCH" }), { idempotent: true })).toBe(true);
  });

  it("recognises watches and followed logs by URL, and the explicit hint", () => {
    expect(isStreamingRequest(new Request("https://k.test/api/v1/pods?watch=1"))).toBe(true);
    expect(isStreamingRequest(new Request("https://k.test/api/v1/watch/pods"))).toBe(true);
    expect(isStreamingRequest(new Request("https://k.test/api/v1/namespaces/a/pods/b/log?follow=true"))).toBe(true);
    expect(isStreamingRequest(new Request("https://k.test/api/v1/namespaces/a/pods/b/log"))).toBe(false);
    expect(isStreamingRequest(new Request("https://k.test/api/v1/pods?watch=true"), { stream: false })).toBe(false);
  });
});
