/**
 * The transport conformance suite: one set of cases every runtime adapter must pass on its own runtime, over real
 * sockets on 127.0.0.1. An adapter declares what its runtime cannot do (a browser-style adapter cannot present a
 * client certificate); for those, the suite checks the documented fallback instead (a warning through `onWarning`,
 * a typed error), so no case is silently skipped.
 *
 * @module
 */
import { afterAll, afterEach, beforeAll, describe, expect, it as vitestIt } from "vitest";
import { ApiError } from "../src/api-error.ts";
import { bearerAuth } from "../src/bearer-auth.ts";
import type { ClientCertificate, ConnectionOptions } from "../src/connection-options.ts";
import { impersonate } from "../src/impersonate.ts";
import { KubeError } from "../src/kube-error.ts";
import { rateLimit } from "../src/rate-limit.ts";
import { requestTimeout } from "../src/request-timeout.ts";
import { retry } from "../src/retry.ts";
import { type CredentialSource, composeTransport, type FetchOptions, type Transport } from "../src/transport.ts";
import { TransportError } from "../src/transport-error.ts";
import { userAgent } from "../src/user-agent.ts";
import { type KeyPair, type TestPki, testPki } from "./certificates.ts";
import { collectGarbage } from "./collect-garbage.ts";
import { startConnectProxy } from "./connect-proxy.ts";
import { ManualClock } from "./manual-clock.ts";
import { closedPort, startTestServer, type TestServer } from "./test-server.ts";

// Every case fails after 20 s instead of hanging the run: Deno's test runner has no default limit.
const CASE_TIMEOUT_MS = 20_000;
function it(name: string, fn: () => Promise<void> | void): void {
  vitestIt(name, fn, CASE_TIMEOUT_MS);
}

/** A transport the suite can close. */
export type ClosableTransport = Transport & { close?(): Promise<void> | void };

/** What an adapter's runtime lets it do. */
export interface AdapterCapabilities {
  /** Trusts the CA in `caPem`. */
  customCa: boolean;
  /** Presents `clientCertificate` (fixed, and from a rotating provider). */
  clientCertificate: boolean;
  /** Honours `insecureSkipTlsVerify`. */
  insecure: boolean;
  /** Honours `tlsServerName`. */
  tlsServerName: boolean;
  /** Honours `proxyUrl`. */
  proxy: boolean;
  /** Sends arbitrary headers (Authorization, impersonation) on websocket upgrades. */
  websocketHeaders: boolean;
  /** A refused upgrade becomes an `ApiError` with the server's Status message (else only its HTTP status). */
  refusedUpgradeBody: boolean;
  /** A refused upgrade becomes an `ApiError` at all (else a `TransportError` of kind "websocket"). */
  refusedUpgradeStatus: boolean;
  /** Decodes multi-member gzip bodies incrementally (else the adapter must ask for identity on watches). */
  multiMemberGzip: boolean;
  /** Negotiates HTTP/2 when `http2: true`. */
  http2: boolean;
}

export interface AdapterUnderTest {
  name: string;
  create(options?: ConnectionOptions): ClosableTransport;
  can: AdapterCapabilities;
}

async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function readLine(reader: ReadableStreamDefaultReader<Uint8Array>, state: { text: string }): Promise<string> {
  const decoder = new TextDecoder();
  for (;;) {
    const newline = state.text.indexOf("\n");
    if (newline >= 0) {
      const line = state.text.slice(0, newline);
      state.text = state.text.slice(newline + 1);
      return line;
    }
    const { done, value } = await reader.read();
    if (done) throw new Error(`the body ended before a full line: ${JSON.stringify(state.text)}`);
    state.text += decoder.decode(value, { stream: true });
  }
}

/**
 * Opens a streaming body and returns only its reader: the `Request` is built and dropped in here, so that afterwards
 * nothing but the transport can keep it alive. Node's `Request` follows the caller's signal through a weak reference
 * (nodejs/undici#3644, #4068): once the `Request` is collected, aborting the caller's signal no longer reaches it.
 */
async function openBody(
  t: Transport,
  url: string,
  init: RequestInit & { signal: AbortSignal },
  options?: FetchOptions,
): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const res = await t.fetch(new Request(url, init), options);
  return (res.body as ReadableStream<Uint8Array>).getReader();
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, got a result");
}

async function firstMessage(readable: ReadableStream<string | Uint8Array>): Promise<string | Uint8Array> {
  const reader = readable.getReader();
  const { value, done } = await reader.read();
  reader.releaseLock();
  if (done || value === undefined) throw new Error("the websocket closed before its first message");
  return value;
}

export function describeTransportConformance(adapter: AdapterUnderTest): void {
  describe(`${adapter.name} conformance`, () => {
    let pki: TestPki;
    let plain: TestServer;
    let secure: TestServer;
    const transports: ClosableTransport[] = [];
    const make = (options?: ConnectionOptions): ClosableTransport => {
      const t = adapter.create(options);
      transports.push(t);
      return t;
    };
    const warnings: string[] = [];
    const onWarning = (message: string): void => void warnings.push(message);

    beforeAll(async () => {
      pki = await testPki();
      plain = await startTestServer();
      secure = await startTestServer({ tls: { ...pki.server, clientCaPem: pki.caPem } });
    });
    afterEach(async () => {
      warnings.length = 0;
      for (const t of transports.splice(0)) await t.close?.();
    });
    afterAll(async () => {
      await plain.close();
      await secure.close();
    });

    it("GET resolves with status, headers, body and url", async () => {
      const t = make();
      const res = await t.fetch(new Request(`${plain.url}/echo?x=1`, { headers: { "x-test": "yes" } }));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.url).toBe(`${plain.url}/echo?x=1`);
      const body = (await res.json()) as { method: string; path: string; headers: Record<string, string> };
      expect(body.method).toBe("GET");
      expect(body.path).toBe("/echo?x=1");
      expect(body.headers["x-test"]).toBe("yes");
    });

    it("POST sends the body and the caller's headers", async () => {
      const t = make();
      const res = await t.fetch(
        new Request(`${plain.url}/echo`, {
          method: "POST",
          body: JSON.stringify({ kind: "ConfigMap" }),
          headers: { "content-type": "application/json" },
        }),
      );
      const body = (await res.json()) as { method: string; body: string; headers: Record<string, string> };
      expect(body.method).toBe("POST");
      expect(body.body).toBe('{"kind":"ConfigMap"}');
      expect(body.headers["content-type"]).toBe("application/json");
    });

    it("resolves for error statuses; the Status body makes an ApiError", async () => {
      const t = make();
      const request = new Request(`${plain.url}/api/v1/namespaces/dev/pods/web-404`);
      const res = await t.fetch(request);
      expect(res.status).toBe(404);
      const error = await ApiError.fromResponse(res, request);
      expect(error.reason).toBe("NotFound");
      expect(error.message).toContain('Cannot GET "/api/v1/namespaces/dev/pods/web-404": NotFound (404)');
    });

    it("delivers a streaming body incrementally: the first event arrives before the server sends the second", async () => {
      const t = make();
      const res = await t.fetch(new Request(`${plain.url}/stream?gate=incremental&watch=true`));
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const state = { text: "" };
      expect(await within(5000, "the first event", readLine(reader, state))).toBe('{"type":"ADDED","n":1}');
      plain.gate("incremental").open();
      expect(await within(5000, "the second event", readLine(reader, state))).toBe('{"type":"MODIFIED","n":2}');
      expect((await reader.read()).done).toBe(true);
    });

    it("an abort mid-stream errors the body with the signal's reason and closes the connection", async () => {
      const t = make();
      const controller = new AbortController();
      const reason = new Error("informer stopped");
      const res = await t.fetch(
        new Request(`${plain.url}/stream?gate=abort-mid&hold=1`, { signal: controller.signal }),
      );
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await readLine(reader, { text: "" });
      const closed = plain.clientClosed("/stream");
      controller.abort(reason);
      expect(await caught(reader.read())).toBe(reason);
      await within(5000, "the server seeing the connection close", closed);
    });

    it("an abort after the headers errors a pending read at once and frees the connection, even once the Request is garbage", async () => {
      const t = make();
      const controller = new AbortController();
      const reader = await openBody(t, `${plain.url}/stream?gate=abort-gc&hold=1`, { signal: controller.signal });
      await readLine(reader, { text: "" });
      const pending = caught(reader.read());
      await collectGarbage();
      const reason = new Error("watch stopped");
      controller.abort(reason);
      expect(await within(1000, "the pending read failing after the abort", pending)).toBe(reason);
      await within(5000, "the server seeing the connection close", plain.clientClosed("/stream?gate=abort-gc"));
    });

    it("an abort before the response rejects fetch with the signal's reason", async () => {
      const t = make();
      const controller = new AbortController();
      const reason = new DOMException("user pressed q", "AbortError");
      const pending = t.fetch(new Request(`${plain.url}/slow-headers?gate=abort-early`, { signal: controller.signal }));
      setTimeout(() => controller.abort(reason), 50);
      expect(await caught(pending)).toBe(reason);
    });

    it("a refused connection is a TransportError of kind refused with the runtime's error as cause", async () => {
      const t = make();
      const url = `http://127.0.0.1:${await closedPort()}/api`;
      const error = await caught(t.fetch(new Request(url)));
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).kind).toBe("refused");
      expect((error as TransportError).cause).toBeDefined();
      expect((error as TransportError).message).toContain(`Cannot GET ${JSON.stringify(url)}`);
    });

    it("a connection cut mid-body fails the body read with a TransportError", async () => {
      const t = make();
      const res = await t.fetch(new Request(`${plain.url}/cut`));
      const error = await caught(res.text());
      expect(error).toBeInstanceOf(TransportError);
      expect(["aborted-by-server", "reset"]).toContain((error as TransportError).kind);
    });

    it("follows redirects by default and returns them with redirect: manual", async () => {
      const t = make();
      const followed = await t.fetch(new Request(`${plain.url}/redirect`));
      expect(followed.status).toBe(200);
      expect(((await followed.json()) as { path: string }).path).toBe("/echo?redirected=1");
      const manual = await t.fetch(new Request(`${plain.url}/redirect`, { redirect: "manual" }));
      expect([302, 0]).toContain(manual.status);
      await manual.body?.cancel();
    });

    if (adapter.can.multiMemberGzip) {
      it("decodes a multi-member gzip stream incrementally", async () => {
        const t = make();
        const res = await t.fetch(new Request(`${plain.url}/gzip-stream?gate=gz&watch=1`));
        const reader = (res.body as ReadableStream<Uint8Array>).getReader();
        const state = { text: "" };
        expect(await within(5000, "the first gzip member", readLine(reader, state))).toBe('{"type":"ADDED","n":1}');
        plain.gate("gz").open();
        expect(await readLine(reader, state)).toBe('{"type":"MODIFIED","n":2}');
        expect(await readLine(reader, state)).toBe('{"type":"DELETED","n":3}');
      });

      it("a body that is not valid gzip fails with a KubeError, not a crash", async () => {
        const t = make();
        const res = await t.fetch(new Request(`${plain.url}/bad-gzip`));
        const error = await caught(res.text());
        expect(error).toBeInstanceOf(KubeError);
      });
    } else {
      it("asks for an uncompressed body on watch requests (its runtime truncates multi-member gzip)", async () => {
        const t = make();
        await (await t.fetch(new Request(`${plain.url}/echo?watch=true`))).text();
        expect(plain.requests.at(-1)?.headers["accept-encoding"]).toBe("identity");
      });
    }

    if (adapter.can.customCa) {
      it("HTTPS with a CA bundle trusts the test CA (several certificates in one PEM)", async () => {
        const bundle = `${(await testPki()).caPem}\n${pki.caPem}`;
        const t = make({ caPem: bundle });
        const res = await t.fetch(new Request(`${secure.url}/echo`));
        expect(res.status).toBe(200);
        await res.text();
      });
    }

    it("HTTPS without the CA fails with a TransportError of kind tls", async () => {
      const t = make();
      const error = await caught(t.fetch(new Request(`${secure.url}/echo`)));
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).kind).toBe("tls");
    });

    if (adapter.can.clientCertificate) {
      it("mutual TLS: the server sees the client certificate", async () => {
        const t = make({ caPem: pki.caPem, clientCertificate: pki.alice });
        const body = (await (await t.fetch(new Request(`${secure.url}/echo`))).json()) as { clientCn: string };
        expect(body.clientCn).toBe("alice");
      });

      it("mutual TLS with a rotating provider: a new pair is used for the next requests", async () => {
        let current: KeyPair = pki.alice;
        const t = make({ caPem: pki.caPem, clientCertificate: async (): Promise<ClientCertificate> => current });
        const first = (await (await t.fetch(new Request(`${secure.url}/echo`))).json()) as { clientCn: string };
        current = pki.bob;
        const second = (await (await t.fetch(new Request(`${secure.url}/echo`))).json()) as { clientCn: string };
        expect([first.clientCn, second.clientCn]).toEqual(["alice", "bob"]);
      });
    } else {
      it("reports through onWarning that it cannot present a client certificate", () => {
        make({ clientCertificate: pki.alice, onWarning });
        expect(warnings.join("\n")).toMatch(/client certificate/i);
      });
    }

    if (adapter.can.insecure) {
      it("insecure mode reaches a server with an untrusted certificate, and warns", async () => {
        const untrusted = await startTestServer({ tls: pki.untrustedServer });
        try {
          const t = make({ insecureSkipTlsVerify: true, onWarning });
          const res = await t.fetch(new Request(`${untrusted.url}/echo`));
          expect(res.status).toBe(200);
          await res.text();
          expect(warnings.join("\n")).toMatch(/verification is disabled/);
        } finally {
          await untrusted.close();
        }
      });
    } else {
      it("insecure mode is reported through onWarning, and verification stays on", async () => {
        const untrusted = await startTestServer({ tls: pki.untrustedServer });
        try {
          const t = make({ insecureSkipTlsVerify: true, onWarning });
          expect(warnings.join("\n")).toMatch(/insecureSkipTlsVerify/);
          const error = await caught(t.fetch(new Request(`${untrusted.url}/echo`)));
          expect((error as TransportError).kind).toBe("tls");
        } finally {
          await untrusted.close();
        }
      });
    }

    if (adapter.can.tlsServerName) {
      it("tlsServerName verifies the certificate against that name instead of the address", async () => {
        const renamed = await startTestServer({ tls: pki.renamedServer });
        try {
          const wrong = make({ caPem: pki.caPem });
          expect(((await caught(wrong.fetch(new Request(`${renamed.url}/echo`)))) as TransportError).kind).toBe("tls");
          const right = make({ caPem: pki.caPem, tlsServerName: "kube.internal" });
          expect((await right.fetch(new Request(`${renamed.url}/echo`))).status).toBe(200);
        } finally {
          await renamed.close();
        }
      });
    } else {
      it("tlsServerName is reported through onWarning", () => {
        make({ tlsServerName: "kube.internal", onWarning });
        expect(warnings.join("\n")).toMatch(/tlsServerName/);
      });
    }

    if (adapter.can.proxy) {
      it("proxyUrl: HTTPS goes through a CONNECT tunnel, and the proxy saw the target", async () => {
        const proxy = await startConnectProxy({ aliases: { "kube.test": "127.0.0.1" } });
        try {
          const t = make({ caPem: pki.caPem, proxyUrl: proxy.url });
          // kube.test resolves nowhere but in the proxy: an answer proves the request went through it.
          const res = await t.fetch(new Request(`https://kube.test:${secure.port}/echo`));
          expect(res.status).toBe(200);
          await res.text();
          expect(proxy.targets).toEqual([`kube.test:${secure.port}`]);
        } finally {
          await proxy.close();
        }
      });
    } else {
      it("proxyUrl is reported through onWarning", () => {
        make({ proxyUrl: "http://127.0.0.1:3128", onWarning });
        expect(warnings.join("\n")).toMatch(/proxyUrl/);
      });
    }

    if (adapter.can.http2) {
      it("http2: true negotiates HTTP/2 with the server", async () => {
        const { createSecureServer } = await import("node:http2");
        const server = createSecureServer(
          { cert: pki.server.certPem, key: pki.server.keyPem, allowHTTP1: true },
          (req, res) => {
            res.end(JSON.stringify({ httpVersion: req.httpVersion }));
          },
        );
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        const port = (server.address() as { port: number }).port;
        try {
          const h2 = make({ caPem: pki.caPem, http2: true });
          const h1 = make({ caPem: pki.caPem });
          const v2 = (
            (await (await h2.fetch(new Request(`https://127.0.0.1:${port}/`))).json()) as { httpVersion: string }
          ).httpVersion;
          const v1 = (
            (await (await h1.fetch(new Request(`https://127.0.0.1:${port}/`))).json()) as { httpVersion: string }
          ).httpVersion;
          expect([v1, v2]).toEqual(["1.1", "2.0"]);
        } finally {
          for (const t of transports.splice(0)) await t.close?.();
          await new Promise<void>((r) => server.close(() => r()));
        }
      });
    }

    describe("websocket", () => {
      const wsUrl = (server: TestServer, path: string): string => `${server.url.replace(/^http/, "ws")}${path}`;

      it("opens with one subprotocol, sends Origin (and headers where the runtime can), and exchanges messages", async () => {
        const t = make();
        const socket = await t.websocket(wsUrl(plain, "/ws?watch=true"), {
          protocols: ["base64.binary.k8s.io"],
          headers: {
            authorization: "Bearer ws-token-123456",
            ...(adapter.can.websocketHeaders ? { "impersonate-user": "jane" } : {}),
          },
        });
        expect(socket.protocol).toBe("base64.binary.k8s.io");
        const hello = JSON.parse(String(await firstMessage(socket.readable))) as Record<string, unknown>;
        expect(hello.origin).toBe(plain.url);
        if (adapter.can.websocketHeaders) {
          expect(hello.authorization).toBe("Bearer ws-token-123456");
          expect(hello.impersonateUser).toBe("jane");
          expect(hello.token).toBe(null);
        } else {
          // The token rides in the subprotocol; the server stripped it and echoed the one other protocol.
          expect(hello.token).toBe("ws-token-123456");
          expect((hello.offered as string[]).filter((p) => !p.startsWith("base64url."))).toEqual([
            "base64.binary.k8s.io",
          ]);
        }
        socket.send("text message");
        socket.send(new Uint8Array([1, 2, 3]));
        const reader = socket.readable.getReader();
        expect((await reader.read()).value).toBe("text message");
        expect(Array.from((await reader.read()).value as Uint8Array)).toEqual([1, 2, 3]);
        socket.send("close-me");
        expect((await reader.read()).done).toBe(true);
        expect(await socket.closed).toEqual({ code: 1000, reason: "as asked" });
      });

      if (adapter.can.customCa) {
        it("wss uses the same TLS options as HTTP", async () => {
          const options: ConnectionOptions = adapter.can.clientCertificate
            ? { caPem: pki.caPem, clientCertificate: pki.alice }
            : { caPem: pki.caPem };
          const socket = await make(options).websocket(wsUrl(secure, "/ws"), { protocols: ["v4.channel.k8s.io"] });
          const hello = JSON.parse(String(await firstMessage(socket.readable))) as { clientCn: string | null };
          expect(hello.clientCn).toBe(adapter.can.clientCertificate ? "alice" : null);
          socket.close();
          expect((await socket.closed).code).toBe(1000);
        });
      }

      if (adapter.can.proxy) {
        it("wss goes through the proxy with a CONNECT tunnel", async () => {
          const proxy = await startConnectProxy({ aliases: { "kube.test": "127.0.0.1" } });
          try {
            const t = make({ caPem: pki.caPem, proxyUrl: proxy.url });
            const socket = await t.websocket(`wss://kube.test:${secure.port}/ws`, { protocols: ["x"] });
            await firstMessage(socket.readable);
            socket.close();
            await socket.closed;
            expect(proxy.targets).toEqual([`kube.test:${secure.port}`]);
          } finally {
            await proxy.close();
          }
        });
      }

      it("a refused upgrade rejects with an ApiError carrying the HTTP status where the runtime reports it", async () => {
        const error = await caught(make().websocket(wsUrl(plain, "/ws-refuse"), { protocols: ["x"] }));
        if (adapter.can.refusedUpgradeStatus) {
          expect(error).toBeInstanceOf(ApiError);
          expect((error as ApiError).status).toBe(403);
          expect((error as ApiError).reason).toBe("Forbidden");
          if (adapter.can.refusedUpgradeBody) {
            expect((error as ApiError).message).toContain("websockets are not allowed here");
          }
        } else {
          expect(error).toBeInstanceOf(TransportError);
          expect((error as TransportError).kind).toBe("websocket");
        }
      });

      it("an abnormal close errors the message stream with a TransportError; closed still resolves", async () => {
        const socket = await make().websocket(wsUrl(plain, "/ws-abnormal"), { protocols: ["x"] });
        const reader = socket.readable.getReader();
        await reader.read();
        const error = await caught(reader.read());
        expect(error).toBeInstanceOf(TransportError);
        expect((await socket.closed).code).toBe(1006);
      });

      it("an abnormal close delivers every message received before it, then errors the stream", async () => {
        const socket = await make().websocket(wsUrl(plain, "/ws-burst?count=10&end=abnormal"), { protocols: ["x"] });
        // Nothing is read before the socket has closed: all ten messages wait in the stream's queue.
        expect((await within(5000, "the socket closing", socket.closed)).code).toBe(1006);
        const reader = socket.readable.getReader();
        await reader.read(); // the server's hello
        const received: unknown[] = [];
        for (let i = 1; i <= 10; i++) received.push((await reader.read()).value);
        expect(received).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 1}`));
        const error = await caught(reader.read());
        expect(error).toBeInstanceOf(TransportError);
        expect((error as TransportError).kind).toBe("websocket");
      });

      it("a slow reader gets all of a long burst before the error of an abnormal close", async () => {
        const socket = await make().websocket(wsUrl(plain, "/ws-burst?count=300&end=abnormal"), { protocols: ["x"] });
        const reader = socket.readable.getReader();
        await reader.read(); // the server's hello
        await new Promise((resolve) => setTimeout(resolve, 100));
        const received: unknown[] = [];
        for (;;) {
          const result = await reader.read().catch((error: unknown) => ({ error }));
          if ("error" in result) {
            expect(result.error).toBeInstanceOf(TransportError);
            break;
          }
          if (result.done) throw new Error("the stream ended cleanly after an abnormal close");
          received.push(result.value);
          if (received.length % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        expect(received).toEqual(Array.from({ length: 300 }, (_, i) => `m${i + 1}`));
        expect((await socket.closed).code).toBe(1006);
      });

      it("a normal close delivers every message received before it, then ends the stream", async () => {
        const socket = await make().websocket(wsUrl(plain, "/ws-burst?count=10&end=normal"), { protocols: ["x"] });
        expect(await within(5000, "the socket closing", socket.closed)).toEqual({ code: 1000, reason: "done" });
        const reader = socket.readable.getReader();
        await reader.read(); // the server's hello
        const received: unknown[] = [];
        for (let i = 1; i <= 10; i++) received.push((await reader.read()).value);
        expect(received).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 1}`));
        expect((await reader.read()).done).toBe(true);
      });

      it("an abort of an open socket closes it and errors the stream with the reason", async () => {
        const controller = new AbortController();
        const socket = await make().websocket(wsUrl(plain, "/ws"), { protocols: ["x"], signal: controller.signal });
        const reader = socket.readable.getReader();
        await reader.read();
        const reason = new Error("done watching");
        controller.abort(reason);
        expect(await caught(reader.read())).toBe(reason);
        await within(5000, "the socket closing", socket.closed);
      });
    });

    describe("with middleware", () => {
      it("retry: 429 with Retry-After then success; a POST with a replayable body is resent intact", async () => {
        const t = composeTransport(make(), retry({ baseDelayMs: 1 }));
        const res = await t.fetch(new Request(`${plain.url}/flaky?key=r1&fail=2&code=429&retryAfter=0`));
        expect(await res.json()).toEqual({ attempts: 3, body: "" });
        const post = await t.fetch(
          new Request(`${plain.url}/flaky?key=r2&fail=1&code=503`, { method: "POST", body: '{"spec":{}}' }),
          { replayable: true },
        );
        expect(await post.json()).toEqual({ attempts: 2, body: '{"spec":{}}' });
      });

      it("rate limit: requests beyond the burst wait for the clock", async () => {
        const clock = new ManualClock();
        const t = composeTransport(make(), rateLimit({ qps: 1, burst: 2, clock }));
        const before = plain.requests.length;
        const results = [1, 2, 3].map((i) => t.fetch(new Request(`${plain.url}/echo?rl=${i}`)).then((r) => r.text()));
        await Promise.all(results.slice(0, 2));
        await new Promise((r) => setTimeout(r, 50));
        expect(plain.requests.length - before).toBe(2);
        await clock.advance(1000);
        await results[2];
        expect(plain.requests.length - before).toBe(3);
      });

      it("401 → credential refresh → one retry with the fresh token", async () => {
        const tokens = ["stale-token-0001", "fresh-token-0002"];
        const invalidated: string[] = [];
        const source: CredentialSource = {
          getToken: async () => tokens[invalidated.length],
          invalidate: (token) => void invalidated.push(token),
        };
        const t = composeTransport(make(), bearerAuth(source));
        const res = await t.fetch(new Request(`${plain.url}/auth`));
        expect(res.status).toBe(200);
        expect(invalidated).toEqual(["stale-token-0001"]);
        const seen = plain.requests.filter((r) => r.url === "/auth").map((r) => r.headers.authorization);
        expect(seen.slice(-2)).toEqual(["Bearer stale-token-0001", "Bearer fresh-token-0002"]);
      });

      it("timeout: no headers in time is a TransportError of kind timeout; a stream's body may outlast it", async () => {
        const t = composeTransport(make(), requestTimeout({ timeoutMs: 200 }));
        const error = await caught(t.fetch(new Request(`${plain.url}/slow-headers?gate=timeout-headers`)));
        expect(error).toBeInstanceOf(TransportError);
        expect((error as TransportError).kind).toBe("timeout");

        const body = await t.fetch(new Request(`${plain.url}/stall-body?gate=timeout-body`));
        const bodyError = await caught(body.text());
        expect((bodyError as TransportError).kind).toBe("timeout");

        const stream = await t.fetch(new Request(`${plain.url}/stream?gate=timeout-stream&watch=1`));
        const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
        const state = { text: "" };
        await readLine(reader, state);
        await new Promise((r) => setTimeout(r, 400));
        plain.gate("timeout-stream").open();
        expect(await readLine(reader, state)).toBe('{"type":"MODIFIED","n":2}');
      });

      it("an abort after the headers reaches the body through every middleware that copies the Request, even once the copies are garbage", async () => {
        const tokens = ["stale-token-0001", "fresh-token-0002"];
        const invalidated: string[] = [];
        const t = composeTransport(
          make(),
          requestTimeout({ timeoutMs: 60_000 }),
          userAgent(),
          impersonate({ user: "jane" }),
          retry({ baseDelayMs: 1 }),
          bearerAuth({
            getToken: async () => tokens[invalidated.length],
            invalidate: (token) => void invalidated.push(token),
          }),
        );
        const controller = new AbortController();
        // A POST with a replayable body, refused with 401 and then 503 before it streams: what reaches the adapter
        // is bearerAuth's copy, then retry's copy of the caller's request, each a Request made from another.
        const reader = await openBody(
          t,
          `${plain.url}/stream?gate=abort-gc-middleware&hold=1&fail=401,503`,
          { method: "POST", body: '{"kind":"WatchRequest"}', signal: controller.signal },
          { stream: true, replayable: true },
        );
        await readLine(reader, { text: "" });
        const pending = caught(reader.read());
        await collectGarbage();
        const reason = new Error("informer stopped");
        controller.abort(reason);
        expect(await within(1000, "the pending read failing after the abort", pending)).toBe(reason);
        await within(
          5000,
          "the server seeing the connection close",
          plain.clientClosed("/stream?gate=abort-gc-middleware"),
        );
        const seen = plain.requests.filter((r) => r.url.includes("abort-gc-middleware"));
        expect(seen.map((r) => [r.method, r.body, r.headers.authorization, r.headers["impersonate-user"]])).toEqual([
          ["POST", '{"kind":"WatchRequest"}', "Bearer stale-token-0001", "jane"],
          ["POST", '{"kind":"WatchRequest"}', "Bearer fresh-token-0002", "jane"],
          ["POST", '{"kind":"WatchRequest"}', "Bearer fresh-token-0002", "jane"],
        ]);
      });

      it("secrets never reach error messages, even when a 401/403 body echoes the Authorization header", async () => {
        const secret = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl-x";
        const t = composeTransport(make(), bearerAuth({ getToken: async () => secret }));
        const request = new Request(`${plain.url}/auth`, { headers: { "x-echo": "careless proxy" } });
        const res = await t.fetch(request);
        expect(res.status).toBe(401);
        const error = await ApiError.fromResponse(res, request);
        expect(error.message).toContain("token rejected");
        expect(error.message).not.toContain(secret);
        expect(error.message).not.toContain("c2VjcmV0LXBheWxvYWQ");
        expect(JSON.stringify(error.apiStatus)).not.toContain(secret);
      });
    });
  });
}
