/**
 * The web adapter: the global `fetch` and `WebSocket`, with the bearer token carried in the websocket subprotocol
 * because browsers cannot set headers on an upgrade.
 *
 * @module
 */

import { fetchWrapped } from "../_fetch-adapter.ts";
import { toTransportError } from "../_network-error.ts";
import { connectWebSocket, type SocketLike, statusFromHandshakeMessage } from "../_websocket-connection.ts";
import { ApiError } from "../api-error.ts";
import type { ConnectionOptions } from "../connection-options.ts";
import { registerSecret } from "../redact.ts";
import type { FetchOptions, Transport, WebSocketConnection, WebSocketOptions } from "../transport.ts";

/** Options of {@link createWebTransport}. */
export interface WebTransportOptions extends ConnectionOptions {
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: (request: Request) => Promise<Response>;
  /** The `WebSocket` constructor to use. @default globalThis.WebSocket */
  WebSocket?: new (
    url: string,
    protocols?: string | string[],
  ) => WebSocket;
}

/**
 * The subprotocol prefix the API server reads a bearer token from (`k8s.io/apiserver` websocket authenticator).
 *
 * @example
 * ```ts
 * const offered = socket.protocol.startsWith(BEARER_PROTOCOL_PREFIX); // never: the server strips it
 * ```
 */
export const BEARER_PROTOCOL_PREFIX = "base64url.bearer.authorization.k8s.io.";
/**
 * The protocol offered beside the token when the caller names none: the server needs one to echo back, and for a
 * watch this one changes nothing (the payload is not base64 encoded).
 *
 * @example
 * ```ts
 * const socket = await transport.websocket(url, { protocols: [DEFAULT_WEBSOCKET_PROTOCOL] });
 * ```
 */
export const DEFAULT_WEBSOCKET_PROTOCOL = "base64.binary.k8s.io";

// Headers a browser sets itself or that mean nothing on an upgrade; dropped without a word.
const BROWSER_CONTROLLED = new Set(["origin", "user-agent", "accept", "accept-encoding", "accept-language", "cookie"]);

function base64Url(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// Deno, Node and Bun accept a non-standard `{ protocols, headers }` init: use it for `Origin`, which the API server
// requires and which only browsers add by themselves.
function serverRuntime(): boolean {
  const g = globalThis as { Deno?: unknown; process?: { versions?: { node?: string } } };
  return g.Deno !== undefined || g.process?.versions?.node !== undefined;
}

class WebAdapter implements Transport {
  readonly #options: WebTransportOptions;
  readonly #warned = new Set<string>();

  constructor(options: WebTransportOptions) {
    this.#options = options;
    const unsupported: Array<[keyof ConnectionOptions, string]> = [
      ["caPem", "the runtime's trust store decides which CAs are trusted"],
      ["clientCertificate", "a client certificate cannot be presented from script; the browser's own store decides"],
      ["insecureSkipTlsVerify", "certificate verification cannot be turned off from script"],
      ["tlsServerName", "the certificate is verified against the URL's host name"],
      ["proxyUrl", "the runtime's proxy settings apply"],
      ["http2", "the runtime negotiates the HTTP version"],
    ];
    for (const [name, why] of unsupported) {
      const value = options[name];
      if (value !== undefined && value !== false && value !== "")
        this.#warn(`${name} cannot be honoured by the web adapter: ${why}`);
    }
  }

  fetch(request: Request, options?: FetchOptions): Promise<Response> {
    const send = this.#options.fetch ?? ((r: Request) => globalThis.fetch(r));
    return fetchWrapped(request, options, send, this.#options.disableCompression === true ? "always" : "streams");
  }

  async websocket(url: string | URL, options: WebSocketOptions = {}): Promise<WebSocketConnection> {
    if (options.signal?.aborted) throw options.signal.reason;
    const target = new URL(url);
    if (target.protocol === "https:") target.protocol = "wss:";
    else if (target.protocol === "http:") target.protocol = "ws:";
    const headers = new Headers(options.headers);
    let protocols = [...(options.protocols ?? [])];
    const authorization = headers.get("authorization");
    if (authorization !== null) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (bearer?.[1] === undefined) {
        throw new TypeError("the web adapter can send only a bearer token on a websocket (in the subprotocol)");
      }
      const protocol = `${BEARER_PROTOCOL_PREFIX}${base64Url(bearer[1])}`;
      registerSecret(protocol);
      if (protocols.length === 0) protocols = [DEFAULT_WEBSOCKET_PROTOCOL];
      protocols = [protocol, ...protocols];
    }
    for (const [name] of headers) {
      if (name === "authorization" || BROWSER_CONTROLLED.has(name)) continue;
      if (name.startsWith("impersonate-")) {
        throw new TypeError(
          `the web adapter cannot send ${name} on a websocket (a browser cannot set upgrade headers); impersonation would be lost`,
        );
      }
      this.#warn(`the web adapter cannot send the ${name} header on a websocket; it was dropped`);
    }
    const Socket = this.#options.WebSocket ?? globalThis.WebSocket;
    const origin = headers.get("origin") ?? `${target.protocol === "wss:" ? "https:" : "http:"}//${target.host}`;
    const socket =
      this.#options.WebSocket === undefined && serverRuntime()
        ? new (Socket as unknown as new (u: string, init: { protocols: string[]; headers: HeadersInit }) => WebSocket)(
            target.href,
            { protocols, headers: { origin } },
          )
        : new Socket(target.href, protocols);
    const path = target.pathname + target.search;
    return connectWebSocket(socket as unknown as SocketLike, {
      url: target.href,
      signal: options.signal,
      handshakeError: (event) => {
        const status = statusFromHandshakeMessage(event?.message);
        if (status !== undefined) return ApiError.fromBody("", status, { method: "GET", path });
        return toTransportError(event?.error ?? new Error(event?.message ?? "the websocket handshake failed"), {
          method: "GET",
          url: target.href,
          fallback: "websocket",
        });
      },
    });
  }

  #warn(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    this.#options.onWarning?.(message);
  }
}

/**
 * Creates the web transport: the global `fetch` and `WebSocket` (or the ones given), for browsers, workers and any
 * runtime with web standards. On websockets the bearer token travels in the
 * `base64url.bearer.authorization.k8s.io.<base64url(token)>` subprotocol, taken from an `Authorization: Bearer`
 * header in the options, followed by the caller's protocols (or `base64.binary.k8s.io` when there are none: the API
 * server needs one to echo back); impersonation headers cannot be sent and are refused rather than dropped. On Deno,
 * Node and Bun, whose `WebSocket` accepts headers, `Origin` is sent too (the API server refuses upgrades without it;
 * browsers add it themselves). Watch requests ask for `Accept-Encoding: identity` (Deno's fetch truncates
 * multi-member gzip; browsers ignore the header).
 *
 * What a page cannot control is reported through `onWarning`: `caPem`, `clientCertificate`, `insecureSkipTlsVerify`,
 * `tlsServerName`, `proxyUrl`, `http2`.
 *
 * @param options connection options; `fetch` and `WebSocket` replace the globals
 * @returns the transport
 * @example
 * ```ts
 * import { bearerAuth, composeTransport } from "@kubeshift/transport";
 * import { createWebTransport } from "@kubeshift/transport/web";
 * const transport = composeTransport(createWebTransport(), bearerAuth({ getToken: async () => sessionToken }));
 * ```
 */
export function createWebTransport(options: WebTransportOptions = {}): Transport {
  return new WebAdapter(options);
}
