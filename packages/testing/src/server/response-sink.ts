/**
 * Where a response goes: an HTTP response (whole bodies, chunked streams of watch events, log lines) or a
 * websocket (one message per event), with the fault effects of the request applied on the way out: drop after N
 * bytes or events, a cut line, an injected `ERROR` event or raw line, a stall, gzip one member per flush.
 *
 * @module
 */
import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { WebSocket } from "ws";
import type { FaultEffects } from "../faults/fault-registry.ts";

const REASONS: Readonly<Record<number, [string, string]>> = {
  400: ["BadRequest", "bad request"],
  401: ["Unauthorized", "Unauthorized"],
  403: ["Forbidden", "forbidden"],
  404: ["NotFound", "the server could not find the requested resource"],
  409: ["Conflict", "conflict"],
  410: ["Expired", "too old resource version"],
  429: ["TooManyRequests", "Too many requests, please try again later."],
  500: ["InternalError", "Internal error occurred: injected failure"],
  503: ["ServiceUnavailable", "the server is currently unable to handle the request"],
  504: ["Timeout", "Timeout: Too large resource version"],
};

/** The reason and message the real server uses for a status code. */
export function defaultStatusWording(code: number): [string, string] {
  return REASONS[code] ?? [code >= 500 ? "InternalError" : "BadRequest", `injected failure (HTTP ${code})`];
}

/** Builds the `ERROR` watch event line of an injected error. */
export function errorEventLine(
  error: { code: number; reason?: string; message?: string },
  currentRv: number,
  requestedRv: string,
): string {
  const [reason, fallback] = defaultStatusWording(error.code);
  let message = error.message ?? fallback;
  const status: Record<string, unknown> = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
  };
  if (error.message === undefined && error.code === 410)
    message = `too old resource version: ${requestedRv || "0"} (${currentRv})`;
  if (error.message === undefined && error.code === 504)
    message = `Timeout: Too large resource version: ${requestedRv || "0"}, current: ${currentRv}`;
  status.message = message;
  status.reason = error.reason ?? reason;
  if (error.code === 504 && (error.reason ?? reason) === "Timeout")
    status.details = {
      causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
      retryAfterSeconds: 1,
    };
  status.code = error.code;
  return `${JSON.stringify({ type: "ERROR", object: status })}\n`;
}

/** Counts events and applies the event-level faults; shared by the HTTP and websocket sinks. */
class EventFaults {
  readonly #faults: FaultEffects;
  readonly #errorLine: () => string;
  events = 0;
  stalled = false;
  #injectedError = false;
  #injectedLine = false;

  constructor(faults: FaultEffects, errorLine: () => string) {
    this.#faults = faults;
    this.#errorLine = errorLine;
  }

  /**
   * Plans what to send for the next event: lines to write before it, the event itself (or half of it), and whether
   * to end or destroy afterwards.
   */
  next(line: string): { out: string[]; after: "continue" | "end" | "destroy" } {
    const out: string[] = [];
    if (this.stalled) return { out, after: "continue" };
    const f = this.#faults;
    const n = this.events;
    if (f.injectError !== undefined && !this.#injectedError && n >= (f.injectError.afterEvents ?? 0)) {
      this.#injectedError = true;
      out.push(this.#errorLine());
      if (f.injectError.close !== false) return { out, after: "end" };
    }
    if (f.injectLine !== undefined && !this.#injectedLine && n >= (f.injectLine.afterEvents ?? 0)) {
      this.#injectedLine = true;
      out.push(f.injectLine.line.endsWith("\n") ? f.injectLine.line : `${f.injectLine.line}\n`);
    }
    if (f.stallAfterEvents !== undefined && n >= f.stallAfterEvents) {
      this.stalled = true;
      return { out, after: "continue" };
    }
    if (f.dropAfterEvents !== undefined && n >= f.dropAfterEvents) return { out, after: "destroy" };
    if (f.cutEventAfter !== undefined && n >= f.cutEventAfter) {
      out.push(line.slice(0, Math.max(1, Math.floor(line.length / 2))));
      return { out, after: "destroy" };
    }
    this.events++;
    out.push(line);
    return { out, after: "continue" };
  }

  /** Faults that fire before any event (error after 0 events, stall at 0). */
  beforeFirst(): { out: string[]; after: "continue" | "end" | "destroy" } | undefined {
    const f = this.#faults;
    if (this.events > 0) return undefined;
    if (f.injectError !== undefined && (f.injectError.afterEvents ?? 0) === 0 && !this.#injectedError) {
      this.#injectedError = true;
      return { out: [this.#errorLine()], after: f.injectError.close === false ? "continue" : "end" };
    }
    if (f.injectLine !== undefined && (f.injectLine.afterEvents ?? 0) === 0 && !this.#injectedLine) {
      this.#injectedLine = true;
      const l = f.injectLine.line;
      return { out: [l.endsWith("\n") ? l : `${l}\n`], after: "continue" };
    }
    if (f.stallAfterEvents === 0) this.stalled = true;
    if (f.dropAfterEvents === 0) return { out: [], after: "destroy" };
    return undefined;
  }
}

/** A stream of watch events (HTTP chunked or websocket). */
export interface EventSink {
  /** The client went away (or the sink was ended). */
  readonly closed: boolean;
  /** Sends events (one line each, ending in `\n`) as one flush. */
  sendEvents(lines: readonly string[]): void;
  /** Ends the stream cleanly. */
  end(): void;
  /** Registers a callback for when the stream ends for any reason. */
  onClose(fn: () => void): void;
  /** Bytes waiting in the socket buffer (backpressure). */
  readonly bufferedBytes: number;
}

/** An HTTP response with the request's faults applied. */
export class HttpSink implements EventSink {
  readonly #res: ServerResponse;
  readonly #faults: FaultEffects;
  readonly #gzip: boolean;
  readonly #events: EventFaults;
  readonly #plain: boolean;
  #bytes = 0;
  #closed = false;
  readonly #closers: (() => void)[] = [];

  /**
   * @param res the Node response
   * @param faults the request's fault effects
   * @param acceptsGzip the client sent `Accept-Encoding: gzip`
   * @param errorLine builds the injected ERROR event line
   */
  constructor(res: ServerResponse, faults: FaultEffects, acceptsGzip: boolean, errorLine: () => string) {
    this.#res = res;
    this.#faults = faults;
    this.#gzip = faults.gzip && acceptsGzip;
    this.#events = new EventFaults(faults, errorLine);
    this.#plain =
      faults.dropAfterEvents === undefined &&
      faults.cutEventAfter === undefined &&
      faults.injectError === undefined &&
      faults.injectLine === undefined &&
      faults.stallAfterEvents === undefined;
    res.on("close", () => this.#markClosed());
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const fn of this.#closers.splice(0)) fn();
  }

  get closed(): boolean {
    return this.#closed || this.#res.destroyed;
  }

  get bufferedBytes(): number {
    return this.#res.writableLength;
  }

  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.#closers.push(fn);
  }

  /** Whether the response is gzip-encoded. */
  get gzip(): boolean {
    return this.#gzip;
  }

  /** Writes the status line and headers (adds `Content-Encoding: gzip` when the gzip fault applies). */
  head(status: number, headers: Record<string, string>): void {
    if (this.#res.headersSent) return;
    const h: Record<string, string> = { ...headers };
    if (this.#gzip) {
      h["Content-Encoding"] = "gzip";
      delete h["Content-Length"];
    }
    this.#res.writeHead(status, h);
  }

  /** Sends the status line and headers now (a stream may stay silent for a while). */
  flushHeaders(): void {
    if (!this.closed) this.#res.flushHeaders();
  }

  /** Sends a whole response. */
  send(status: number, headers: Record<string, string>, body: string | Uint8Array): void {
    if (this.closed) return;
    let bytes: Uint8Array = typeof body === "string" ? Buffer.from(body) : body;
    if (this.#gzip) bytes = gzipSync(bytes);
    const limit = this.#faults.dropAfterBytes;
    const stalled = this.#faults.stallAfterEvents !== undefined;
    if (limit !== undefined || stalled) {
      // The body is cut or withheld: the length must not be announced.
      this.head(status, { ...headers });
      if (stalled) return;
      this.#res.write(bytes.subarray(0, limit));
      this.destroy();
      return;
    }
    this.head(status, { ...headers, "Content-Length": String(bytes.length) });
    this.#res.end(bytes);
    this.#markClosed();
  }

  /** Writes raw stream bytes (log lines), applying the byte limit. */
  writeChunk(text: string | Uint8Array): void {
    if (this.closed || this.#events.stalled) return;
    let bytes: Uint8Array = typeof text === "string" ? Buffer.from(text) : text;
    if (bytes.length === 0) return;
    const limit = this.#faults.dropAfterBytes;
    if (limit !== undefined && this.#bytes + bytes.length > limit) {
      const rest = limit - this.#bytes;
      if (rest > 0) this.#res.write(this.#gzip ? gzipSync(bytes.subarray(0, rest)) : bytes.subarray(0, rest));
      this.destroy();
      return;
    }
    this.#bytes += bytes.length;
    if (this.#gzip) bytes = gzipSync(bytes);
    this.#res.write(bytes);
  }

  /** Applies faults that fire before the first event; call once after the headers. */
  start(): void {
    const plan = this.#events.beforeFirst();
    if (plan === undefined) return;
    this.#apply(plan.out, plan.after);
  }

  sendEvents(lines: readonly string[]): void {
    if (this.closed) return;
    if (this.#plain) {
      // No event-level fault: one write per flush, nothing per line.
      const text = lines.join("");
      if (this.#gzip || this.#faults.dropAfterBytes !== undefined) this.writeChunk(text);
      else this.#res.write(text);
      return;
    }
    const out: string[] = [];
    for (const line of lines) {
      const plan = this.#events.next(line);
      out.push(...plan.out);
      if (plan.after !== "continue") {
        this.#apply(out, plan.after);
        return;
      }
    }
    if (out.length > 0) this.writeChunk(out.join(""));
  }

  #apply(out: readonly string[], after: "continue" | "end" | "destroy"): void {
    if (out.length > 0) this.writeChunk(out.join(""));
    if (after === "end") this.end();
    else if (after === "destroy") this.destroy();
  }

  end(): void {
    if (this.closed) return;
    if (!this.#res.headersSent) this.head(200, {});
    this.#res.end();
    this.#markClosed();
  }

  /** Destroys the connection (the client sees a reset or a truncated chunked body). */
  destroy(): void {
    if (this.#res.destroyed) return;
    // Flush what was written before cutting the connection.
    const socket = this.#res.socket;
    if (socket !== null && !socket.destroyed) {
      socket.end();
      setTimeout(() => socket.destroy(), 20).unref?.();
    } else this.#res.destroy();
    this.#markClosed();
  }
}

/** A websocket watch: one message per event. */
export class WebSocketSink implements EventSink {
  readonly #ws: WebSocket;
  readonly #events: EventFaults;
  #closed = false;
  readonly #closers: (() => void)[] = [];

  constructor(ws: WebSocket, faults: FaultEffects, errorLine: () => string) {
    this.#ws = ws;
    this.#events = new EventFaults(faults, errorLine);
    ws.on("close", () => this.#markClosed());
    ws.on("error", () => this.#markClosed());
    // The server ignores anything the client sends (IgnoreReceives).
    ws.on("message", () => {});
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const fn of this.#closers.splice(0)) fn();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get bufferedBytes(): number {
    return this.#ws.bufferedAmount;
  }

  onClose(fn: () => void): void {
    if (this.#closed) fn();
    else this.#closers.push(fn);
  }

  start(): void {
    const plan = this.#events.beforeFirst();
    if (plan === undefined) return;
    for (const line of plan.out) this.#ws.send(line);
    if (plan.after === "end") this.end();
    else if (plan.after === "destroy") this.#destroy();
  }

  sendEvents(lines: readonly string[]): void {
    if (this.#closed) return;
    for (const line of lines) {
      const plan = this.#events.next(line);
      for (const l of plan.out) this.#ws.send(l);
      if (plan.after === "end") {
        this.end();
        return;
      }
      if (plan.after === "destroy") {
        this.#destroy();
        return;
      }
    }
  }

  end(): void {
    if (this.#closed) return;
    this.#ws.close(1000);
    this.#markClosed();
  }

  #destroy(): void {
    this.#ws.terminate();
    this.#markClosed();
  }
}
