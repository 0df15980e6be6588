// Node-only: exercises undici/ws specifics of the Node adapter (pools, env proxies, backpressure) on Node's runtime.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { startConnectProxy } from "../../test/connect-proxy.ts";
import { startTestServer, type TestServer } from "../../test/test-server.ts";
import { TransportError } from "../transport-error.ts";
import { createNodeTransport, type NodeTransport } from "./node-transport.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(): Promise<TestServer> {
  const s = await startTestServer();
  cleanups.push(() => s.close());
  return s;
}
function transport(options: Parameters<typeof createNodeTransport>[0] = {}): NodeTransport {
  const t = createNodeTransport(options);
  cleanups.push(() => t.close());
  return t;
}

describe("createNodeTransport()", () => {
  it("refuses caPem together with insecureSkipTlsVerify, like kubectl", () => {
    expect(() => createNodeTransport({ caPem: "x", insecureSkipTlsVerify: true })).toThrow(TypeError);
  });

  it("asks for gzip by default, identity with disableCompression, and keeps a caller's Accept-Encoding", async () => {
    const s = await server();
    await (await transport().fetch(new Request(`${s.url}/echo`))).text();
    await (await transport({ disableCompression: true }).fetch(new Request(`${s.url}/echo`))).text();
    await (await transport().fetch(new Request(`${s.url}/echo`, { headers: { "accept-encoding": "br" } }))).text();
    expect(s.requests.map((r) => r.headers["accept-encoding"])).toEqual(["gzip", "identity", "br"]);
  });

  it("decodes a gzip response body", async () => {
    const http = createServer((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip", "content-type": "application/json" });
      res.end(gzipSync(JSON.stringify({ kind: "PodList", items: [] })));
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", () => r()));
    cleanups.push(() => new Promise((r) => http.close(() => r())));
    const res = await transport().fetch(new Request(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`));
    expect(await res.json()).toEqual({ kind: "PodList", items: [] });
  });

  it("drops credentials when a redirect leaves the origin, and turns a 303 into a GET without body", async () => {
    const a = await server();
    const b = await server();
    const t = transport();
    await (
      await t.fetch(
        new Request(`${a.url}/redirect?code=307&to=${encodeURIComponent(`${b.url}/echo`)}`, {
          headers: { authorization: "Bearer cross-origin-secret", cookie: "c=1", "x-kept": "yes" },
        }),
      )
    ).text();
    expect(b.requests[0]?.headers.authorization).toBeUndefined();
    expect(b.requests[0]?.headers.cookie).toBeUndefined();
    expect(b.requests[0]?.headers["x-kept"]).toBe("yes");

    const seeOther = await t.fetch(
      new Request(`${a.url}/redirect?code=303&to=/echo`, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json", authorization: "Bearer same-origin" },
      }),
    );
    const echoed = (await seeOther.json()) as { method: string; body: string; headers: Record<string, string> };
    expect([echoed.method, echoed.body, echoed.headers["content-type"]]).toEqual(["GET", "", undefined]);
    expect(echoed.headers.authorization).toBe("Bearer same-origin");
  });

  it("rejects with a protocol TransportError for redirect: error", async () => {
    const s = await server();
    const error = await transport()
      .fetch(new Request(`${s.url}/redirect`, { redirect: "error" }))
      .catch((e: unknown) => e);
    expect((error as TransportError).kind).toBe("protocol");
  });

  it("gives HEAD and 204 responses a null body", async () => {
    const s = await server();
    const t = transport();
    expect((await t.fetch(new Request(`${s.url}/echo`, { method: "HEAD" }))).body).toBeNull();
    expect((await t.fetch(new Request(`${s.url}/status?code=204`))).body).toBeNull();
  });

  it("takes HTTPS_PROXY/NO_PROXY from the env option, with Go's rules", async () => {
    const s = await server();
    const proxy = await startConnectProxy({ aliases: { "kube.test": "127.0.0.1" } });
    cleanups.push(() => proxy.close());
    const env = { HTTP_PROXY: proxy.url, NO_PROXY: "direct.test" };
    const res = await transport({ env }).fetch(new Request(`http://kube.test:${s.port}/echo`));
    expect(res.status).toBe(200);
    await res.text();
    expect(proxy.targets).toEqual([`http://kube.test:${s.port}/echo`]);
    // Loopback addresses never go through the proxy.
    await (await transport({ env }).fetch(new Request(`${s.url}/echo`))).text();
    expect(proxy.targets).toHaveLength(1);
  });

  it("sends websockets through HTTP_PROXY from the env option", async () => {
    const s = await server();
    const proxy = await startConnectProxy({ aliases: { "kube.test": "127.0.0.1" } });
    cleanups.push(() => proxy.close());
    const socket = await transport({ env: { HTTP_PROXY: proxy.url } }).websocket(`ws://kube.test:${s.port}/ws`, {
      protocols: ["x"],
    });
    const reader = socket.readable.getReader();
    const hello = JSON.parse(String((await reader.read()).value)) as { origin: string };
    expect(hello.origin).toBe(`http://kube.test:${s.port}`);
    socket.close();
    await socket.closed;
    expect(proxy.targets).toEqual([`kube.test:${s.port}`]);
  });

  it("applies backpressure: an unread large body is not buffered whole", async () => {
    let written = 0;
    let resolveStalled: () => void = () => {};
    const stalled = new Promise<void>((r) => {
      resolveStalled = r;
    });
    const chunk = new Uint8Array(64 * 1024).fill(97);
    const http = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const pump = (): void => {
        while (written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            setTimeout(resolveStalled, 200);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", () => r()));
    cleanups.push(async () => {
      http.closeAllConnections();
      await new Promise((r) => http.close(() => r(undefined)));
    });
    const t = transport();
    const res = await t.fetch(new Request(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`));
    await stalled;
    await new Promise((r) => setTimeout(r, 200));
    // Socket buffers on both ends plus 16 read-ahead chunks: far less than the 64 MiB on offer.
    expect(written).toBeLessThan(24 * 1024 * 1024);
    await res.body?.cancel();
  });

  it("an unread small body does not hold its connection: close() completes", async () => {
    const s = await server();
    const t = createNodeTransport();
    await t.fetch(new Request(`${s.url}/echo`));
    await expect(t.close()).resolves.toBeUndefined();
    const error = await t.fetch(new Request(`${s.url}/echo`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
  });

  it("sends requests through a dispatcher given in the options (an undici MockAgent)", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get("https://api.example.com")
      .intercept({ path: "/api/v1/namespaces", method: "GET" })
      .reply(200, { kind: "NamespaceList", items: [] }, { headers: { "content-type": "application/json" } });
    const res = await transport({ dispatcher: agent }).fetch(new Request("https://api.example.com/api/v1/namespaces"));
    expect(await res.json()).toEqual({ kind: "NamespaceList", items: [] });
    await agent.close();
  });

  it("rejects URLs it cannot fetch with a TypeError", async () => {
    await expect(transport().fetch(new Request("data:text/plain,hello"))).rejects.toBeInstanceOf(TypeError);
    await expect(transport().websocket("ftp://example.com/")).rejects.toBeInstanceOf(TypeError);
  });
});
