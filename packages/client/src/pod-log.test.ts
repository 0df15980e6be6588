import { defineResource } from "@kubeshift/types";
import { describe, expect, it } from "vitest";
import { scriptedTransport } from "../test/replay-transport.ts";
import { createClient } from "./client.ts";
import { logQuery } from "./pod-log.ts";

const encoder = new TextEncoder();

/** A body that delivers chunks one by one when `push` is called, like a followed log. */
function pushBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled: unknown = "not cancelled";
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  return {
    body,
    push: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    cancelled: () => cancelled,
  };
}

describe("client.log()", () => {
  it("streams lines as they arrive with follow, and sends kubectl's query", async () => {
    const source = pushBody();
    const transport = scriptedTransport(() => new Response(source.body, { headers: { "content-type": "text/plain" } }));
    const client = createClient({ transport, server: "https://k", namespace: "dev" });
    const lines = await client.log("web", {
      follow: true,
      container: "app",
      tailLines: 10,
      timestamps: true,
      sinceSeconds: 60,
    });
    const seen = transport.seen[0];
    expect(seen?.url.pathname).toBe("/api/v1/namespaces/dev/pods/web/log");
    expect(Object.fromEntries(seen?.url.searchParams ?? [])).toEqual({
      container: "app",
      follow: "true",
      sinceSeconds: "60",
      tailLines: "10",
      timestamps: "true",
    });
    expect(seen?.options?.stream).toBe(true);
    const reader = lines.getReader();
    source.push("first line\nsecond ");
    expect(await reader.read()).toEqual({ done: false, value: "first line" });
    source.push("half\r\nthé third\n");
    expect(await reader.read()).toEqual({ done: false, value: "second half" });
    expect(await reader.read()).toEqual({ done: false, value: "thé third" });
    source.push("no newline at the end");
    source.end();
    expect(await reader.read()).toEqual({ done: false, value: "no newline at the end" });
    expect(await reader.read()).toEqual({ done: true, value: undefined });
  });

  it("cancelling the line stream cancels the response body (closes the connection)", async () => {
    const source = pushBody();
    const client = createClient({ transport: scriptedTransport(() => new Response(source.body)), server: "https://k" });
    const lines = await client.log("web", { follow: true });
    await lines.cancel("done");
    // The cancel travels back through the decoding pipes asynchronously.
    for (let i = 0; i < 20 && source.cancelled() === "not cancelled"; i++) await new Promise((r) => setTimeout(r, 1));
    expect(source.cancelled()).not.toBe("not cancelled");
  });

  it("a non-follow log is not a stream request and reads to the end", async () => {
    const transport = scriptedTransport(() => new Response("a\nb\n"));
    const client = createClient({ transport, server: "https://k" });
    const out: string[] = [];
    for await (const line of await client.log("web")) out.push(line);
    expect(out).toEqual(["a", "b"]);
    expect(transport.seen[0]?.options?.stream).toBe(false);
  });

  it("reads the log subresource of another resource (OpenShift builds)", async () => {
    const Build = defineResource({
      group: "build.openshift.io",
      version: "v1",
      kind: "Build",
      plural: "builds",
      namespaced: true,
    });
    const transport = scriptedTransport(() => new Response(""));
    const client = createClient({ transport, server: "https://k", namespace: "p" });
    await client.log("app-1", { resource: Build });
    expect(transport.seen[0]?.url.pathname).toBe("/apis/build.openshift.io/v1/namespaces/p/builds/app-1/log");
  });

  it("a 400 from the server (several containers, none named) is an ApiError before any line", async () => {
    const transport = scriptedTransport(() =>
      Response.json(
        {
          kind: "Status",
          status: "Failure",
          code: 400,
          reason: "BadRequest",
          message: "a container name must be specified for pod web, choose one of: [a b]",
        },
        { status: 400 },
      ),
    );
    const client = createClient({ transport, server: "https://k" });
    const error = await client.log("web").catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/choose one of: \[a b\]/);
  });
});

describe("logQuery()", () => {
  it("formats sinceTime as RFC 3339 in whole seconds", () => {
    expect(logQuery({ sinceTime: new Date("2026-01-02T03:04:05.678Z") }).sinceTime).toBe("2026-01-02T03:04:05Z");
  });

  it("rejects sinceSeconds with sinceTime, an invalid time, and negative counts", () => {
    expect(() => logQuery({ sinceSeconds: 1, sinceTime: "2026-01-01T00:00:00Z" })).toThrow(TypeError);
    expect(() => logQuery({ sinceTime: "yesterday" })).toThrow(TypeError);
    expect(() => logQuery({ tailLines: -1 })).toThrow(RangeError);
    expect(() => logQuery({ limitBytes: 0 })).toThrow(RangeError);
  });

  it("leaves out false flags", () => {
    expect(logQuery({ follow: false, previous: false, timestamps: false })).toEqual({
      container: undefined,
      follow: undefined,
      previous: undefined,
      sinceSeconds: undefined,
      sinceTime: undefined,
      tailLines: undefined,
      timestamps: undefined,
      limitBytes: undefined,
      insecureSkipTLSVerifyBackend: undefined,
    });
  });
});
