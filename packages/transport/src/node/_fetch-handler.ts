/**
 * A web-standard `Response` built directly on undici's `dispatch()`: the body is a `ReadableStream` fed from the
 * socket with backpressure (`pause()`/`resume()`), gzip and deflate are decoded with zlib (which, unlike
 * `DecompressionStream`, accepts the multi-member gzip the API server sends for WatchList), and every failure becomes
 * a `TransportError` while an abort passes the signal's reason through. undici's own `fetch` does much more (CORS,
 * cache modes, redirects through the spec's state machine) and costs several times the overhead per request.
 */
import { constants, createGunzip, createInflate, type Gunzip, type Inflate } from "node:zlib";
import type { Dispatcher } from "undici";
import { toTransportError } from "../_network-error.ts";
import { DecodeError } from "../decode-error.ts";

/** What one exchange needs. */
export interface FetchInit {
  origin: string;
  path: string;
  method: string;
  headers: string[];
  body: Uint8Array | null;
  /** The full URL, for `Response.url` and error messages. */
  url: string;
  signal: AbortSignal;
  /**
   * The request `signal` belongs to, referenced until the exchange ends: Node's `Request` follows the caller's signal
   * through a weak reference that only the `Request` keeps alive (see `_derived-request.ts`), so dropping it would
   * let garbage collection cut the caller's abort off from a body still being read.
   */
  request: Request;
  /** Follows a redirect response (3xx with the fetch standard's statuses); absent when redirects are returned as is. */
  follower: RedirectFollower | undefined;
  /** Redirects followed before this exchange. */
  redirects: number;
}

/** Takes over a redirect response: what it returns (another exchange, or the response itself) is what fetch gets. */
export interface RedirectFollower {
  followRedirect(response: Response, from: FetchInit): Promise<Response>;
}

/** The statuses the fetch standard follows. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

// Statuses whose responses have no body, which `new Response()` refuses one for.
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
// Chunks (each at most what one socket read delivered) read ahead of the consumer before the socket is paused: a
// small body arrives whole, so its connection goes back to the pool even when nobody reads it.
const READ_AHEAD: QueuingStrategy<Uint8Array> = { highWaterMark: 16 };

class AbortedByCaller extends Error {}

// The handler is also its body stream's underlying source (`start`, `pull`, `cancel`): one object per exchange
// instead of a source object and three closures, on the path every request takes.
class FetchHandler implements Dispatcher.DispatchHandler, UnderlyingDefaultSource<Uint8Array> {
  readonly #init: FetchInit;
  readonly #resolve: (response: Response | Promise<Response>) => void;
  readonly #reject: (error: unknown) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  #inflater: Gunzip | Inflate | undefined;
  #responded = false;
  #finished = false;
  readonly #onAbort = (): void => this.#abortedByCaller();

  constructor(
    init: FetchInit,
    resolve: (response: Response | Promise<Response>) => void,
    reject: (error: unknown) => void,
  ) {
    this.#init = init;
    this.#resolve = resolve;
    this.#reject = reject;
    // Removed again when the exchange ends; no options bag, which costs more than it saves on this hot path.
    init.signal.addEventListener("abort", this.#onAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#init.signal.aborted) controller.abort(new AbortedByCaller("aborted"));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    if (statusCode < 200 || this.#responded) return;
    this.#responded = true;
    let body: ReadableStream<Uint8Array> | null = null;
    const hasBody = !NULL_BODY.has(statusCode) && this.#init.method !== "HEAD";
    if (hasBody) body = new ReadableStream<Uint8Array>(this, READ_AHEAD);
    const response = new Response(body, { status: statusCode, statusText: statusMessage ?? "" });
    // Filling the response's own headers avoids building a Headers object that the constructor would copy again.
    const responseHeaders = response.headers;
    for (const name in headers) {
      const value = headers[name];
      if (typeof value === "string") responseHeaders.append(name, value);
      else if (value !== undefined) for (const v of value) responseHeaders.append(name, v);
    }
    if (hasBody) {
      const raw = headers["content-encoding"];
      const encoding = typeof raw === "string" ? raw.trim().toLowerCase() : undefined;
      if (encoding === "gzip" || encoding === "x-gzip") this.#inflate(createGunzip(ZLIB_OPTIONS));
      else if (encoding === "deflate") this.#inflate(createInflate(ZLIB_OPTIONS));
    }
    Object.defineProperty(response, "url", { value: this.#init.url });
    const follower = this.#init.follower;
    this.#resolve(
      follower !== undefined && REDIRECT_STATUSES.has(statusCode)
        ? follower.followRedirect(response, this.#init)
        : response,
    );
  }

  /** The body stream's start: keeps its controller. @internal */
  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#stream = controller;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (chunk.length === 0 || this.#finished) return;
    if (this.#inflater !== undefined) {
      if (!this.#inflater.write(chunk)) controller.pause();
      return;
    }
    const stream = this.#stream;
    if (stream === undefined) return;
    stream.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    if ((stream.desiredSize ?? 0) <= 0) controller.pause();
  }

  onResponseEnd(): void {
    this.#init.signal.removeEventListener("abort", this.#onAbort);
    if (this.#inflater !== undefined) {
      this.#inflater.end();
      return;
    }
    this.#close();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#init.signal.removeEventListener("abort", this.#onAbort);
    this.#inflater?.destroy();
    this.#fail(
      this.#init.signal.aborted
        ? this.#init.signal.reason
        : toTransportError(error, { method: this.#init.method, url: this.#init.url, afterHeaders: this.#responded }),
    );
  }

  #inflate(inflater: Gunzip | Inflate): void {
    this.#inflater = inflater;
    inflater.on("data", (chunk: Buffer) => {
      const stream = this.#stream;
      if (stream === undefined || this.#finished) return;
      stream.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      if ((stream.desiredSize ?? 0) <= 0) inflater.pause();
    });
    inflater.on("drain", () => this.#controller?.resume());
    inflater.on("end", () => this.#close());
    inflater.on("error", (error) => {
      this.#controller?.abort(error);
      this.#fail(
        new DecodeError(
          `Cannot decode the ${this.#init.method} ${JSON.stringify(this.#init.url)} response body (${error.message})`,
          { cause: error },
        ),
      );
    });
  }

  /** The body stream's pull: the reader wants more. @internal */
  pull(): void {
    if (this.#inflater?.isPaused() === true) this.#inflater.resume();
    if (this.#controller?.paused === true && this.#inflater?.writableNeedDrain !== true) this.#controller.resume();
  }

  /** The body stream's cancel: the reader wants no more. @internal */
  cancel(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#init.signal.removeEventListener("abort", this.#onAbort);
    this.#inflater?.destroy();
    // The rest of the body is not wanted: drop the connection rather than read it to the end.
    this.#controller?.abort(new AbortedByCaller("response body cancelled"));
  }

  #close(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#stream?.close();
  }

  #fail(error: unknown): void {
    if (!this.#responded) {
      this.#responded = true;
      this.#finished = true;
      this.#reject(error);
      return;
    }
    if (this.#finished) return;
    this.#finished = true;
    this.#stream?.error(error);
  }

  #abortedByCaller(): void {
    const reason = this.#init.signal.reason;
    if (this.#controller !== undefined) this.#controller.abort(new AbortedByCaller("aborted"));
    this.#inflater?.destroy();
    this.#fail(reason);
  }
}

const ZLIB_OPTIONS = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

/**
 * Sends one request through `dispatcher` and resolves with its response when the headers arrive, or with what
 * `init.follower` makes of a redirect.
 */
export function dispatchFetch(dispatcher: Dispatcher, init: FetchInit): Promise<Response> {
  if (init.signal.aborted) return Promise.reject(init.signal.reason);
  return new Promise((resolve, reject) => {
    const handler = new FetchHandler(init, resolve, reject);
    try {
      dispatcher.dispatch(
        { origin: init.origin, path: init.path, method: init.method, headers: init.headers, body: init.body },
        handler,
      );
    } catch (error) {
      handler.onResponseError(undefined as never, error as Error);
    }
  });
}
