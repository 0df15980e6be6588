/**
 * Websockets on Node with `ws`: headers, the same TLS options as HTTP, `Origin` always sent (the API server answers
 * 403 without it), proxies through a CONNECT tunnel, and a refused upgrade turned into an `ApiError` from the
 * status and Status body the server sent.
 */
import type { IncomingMessage } from "node:http";
import WebSocket from "ws";
import { toTransportError } from "../_network-error.ts";
import { connectWebSocket, type SocketLike } from "../_websocket-connection.ts";
import { ApiError } from "../api-error.ts";
import type { WebSocketConnection, WebSocketOptions } from "../transport.ts";
import { tunnelThrough } from "./_proxy-tunnel.ts";
import type { TlsMaterial } from "./_tls-material.ts";

const MAX_REFUSAL_BODY = 64 * 1024;

/** The origin the API server expects: the http(s) form of the websocket URL's origin. */
export function originFor(url: URL): string {
  return `${url.protocol === "wss:" || url.protocol === "https:" ? "https:" : "http:"}//${url.host}`;
}

function readRefusal(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      if (size < MAX_REFUSAL_BODY) chunks.push(chunk);
      size += chunk.length;
    });
    response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    response.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** Opens a websocket with `ws`. */
export function openNodeWebSocket(
  url: URL,
  options: WebSocketOptions,
  tls: TlsMaterial,
  proxyUrl: string | undefined,
): Promise<WebSocketConnection> {
  const headers: Record<string, string> = {};
  for (const [name, value] of new Headers(options.headers)) headers[name] = value;
  headers.origin ??= originFor(url);
  const secure = url.protocol === "wss:";
  const path = url.pathname + url.search;
  const socket = new WebSocket(url, [...(options.protocols ?? [])], {
    headers,
    perMessageDeflate: false,
    ...(secure ? tls : {}),
    ...(proxyUrl === undefined ? {} : { createConnection: tunnelThrough(proxyUrl, secure, tls) as never }),
  });
  let refusal: Promise<ApiError> | undefined;
  socket.on("unexpected-response", (_request, response) => {
    refusal = readRefusal(response).then((text) =>
      ApiError.fromBody(text, response.statusCode ?? 0, {
        method: "GET",
        path,
        retryAfter: (response.headers["retry-after"] as string | undefined) ?? null,
      }),
    );
    void refusal.then(() => socket.terminate());
  });
  // ws also emits errors through its EventEmitter interface; without a listener Node would throw them.
  socket.on("error", () => {});
  return connectWebSocket(socket as unknown as SocketLike, {
    url: url.href,
    signal: options.signal,
    handshakeError: (event) =>
      refusal ??
      toTransportError(event?.error ?? new Error(event?.message ?? "handshake failed"), {
        method: "GET",
        url: url.href,
        fallback: "websocket",
      }),
    terminate: () => socket.terminate(),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  }).catch(async (error: unknown) => {
    throw await error;
  });
}
