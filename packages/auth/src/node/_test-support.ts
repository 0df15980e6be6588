/**
 * Test support (excluded from the build): a small HTTPS server on 127.0.0.1 that answers with recorded exchanges,
 * and a `fetch` over `node:https` that trusts a given CA — what the auth tests use until the fake cluster serves
 * OAuth, TokenRequest and JWKS. Runtime code never imports this module.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, realpathSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, request as httpsRequest, type Server } from "node:https";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ApiRequester } from "@kubeshift/transport";

const tlsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "testdata", "tls");

/** The throwaway TLS material of testdata/tls. */
export const testTls: { caPem: string; certPem: string; keyPem: string; clientCertPem: string; clientKeyPem: string } =
  {
    caPem: readFileSync(join(tlsDir, "ca.pem"), "utf8"),
    certPem: readFileSync(join(tlsDir, "server.pem"), "utf8"),
    keyPem: readFileSync(join(tlsDir, "server-key.pem"), "utf8"),
    clientCertPem: readFileSync(join(tlsDir, "client.pem"), "utf8"),
    clientKeyPem: readFileSync(join(tlsDir, "client-key.pem"), "utf8"),
  };

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
}

/** What a route answers. */
export interface ReplyShape {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A route: a matcher and a reply (or a function building one). */
export interface Route {
  method: string;
  path: string;
  /** Matches only when this returns true. */
  when?: (request: SeenRequest) => boolean;
  reply: ReplyShape | ((request: SeenRequest) => ReplyShape | Promise<ReplyShape>);
}

/** A running replay server. */
export interface ReplayServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

function encodeBody(body: unknown, headers: Record<string, string>): string {
  if (body === null || body === undefined) return "";
  if (typeof body === "string") return body;
  if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
    headers["content-type"] = "application/json";
  return JSON.stringify(body);
}

/**
 * Starts an HTTPS server on 127.0.0.1 answering the first matching route; unmatched requests get a 599 and are
 * recorded, so a test sees what was sent that it did not expect.
 *
 * @param routes the routes, tried in order
 * @param options `placeholders` replaced in every reply body and header (`https://127.0.0.1:18443` → the server)
 * @returns the server
 */
export async function startReplayServer(
  routes: readonly Route[],
  options: { placeholders?: Record<string, string> } = {},
): Promise<ReplayServer> {
  const requests: SeenRequest[] = [];
  let origin = "";
  const substitute = (text: string): string => {
    let out = text.replaceAll("{{origin}}", origin);
    for (const [from, to] of Object.entries(options.placeholders ?? {})) out = out.replaceAll(from, to);
    return out;
  };
  const server: Server = createServer(
    { cert: testTls.certPem, key: testTls.keyPem },
    (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const url = new URL(req.url ?? "/", "https://127.0.0.1");
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
        const seen: SeenRequest = {
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.search.replace(/^\?/, ""),
          headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        requests.push(seen);
        const route = routes.find((r) => r.method === seen.method && r.path === seen.path && (r.when?.(seen) ?? true));
        if (route === undefined) {
          res.writeHead(599, { "content-type": "text/plain" }).end(`no route for ${seen.method} ${seen.path}`);
          return;
        }
        let reply: ReplyShape;
        try {
          reply = typeof route.reply === "function" ? await route.reply(seen) : route.reply;
        } catch (error) {
          res.writeHead(598, { "content-type": "text/plain" }).end(String(error));
          return;
        }
        const replyHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(reply.headers ?? {})) replyHeaders[k] = substitute(v);
        const text = substitute(encodeBody(reply.body, replyHeaders));
        res.writeHead(reply.status, replyHeaders).end(text);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  origin = `https://127.0.0.1:${port}`;
  return {
    url: origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A `fetch` over `node:https` trusting `caPem` (optionally presenting a client certificate); redirects are returned,
 * not followed.
 *
 * @param options CA and client certificate
 * @returns the fetch function
 */
export function httpsFetch(options: {
  caPem: string;
  certPem?: string;
  keyPem?: string;
}): (request: Request) => Promise<Response> {
  return async (request: Request): Promise<Response> => {
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(
        request.url,
        {
          method: request.method,
          headers,
          ca: options.caPem,
          ...(options.certPem === undefined ? {} : { cert: options.certPem, key: options.keyPem }),
          signal: request.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (Array.isArray(v)) for (const x of v) h.append(k, x);
              else if (v !== undefined) h.set(k, v);
            }
            const status = res.statusCode ?? 0;
            const nullBody = status === 204 || status === 304 || request.method === "HEAD";
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: h }));
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  };
}

/**
 * An {@link ApiRequester} for tests: `fetch` against `server` with a bearer token.
 *
 * @param fetch the fetch function
 * @param server the server URL
 * @param token the bearer token (none when undefined)
 * @returns the requester
 */
export function testRequester(
  fetch: (request: Request) => Promise<Response>,
  server: string,
  token: string | undefined,
): ApiRequester & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    request(path: string, init: RequestInit = {}): Promise<Response> {
      paths.push(`${init.method ?? "GET"} ${path}`);
      const headers = new Headers(init.headers);
      if (token !== undefined) headers.set("Authorization", `Bearer ${token}`);
      return fetch(new Request(new URL(path, server), { ...init, headers }));
    },
  };
}

/**
 * Reads a recorded fixture (`shared/fixtures/<relative>`), failing with a clear message when the folder is missing.
 *
 * @param absolutePath the fixture's path (from `tools/shared-dir.ts`)
 * @returns the parsed file
 */
export function readFixture(absolutePath: string): {
  exchanges: Array<{
    request: { method: string; path: string; query: string; headers: Record<string, string>; body: unknown };
    response: { status: number; headers: Record<string, string>; body: unknown; jwtClaims?: Record<string, unknown> };
  }>;
} {
  return JSON.parse(readFileSync(absolutePath, "utf8"));
}

/**
 * The real kubectl to compare with: on PATH, or — when PATH has Google Cloud SDK's dispatcher, which opens a TLS
 * connection to the current context's server to choose a version — the newest versioned binary beside it.
 *
 * @returns the path of a kubectl binary
 * @throws {Error} when kubectl is not on PATH
 */
export function realKubectl(): string {
  const which = spawnSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" });
  const onPath = which.stdout.trim();
  if (which.status !== 0 || onPath === "") {
    throw new Error("kubectl is not on PATH: this test compares with the real kubectl (install it)");
  }
  const dir = dirname(realpathSync(onPath));
  const versions = readdirSync(dir)
    .filter((f) => /^kubectl\.\d+\.\d+$/.test(f))
    .sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2]));
  const newest = versions[versions.length - 1];
  return newest === undefined ? onPath : join(dir, newest);
}
