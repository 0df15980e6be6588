/**
 * The request pipeline of the fake API server, in the order kube-apiserver's filters run: fault hooks (a faulty
 * network or proxy in front), authentication, request info, authorization, then routing to discovery, OpenAPI,
 * health, version, registered non-resource routes, and the resource handlers. Websocket upgrades of watches go
 * through the same steps plus the `golang.org/x/net/websocket` handshake rules (Origin required, one subprotocol).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import type { WebSocketServer } from "ws";
import type {
  AuthenticationRequest,
  AuthenticationResult,
  Authenticator,
  PeerCertificate,
} from "../auth/authenticator.ts";
import { type AuthorizationAttributes, type Authorizer, forbiddenStatus } from "../auth/authorizer.ts";
import { impersonate } from "../auth/impersonation.ts";
import { ANONYMOUS_USER, type UserInfo, withAuthenticatedGroup } from "../auth/user-info.ts";
import { type FaultEffects, type Faults, NO_FAULTS } from "../faults/fault-registry.ts";
import { loadOpenApiBundle } from "../openapi/openapi-bundle.ts";
import { encodeOpenApiV2Protobuf } from "../openapi/openapi-v2-protobuf.ts";
import { PatchError } from "../patch/patch-error.ts";
import type { VerbHandler } from "../registry/resource-behavior.ts";
import { isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import { SelectorError } from "../selectors/selector-error.ts";
import type { Discovery } from "./discovery.ts";
import {
  bodyTooLarge,
  type HandlerContext,
  type ResourceContext,
  respondError,
  respondJson,
  respondText,
  respondYaml,
  type ServerServices,
} from "./handler-context.ts";
import { parseListOptions } from "./list-options.ts";
import { handlePodLog } from "./log-handler.ts";
import { negotiateOutput, type OutputFormat } from "./media-types.ts";
import { includeObjectOf, tableFor } from "./object-output.ts";
import { decodeProtobufBody, isProtobufBody } from "./protobuf-body.ts";
import { handleGet, handleList } from "./read-handlers.ts";
import { checkKind, dryRunOf, parseBody } from "./request-body.ts";
import { parseRequestInfo, type RequestInfo } from "./request-info.ts";
import { defaultStatusWording, errorEventLine, HttpSink, WebSocketSink } from "./response-sink.ts";
import {
  badRequest,
  forbidden,
  internalError,
  methodNotAllowed,
  resourceNotFound,
  StatusError,
  statusFor,
  unauthorized,
  unsupportedBody,
} from "./status-error.ts";
import { serveWatch } from "./watch-handler.ts";
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handlePatch,
  handleScale,
  handleUpdate,
} from "./write-handlers.ts";

/** `/version` information. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
  emulationMajor?: string;
  emulationMinor?: string;
  minCompatibilityMajor?: string;
  minCompatibilityMinor?: string;
}

/** A non-resource endpoint registered by a later layer (OAuth, OIDC discovery, `/oapi`). */
export interface Route {
  /** Path, or a pattern. */
  readonly path: string | RegExp;
  /** Serves the request; returns `false` to fall through. */
  handle(ctx: HandlerContext): Promise<boolean | undefined> | boolean | undefined;
  /** Skips authentication and authorization (the OAuth endpoints authenticate themselves). */
  readonly public?: boolean;
}

/** What the API server is built from. */
export interface ApiServerOptions {
  readonly services: ServerServices;
  readonly discovery: Discovery;
  readonly faults: Faults;
  readonly authenticators: readonly Authenticator[];
  readonly authorizer: Authorizer;
  readonly anonymous: boolean;
  readonly version: VersionInfo;
  /** Serve `/openapi/v3` (kubectl falls back to v2 when it is missing). */
  readonly openapiV3: boolean;
  readonly routes: Route[];
  readonly webSocketServer: WebSocketServer;
  /** API prefixes (`api`, `apis`, and `oapi` on OpenShift). */
  readonly prefixes: ReadonlySet<string>;
  /**
   * Adjusts the attributes a request is authorized with, after reading its body if need be (OpenShift authorizes a
   * personal SubjectAccessReview as a self review).
   */
  readonly authorizationAttributes?: (
    attributes: AuthorizationAttributes,
    ctx: HandlerContext,
  ) => Promise<AuthorizationAttributes> | AuthorizationAttributes;
}

const HEALTH_CHECKS = [
  "ping",
  "log",
  "etcd",
  "poststarthook/start-apiextensions-informers",
  "poststarthook/crd-informer-synced",
];
const TOKEN_PROTOCOL = "base64url.bearer.authorization.k8s.io.";

let protobufCache: Promise<Uint8Array> | undefined;

function base64UrlDecode(text: string): string | undefined {
  try {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    return new TextDecoder().decode(
      Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

function peerCertificate(req: IncomingMessage): PeerCertificate | undefined {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== "function" || socket.authorized !== true) return undefined;
  const cert = socket.getPeerCertificate();
  if (cert === null || cert.subject === undefined) return undefined;
  const cn = cert.subject.CN;
  const o = cert.subject.O;
  const commonName = Array.isArray(cn) ? (cn[0] ?? "") : (cn ?? "");
  const organizations = o === undefined ? [] : Array.isArray(o) ? o : [o];
  return { commonName, organizations };
}

/** The fake API server's request pipeline. */
export class ApiServer {
  readonly #o: ApiServerOptions;
  readonly #watchEnders = new Set<() => void>();

  constructor(options: ApiServerOptions) {
    this.#o = options;
  }

  /** Ends every open watch and log follow; returns how many. */
  closeWatches(): number {
    const enders = [...this.#watchEnders];
    this.#watchEnders.clear();
    for (const end of enders) end();
    return enders.length;
  }

  /** @internal Registers an open stream. */
  trackWatch(end: () => void): () => void {
    this.#watchEnders.add(end);
    return () => this.#watchEnders.delete(end);
  }

  /**
   * Runs credentials through the authenticator chain: the first authenticator that recognises them decides.
   *
   * @returns the result, or `undefined` when no authenticator knew the credentials
   */
  async authenticateCredentials(request: AuthenticationRequest): Promise<AuthenticationResult> {
    for (const a of this.#o.authenticators) {
      const result = await a.authenticate(request);
      if (result !== undefined) return result;
    }
    return undefined;
  }

  async #authenticate(req: IncomingMessage, token: string | undefined, path: string): Promise<UserInfo | StatusError> {
    const certificate = peerCertificate(req);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const result = await this.authenticateCredentials({ token, certificate, headers, path });
    if (result !== undefined) return "user" in result ? withAuthenticatedGroup(result.user) : unauthorized();
    if (token !== undefined) return unauthorized();
    if (this.#o.anonymous) return ANONYMOUS_USER;
    return unauthorized();
  }

  /** Applies the impersonation headers (the real user must be allowed to `impersonate`). */
  async #impersonate(req: IncomingMessage, user: UserInfo): Promise<UserInfo | StatusError> {
    if (!Object.keys(req.headers).some((k) => k.startsWith("impersonate-"))) return user;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === "string") headers.set(k, v);
      else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    return impersonate(headers, user, this.#o.authorizer);
  }

  async #authorize(user: UserInfo, info: RequestInfo, ctx?: HandlerContext): Promise<StatusError | undefined> {
    let attributes: AuthorizationAttributes = {
      user,
      verb: info.verb,
      isResourceRequest: info.isResourceRequest,
      path: info.path,
      apiGroup: info.apiGroup,
      apiVersion: info.apiVersion,
      // OpenShift authorizes a project as the namespace it is (its request-info resolver sets the namespace).
      namespace: isProjectRequest(info) ? info.name : info.namespace,
      resource: info.resource,
      subresource: info.subresource,
      name: info.name,
    };
    if (ctx !== undefined && this.#o.authorizationAttributes !== undefined)
      attributes = await this.#o.authorizationAttributes(attributes, ctx);
    const decision = await this.#o.authorizer(attributes);
    if (decision.allowed) return undefined;
    const { message, details } = forbiddenStatus(attributes, decision.reason);
    return forbidden(message, details);
  }

  #context(req: IncomingMessage, url: URL, info: RequestInfo, user: UserInfo, sink: HttpSink): HandlerContext {
    let body: Promise<Uint8Array> | undefined;
    const limit = this.#o.services.settings.maxRequestBodyBytes;
    return {
      req,
      url,
      query: url.searchParams,
      info,
      user,
      sink,
      services: this.#o.services,
      warnings: [],
      readBody: () => {
        body ??= new Promise<Uint8Array>((resolve, reject) => {
          const chunks: Buffer[] = [];
          let size = 0;
          req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > limit) {
              reject(bodyTooLarge(limit));
              req.destroy();
              return;
            }
            chunks.push(c);
          });
          req.on("end", () => resolve(Buffer.concat(chunks)));
          req.on("error", reject);
        });
        return body;
      },
    };
  }

  /** Handles one HTTP request. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://fake-cluster");
    } catch {
      res.writeHead(400).end();
      return;
    }
    const info = parseRequestInfo(method, url.pathname, url.searchParams, this.#o.prefixes);
    const effects = this.#o.faults.effectsFor({
      method,
      path: url.pathname,
      query: url.searchParams,
      verb: info.verb,
      resource: info.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      websocket: false,
    });
    const storage = this.#o.services.registry.storage;
    const sink = new HttpSink(res, effects, /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? "")), () =>
      errorEventLine(effects.injectError ?? { code: 500 }, storage.rv, url.searchParams.get("resourceVersion") ?? ""),
    );
    let ctx = this.#context(req, url, info, ANONYMOUS_USER, sink);
    try {
      if (effects.delayMs > 0) await new Promise((r) => setTimeout(r, effects.delayMs));
      if (sink.closed) return;
      if (effects.respond !== undefined) return this.#respondFault(ctx, effects);
      const route = this.#o.routes.find((r) =>
        typeof r.path === "string" ? r.path === url.pathname : r.path.test(url.pathname),
      );
      if (route?.public === true && (await route.handle(ctx)) !== false) return;
      const auth = req.headers.authorization;
      const token =
        typeof auth === "string" && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, "").trim() : undefined;
      const authenticated = await this.#authenticate(req, token === "" ? undefined : token, url.pathname);
      if (authenticated instanceof StatusError) return respondError(ctx, authenticated);
      const user = await this.#impersonate(req, authenticated);
      if (user instanceof StatusError) return respondError(ctx, user);
      ctx = this.#context(req, url, info, user, sink);
      const denied = await this.#authorize(user, info, ctx);
      if (denied !== undefined) return respondError(ctx, denied);
      if (route !== undefined && route.public !== true && (await route.handle(ctx)) !== false) return;
      if (info.isResourceRequest) await this.#resource(ctx);
      else await this.#nonResource(ctx);
    } catch (e) {
      if (sink.closed) return;
      if (e instanceof StatusError) return respondError(ctx, e);
      // The typed errors of the shared engines are the server's answers wherever a handler lets them through.
      if (e instanceof SelectorError) return respondError(ctx, badRequest(e.message));
      if (e instanceof PatchError) return respondError(ctx, new StatusError(e.status, e.toStatus()));
      respondError(ctx, internalError(e instanceof Error ? e.message : String(e)));
    }
  }

  #respondFault(ctx: HandlerContext, effects: FaultEffects): void {
    const r = effects.respond as NonNullable<FaultEffects["respond"]>;
    const headers: Record<string, string> = { "Content-Type": "application/json", ...(r.headers ?? {}) };
    if (r.retryAfterSeconds !== undefined) headers["Retry-After"] = String(r.retryAfterSeconds);
    if (r.body !== undefined) {
      const text = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
      ctx.sink.send(r.status, headers, text);
      return;
    }
    const [reason, message] = defaultStatusWording(r.status);
    const status = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: r.message ?? message,
      reason: r.reason ?? reason,
      ...(r.retryAfterSeconds === undefined ? {} : { details: { retryAfterSeconds: r.retryAfterSeconds } }),
      code: r.status,
    };
    ctx.sink.send(r.status, headers, JSON.stringify(status));
  }

  async #nonResource(ctx: HandlerContext): Promise<void> {
    const path = ctx.url.pathname;
    const method = ctx.req.method ?? "GET";
    const get = method === "GET" || method === "HEAD";
    const discovery = this.#o.discovery;
    if (path === "/" || path === "") {
      if (!get) throw methodNotAllowed();
      return respondJson(ctx, 200, JSON.stringify({ paths: discovery.rootPaths(this.#routePaths()) }));
    }
    if (path === "/version" || path === "/version/") {
      if (!get) throw methodNotAllowed();
      return respondJson(ctx, 200, JSON.stringify(this.#o.version));
    }
    const health = /^\/(healthz|livez|readyz)(?:\/(.*))?$/.exec(path);
    if (health !== null) return this.#health(ctx, health[1] as string, health[2]);
    if (path === "/api" || path === "/api/") {
      if (!get) throw methodNotAllowed();
      const format = negotiateOutput(ctx.req.headers.accept, { aggregatedDiscovery: true });
      if (format instanceof StatusError) throw format;
      return this.#discoveryAnswer(ctx, format, "/api", () => discovery.apiVersions());
    }
    if (path === "/apis" || path === "/apis/") {
      if (!get) throw methodNotAllowed();
      const format = negotiateOutput(ctx.req.headers.accept, { aggregatedDiscovery: true });
      if (format instanceof StatusError) throw format;
      return this.#discoveryAnswer(ctx, format, "/apis", () => discovery.apiGroupList());
    }
    const legacy = /^\/api\/([^/]+)\/?$/.exec(path);
    if (legacy !== null) {
      const list = discovery.apiResourceList(`/api/${legacy[1]}`);
      if (list === undefined) throw resourceNotFound();
      if (!get) throw methodNotAllowed();
      return this.#plainDiscovery(ctx, list);
    }
    const group = /^\/apis\/([^/]+)\/?$/.exec(path);
    if (group !== null) {
      const doc = discovery.apiGroup(group[1] as string);
      if (doc === undefined) return respondText(ctx, 404, "404 page not found\n");
      if (!get) throw methodNotAllowed();
      return this.#plainDiscovery(ctx, doc);
    }
    const gv = /^\/apis\/([^/]+)\/([^/]+)\/?$/.exec(path);
    if (gv !== null) {
      const list = discovery.apiResourceList(`/apis/${gv[1]}/${gv[2]}`);
      if (list === undefined) return respondText(ctx, 404, "404 page not found\n");
      if (!get) throw methodNotAllowed();
      return this.#plainDiscovery(ctx, list);
    }
    if (path === "/openapi/v2" && get) return this.#openapiV2(ctx);
    if (path.startsWith("/openapi/v3") && get && this.#o.openapiV3) return this.#openapiV3(ctx);
    if (/^\/apis\/[^/]+\//.test(path)) return respondText(ctx, 404, "404 page not found\n");
    if (/^\/api\//.test(path)) throw resourceNotFound();
    if (this.#o.prefixes.has("oapi") && /^\/oapi(\/|$)/.test(path)) throw resourceNotFound();
    // Unknown top-level paths list what is served, as the real server's NotFound handler does.
    return respondJson(ctx, 404, JSON.stringify({ paths: discovery.rootPaths(this.#routePaths()) }));
  }

  #routePaths(): string[] {
    return this.#o.routes.map((r) => r.path).filter((p): p is string => typeof p === "string");
  }

  #plainDiscovery(ctx: HandlerContext, json: string): void {
    const format = negotiateOutput(ctx.req.headers.accept, {});
    if (format instanceof StatusError) throw format;
    respondJson(ctx, 200, json);
  }

  #discoveryAnswer(ctx: HandlerContext, format: OutputFormat, root: "/api" | "/apis", plain: () => string): void {
    if (format.kind === "discovery") {
      const json = this.#o.discovery.aggregated(root, format.version);
      respondJson(
        ctx,
        200,
        json,
        `application/json;g=apidiscovery.k8s.io;v=${format.version};as=APIGroupDiscoveryList`,
      );
      return;
    }
    if (format.kind === "yaml") {
      respondJson(ctx, 200, plain(), "application/yaml");
      return;
    }
    respondJson(ctx, 200, plain());
  }

  #health(ctx: HandlerContext, endpoint: string, check: string | undefined): void {
    const checks = endpoint === "readyz" ? [...HEALTH_CHECKS, "informer-sync", "shutdown"] : HEALTH_CHECKS;
    if (check !== undefined && check !== "") {
      if (!checks.includes(check)) {
        respondText(ctx, 404, "404 page not found\n");
        return;
      }
      respondText(ctx, 200, "ok");
      return;
    }
    if (ctx.query.has("verbose")) {
      respondText(ctx, 200, `${checks.map((c) => `[+]${c} ok`).join("\n")}\n${endpoint} check passed\n`);
      return;
    }
    respondText(ctx, 200, "ok");
  }

  async #openapiV2(ctx: HandlerContext): Promise<void> {
    const accept = String(ctx.req.headers.accept ?? "");
    const bundle = await loadOpenApiBundle();
    if (/application\/com\.github\.proto-openapi\.spec\.v2[@.]v1\.0\+protobuf/.test(accept)) {
      protobufCache ??= Promise.resolve(encodeOpenApiV2Protobuf(bundle.v2));
      const bytes = await protobufCache;
      ctx.sink.send(200, { "Content-Type": "application/octet-stream", "Cache-Control": "no-cache, private" }, bytes);
      return;
    }
    const format = negotiateOutput(accept === "" ? undefined : accept, { yaml: false });
    if (format instanceof StatusError) throw format;
    ctx.sink.send(
      200,
      { "Content-Type": "application/json", "Cache-Control": "no-cache, private" },
      JSON.stringify(bundle.v2),
    );
  }

  async #openapiV3(ctx: HandlerContext): Promise<void> {
    const bundle = await loadOpenApiBundle();
    const rest = ctx.url.pathname.replace(/^\/openapi\/v3\/?/, "");
    if (rest === "") {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const key of Object.keys(bundle.v3)) {
        if (!this.#servesOpenApiPath(key)) continue;
        paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${await hashOf(key)}` };
      }
      return respondJson(ctx, 200, JSON.stringify({ paths }));
    }
    const doc = bundle.v3[rest];
    if (doc === undefined || !this.#servesOpenApiPath(rest)) return respondText(ctx, 404, "404 page not found\n");
    ctx.sink.send(
      200,
      {
        "Content-Type": "application/json",
        "Cache-Control": ctx.query.has("hash") ? "public, immutable" : "no-cache, private",
      },
      JSON.stringify(doc),
    );
  }

  #servesOpenApiPath(key: string): boolean {
    return this.#o.services.table.resourcesAt(`/${key}`).length > 0;
  }

  async #resource(base: HandlerContext): Promise<void> {
    const info = base.info;
    const table = this.#o.services.table;
    const apiPath =
      info.apiPrefix === "apis" ? `/apis/${info.apiGroup}/${info.apiVersion}` : `/${info.apiPrefix}/${info.apiVersion}`;
    const known = table.resourcesAt(apiPath).length > 0;
    if (!known) {
      if (info.apiPrefix === "apis") return respondText(base, 404, "404 page not found\n");
      throw resourceNotFound();
    }
    const resource = table.lookup(apiPath, info.resource);
    if (resource === undefined) throw resourceNotFound();
    if (resource.namespaced === false && info.namespace !== "" && info.resource !== "namespaces")
      throw resourceNotFound();
    const ctx: ResourceContext = { ...base, resource, namespace: resource.namespaced ? info.namespace : "" };
    if (resource.namespaced && info.name !== "" && info.namespace === "" && info.verb !== "watch")
      throw resourceNotFound();
    const sub = info.subresource;
    // A kind without item verbs (create-only reviews, processedtemplates) has no route for a name at all.
    if (sub === "" && info.name !== "" && !["get", "update", "patch", "delete"].some((v) => resource.verbs.has(v)))
      throw resourceNotFound();
    const handler = resource.behavior.verbs?.[sub === "" ? info.verb : `${info.verb}/${sub}`];
    if (handler !== undefined) {
      if (sub === "" && !resource.verbs.has(info.verb)) throw methodNotAllowed();
      if (sub === "" && info.verb === "create" && info.name !== "") throw methodNotAllowed();
      if (sub !== "" && !resource.subresources.includes(sub)) throw resourceNotFound();
      if (await this.#virtual(ctx, handler)) return;
    }
    if (sub !== "") return this.#subresource(ctx, resource, sub);
    const allowed = (verb: string): void => {
      if (!resource.verbs.has(verb)) throw methodNotAllowed();
    };
    const readFormat = (): OutputFormat => {
      const f = negotiateOutput(ctx.req.headers.accept, { table: true, partialMetadata: true });
      if (f instanceof StatusError) throw f;
      return f;
    };
    const writeFormat = (): OutputFormat => {
      const f = negotiateOutput(ctx.req.headers.accept, {});
      if (f instanceof StatusError) throw f;
      return f;
    };
    switch (info.verb) {
      case "get":
        allowed("get");
        return handleGet(ctx, readFormat());
      case "list":
        allowed("list");
        return handleList(ctx, readFormat());
      case "watch":
        allowed("watch");
        return this.#watchHttp(ctx);
      case "create":
        if (info.name !== "") throw methodNotAllowed();
        allowed("create");
        return handleCreate(ctx, writeFormat());
      case "update":
        if (info.name === "") throw methodNotAllowed();
        allowed("update");
        return handleUpdate(ctx, writeFormat());
      case "patch":
        if (info.name === "") throw methodNotAllowed();
        allowed("patch");
        return handlePatch(ctx, writeFormat());
      case "delete":
        allowed("delete");
        return handleDelete(ctx, writeFormat());
      case "deletecollection":
        allowed("deletecollection");
        return handleDeleteCollection(ctx);
      default:
        throw methodNotAllowed();
    }
  }

  /** Runs a behaviour's own handler of a verb; `false` when it left the request to the generic code. */
  async #virtual(ctx: ResourceContext, handler: VerbHandler): Promise<boolean> {
    const verb = ctx.info.verb;
    const contentType = String(ctx.req.headers["content-type"] ?? "");
    let body: unknown;
    if (verb === "create" || verb === "update" || verb === "patch" || verb === "delete") {
      const raw = await ctx.readBody();
      if (raw.length > 0 || verb !== "delete") {
        // A subresource's body is another kind (TokenRequest for serviceaccounts/token): only the handler knows it.
        const ownKind = ctx.info.subresource === "";
        if (isProtobufBody(contentType)) {
          body = decodeProtobufBody(raw);
          if (body === undefined) throw unsupportedBody();
          if (ownKind) body = checkKind(body, ctx.resource, raw);
        } else if (verb === "patch") {
          try {
            body = JSON.parse(new TextDecoder().decode(raw));
          } catch (e) {
            throw badRequest(`error decoding patch: ${(e as Error).message}`);
          }
        } else {
          const parsed = parseBody(raw, contentType, ctx.resource);
          body = verb === "delete" || !ownKind ? parsed : checkKind(parsed, ctx.resource, raw);
        }
      }
    }
    const dryRun = dryRunOf(ctx.query, verb === "create" ? "CreateOptions" : "UpdateOptions");
    const authorizer = this.#o.authorizer;
    const result = await handler({
      verb,
      subresource: ctx.info.subresource,
      namespace: ctx.namespace,
      name: ctx.info.name,
      user: ctx.user,
      body,
      contentType,
      query: ctx.query,
      dryRun,
      resource: ctx.resource,
      authorize: (attributes) => authorizer(attributes),
    });
    if (result === undefined) return false;
    const format = negotiateOutput(ctx.req.headers.accept, { table: verb === "get" || verb === "list" });
    if (format instanceof StatusError) throw format;
    const object = result.object;
    if (format.kind === "table" && isPlainObject(object)) {
      const items = Array.isArray(object.items) ? (object.items as KubeObject[]) : undefined;
      if (items !== undefined || object.kind === ctx.resource.kind) {
        const listMeta = isPlainObject(object.metadata) ? { ...object.metadata } : {};
        const table = tableFor(
          ctx.resource,
          items ?? [object as KubeObject],
          format.version,
          includeObjectOf(ctx.query),
          items === undefined ? { resourceVersion: (object as KubeObject).metadata?.resourceVersion ?? "" } : listMeta,
          ctx.services.clock.now(),
        );
        respondJson(ctx, result.status, JSON.stringify(table));
        return true;
      }
    }
    if (format.kind === "yaml") respondYaml(ctx, result.status, JSON.stringify(object));
    else respondJson(ctx, result.status, JSON.stringify(object));
    return true;
  }

  async #watchHttp(ctx: ResourceContext): Promise<void> {
    const format = negotiateOutput(ctx.req.headers.accept, { table: true, partialMetadata: true, yaml: false });
    if (format instanceof StatusError) throw format;
    // Options are validated before the stream starts (422s are plain responses).
    parseListOptions(
      ctx.query,
      ctx.resource,
      ctx.namespace,
      true,
      ctx.info.name || undefined,
      ctx.services.settings.watchList,
    );
    ctx.sink.head(200, {
      "Content-Type": "application/json",
      "Cache-Control": "no-cache, private",
      "Transfer-Encoding": "chunked",
    });
    ctx.sink.flushHeaders();
    await serveWatch(ctx, format, ctx.sink);
  }

  async #subresource(ctx: ResourceContext, resource: ServedResource, sub: string): Promise<void> {
    if (!resource.subresources.includes(sub)) throw resourceNotFound();
    const verb = ctx.info.verb;
    const format = (): OutputFormat => {
      const f = negotiateOutput(ctx.req.headers.accept, {});
      if (f instanceof StatusError) throw f;
      return f;
    };
    switch (sub) {
      case "status":
        if (verb === "get") return handleGet(ctx, format());
        if (verb === "update") return handleUpdate(ctx, format(), "status");
        if (verb === "patch") return handlePatch(ctx, format(), "status");
        throw methodNotAllowed();
      case "scale":
        if (verb === "get" || verb === "update" || verb === "patch") return handleScale(ctx);
        throw methodNotAllowed();
      case "log":
        if (verb !== "get") throw methodNotAllowed();
        return handlePodLog(ctx);
      case "eviction":
        // Only POST is served, by the pods behaviour's own verb.
        throw methodNotAllowed();
      case "exec":
      case "attach":
      case "portforward":
      case "proxy":
        throw badRequest(`the fake cluster runs no containers: ${resource.plural}/${sub} is not supported`);
      default:
        throw statusFor(
          404,
          "NotFound",
          `the fake cluster does not implement the ${resource.plural}/${sub} subresource`,
          {},
        );
    }
  }

  /** Handles a websocket upgrade (watches only). */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const refuse = (status: number, body = "", contentType = "application/json"): void => {
      const headers = [`HTTP/1.1 ${status} ${statusText(status)}`, "Connection: close"];
      if (body !== "") headers.push(`Content-Type: ${contentType}`, `Content-Length: ${Buffer.byteLength(body)}`);
      socket.end(`${headers.join("\r\n")}\r\n\r\n${body}`);
    };
    try {
      const url = new URL(req.url ?? "/", "http://fake-cluster");
      const info = parseRequestInfo(req.method ?? "GET", url.pathname, url.searchParams, this.#o.prefixes);
      const effects = this.#o.faults.effectsFor({
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        verb: info.verb,
        resource: info.resource,
        subresource: info.subresource,
        namespace: info.namespace,
        websocket: true,
      });
      if (effects.delayMs > 0) await new Promise((r) => setTimeout(r, effects.delayMs));
      if (effects.respond !== undefined) {
        const [reason, message] = defaultStatusWording(effects.respond.status);
        return refuse(
          effects.respond.status,
          JSON.stringify({
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Failure",
            message: effects.respond.message ?? message,
            reason: effects.respond.reason ?? reason,
            code: effects.respond.status,
          }),
        );
      }
      const offered = String(req.headers["sec-websocket-protocol"] ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p !== "");
      const tokenProtocols = offered.filter((p) => p.startsWith(TOKEN_PROTOCOL));
      const protocols = offered.filter((p) => !p.startsWith(TOKEN_PROTOCOL));
      let token: string | undefined;
      const auth = req.headers.authorization;
      if (typeof auth === "string" && /^bearer\s+/i.test(auth)) token = auth.replace(/^bearer\s+/i, "").trim();
      if (tokenProtocols.length > 0) {
        // The authenticator needs one other protocol to echo once the token protocol is removed.
        if (tokenProtocols.length > 1 || protocols.length === 0)
          return refuse(401, JSON.stringify(unauthorized().status));
        token = base64UrlDecode(tokenProtocols[0]?.slice(TOKEN_PROTOCOL.length) ?? "");
        if (token === undefined) return refuse(401, JSON.stringify(unauthorized().status));
      }
      const authenticated = await this.#authenticate(req, token, url.pathname);
      if (authenticated instanceof StatusError) return refuse(authenticated.code, JSON.stringify(authenticated.status));
      const user = await this.#impersonate(req, authenticated);
      if (user instanceof StatusError) return refuse(user.code, JSON.stringify(user.status));
      const denied = await this.#authorize(user, info);
      if (denied !== undefined) return refuse(403, JSON.stringify(denied.status));
      if (!info.isResourceRequest || info.verb !== "watch") {
        return refuse(400, JSON.stringify(badRequest("websocket upgrades are served for watches only").status));
      }
      const table = this.#o.services.table;
      const apiPath =
        info.apiPrefix === "apis"
          ? `/apis/${info.apiGroup}/${info.apiVersion}`
          : `/${info.apiPrefix}/${info.apiVersion}`;
      const resource = table.lookup(apiPath, info.resource);
      if (resource === undefined || !resource.verbs.has("watch"))
        return refuse(404, JSON.stringify(resourceNotFound().status));
      // golang.org/x/net/websocket: no Origin is a 403, more than one protocol a 400, both without a body.
      if (req.headers.origin === undefined) return refuse(403);
      if (protocols.length > 1) return refuse(400);
      const format = negotiateOutput(req.headers.accept, { table: true, partialMetadata: true, yaml: false });
      if (format instanceof StatusError) return refuse(format.code, JSON.stringify(format.status));
      const storage = this.#o.services.registry.storage;
      const wss = this.#o.webSocketServer;
      const chosen = protocols[0];
      req.headers["sec-websocket-protocol"] = chosen ?? "";
      if (chosen === undefined) delete req.headers["sec-websocket-protocol"];
      wss.handleUpgrade(req, socket, head, (ws) => {
        const sink = new WebSocketSink(ws, effects, () =>
          errorEventLine(
            effects.injectError ?? { code: 500 },
            storage.rv,
            url.searchParams.get("resourceVersion") ?? "",
          ),
        );
        // A websocket watch has no HTTP response: the context's sink is a detached stand-in that nothing writes to
        // (serveWatch writes to the websocket sink it is given).
        const detached = new HttpSink(
          { on: () => undefined, writableLength: 0, headersSent: true, destroyed: false } as unknown as ServerResponse,
          NO_FAULTS,
          false,
          () => "",
        );
        const base = this.#context(req, url, info, user, detached);
        const ctx: ResourceContext = { ...base, resource, namespace: resource.namespaced ? info.namespace : "" };
        serveWatch(ctx, format, sink).catch((e: unknown) => {
          const status = e instanceof StatusError ? e.status : internalError(String(e)).status;
          if (!sink.closed) {
            ws.send(`${JSON.stringify({ type: "ERROR", object: status })}\n`);
            sink.end();
          }
        });
      });
    } catch (e) {
      const status = e instanceof StatusError ? e : internalError(e instanceof Error ? e.message : String(e));
      refuse(status.code, JSON.stringify(status.status));
    }
  }
}

/** A request for one project (`/apis/project.openshift.io/v1/projects/<name>`, `/oapi/v1/projects/<name>`). */
function isProjectRequest(info: RequestInfo): boolean {
  return (
    info.isResourceRequest &&
    info.resource === "projects" &&
    info.name !== "" &&
    (info.apiGroup === "project.openshift.io" || info.apiPrefix === "oapi")
  );
}

function statusText(code: number): string {
  return (
    (
      {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        405: "Method Not Allowed",
        406: "Not Acceptable",
        410: "Gone",
        422: "Unprocessable Entity",
        429: "Too Many Requests",
        500: "Internal Server Error",
        503: "Service Unavailable",
        504: "Gateway Timeout",
      } as Record<number, string>
    )[code] ?? "Error"
  );
}

async function hashOf(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-512", new TextEncoder().encode(`kubeshift-1.34/${key}`));
  return [...new Uint8Array(digest)]
    .slice(0, 32)
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
}
