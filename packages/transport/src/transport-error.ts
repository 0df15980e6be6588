/**
 * `TransportError`: the request never got an HTTP answer (name resolution, refused or reset connection, TLS,
 * proxy, timeout, a body cut off mid-way).
 *
 * @module
 */
import { KubeError, type KubeErrorCode } from "./kube-error.ts";
import { redactSecrets } from "./redact.ts";

/** What went wrong below HTTP. */
export type TransportErrorKind =
  | "dns"
  | "refused"
  | "reset"
  | "tls"
  | "timeout"
  | "proxy"
  | "aborted-by-server"
  | "protocol"
  | "websocket"
  | "unknown";

/** Options of {@link TransportError}. */
export interface TransportErrorOptions {
  /** The runtime's own error (undici, ws, Deno), kept for debugging. */
  cause?: unknown;
  /** HTTP method of the request. */
  method?: string;
  /** URL or path of the request. */
  url?: string;
}

/**
 * A request that got no usable HTTP answer.
 *
 * @example
 * ```ts
 * import { TransportError } from "@kubeshift/transport";
 * try { await client.list(Pod); } catch (e) { if (e instanceof TransportError && e.kind === "refused") retryLater(); }
 * ```
 */
export class TransportError extends KubeError {
  static override readonly errorCode: KubeErrorCode = "ERR_TRANSPORT";

  /** The class of failure; retry decisions key on it. */
  readonly kind: TransportErrorKind;
  /** HTTP method of the request. */
  readonly method: string | undefined;
  /** URL of the request (credentials in the query redacted). */
  readonly url: string | undefined;

  /**
   * @param kind the class of failure
   * @param message what failed and why
   * @param options cause, method, url
   */
  constructor(kind: TransportErrorKind, message: string, options: TransportErrorOptions = {}) {
    const where =
      options.method !== undefined && options.url !== undefined
        ? `Cannot ${options.method} ${JSON.stringify(options.url)}: `
        : "";
    super("ERR_TRANSPORT", `${where}${message}`, "cause" in options ? { cause: options.cause } : {});
    this.kind = kind;
    this.method = options.method;
    this.url = options.url === undefined ? undefined : redactSecrets(options.url);
  }
}

const CODES: ReadonlyArray<[RegExp, TransportErrorKind]> = [
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/, "dns"],
  [/^(ECONNREFUSED|UND_ERR_CONNECT|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)$/, "refused"],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|ECONNABORTED|ERR_STREAM_PREMATURE_CLOSE)$/, "reset"],
  [/^(UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|ETIMEDOUT|ESOCKETTIMEDOUT)$/, "timeout"],
  [
    /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID)/,
    "tls",
  ],
  [/^(UND_ERR_PRX_TLS|UND_ERR_PROXY)/, "proxy"],
];

/**
 * Classifies a runtime's network error (undici, Node, Deno, ws) by its code, or its message when it has none.
 *
 * @param error the caught error (its `cause` chain is searched too)
 * @returns the kind of failure
 * @example
 * ```ts
 * classifyNetworkError(err); // "refused"
 * ```
 */
export function classifyNetworkError(error: unknown): TransportErrorKind {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === "string") {
      for (const [pattern, kind] of CODES) if (pattern.test(code)) return kind;
    }
    if (name === "TimeoutError") return "timeout";
    if (typeof message === "string") {
      if (/certificate|tls|ssl|handshake/i.test(message)) return "tls";
      if (/connection refused|ECONNREFUSED/i.test(message)) return "refused";
      if (/dns|getaddrinfo|name resolution|failed to lookup/i.test(message)) return "dns";
      if (/connection reset|ECONNRESET|socket hang up|other side closed|broken pipe/i.test(message)) return "reset";
      if (/timed? ?out/i.test(message)) return "timeout";
      if (/proxy/i.test(message)) return "proxy";
    }
    current = (current as { cause?: unknown }).cause;
  }
  return "unknown";
}
