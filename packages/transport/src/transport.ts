/**
 * The transport contract: how every kubeshift package moves bytes. A `Transport` is a `fetch` for web-standard
 * `Request`s plus a way to open a websocket; middleware are `(next) => next` wrappers composed in one place.
 *
 * @module
 */

/** Per-request hints the transport and its middleware need but a `Request` cannot carry. */
export interface FetchOptions {
  /**
   * The response is a long-lived stream (watch, `follow` logs): exempt from client-side rate limiting, and the
   * request timeout covers only the wait for response headers. Watches are also recognised by their URL.
   * @default false
   */
  stream?: boolean;
  /**
   * The request body can be sent again (it was built from a string or bytes). Retry middleware never resends a
   * request whose body it cannot replay.
   * @default true when the request has no body, else false
   */
  replayable?: boolean;
  /**
   * The request may be repeated after a connection failure without changing the outcome. Defaults from the method:
   * GET, HEAD, OPTIONS, PUT and DELETE are idempotent; POST and PATCH are not.
   */
  idempotent?: boolean;
  /** Overrides the timeout middleware's limit for this request, in milliseconds; `0` disables it. */
  timeoutMs?: number;
  /** Disables retries for this request. @default false */
  noRetry?: boolean;
}

/** Options to open a websocket. */
export interface WebSocketOptions {
  /** Subprotocols to offer; the API server echoes exactly one (besides the bearer-token protocol). */
  protocols?: readonly string[];
  /** Headers for the upgrade request (`Authorization`, `Origin`, impersonation). Adapters that cannot send headers
   * (browsers) carry a bearer token in the `base64url.bearer.authorization.k8s.io.<token>` subprotocol instead. */
  headers?: HeadersInit;
  /** Aborts the handshake, or closes the socket once open. */
  signal?: AbortSignal;
}

/** A websocket once it is open. Messages arrive on `readable`, one chunk per message. */
export interface WebSocketConnection {
  /** The subprotocol the server accepted (`""` when none). */
  readonly protocol: string;
  /** Every message received, text as `string`, binary as `Uint8Array`; ends when the socket closes. A socket that
   * closes abnormally errors the stream with a `TransportError`. */
  readonly readable: ReadableStream<string | Uint8Array>;
  /** Sends one message. */
  send(data: string | Uint8Array): void;
  /** Closes the socket (code 1000 by default). */
  close(code?: number, reason?: string): void;
  /** Settles when the socket has closed, with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/**
 * How requests reach the API server. Adapters (`@kubeshift/transport/node`, `/deno`, `/web`) implement it;
 * middleware wrap it.
 */
export interface Transport {
  /**
   * Sends a request and resolves with the response, whatever its HTTP status. Network failures reject with a
   * `TransportError`; an abort through `request.signal` rejects with the signal's reason.
   */
  fetch(request: Request, options?: FetchOptions): Promise<Response>;
  /** Opens a websocket; rejects with an `ApiError` when the server refuses the upgrade with an HTTP status. */
  websocket(url: string | URL, options?: WebSocketOptions): Promise<WebSocketConnection>;
}

/** A transport wrapper: takes the next transport and returns one that adds a behaviour. */
export type Middleware = (next: Transport) => Transport;

/**
 * Wraps a transport in middleware. The first middleware is the outermost: it sees each request first and each
 * response last.
 *
 * @param base the adapter at the bottom
 * @param middleware wrappers, outermost first
 * @returns the composed transport
 * @example
 * ```ts
 * import { composeTransport, retry, userAgent } from "@kubeshift/transport";
 * import { createNodeTransport } from "@kubeshift/transport/node";
 * const transport = composeTransport(createNodeTransport({ caPem }), userAgent("my-app/1.0"), retry());
 * ```
 */
export function composeTransport(base: Transport, ...middleware: readonly Middleware[]): Transport {
  let transport = base;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const wrap = middleware[i];
    if (wrap !== undefined) transport = wrap(transport);
  }
  return transport;
}

/**
 * The small request interface auth functions need from a client (whoami, TokenRequest) without importing the
 * client package: a path relative to the server, resolved with the client's transport and credentials.
 */
export interface ApiRequester {
  /** Sends a request to `path` (relative to the API server URL) and resolves with the raw response. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/**
 * Whether a request may be resent after a connection failure: the explicit hint, else its method.
 *
 * @param request the request
 * @param options the per-request hints
 * @returns `true` when resending cannot change the outcome
 * @example
 * ```ts
 * isIdempotent(new Request("https://k/api", { method: "GET" })); // true
 * ```
 */
export function isIdempotent(request: Request, options?: FetchOptions): boolean {
  return options?.idempotent ?? IDEMPOTENT.has(request.method.toUpperCase());
}

/**
 * Whether a request is a long-lived stream: the explicit hint, a `watch=true` query, a `/watch/` path, or logs
 * with `follow=true`.
 *
 * @param request the request
 * @param options the per-request hints
 * @returns `true` for watches and followed logs
 * @example
 * ```ts
 * isStreamingRequest(new Request("https://k/api/v1/pods?watch=true")); // true
 * ```
 */
export function isStreamingRequest(request: Request, options?: FetchOptions): boolean {
  if (options?.stream !== undefined) return options.stream;
  const url = new URL(request.url);
  const watch = url.searchParams.get("watch");
  if (watch === "true" || watch === "1") return true;
  if (/\/watch\//.test(url.pathname)) return true;
  return url.pathname.endsWith("/log") && url.searchParams.get("follow") === "true";
}

/**
 * Where bearer tokens come from: a static token, a token file, an exec plugin, an OAuth session. `@kubeshift/auth`
 * implements it; the bearer middleware of this package consumes it.
 */
export interface CredentialSource {
  /** The token to send now (cached by the source as it sees fit); `undefined` sends no `Authorization`. */
  getToken(signal?: AbortSignal): Promise<string | undefined>;
  /**
   * Tells the source that the server answered 401 to `token`: drop it, so the next `getToken` fetches a fresh one
   * (re-runs an exec plugin, re-reads a token file). Called at most once per request.
   */
  invalidate?(token: string): void;
}
