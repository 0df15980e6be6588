/**
 * What a request handler works with: the request (URL, info, user, body), the cluster's services (registry,
 * resource table, settings, schemas, logs), and the helpers that answer in the negotiated representation with the
 * real server's headers (`Warning`, pretty-printing for curl and browsers).
 *
 * @module
 */
import type { IncomingMessage } from "node:http";
import { stringify as toYaml } from "yaml";
import type { UserInfo } from "../auth/user-info.ts";
import type { Clock } from "../clock.ts";
import type { SchemaIndex, V3SchemaIndex } from "../openapi/schema-index.ts";
import type { PodLogs } from "../registry/pod-logs.ts";
import type { Registry } from "../registry/registry.ts";
import type { ResourceTable } from "../resources/resource-table.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import type { WatchListMode } from "./list-options.ts";
import type { RequestInfo } from "./request-info.ts";
import type { HttpSink } from "./response-sink.ts";
import { type StatusError, statusFor } from "./status-error.ts";

/** Server behaviour that tests may change while the cluster runs. */
export interface ServerSettings {
  /** Period of BOOKMARK events on watches that asked for them, in ms. */
  bookmarkIntervalMs: number;
  /** How WatchList (`sendInitialEvents=true`) is handled, see {@link WatchListMode}. */
  watchList: WatchListMode;
  /** How long a read at a future resourceVersion waits before the 504, in ms. */
  tooLargeResourceVersionWaitMs: number;
  /** A watcher whose unsent events exceed this many bytes is closed, in bytes. */
  maxWatchBufferBytes: number;
  /** Largest request body accepted, in bytes. */
  maxRequestBodyBytes: number;
}

/** The cluster's services a handler uses. */
export interface ServerServices {
  readonly registry: Registry;
  readonly table: ResourceTable;
  readonly clock: Clock;
  readonly settings: ServerSettings;
  readonly logs: PodLogs;
  /** The schema index (loads the bundled OpenAPI documents on first use). */
  schemas(): Promise<SchemaIndex>;
  /** The OpenAPI v3 schema index (with defaults). */
  v3Schemas(): Promise<V3SchemaIndex>;
  /** Registers an open watch so that `faults.closeAllWatches()` can end it. */
  trackWatch(end: () => void): () => void;
}

/** One request on its way through the handlers. */
export interface HandlerContext {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly query: URLSearchParams;
  readonly info: RequestInfo;
  readonly user: UserInfo;
  readonly sink: HttpSink;
  readonly services: ServerServices;
  /** `Warning` headers to send. */
  readonly warnings: string[];
  /** Reads the whole request body (once). */
  readBody(): Promise<Uint8Array>;
}

/** A handler context for a served resource. */
export interface ResourceContext extends HandlerContext {
  readonly resource: ServedResource;
  /** Namespace from the URL (`""` when none). */
  readonly namespace: string;
}

/** Whether the client asked for pretty JSON (`?pretty=true`, or a curl, Wget or browser User-Agent). */
export function wantsPretty(ctx: HandlerContext): boolean {
  const p = ctx.query.get("pretty");
  if (p !== null) return p === "true" || p === "1" || p === "";
  const ua = ctx.req.headers["user-agent"] ?? "";
  return ua.startsWith("curl") || ua.startsWith("Wget") || ua.startsWith("Mozilla/5.0");
}

function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

/** Common response headers: content type, `Cache-Control`, warnings. */
export function responseHeaders(ctx: HandlerContext, contentType: string): Record<string, string> {
  const headers: Record<string, string> = { "Content-Type": contentType, "Cache-Control": "no-cache, private" };
  if (ctx.warnings.length > 0) headers.Warning = ctx.warnings.map(warningHeader).join(", ");
  return headers;
}

/** Answers a JSON document (re-indented when the client wants it pretty). */
export function respondJson(ctx: HandlerContext, status: number, json: string, contentType = "application/json"): void {
  const body = wantsPretty(ctx) ? `${JSON.stringify(JSON.parse(json), null, 2)}\n` : json;
  ctx.sink.send(status, responseHeaders(ctx, contentType), body);
}

/** Answers a JSON document as YAML (keys sorted, as the server's JSON → YAML conversion does). */
export function respondYaml(ctx: HandlerContext, status: number, json: string): void {
  const body = toYaml(JSON.parse(json), { sortMapEntries: true, version: "1.1", lineWidth: 0 });
  ctx.sink.send(status, responseHeaders(ctx, "application/yaml"), body);
}

/** Answers a Status error. */
export function respondError(ctx: HandlerContext, error: StatusError): void {
  const headers = { ...responseHeaders(ctx, "application/json"), ...error.headers };
  ctx.sink.send(error.code, headers, JSON.stringify(error.status));
}

/** Answers plain text. */
export function respondText(ctx: HandlerContext, status: number, text: string): void {
  ctx.sink.send(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-cache, private" }, text);
}

/** 413 for a body over the limit. */
export function bodyTooLarge(limit: number): StatusError {
  return statusFor(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limit}`);
}
