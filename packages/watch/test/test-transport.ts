/**
 * Test support until `@kubeshift/transport/node` and its bearer middleware land: the runtime's global `fetch` and
 * `WebSocket` (both accept upgrade headers on Node and Deno), a bearer token from a `CredentialSource` that is told
 * about 401s (`invalidate`), and a log of every request for assertions (what was listed, watched, with which query).
 *
 * @module
 */
import {
  type CredentialSource,
  classifyNetworkError,
  type FetchOptions,
  type Transport,
  TransportError,
  type WebSocketConnection,
  type WebSocketOptions,
} from "@kubeshift/transport";

/** One request the transport sent. */
export interface SentRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly websocket: boolean;
  /** `Date.now()` when it was sent. */
  readonly at: number;
  /** The HTTP status (undefined: no answer, or a websocket). */
  status?: number;
}

/** A test transport with its request log. */
export interface TestTransport extends Transport {
  readonly requests: SentRequest[];
  /** Requests whose path ends with the given resource and that are watches (or not). */
  count(filter: { watch?: boolean; since?: number; path?: string }): number;
}

/** A credential source whose token can be changed, counting refreshes. */
export interface TestCredentials extends CredentialSource {
  token: string;
  invalidations: number;
  /** What `getToken` returns after an invalidation (default: the current `token`). */
  refresh: (() => string) | undefined;
}

/** A static token that counts invalidations and can hand out a new token after one. */
export function testCredentials(token: string): TestCredentials {
  const source: TestCredentials = {
    token,
    invalidations: 0,
    refresh: undefined,
    getToken(signal?: AbortSignal): Promise<string | undefined> {
      if (signal?.aborted === true) return Promise.reject(signal.reason);
      return Promise.resolve(source.token);
    },
    invalidate(refused: string): void {
      source.invalidations++;
      if (refused === source.token && source.refresh !== undefined) source.token = source.refresh();
    },
  };
  return source;
}

function isWatch(url: URL): boolean {
  const w = url.searchParams.get("watch");
  return w === "true" || w === "1";
}

/**
 * Creates the transport.
 *
 * @param credentials where the bearer token comes from
 */
export function testTransport(credentials: CredentialSource | undefined): TestTransport {
  const requests: SentRequest[] = [];
  return {
    requests,
    count(filter) {
      return requests.filter(
        (r) =>
          (filter.watch === undefined || isWatch(r.url) === filter.watch) &&
          (filter.since === undefined || r.at >= filter.since) &&
          (filter.path === undefined || r.url.pathname.endsWith(filter.path)),
      ).length;
    },
    async fetch(request: Request, _options?: FetchOptions): Promise<Response> {
      const headers = new Headers(request.headers);
      const token = await credentials?.getToken(request.signal);
      if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
      const sent: SentRequest = {
        method: request.method,
        url: new URL(request.url),
        headers,
        websocket: false,
        at: Date.now(),
      };
      requests.push(sent);
      let response: Response;
      try {
        response = await fetch(request.url, {
          method: request.method,
          headers,
          signal: request.signal,
          ...(request.body === null ? {} : { body: await request.arrayBuffer() }),
        });
      } catch (error) {
        if (request.signal.aborted) throw request.signal.reason;
        throw new TransportError(classifyNetworkError(error), "fetch failed", {
          cause: error,
          method: request.method,
          url: request.url,
        });
      }
      sent.status = response.status;
      if (response.status === 401 && token !== undefined) credentials?.invalidate?.(token);
      return response;
    },
    async websocket(url: string | URL, options: WebSocketOptions = {}): Promise<WebSocketConnection> {
      const target = new URL(url);
      const headers = new Headers(options.headers);
      const token = await credentials?.getToken(options.signal);
      if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
      requests.push({ method: "GET", url: target, headers, websocket: true, at: Date.now() });
      options.signal?.throwIfAborted();
      const init = { protocols: [...(options.protocols ?? [])], headers: Object.fromEntries(headers) };
      // Node (undici) and Deno both take upgrade headers in a non-standard init object.
      const ws = new WebSocket(target, init as unknown as string[]);
      ws.binaryType = "arraybuffer";
      return new Promise<WebSocketConnection>((resolve, reject) => {
        let controller!: ReadableStreamDefaultController<string | Uint8Array>;
        let opened = false;
        let resolveClosed!: (v: { code: number; reason: string }) => void;
        const closed = new Promise<{ code: number; reason: string }>((r) => {
          resolveClosed = r;
        });
        const readable = new ReadableStream<string | Uint8Array>({
          start(c) {
            controller = c;
          },
          cancel() {
            ws.close(1000);
          },
        });
        const onAbort = (): void => {
          ws.close(1000);
          if (!opened) reject(options.signal?.reason);
          else controller.error(options.signal?.reason);
        };
        options.signal?.addEventListener("abort", onAbort, { once: true });
        ws.onopen = () => {
          opened = true;
          resolve({
            protocol: ws.protocol,
            readable,
            send: (data) => ws.send(data as string | ArrayBufferView<ArrayBuffer>),
            close: (code, reason) => ws.close(code ?? 1000, reason),
            closed,
          });
        };
        ws.onmessage = (event: MessageEvent) => {
          const data = event.data;
          try {
            controller.enqueue(typeof data === "string" ? data : new Uint8Array(data as ArrayBuffer));
          } catch {
            // Already closed.
          }
        };
        ws.onerror = () => {
          if (!opened)
            reject(
              new TransportError("websocket", "the websocket handshake failed", { method: "GET", url: target.href }),
            );
        };
        ws.onclose = (event: CloseEvent) => {
          options.signal?.removeEventListener("abort", onAbort);
          resolveClosed({ code: event.code, reason: event.reason });
          if (!opened) return;
          try {
            if (event.code === 1000 || event.code === 1005) controller.close();
            else controller.error(new TransportError("websocket", `the websocket closed with code ${event.code}`));
          } catch {
            // Already errored by an abort.
          }
        };
      });
    },
  };
}
