/**
 * The Deno adapter: Deno's own `fetch` and `WebSocket` with a `Deno.HttpClient` for the CA, client certificate and
 * proxy.
 *
 * @module
 */

import { fetchWrapped } from "../_fetch-adapter.ts";
import { toTransportError } from "../_network-error.ts";
import { connectWebSocket, type SocketLike, statusFromHandshakeMessage } from "../_websocket-connection.ts";
import { ApiError } from "../api-error.ts";
import type { ClientCertificate, ConnectionOptions } from "../connection-options.ts";
import type { FetchOptions, Transport, WebSocketConnection, WebSocketOptions } from "../transport.ts";
import { TransportError } from "../transport-error.ts";
import {
  type DenoHttpClient,
  type DenoHttpClientOptions,
  type DenoWebSocketConstructor,
  denoGlobal,
} from "./_deno-api.ts";

/** Options of {@link createDenoTransport}. */
export interface DenoTransportOptions extends ConnectionOptions {}

/** A transport for Deno that owns an HTTP client: close it when done. */
export interface DenoTransport extends Transport {
  /** Closes the HTTP client (and any replaced by certificate rotation); later requests fail. */
  close(): void;
}

interface ClientSlot {
  client: DenoHttpClient;
  users: number;
  retired: boolean;
}

class DenoAdapter implements DenoTransport {
  readonly #options: DenoTransportOptions;
  readonly #base: DenoHttpClientOptions;
  #slot: ClientSlot | undefined;
  #certificate = "";
  #lastProvided: ClientCertificate | undefined;
  #closed = false;

  constructor(options: DenoTransportOptions) {
    const deno = denoGlobal();
    if (deno === undefined) throw new TypeError("createDenoTransport() runs on Deno only; use /node or /web elsewhere");
    this.#options = options;
    const warn = options.onWarning ?? (() => {});
    if (options.insecureSkipTlsVerify === true) {
      warn(
        "insecureSkipTlsVerify cannot be honoured on Deno (it has no per-client switch): certificates are still verified; " +
          "start Deno with --unsafely-ignore-certificate-errors=<host> or give the CA in caPem",
      );
    }
    if (options.tlsServerName !== undefined && options.tlsServerName !== "") {
      warn("tlsServerName cannot be honoured on Deno: the certificate is verified against the URL's host name");
    }
    this.#base = {
      ...(options.caPem ? { caCerts: [options.caPem] } : {}),
      ...(options.proxyUrl ? { proxy: proxyOption(options.proxyUrl) } : {}),
      http1: true,
      http2: options.http2 === true,
    };
    const fixed = options.clientCertificate;
    if (fixed !== undefined && typeof fixed !== "function") {
      this.#certificate = `${fixed.certPem}\u0000${fixed.keyPem}`;
      this.#slot = this.#open({ ...this.#base, cert: fixed.certPem, key: fixed.keyPem });
    } else {
      this.#slot = this.#open(this.#base);
    }
  }

  async fetch(request: Request, options?: FetchOptions): Promise<Response> {
    if (request.signal.aborted) throw request.signal.reason;
    const slot = await this.#current(request.signal, { method: request.method, url: request.url });
    slot.users++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      slot.users--;
      if (slot.retired && slot.users === 0) slot.client.close();
    };
    try {
      // The client may be retired (certificate rotation) while the body is read: it stays open until `release`.
      return await fetchWrapped(
        request,
        options,
        (outgoing) => fetch(outgoing, { client: slot.client } as RequestInit),
        this.#options.disableCompression === true ? "always" : "streams",
        release,
      );
    } catch (error) {
      release();
      throw error;
    }
  }

  async websocket(url: string | URL, options: WebSocketOptions = {}): Promise<WebSocketConnection> {
    if (options.signal?.aborted) throw options.signal.reason;
    const target = new URL(url);
    if (target.protocol === "https:") target.protocol = "wss:";
    else if (target.protocol === "http:") target.protocol = "ws:";
    const slot = await this.#current(options.signal, { method: "GET", url: target.href });
    const headers = new Headers(options.headers);
    if (!headers.has("origin"))
      headers.set("origin", `${target.protocol === "wss:" ? "https:" : "http:"}//${target.host}`);
    const Socket = WebSocket as unknown as DenoWebSocketConstructor;
    const path = target.pathname + target.search;
    const socket = new Socket(target.href, { protocols: [...(options.protocols ?? [])], headers, client: slot.client });
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

  close(): void {
    this.#closed = true;
    if (this.#slot !== undefined) {
      this.#slot.retired = true;
      if (this.#slot.users === 0) this.#slot.client.close();
      this.#slot = undefined;
    }
  }

  #open(options: DenoHttpClientOptions): ClientSlot {
    return {
      client: (denoGlobal() as NonNullable<ReturnType<typeof denoGlobal>>).createHttpClient(options),
      users: 0,
      retired: false,
    };
  }

  async #current(signal: AbortSignal | undefined, where: { method: string; url: string }): Promise<ClientSlot> {
    if (this.#closed) throw new TransportError("unknown", "the transport is closed", where);
    const provider = this.#options.clientCertificate;
    if (typeof provider === "function") {
      const provided = await provider(signal);
      if (signal?.aborted) throw signal.reason;
      if (provided !== this.#lastProvided || provided === undefined) {
        this.#lastProvided = provided;
        const key = provided === undefined ? "" : `${provided.certPem}\u0000${provided.keyPem}`;
        if (key !== this.#certificate) {
          this.#certificate = key;
          const old = this.#slot;
          this.#slot = this.#open(
            provided === undefined ? this.#base : { ...this.#base, cert: provided.certPem, key: provided.keyPem },
          );
          if (old !== undefined) {
            old.retired = true;
            if (old.users === 0) old.client.close();
          }
        }
      }
    }
    if (this.#slot === undefined) throw new TransportError("unknown", "the transport is closed", where);
    return this.#slot;
  }
}

function proxyOption(proxyUrl: string): NonNullable<DenoHttpClientOptions["proxy"]> {
  const url = new URL(proxyUrl);
  if (url.username === "" && url.password === "") return { url: proxyUrl };
  const basicAuth = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  url.username = "";
  url.password = "";
  return { url: url.href, basicAuth };
}

/**
 * Creates the Deno transport: `fetch` and `WebSocket` with a `Deno.HttpClient` carrying the CA (`caCerts`, added to
 * Deno's roots rather than replacing them), the client certificate (fixed, or from a rotating provider: a new client
 * is created when the pair changes and the old one closes once its requests finish), the proxy (`proxyUrl`; Deno
 * itself honours `HTTPS_PROXY`/`NO_PROXY` otherwise) and HTTP/2 (opt-in). Websockets carry all headers and always
 * an `Origin`. Watch requests ask for `Accept-Encoding: identity` (Deno truncates multi-member gzip).
 *
 * Not possible on Deno, reported through `onWarning`: `insecureSkipTlsVerify` (no per-client switch) and
 * `tlsServerName`.
 *
 * @param options connection options
 * @returns the transport; `close()` it when done
 * @throws {TypeError} when not running on Deno
 * @example
 * ```ts
 * import { createDenoTransport } from "@kubeshift/transport/deno";
 * const transport = createDenoTransport({ caPem, clientCertificate: { certPem, keyPem } });
 * const res = await transport.fetch(new Request("https://api.example.com:6443/version"));
 * transport.close();
 * ```
 */
export function createDenoTransport(options: DenoTransportOptions = {}): DenoTransport {
  return new DenoAdapter(options);
}
