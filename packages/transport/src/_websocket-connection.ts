import type { WebSocketConnection } from "./transport.ts";
import { TransportError } from "./transport-error.ts";

/** The part of a WHATWG `WebSocket` (browsers, Deno, Node's global, `ws`) this module uses. */
export interface SocketLike {
  readonly protocol: string;
  readonly readyState: number;
  binaryType: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
}

/** How one runtime's socket reports what the generic code cannot see. */
export interface SocketHooks {
  /** The URL, for messages. */
  url: string;
  /** Aborts the handshake, or closes the open socket. */
  signal?: AbortSignal | undefined;
  /** The error for a handshake that failed: an `ApiError` when the server answered with an HTTP status. */
  handshakeError(event: { message?: string; error?: unknown } | undefined): unknown;
  /** Drops the socket without a closing handshake (a handshake being aborted). */
  terminate?(): void;
  /** Stops reading from the network while the consumer is behind. */
  pause?(): void;
  /** Reads from the network again. */
  resume?(): void;
}

const OPEN = 1;
// Close codes after which the message stream simply ends: normal closure, going away, no status received.
const NORMAL = new Set([1000, 1001, 1005]);

function toMessage(data: unknown): string | Uint8Array {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return String(data);
}

/**
 * Waits for a socket to open and adapts it to a {@link WebSocketConnection}. The handshake failure, an abort before
 * the socket opened, and a close before it opened all reject; afterwards messages flow to `readable` (with
 * backpressure where the runtime offers it) until the socket closes.
 */
export function connectWebSocket(socket: SocketLike, hooks: SocketHooks): Promise<WebSocketConnection> {
  socket.binaryType = "arraybuffer";
  const signal = hooks.signal;
  return new Promise((resolve, reject) => {
    let opened = false;
    let failure: { message?: string; error?: unknown } | undefined;
    let streamController: ReadableStreamDefaultController<string | Uint8Array> | undefined;
    let ended = false;
    let resolveClosed: (value: { code: number; reason: string }) => void = () => {};
    const closed = new Promise<{ code: number; reason: string }>((r) => {
      resolveClosed = r;
    });

    const end = (error?: unknown): void => {
      if (ended) return;
      ended = true;
      if (error === undefined) streamController?.close();
      else streamController?.error(error);
    };
    const onAbort = (): void => {
      if (!opened) {
        hooks.terminate?.() ?? socket.close();
        reject(signal?.reason);
        return;
      }
      end(signal?.reason);
      socket.close(1000);
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener("abort", onAbort, { once: true });

    socket.addEventListener("error", (event: { message?: string; error?: unknown }) => {
      failure = event;
    });
    socket.addEventListener("close", (event: { code: number; reason: string }) => {
      signal?.removeEventListener("abort", onAbort);
      // Deno reports a connection lost without a close frame as code 0; the standard says 1006.
      const code = event.code === 0 ? 1006 : event.code;
      resolveClosed({ code, reason: event.reason });
      if (!opened) {
        if (!signal?.aborted) reject(hooks.handshakeError(failure));
        return;
      }
      if (NORMAL.has(code)) end();
      else
        end(
          new TransportError(
            "websocket",
            `the websocket to ${JSON.stringify(hooks.url)} closed abnormally (code ${code}${event.reason ? `: ${event.reason}` : ""})`,
            failure?.error === undefined ? {} : { cause: failure.error },
          ),
        );
    });
    socket.addEventListener("message", (event: { data: unknown }) => {
      if (ended || streamController === undefined) return;
      streamController.enqueue(toMessage(event.data));
      if ((streamController.desiredSize ?? 1) <= 0) hooks.pause?.();
    });
    socket.addEventListener("open", () => {
      opened = true;
      const readable = new ReadableStream<string | Uint8Array>(
        {
          start(controller) {
            streamController = controller;
          },
          pull() {
            hooks.resume?.();
          },
          cancel() {
            ended = true;
            socket.close(1000);
          },
        },
        { highWaterMark: 16 },
      );
      resolve({
        get protocol() {
          return socket.protocol;
        },
        readable,
        send(data) {
          if (socket.readyState !== OPEN) {
            throw new TransportError("websocket", `the websocket to ${JSON.stringify(hooks.url)} is not open`);
          }
          socket.send(data);
        },
        close(code = 1000, reason) {
          socket.close(code, reason);
        },
        closed,
      });
    });
  });
}

/** The HTTP status a runtime reports for a refused upgrade in its error text (Deno: "Invalid status code: 403"). */
export function statusFromHandshakeMessage(message: string | undefined): number | undefined {
  const match = /(?:status code|Unexpected server response):? (\d{3})\b/i.exec(message ?? "");
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
