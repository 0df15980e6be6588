/**
 * `connect()`: the one composition function of the client. It reads the kubeconfig (or the in-cluster service
 * account) through `@kubeshift/auth`, picks the transport adapter of the running runtime (Node → `transport/node`,
 * Deno → `transport/deno`, anything else → `transport/web`) with a dynamic `import()` of `#runtime-adapter`, which
 * package.json resolves by export condition so that bundles for one runtime never carry another's adapter, and wraps
 * it in the standard middleware.
 *
 * @module
 */
import type { LoadConnectionOptions, ResolvedConnection } from "@kubeshift/auth";
import {
  basicAuth,
  bearerAuth,
  type ConnectionOptions,
  composeTransport,
  impersonate,
  type Middleware,
  type RateLimitOptions,
  type RetryOptions,
  rateLimit,
  requestTimeout,
  retry,
  type Transport,
  userAgent,
} from "@kubeshift/transport";
import { type Client, createClient } from "./client.ts";

/** Builds the bottom transport from a connection description: what `@kubeshift/transport/node|deno|web` export. */
export type TransportAdapter = (connection: ConnectionOptions) => Transport | Promise<Transport>;

/** Options of {@link connect}: where the connection comes from, how requests travel, and the client's own. */
export interface ConnectOptions extends LoadConnectionOptions {
  /** A connection already resolved (skips reading the kubeconfig). */
  connection?: ResolvedConnection;
  /**
   * The adapter to use instead of the runtime's (`createNodeTransport`, …; middleware is still added), or a complete
   * `Transport` used as is (the caller composed credentials and middleware).
   */
  transport?: TransportAdapter | Transport;
  /** `User-Agent`; `false` sends the runtime's. @default `kubeshift/<version> (<runtime>)` */
  userAgent?: string | false;
  /** Client-side rate limit; `false` disables it. @default 50 QPS, burst 100 */
  rateLimit?: RateLimitOptions | false;
  /** Retries (idempotent requests after connection failures, 429/5xx with Retry-After); `false` disables them. */
  retry?: RetryOptions | false;
  /** Limit of every non-streaming request, in milliseconds (per call: `timeoutMs`). @default none, as kubectl */
  timeoutMs?: number;
  /** Receives the server's warnings (deprecations, unknown fields) and the adapter's. */
  onWarning?: (message: string) => void;
  /** Field manager of `apply`. @default "kubeshift" */
  fieldManager?: string;
  /** How long discovery results are reused, in milliseconds. @default 300000 */
  discoveryTtlMs?: number;
}

function isTransport(value: unknown): value is Transport {
  return typeof value === "object" && value !== null && typeof (value as Transport).fetch === "function";
}

/**
 * The adapter of the running runtime, loaded on demand through `#runtime-adapter`, which package.json resolves by
 * export condition: `deno` → `@kubeshift/transport/deno`, `node` → `/node`, `browser` and anything else → `/web`.
 *
 * @returns the adapter factory
 * @example
 * ```ts
 * const adapter = await runtimeAdapter();
 * ```
 */
export async function runtimeAdapter(): Promise<TransportAdapter> {
  const module: { createRuntimeTransport: TransportAdapter } = await import("#runtime-adapter");
  return module.createRuntimeTransport;
}

/**
 * Connects to the cluster of the current kubeconfig context (or the in-cluster service account), as kubectl would.
 *
 * @param options kubeconfig location and overrides (`context`, `namespace`, …), transport, middleware, client options
 * @returns the client; `close()` it (or `await using` it) to release the adapter's connections
 * @throws {KubeconfigError} for a kubeconfig that does not parse or whose references are broken
 * @throws {KubeError} `ERR_CONFIG` when there is neither a kubeconfig nor an in-cluster environment
 * @example
 * ```ts
 * import { connect } from "@kubeshift/client";
 * const client = await connect({ context: "staging" });
 * ```
 */
export async function connect(options: ConnectOptions = {}): Promise<Client> {
  const {
    connection: given,
    transport,
    userAgent: agent,
    rateLimit: limits,
    retry: retries,
    fieldManager,
    discoveryTtlMs,
    timeoutMs,
    ...load
  } = options;
  // Loaded on demand: a program that passes `connection` (or only uses createClient) never loads the kubeconfig
  // parser and its YAML library.
  const resolved = given ?? (await (await import("./_load-connection.ts")).loadConnection(load));
  let composed: Transport;
  let owned = false;
  if (isTransport(transport)) composed = transport;
  else {
    owned = true;
    const adapter = transport ?? (await runtimeAdapter());
    const connection: ConnectionOptions = {
      ...resolved.connection,
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    };
    const base = await adapter(connection);
    const middleware: Middleware[] = [];
    // Outermost first: each retry attempt waits for the rate limiter and gets a fresh token, as in client-go.
    if (agent !== false) middleware.push(agent === undefined ? userAgent() : userAgent(agent));
    if (resolved.impersonation !== undefined) middleware.push(impersonate(resolved.impersonation));
    if (timeoutMs !== undefined) middleware.push(requestTimeout({ timeoutMs }));
    if (retries !== false) middleware.push(retry(retries ?? {}));
    if (limits !== false) middleware.push(rateLimit(limits ?? {}));
    if (resolved.credentials !== undefined) middleware.push(bearerAuth(resolved.credentials));
    else if (resolved.basicAuth !== undefined) middleware.push(basicAuth(resolved.basicAuth));
    const stack = composeTransport(base, ...middleware);
    const close = (base as { close?: () => Promise<void> }).close;
    // The adapter's pools close with the client. Delegation, not a spread: with no middleware the stack is the
    // adapter itself, whose fetch and websocket are prototype methods a spread would not copy.
    composed =
      typeof close === "function" && stack !== base
        ? ({
            fetch: (request, init) => stack.fetch(request, init),
            websocket: (url, init) => stack.websocket(url, init),
            close: () => close.call(base),
          } as Transport & { close(): Promise<void> })
        : stack;
  }
  return createClient({
    transport: composed,
    server: resolved.server,
    namespace: options.namespace ?? resolved.namespace,
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    ...(fieldManager === undefined ? {} : { fieldManager }),
    ...(discoveryTtlMs === undefined ? {} : { discoveryTtlMs }),
    closeTransport: owned,
  });
}
