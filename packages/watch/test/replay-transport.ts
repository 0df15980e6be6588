/**
 * Test support: a transport that answers with recorded bytes (the shared fixtures), split into chunks at given
 * offsets, and records what it was asked. No sockets: the point is the exact bytes of real servers.
 *
 * @module
 */
import type { FetchOptions, Transport, WebSocketConnection, WebSocketOptions } from "@kubeshift/transport";

/** A recorded answer. */
export interface ReplayAnswer {
  status: number;
  headers?: Record<string, string>;
  /** The body bytes, cut into these chunks. */
  chunks?: readonly Uint8Array[];
  /** For websockets: the messages. */
  frames?: readonly (string | Uint8Array)[];
  /** Keep the body open after the chunks (a watch that goes quiet) until the request is aborted. */
  hold?: boolean;
}

/** The transport and what it saw. */
export interface ReplayTransport extends Transport {
  readonly seen: { url: URL; headers: Headers; protocols?: readonly string[] }[];
}

/** Answers every request with the next answer of `answers`. */
export function replayTransport(answers: ReplayAnswer[]): ReplayTransport {
  const seen: ReplayTransport["seen"] = [];
  const next = (): ReplayAnswer => {
    const a = answers.shift();
    if (a === undefined) throw new Error("replayTransport: no recorded answer left");
    return a;
  };
  return {
    seen,
    async fetch(request: Request, _options?: FetchOptions): Promise<Response> {
      seen.push({ url: new URL(request.url), headers: new Headers(request.headers) });
      const a = next();
      const chunks = [...(a.chunks ?? [])];
      const signal = request.signal;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const c = chunks.shift();
          if (c !== undefined) controller.enqueue(c);
          else if (!a.hold) controller.close();
          else
            return new Promise<void>((resolve) => {
              const end = (): void => {
                controller.error(signal.reason);
                resolve();
              };
              if (signal.aborted) end();
              else signal.addEventListener("abort", end, { once: true });
            });
          return undefined;
        },
      });
      return new Response(a.status === 204 ? null : body, { status: a.status, headers: a.headers ?? {} });
    },
    async websocket(url: string | URL, options: WebSocketOptions = {}): Promise<WebSocketConnection> {
      seen.push({ url: new URL(url), headers: new Headers(options.headers), protocols: options.protocols ?? [] });
      const a = next();
      const frames = [...(a.frames ?? [])];
      let resolveClosed!: (v: { code: number; reason: string }) => void;
      const closed = new Promise<{ code: number; reason: string }>((r) => {
        resolveClosed = r;
      });
      return {
        protocol: options.protocols?.[0] ?? "",
        readable: new ReadableStream<string | Uint8Array>({
          pull(controller) {
            const f = frames.shift();
            if (f === undefined) {
              controller.close();
              resolveClosed({ code: 1000, reason: "" });
            } else controller.enqueue(f);
          },
        }),
        send: () => undefined,
        close: () => resolveClosed({ code: 1000, reason: "" }),
        closed,
      };
    },
  };
}

/** Cuts bytes at pseudo-random offsets (a fixed seed: the same cuts every run). */
export function cutBytes(bytes: Uint8Array, seed: number, maxChunk = 64): Uint8Array[] {
  let s = seed >>> 0 || 1;
  const chunks: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    s = (s * 1103515245 + 12345) >>> 0;
    const size = 1 + (s % maxChunk);
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
}
