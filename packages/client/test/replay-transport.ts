/**
 * Test support: transports that answer from recorded exchanges (`shared/fixtures`) or from a handler, in process,
 * and keep every request they saw. No sockets: these drive the client's decoding and error handling with the exact
 * bytes real servers sent; the integration tests run against the fake cluster over HTTPS.
 *
 * @module
 */
import type { FetchOptions, Transport, WebSocketConnection } from "@kubeshift/transport";

/** One recorded exchange, as in `shared/fixtures/FORMAT.md`. */
export interface Exchange {
  request: { method: string; path: string; query: string; headers?: Record<string, string>; body?: unknown };
  response: { status: number; headers?: Record<string, string>; body?: unknown; stream?: string[] };
}

/** A fixture file. */
export interface Fixture {
  scenario: string;
  exchanges: Exchange[];
}

/** A request as the transport saw it. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string | undefined;
  options: FetchOptions | undefined;
}

/** A transport that records requests. */
export interface RecordingTransport extends Transport {
  readonly seen: SeenRequest[];
}

function bodyText(body: unknown): string | null {
  if (body === null || body === undefined) return null;
  if (typeof body === "string") return body;
  return JSON.stringify(body);
}

/** Builds a Response from a recorded one. */
export function recordedResponse(response: Exchange["response"]): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(response.headers ?? {})) if (k !== "transfer-encoding") headers.set(k, v);
  const text = response.stream !== undefined ? response.stream.map((l) => `${l}\n`).join("") : bodyText(response.body);
  return new Response(text, { status: response.status, headers });
}

/** A transport answering each request with a handler. */
export function scriptedTransport(
  handler: (request: Request, seen: SeenRequest) => Response | Promise<Response>,
): RecordingTransport {
  const seen: SeenRequest[] = [];
  return {
    seen,
    async fetch(request: Request, options?: FetchOptions): Promise<Response> {
      request.signal.throwIfAborted();
      const entry: SeenRequest = {
        method: request.method,
        url: new URL(request.url),
        headers: new Headers(request.headers),
        body: request.body === null ? undefined : await request.clone().text(),
        options,
      };
      seen.push(entry);
      return handler(request, entry);
    },
    websocket(): Promise<WebSocketConnection> {
      return Promise.reject(new Error("this test transport has no websockets"));
    },
  };
}

/**
 * A transport that answers from recorded exchanges: each request takes the first unused exchange with the same
 * method, path and query (query compared as sets of parameters, or ignored); a request with no recording fails the
 * test unless `fallback` answers it.
 */
export function replayTransport(
  exchanges: readonly Exchange[],
  options: {
    reuse?: boolean;
    ignoreQuery?: boolean;
    matchAccept?: boolean;
    fallback?: (request: Request) => Response | undefined;
  } = {},
): RecordingTransport {
  const used = new Set<number>();
  const sameQuery = (a: string, b: URLSearchParams): boolean => {
    const x = new URLSearchParams(a);
    const keys = new Set([...x.keys(), ...b.keys()]);
    for (const k of keys) if (x.getAll(k).join("\0") !== b.getAll(k).join("\0")) return false;
    return true;
  };
  return scriptedTransport((request, seen) => {
    const index = exchanges.findIndex(
      (e, i) =>
        (options.reuse || !used.has(i)) &&
        e.request.method === request.method &&
        e.request.path === seen.url.pathname &&
        (options.ignoreQuery || sameQuery(e.request.query, seen.url.searchParams)) &&
        (!options.matchAccept || e.request.headers?.Accept === seen.headers.get("accept")),
    );
    const exchange = exchanges[index];
    if (exchange === undefined) {
      const fallback = options.fallback?.(request);
      if (fallback !== undefined) return fallback;
      throw new Error(`no recorded exchange for ${request.method} ${seen.url.pathname}${seen.url.search}`);
    }
    used.add(index);
    return recordedResponse(exchange.response);
  });
}
