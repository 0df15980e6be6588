import { classifyNetworkError, TransportError, type TransportErrorKind } from "./transport-error.ts";

const DESCRIPTIONS: Record<TransportErrorKind, string> = {
  dns: "cannot resolve the host name",
  refused: "connection refused",
  reset: "the connection was reset",
  tls: "TLS failure",
  timeout: "timed out",
  proxy: "proxy failure",
  "aborted-by-server": "the server closed the connection before the response was complete",
  protocol: "protocol error",
  websocket: "websocket failure",
  unknown: "request failed",
};

/** Where a network failure happened, for the error message. */
export interface FailureContext {
  method: string;
  url: string;
  /** The response headers had arrived: a reset now cut the body off. */
  afterHeaders?: boolean;
  /** The kind when the error cannot be classified. @default "unknown" */
  fallback?: TransportErrorKind;
}

/**
 * The `TransportError` for a runtime's network error (undici, ws, Deno, a browser), keeping it as `cause`. A
 * `TransportError` passes unchanged.
 */
export function toTransportError(error: unknown, context: FailureContext): TransportError {
  if (error instanceof TransportError) return error;
  let kind = classifyNetworkError(error);
  if (kind === "unknown" && context.fallback !== undefined) kind = context.fallback;
  if (context.afterHeaders === true && (kind === "reset" || kind === "unknown")) kind = "aborted-by-server";
  const detail = error instanceof Error ? error.message : String(error);
  return new TransportError(kind, `${DESCRIPTIONS[kind]} (${detail})`, {
    cause: error,
    method: context.method,
    url: context.url,
  });
}
