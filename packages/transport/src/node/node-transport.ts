/**
 * The Node.js adapter: undici for HTTP (keep-alive pools, TLS, proxies, optional HTTP/2), `ws` for websockets.
 *
 * @module
 */
import { Agent, type Dispatcher, ProxyAgent } from "undici";
import { discard } from "../_replay.ts";
import type { ClientCertificate, ConnectionOptions } from "../connection-options.ts";
import type { FetchOptions, Transport, WebSocketConnection, WebSocketOptions } from "../transport.ts";
import { TransportError } from "../transport-error.ts";
import { dispatchFetch, type FetchInit, type RedirectFollower } from "./_fetch-handler.ts";
import { type ProxyEnvironment, proxyForUrl } from "./_proxy-for-url.ts";
import type { TlsMaterial } from "./_tls-material.ts";

/** Options of {@link createNodeTransport}: the connection, plus what only Node can tune. */
export interface NodeTransportOptions extends ConnectionOptions {
  /** Where `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` are read when `proxyUrl` is not set. @default process.env */
  env?: ProxyEnvironment;
  /** Most connections per origin. @default unlimited */
  connections?: number;
  /** Milliseconds to establish a connection (TCP and TLS). @default 10000 */
  connectTimeoutMs?: number;
  /**
   * Milliseconds to wait for response headers once a request is sent; `0` waits forever. The body has no limit here
   * (watches are quiet for minutes): use the `requestTimeout()` middleware for whole-request limits.
   * @default 300000
   */
  headersTimeoutMs?: number;
  /**
   * An undici dispatcher to send every request through instead of the pools built from these options (an undici
   * `MockAgent` in tests, a dispatcher composed with your own interceptors). TLS, proxy and pool options are then
   * the dispatcher's business; websockets still use them. `close()` does not close it.
   */
  dispatcher?: Dispatcher;
}

/** A transport for Node.js that owns connection pools: close it when done. */
export interface NodeTransport extends Transport {
  /** Closes the connection pools after in-flight requests finish; later requests fail. */
  close(): Promise<void>;
}

const MAX_REDIRECTS = 20;

function certificateKey(certificate: ClientCertificate | undefined): string {
  return certificate === undefined ? "" : `${certificate.certPem}\u0000${certificate.keyPem}`;
}

class NodeAdapter implements NodeTransport {
  readonly #options: NodeTransportOptions;
  readonly #env: ProxyEnvironment;
  readonly #acceptEncoding: string;
  #tls: TlsMaterial;
  #certificate = "";
  #lastProvided: ClientCertificate | undefined;
  #direct: Agent | undefined;
  readonly #proxies = new Map<string, Dispatcher>();
  readonly #routes = new Map<string, Dispatcher>();
  readonly #follower: RedirectFollower = {
    followRedirect: (response, from) => this.#followRedirect(response, from),
  };
  #closed = false;

  constructor(options: NodeTransportOptions) {
    if (options.insecureSkipTlsVerify === true && options.caPem !== undefined && options.caPem !== "") {
      throw new TypeError(
        "createNodeTransport(): caPem and insecureSkipTlsVerify cannot be combined (kubectl refuses the same kubeconfig)",
      );
    }
    this.#options = options;
    this.#env = options.env ?? process.env;
    this.#acceptEncoding = options.disableCompression === true ? "identity" : "gzip";
    this.#tls = {
      ...(options.caPem ? { ca: options.caPem } : {}),
      ...(options.tlsServerName ? { servername: options.tlsServerName } : {}),
      rejectUnauthorized: options.insecureSkipTlsVerify !== true,
    };
    const fixed = options.clientCertificate;
    if (fixed !== undefined && typeof fixed !== "function") {
      this.#tls = { ...this.#tls, cert: fixed.certPem, key: fixed.keyPem };
      this.#certificate = certificateKey(fixed);
    }
    if (options.insecureSkipTlsVerify === true) {
      options.onWarning?.(
        "TLS certificate verification is disabled (insecureSkipTlsVerify): the connection is encrypted but the server is not authenticated",
      );
    }
  }

  fetch(request: Request, _options?: FetchOptions): Promise<Response> {
    const signal = request.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#closed) {
      return Promise.reject(new TransportError("unknown", "the transport is closed", this.#where(request)));
    }
    const target = splitUrl(request.url);
    if (target === undefined) {
      return Promise.reject(new TypeError(`createNodeTransport(): cannot fetch ${JSON.stringify(request.url)}`));
    }
    const headers: string[] = [];
    let hasEncoding = false;
    for (const [name, value] of request.headers) {
      headers.push(name, value);
      if (name === "accept-encoding") hasEncoding = true;
    }
    if (!hasEncoding) headers.push("accept-encoding", this.#acceptEncoding);
    // The common case (no body, no certificate provider) stays free of extra awaits: this is the hot path.
    if (request.body === null && typeof this.#options.clientCertificate !== "function") {
      return this.#send(request, target, request.method, headers, null, 0);
    }
    return this.#prepareAndSend(request, target, headers);
  }

  async #prepareAndSend(request: Request, target: SplitUrl, headers: string[]): Promise<Response> {
    if (typeof this.#options.clientCertificate === "function") await this.#rotateCertificate(request.signal);
    const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
    return this.#send(request, target, request.method, headers, body, 0);
  }

  // One exchange. A redirect to follow is handed to followRedirect() by the handler, so that the common case costs
  // one promise, not one per layer.
  #send(
    request: Request,
    target: SplitUrl,
    method: string,
    headers: string[],
    body: Uint8Array | null,
    redirects: number,
  ): Promise<Response> {
    return dispatchFetch(this.#dispatcherFor(target), {
      origin: target.origin,
      path: target.path,
      method,
      headers,
      body,
      url: target.href,
      signal: request.signal,
      request,
      follower: request.redirect === "manual" ? undefined : this.#follower,
      redirects,
    });
  }

  // Follows a redirect (`Request.redirect` "follow"), or fails it ("error").
  async #followRedirect(response: Response, from: FetchInit): Promise<Response> {
    const request = from.request;
    const location = response.headers.get("location");
    if (location === null) return response;
    await discard(response);
    if (request.redirect === "error" || from.redirects >= MAX_REDIRECTS) {
      throw new TransportError(
        "protocol",
        request.redirect === "error"
          ? `redirected to ${JSON.stringify(location)} but the request's redirect mode is "error"`
          : `more than ${MAX_REDIRECTS} redirects`,
        this.#where(request),
      );
    }
    const next = splitUrl(new URL(location, from.url).href);
    if (next === undefined) {
      throw new TransportError(
        "protocol",
        `redirected to an unsupported URL ${JSON.stringify(location)}`,
        this.#where(request),
      );
    }
    let { method, headers, body } = from;
    // The fetch standard's rules: 303 (and 301/302 after POST) become a GET without body.
    if (
      (response.status === 303 && method !== "HEAD") ||
      ((response.status === 301 || response.status === 302) && method === "POST")
    ) {
      method = "GET";
      body = null;
      headers = dropHeaders(headers, /^(content-|transfer-encoding$)/);
    }
    // Credentials never follow a redirect to another origin.
    if (next.origin !== from.origin) headers = dropHeaders(headers, /^(authorization|cookie|proxy-authorization)$/);
    return this.#send(request, next, method, headers, body, from.redirects + 1);
  }

  async websocket(url: string | URL, options: WebSocketOptions = {}): Promise<WebSocketConnection> {
    if (options.signal?.aborted) throw options.signal.reason;
    const target = new URL(url);
    if (target.protocol === "https:") target.protocol = "wss:";
    else if (target.protocol === "http:") target.protocol = "ws:";
    if (target.protocol !== "wss:" && target.protocol !== "ws:") {
      throw new TypeError(`createNodeTransport(): cannot open a websocket to a ${target.protocol} URL`);
    }
    if (this.#closed) throw new TransportError("websocket", "the transport is closed");
    if (typeof this.#options.clientCertificate === "function") await this.#rotateCertificate(options.signal);
    // ws (about 20 ms to import) is loaded by the first websocket, not by every program that only makes requests.
    const { openNodeWebSocket } = await import("./_node-websocket.ts");
    return openNodeWebSocket(target, options, this.#tls, this.#options.proxyUrl ?? proxyForUrl(target, this.#env));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#retire());
  }

  #where(request: Request): { method: string; url: string } {
    return { method: request.method, url: request.url };
  }

  #dispatcherFor(target: SplitUrl): Dispatcher {
    if (this.#options.dispatcher !== undefined) return this.#options.dispatcher;
    let dispatcher = this.#routes.get(target.origin);
    if (dispatcher === undefined) {
      dispatcher = this.#build(new URL(target.href));
      this.#routes.set(target.origin, dispatcher);
    }
    return dispatcher;
  }

  #build(url: URL): Dispatcher {
    const common = {
      connections: this.#options.connections ?? null,
      allowH2: this.#options.http2 === true,
      headersTimeout: this.#options.headersTimeoutMs ?? 300_000,
      // The body may be quiet for minutes (a watch); whole-request limits belong to requestTimeout().
      bodyTimeout: 0,
    };
    const connectTimeout = this.#options.connectTimeoutMs ?? 10_000;
    const proxy = this.#options.proxyUrl ?? proxyForUrl(url, this.#env);
    if (proxy === undefined) {
      this.#direct ??= new Agent({ ...common, connect: { ...this.#tls, timeout: connectTimeout } });
      return this.#direct;
    }
    let agent = this.#proxies.get(proxy);
    if (agent === undefined) {
      agent = new ProxyAgent({
        ...common,
        uri: proxy,
        connectTimeout,
        requestTls: { ...this.#tls, timeout: connectTimeout },
      });
      this.#proxies.set(proxy, agent);
    }
    return agent;
  }

  // A rotating client certificate: new pools when the pair changes; the old ones finish their requests and close.
  async #rotateCertificate(signal: AbortSignal | undefined): Promise<void> {
    const provider = this.#options.clientCertificate;
    if (typeof provider !== "function") return;
    const provided = await provider(signal);
    if (signal?.aborted) throw signal.reason;
    if (provided === this.#lastProvided && this.#lastProvided !== undefined) return;
    this.#lastProvided = provided;
    const key = certificateKey(provided);
    if (key === this.#certificate) return;
    this.#certificate = key;
    const { cert: _cert, key: _key, ...rest } = this.#tls;
    this.#tls = provided === undefined ? rest : { ...rest, cert: provided.certPem, key: provided.keyPem };
    for (const closing of this.#retire()) closing.catch(() => {});
  }

  #retire(): Promise<void>[] {
    const old = [...new Set([...(this.#direct ? [this.#direct] : []), ...this.#proxies.values()])];
    this.#direct = undefined;
    this.#proxies.clear();
    this.#routes.clear();
    return old.map((dispatcher) => dispatcher.close());
  }
}

interface SplitUrl {
  /** `http(s)://host[:port]`, as the pool key and undici's `origin`. */
  origin: string;
  /** Path and query. */
  path: string;
  /** The URL without fragment. */
  href: string;
}

// `Request.url` is already a serialized, valid URL without credentials: plain string work is enough, and cheaper
// than `new URL()` on the hot path.
function splitUrl(url: string): SplitUrl | undefined {
  let start: number;
  if (url.startsWith("https://")) start = 8;
  else if (url.startsWith("http://")) start = 7;
  else return undefined;
  const hash = url.indexOf("#", start);
  const href = hash < 0 ? url : url.slice(0, hash);
  const slash = href.indexOf("/", start);
  if (slash < 0) return { origin: href, path: "/", href: `${href}/` };
  return { origin: href.slice(0, slash), path: href.slice(slash), href };
}

function dropHeaders(headers: string[], pattern: RegExp): string[] {
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] ?? "";
    if (!pattern.test(name)) kept.push(name, headers[i + 1] ?? "");
  }
  return kept;
}

/**
 * Creates the Node.js transport: undici connection pools with the CA bundle, client certificate (fixed, or from a
 * provider that may rotate it: new connections then use the new pair), `insecureSkipTlsVerify` (explicit only,
 * reported through `onWarning`), `tlsServerName`, a proxy from `proxyUrl` or from `HTTPS_PROXY`/`HTTP_PROXY`/
 * `NO_PROXY` (Go's rules, like kubectl), opt-in HTTP/2, and gzip responses decoded (multi-member included).
 * Websockets use `ws` with the same TLS options and proxy, and always send `Origin`.
 *
 * Redirects follow `Request.redirect` ("follow" by default, at most 20, credentials dropped across origins;
 * "manual" returns the 3xx response). `fetch` resolves for every HTTP status; network failures reject with a
 * `TransportError` (the undici or ws error as `cause`), an abort with the signal's reason.
 *
 * @param options connection options and Node-specific limits
 * @returns the transport; `close()` it when done
 * @throws {TypeError} when `caPem` and `insecureSkipTlsVerify` are both set
 * @example
 * ```ts
 * import { createNodeTransport } from "@kubeshift/transport/node";
 * const transport = createNodeTransport({ caPem, clientCertificate: { certPem, keyPem } });
 * const res = await transport.fetch(new Request("https://api.example.com:6443/version"));
 * await transport.close();
 * ```
 */
export function createNodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  return new NodeAdapter(options);
}
