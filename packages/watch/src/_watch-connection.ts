/**
 * Opens one watch request through the client's transport, over chunked HTTP or a websocket, and exposes its body as
 * chunks (HTTP: bytes, framed by lines) or messages (websocket: one event each). Failures of the body stream become
 * `TransportError`s; the caller's abort passes through as its reason. Leaving the iteration early releases the
 * connection.
 *
 * @module
 * @internal
 */
import type { Client } from "@kubeshift/client";
import { classifyNetworkError, isKubeError, TransportError } from "@kubeshift/transport";
import type { ResourceDescriptor } from "@kubeshift/types";
import { abortable } from "./_abortable.ts";
import type { WatchProtocol } from "./watch.ts";

/** The subprotocol offered on websocket watches: the API server echoes it and sends JSON text frames regardless. */
export const WEBSOCKET_WATCH_PROTOCOL = "base64.binary.k8s.io";

/** Where and how to watch. */
export interface WatchTarget {
  readonly client: Client;
  readonly descriptor: ResourceDescriptor<unknown, unknown>;
  /** Namespace of a namespaced kind; `undefined` with `allNamespaces` watches every namespace. */
  readonly namespace: string | undefined;
  readonly allNamespaces: boolean;
  readonly protocol: WatchProtocol;
  /** `Accept` of the request. */
  readonly accept: string;
  /** `Accept-Encoding` to send, when the default of the runtime must be overridden. */
  readonly acceptEncoding: string | undefined;
  /** Extra headers. */
  readonly headers: HeadersInit | undefined;
}

/** An open watch. */
export interface WatchConnection {
  /** `lines` for HTTP bodies, `messages` for websockets. */
  readonly framing: "lines" | "messages";
  /** The URL watched (for messages). */
  readonly url: URL;
  /** The body, chunk by chunk (or message by message). */
  readonly chunks: AsyncIterable<Uint8Array | string>;
}

/** Whether the code runs on Deno (whose fetch truncates multi-member gzip bodies: see `acceptEncoding`). */
export function isDeno(): boolean {
  return typeof (globalThis as { Deno?: { version?: unknown } }).Deno?.version === "object";
}

/**
 * Opens a watch.
 *
 * @param target what to watch and how
 * @param query the query parameters (`watch` is added)
 * @param signal aborts the request and the stream
 * @returns the connection once the server accepted it
 * @throws {ApiError} when the server refuses (a status before the stream starts, or a refused upgrade)
 * @throws {TransportError} when the server cannot be reached
 */
export async function openWatch(
  target: WatchTarget,
  query: Readonly<Record<string, string | undefined>>,
  signal: AbortSignal,
): Promise<WatchConnection> {
  const url = target.client.url(target.descriptor, {
    ...(target.allNamespaces ? { allNamespaces: true } : {}),
    ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
    query: { watch: "true", ...query },
  });
  const headers = new Headers(target.headers);
  headers.set("accept", target.accept);
  if (target.protocol === "websocket") {
    // golang.org/x/net/websocket refuses a handshake without Origin (403), and echoes exactly one subprotocol.
    if (!headers.has("origin")) headers.set("origin", target.client.server.origin);
    const connection = await abortable(
      target.client.websocket(url, { protocols: [WEBSOCKET_WATCH_PROTOCOL], headers, signal }),
      signal,
      (late) => late.close(1000),
    );
    return { framing: "messages", url, chunks: readMessages(connection, url, signal) };
  }
  if (target.acceptEncoding !== undefined) headers.set("accept-encoding", target.acceptEncoding);
  // The abort is raced too: a transport that waits for headers without watching the signal must not hold us.
  const response = await abortable(target.client.send(url, { headers, signal, stream: true }), signal, (late) => {
    late.body?.cancel().catch(() => undefined);
  });
  const body = response.body;
  if (body === null) return { framing: "lines", url, chunks: EMPTY_BODY };
  return { framing: "lines", url, chunks: readBody(body, url, signal) };
}

const EMPTY_BODY: AsyncIterable<Uint8Array> = {
  async *[Symbol.asyncIterator]() {
    // A watch answered with no body at all ends at once, like an empty stream.
  },
};

function streamError(error: unknown, url: URL, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (isKubeError(error)) return error;
  return new TransportError(classifyNetworkError(error), "The watch stream broke", {
    cause: error,
    method: "GET",
    url: url.pathname + url.search,
  });
}

/**
 * Reads a stream to its end. An abort cancels the read even when the runtime's body (or socket) does not react to
 * the request's signal by itself, so that stopping never waits for the server's next byte.
 */
async function* readStream<T>(
  stream: ReadableStream<T>,
  url: URL,
  signal: AbortSignal,
  onEnd: () => void,
): AsyncGenerator<T> {
  const reader = stream.getReader();
  let done = false;
  const onAbort = (): void => {
    reader.cancel(signal.reason).catch(() => undefined);
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      let result: ReadableStreamReadResult<T>;
      try {
        result = await reader.read();
      } catch (error) {
        done = true;
        throw streamError(error, url, signal);
      }
      if (signal.aborted) {
        done = true;
        throw signal.reason;
      }
      if (result.done) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
    onEnd();
  }
}

function readBody(body: ReadableStream<Uint8Array>, url: URL, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  return readStream(body, url, signal, () => undefined);
}

function readMessages(
  connection: { readable: ReadableStream<string | Uint8Array>; close(code?: number, reason?: string): void },
  url: URL,
  signal: AbortSignal,
): AsyncGenerator<string | Uint8Array> {
  return readStream(connection.readable, url, signal, () => {
    try {
      connection.close(1000);
    } catch {
      // Already closed.
    }
  });
}
