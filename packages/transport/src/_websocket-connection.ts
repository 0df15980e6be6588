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
// Messages received ahead of the reader before the socket is paused (where the runtime can pause it).
const READ_AHEAD = 16;
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
 * backpressure where the runtime offers it) until the socket closes. Every message received before the close is
 * delivered first; then `readable` ends (normal closure) or errors with a `TransportError` (abnormal closure). An
 * abort errors it at once with the signal's reason, dropping what was not read.
 */
export function connectWebSocket(socket: SocketLike, hooks: SocketHooks): Promise<WebSocketConnection> {
  socket.binaryType = "arraybuffer";
  const signal = hooks.signal;
  return new Promise((resolve, reject) => {
    let opened = false;
    let failure: { message?: string; error?: unknown } | undefined;
    // Messages not yet read. The stream's own queue cannot hold them: `controller.error()` would discard it.
    const queue: Array<string | Uint8Array> = [];
    let paused = false;
    // How the message stream finishes once `queue` is empty: `undefined` while open, `{}` ends it, `{ error }` errors it.
    let outcome: { error?: unknown } | undefined;
    let streamController: ReadableStreamDefaultController<string | Uint8Array> | undefined;
    // The stream was errored by an abort or cancelled by its reader before the outcome was handed out.
    let settledEarly = false;
    // A read waiting for the next message or for the outcome.
    let wake: (() => void) | undefined;
    let resolveClosed: (value: { code: number; reason: string }) => void = () => {};
    const closed = new Promise<{ code: number; reason: string }>((r) => {
      resolveClosed = r;
    });

    const finish = (result: { error?: unknown }): void => {
      if (outcome !== undefined) return;
      outcome = result;
      wake?.();
    };
    const onAbort = (): void => {
      if (!opened) {
        hooks.terminate?.() ?? socket.close();
        reject(signal?.reason);
        return;
      }
      // The caller asked to stop: what was not read is not wanted.
      const reason = signal?.reason;
      settledEarly = true;
      queue.length = 0;
      outcome = { error: reason };
      streamController?.error(reason);
      wake?.();
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
      if (NORMAL.has(code)) finish({});
      else
        finish({
          error: new TransportError(
            "websocket",
            `the websocket to ${JSON.stringify(hooks.url)} closed abnormally (code ${code}${event.reason ? `: ${event.reason}` : ""})`,
            failure?.error === undefined ? {} : { cause: failure.error },
          ),
        });
    });
    socket.addEventListener("message", (event: { data: unknown }) => {
      if (outcome !== undefined) return;
      queue.push(toMessage(event.data));
      if (queue.length >= READ_AHEAD && !paused) {
        paused = true;
        hooks.pause?.();
      }
      wake?.();
    });
    socket.addEventListener("open", () => {
      opened = true;
      const readable = new ReadableStream<string | Uint8Array>(
        {
          start(controller) {
            streamController = controller;
          },
          async pull(controller) {
            while (queue.length === 0 && outcome === undefined) {
              await new Promise<void>((r) => {
                wake = r;
              });
              wake = undefined;
            }
            // Already errored by an abort, or cancelled by the reader: nothing more to hand out.
            if (settledEarly) return;
            if (queue.length > 0) {
              controller.enqueue(queue.shift() as string | Uint8Array);
              if (paused && queue.length < READ_AHEAD / 2) {
                paused = false;
                hooks.resume?.();
              }
            } else if (outcome?.error === undefined) controller.close();
            else controller.error(outcome.error);
          },
          cancel() {
            settledEarly = true;
            queue.length = 0;
            outcome ??= {};
            wake?.();
            socket.close(1000);
          },
        },
        // Messages wait in `queue`, read ahead up to READ_AHEAD before the socket is paused.
        { highWaterMark: 0 },
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
