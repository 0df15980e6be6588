/**
 * A small API-server stand-in for the conformance suite, on 127.0.0.1 over real sockets (Node or Deno): plain HTTP or
 * HTTPS (optionally asking for client certificates), routes that stream, stall, fail, gzip, redirect and echo, and
 * websocket upgrades checked the way the API server checks them (Origin required, bearer token subprotocol stripped,
 * exactly one other protocol echoed).
 *
 * @module
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { gzipSync } from "node:zlib";
import { WebSocketServer } from "ws";
import type { KeyPair } from "./certificates.ts";

export interface ServerTls extends KeyPair {
  /** Ask for a client certificate signed by this CA (not required: unauthenticated requests still get through). */
  clientCaPem?: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** CN of the client certificate, when one was presented. */
  clientCn?: string;
  httpVersion: string;
}

/** A one-shot signal the server waits on (for "the client saw the first chunk before the server went on"). */
export class Gate {
  #open: () => void = () => {};
  readonly opened: Promise<void> = new Promise((resolve) => {
    this.#open = resolve;
  });
  open(): void {
    this.#open();
  }
}

export interface TestServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Gates by name, created on first use, that streaming routes wait on. */
  gate(name: string): Gate;
  /**
   * Resolves when the server saw the client close the connection of a request to `path` before the response ended;
   * `path?gate=<name>` waits for the request with that gate only.
   */
  clientClosed(path: string): Promise<void>;
  close(): Promise<void>;
}

const status = (code: number, message: string, reason: string) =>
  JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });

function clientCn(req: IncomingMessage): string | undefined {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== "function") return undefined;
  const cert = socket.getPeerCertificate();
  const cn = cert?.subject?.CN;
  return typeof cn === "string" && cn !== "" ? cn : undefined;
}

const BEARER_PROTOCOL = "base64url.bearer.authorization.k8s.io.";

function decodeBase64Url(text: string): string {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return new TextDecoder().decode(
    Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0)),
  );
}

/** Starts the server. */
export async function startTestServer(options: { tls?: ServerTls } = {}): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const gates = new Map<string, Gate>();
  const gate = (name: string): Gate => {
    let g = gates.get(name);
    if (g === undefined) {
      g = new Gate();
      gates.set(name, g);
    }
    return g;
  };
  const closedWaiters = new Map<string, Array<() => void>>();
  const closedSeen = new Set<string>();
  const noteClosed = (path: string): void => {
    closedSeen.add(path);
    for (const w of closedWaiters.get(path) ?? []) w();
  };
  const counters = new Map<string, number>();
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://server");
    const q = url.searchParams;
    const path = url.pathname;
    res.on("close", () => {
      if (res.writableFinished) return;
      noteClosed(path);
      const gateName = q.get("gate");
      if (gateName !== null) noteClosed(`${path}?gate=${gateName}`);
    });
    switch (path) {
      case "/echo":
      case "/api/v1/namespaces/default/pods": {
        const payload = JSON.stringify({
          method: req.method,
          path: req.url,
          headers: req.headers,
          body,
          clientCn: clientCn(req) ?? null,
          httpVersion: req.httpVersion,
        });
        res.writeHead(200, { "content-type": "application/json", warning: '299 - "test warning"' });
        res.end(payload);
        return;
      }
      case "/status": {
        const code = Number(q.get("code") ?? "500");
        const headers: Record<string, string> = { "content-type": "application/json" };
        const retryAfter = q.get("retryAfter");
        if (retryAfter !== null) headers["retry-after"] = retryAfter;
        res.writeHead(code, headers);
        res.end(status(code, q.get("message") ?? "as requested", q.get("reason") ?? ""));
        return;
      }
      case "/flaky": {
        // Fails `fail` times per key with `code` (and Retry-After), then answers 200 with the count.
        const key = q.get("key") ?? "";
        const count = (counters.get(key) ?? 0) + 1;
        counters.set(key, count);
        if (count <= Number(q.get("fail") ?? "1")) {
          const code = Number(q.get("code") ?? "503");
          const headers: Record<string, string> = { "content-type": "application/json" };
          const retryAfter = q.get("retryAfter");
          if (retryAfter !== null) headers["retry-after"] = retryAfter;
          res.writeHead(code, headers);
          res.end(status(code, "try again", code === 429 ? "TooManyRequests" : "ServiceUnavailable"));
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ attempts: count, body }));
        return;
      }
      case "/auth": {
        // Accepts only "Bearer fresh-…" tokens; a 401 echoes the Authorization header like a careless proxy would.
        const auth = req.headers.authorization ?? "";
        if (!auth.startsWith("Bearer fresh-")) {
          res.writeHead(401, { "content-type": "application/json" });
          res.end(status(401, `token rejected: ${auth} (from ${req.headers["x-echo"] ?? "?"})`, "Unauthorized"));
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true, body }));
        return;
      }
      case "/stream": {
        // `fail=401,503`: the first requests with this gate fail with these statuses, one each, before one streams.
        const failures = (q.get("fail") ?? "").split(",").filter((code) => code !== "");
        const attempt = (counters.get(`stream:${q.get("gate")}`) ?? 0) + 1;
        counters.set(`stream:${q.get("gate")}`, attempt);
        const failWith = Number(failures[attempt - 1] ?? "0");
        if (failWith !== 0) {
          res.writeHead(failWith, { "content-type": "application/json", "retry-after": "0" });
          res.end(status(failWith, "not this time", failWith === 401 ? "Unauthorized" : "ServiceUnavailable"));
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"type":"ADDED","n":1}\n');
        await gate(q.get("gate") ?? "stream").opened;
        if (res.destroyed) return;
        res.write('{"type":"MODIFIED","n":2}\n');
        if (q.get("hold") === "1") return;
        res.end();
        return;
      }
      case "/gzip-stream": {
        // Several gzip members, one event each, with the second held back until the client saw the first.
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        res.write(gzipSync('{"type":"ADDED","n":1}\n'));
        await gate(q.get("gate") ?? "gzip").opened;
        if (res.destroyed) return;
        res.write(gzipSync('{"type":"MODIFIED","n":2}\n'));
        res.end(gzipSync('{"type":"DELETED","n":3}\n'));
        return;
      }
      case "/bad-gzip": {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        res.end("this is not gzip");
        return;
      }
      case "/slow-headers": {
        await gate(q.get("gate") ?? "slow-headers").opened;
        if (res.destroyed) return;
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("late");
        return;
      }
      case "/stall-body": {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("first");
        await gate(q.get("gate") ?? "stall-body").opened;
        if (!res.destroyed) res.end("rest");
        return;
      }
      case "/cut": {
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        res.write('{"partial":');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      case "/redirect": {
        res.writeHead(Number(q.get("code") ?? "302"), { location: q.get("to") ?? "/echo?redirected=1" });
        res.end();
        return;
      }
      case "/big": {
        const size = Number(q.get("bytes") ?? "1048576");
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(size) });
        res.end(new Uint8Array(size).fill(120));
        return;
      }
      default:
        res.writeHead(404, { "content-type": "application/json" });
        res.end(status(404, `the server could not find the requested resource (${path})`, "NotFound"));
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const cn = clientCn(req);
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        ...(cn === undefined ? {} : { clientCn: cn }),
        httpVersion: req.httpVersion,
      });
      handle(req, res, body).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  };

  const server: Server = options.tls
    ? createHttpsServer(
        {
          cert: options.tls.certPem,
          key: options.tls.keyPem,
          ...(options.tls.clientCaPem
            ? { ca: options.tls.clientCaPem, requestCert: true, rejectUnauthorized: false }
            : {}),
        },
        listener,
      )
    : createHttpServer(listener);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    sockets.add(socket);
    const url = new URL(req.url ?? "/", "http://server");
    const cn = clientCn(req);
    requests.push({
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: "",
      ...(cn === undefined ? {} : { clientCn: cn }),
      httpVersion: req.httpVersion,
    });
    const refuse = (code: number, message: string, reason: string): void => {
      const body = status(code, message, reason);
      socket.end(
        `HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (url.pathname === "/ws-refuse") return refuse(403, "websockets are not allowed here", "Forbidden");
    // x/net/websocket's checkOrigin: no Origin, no websocket.
    if (req.headers.origin === undefined) return refuse(403, "null origin", "Forbidden");
    const offered = (req.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p !== "");
    const tokens = offered.filter((p) => p.startsWith(BEARER_PROTOCOL));
    const others = offered.filter((p) => !p.startsWith(BEARER_PROTOCOL));
    if (tokens.length > 1) return refuse(401, "more than one bearer token subprotocol", "Unauthorized");
    if (tokens.length === 1 && others.length === 0)
      return refuse(401, "missing additional subprotocol", "Unauthorized");
    if (others.length > 1 && url.pathname === "/ws") return refuse(400, "choose exactly one protocol", "BadRequest");
    const token = tokens[0] === undefined ? undefined : decodeBase64Url(tokens[0].slice(BEARER_PROTOCOL.length));
    const wssForRequest = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      handleProtocols: () => others[0] ?? false,
    });
    wssForRequest.handleUpgrade(req, socket, head, (ws) => {
      ws.send(
        JSON.stringify({
          origin: req.headers.origin,
          authorization: req.headers.authorization ?? null,
          impersonateUser: req.headers["impersonate-user"] ?? null,
          userAgent: req.headers["user-agent"] ?? null,
          token: token ?? null,
          offered,
          clientCn: cn ?? null,
        }),
      );
      if (url.pathname === "/ws-abnormal") {
        setTimeout(() => socket.destroy(), 20);
        return;
      }
      if (url.pathname === "/ws-burst") {
        // `count` messages at once, then a close frame (`end=normal`) or the connection ended without one (1006).
        const count = Number(url.searchParams.get("count") ?? "10");
        for (let i = 1; i <= count; i++) ws.send(`m${i}`);
        if (url.searchParams.get("end") === "normal") ws.close(1000, "done");
        else socket.end();
        return;
      }
      ws.on("message", (data, isBinary) => {
        if (!isBinary && String(data) === "close-me") ws.close(1000, "as asked");
        else ws.send(data, { binary: isBinary });
      });
      ws.on("close", () => noteClosed(url.pathname));
    });
  });
  void wss;

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests,
    gate,
    clientClosed(path) {
      if (closedSeen.has(path)) return Promise.resolve();
      return new Promise((resolve) => {
        closedWaiters.set(path, [...(closedWaiters.get(path) ?? []), resolve]);
      });
    },
    async close() {
      for (const g of gates.values()) g.open();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released), for connection-refused cases. */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
