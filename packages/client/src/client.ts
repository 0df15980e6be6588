/**
 * The client: typed REST verbs on resource descriptors, discovery, the resource mapper, server-side printing, logs,
 * and the building blocks the watch package is written against (`url`, `send`, `websocket`).
 *
 * @module
 */
import {
  ApiError,
  type ApiRequester,
  type ApiStatus,
  composeTransport,
  DecodeError,
  type FetchOptions,
  surfaceWarnings,
  type Transport,
  type WebSocketConnection,
  type WebSocketOptions,
} from "@kubeshift/transport";
import type { ResourceDescriptor } from "@kubeshift/types";
import { PodResource } from "./_builtin.ts";
import { explain } from "./_explain.ts";
import { iterateObjects, listAllPages } from "./_pager.ts";
import { checkGracePeriod, listQuery, type QueryValue, selectorQuery, toQuery, writeQuery } from "./_query.ts";
import { readText } from "./_read-text.ts";
import { Discovery } from "./discovery.ts";
import type { KubeObject, ListResult, ObjectResult } from "./kube-object.ts";
import {
  type AddRoleToUserOptions,
  addRoleToUser,
  createServiceAccount,
  getServiceAccountToken,
  type NewProjectOptions,
  newProject,
  type ServiceAccountToken,
  type ServiceAccountTokenOptions,
} from "./openshift.ts";
import type {
  ApplyOptions,
  CallOptions,
  CreateOptions,
  DeleteCollectionOptions,
  DeleteOptions,
  GetOptions,
  IterateOptions,
  ListOptions,
  PatchOptions,
  PatchType,
  ReplaceOptions,
  WriteOptions,
} from "./options.ts";
import { type LogOptions, logLines, logQuery } from "./pod-log.ts";
import { ResourceClient } from "./resource-client.ts";
import { ResourceMapper, type TypeRef } from "./resource-mapper.ts";
import { checkPathSegment, type ResourcePathOptions, resourcePath } from "./resource-path.ts";
import type { EvictOptions, Scale } from "./subresource-types.ts";
import { isTable, TABLE_ACCEPT, type Table, type TableOptions, tableFromObjects } from "./table.ts";

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** How requests reach the server: an adapter (`@kubeshift/transport/node`, `/deno`, `/web`) with its middleware. */
  transport: Transport;
  /** The API server URL, such as `https://api.example.com:6443` (a path prefix is kept). */
  server: string | URL;
  /** Namespace of namespaced calls that name none. @default "default" */
  namespace?: string;
  /** Receives the server's `Warning` headers (deprecated APIs, unknown fields). Without it they are dropped. */
  onWarning?: (message: string) => void;
  /** Field manager of `apply` and apply patches that name none. @default "kubeshift" */
  fieldManager?: string;
  /** How long discovery results are reused. @default 300000 (5 minutes) */
  discoveryTtlMs?: number;
  /** The clock (discovery expiry, table ages), for tests. @default Date.now */
  now?: () => number;
  /** `close()` also closes the transport (what `connect()` sets for the adapter it created). @default false */
  closeTransport?: boolean;
}

/** What a request sent through the client can carry: a `RequestInit`, the transport's hints, and a query. */
export interface SendInit extends Omit<RequestInit, "signal">, FetchOptions {
  /** Aborts the request (and the body stream). */
  signal?: AbortSignal | undefined;
  /** Query parameters added to the URL; `undefined` values are left out. */
  query?: URLSearchParams | Readonly<Record<string, QueryValue>>;
}

/** Options of {@link Client.url}. */
export interface ResourceUrlOptions extends ResourcePathOptions {
  /** Addresses the cluster-wide collection of a namespaced kind (no client default namespace). @default false */
  allNamespaces?: boolean;
  /** Query parameters; `undefined` values are left out. */
  query?: URLSearchParams | Readonly<Record<string, QueryValue>>;
}

/** The commands of `oc policy`. */
export interface PolicyCommands {
  /**
   * Binds a role to a user or service account in a namespace, as `oc policy add-role-to-user` does.
   *
   * @param role the role name (a ClusterRole unless `roleKind: "Role"`)
   * @param user a user name, or `system:serviceaccount:<namespace>:<name>`
   * @param options namespace, role kind, binding name, signal
   * @returns the RoleBinding that now grants the role (the existing one when the subject was already bound)
   */
  addRoleToUser(role: string, user: string, options?: AddRoleToUserOptions): Promise<KubeObject>;
}

const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

const JSON_TYPE = "application/json";

function metadataOf(obj: unknown): { name?: unknown; namespace?: unknown; resourceVersion?: unknown } | undefined {
  if (typeof obj !== "object" || obj === null) return undefined;
  const metadata = (obj as { metadata?: unknown }).metadata;
  return typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>) : undefined;
}

function nameOf(obj: unknown, verb: string): string {
  const name = metadataOf(obj)?.name;
  if (typeof name !== "string" || name === "")
    throw new TypeError(`${verb} needs an object with metadata.name, got ${JSON.stringify(name) ?? "none"}`);
  return name;
}

function requireObject(obj: unknown, verb: string): void {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj))
    throw new TypeError(
      `${verb} needs an object, got ${obj === null ? "null" : Array.isArray(obj) ? "an array" : typeof obj}`,
    );
}

/** Leaves out `undefined` values, as `exactOptionalPropertyTypes` wants. */
function defined<T extends object>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function deleteBody(options: DeleteOptions): string | undefined {
  const body = defined({
    propagationPolicy: options.propagationPolicy,
    gracePeriodSeconds: checkGracePeriod(options.gracePeriodSeconds),
    preconditions: options.preconditions,
  });
  if (Object.keys(body).length === 0) return undefined;
  return JSON.stringify({ kind: "DeleteOptions", apiVersion: "v1", ...body });
}

/**
 * A Kubernetes and OpenShift API client bound to one server and one transport.
 *
 * Objects are plain JSON as the server sent them (no classes, no date conversion), so a list decodes at
 * `JSON.parse` speed. Every failure is a `KubeError`: `ApiError` (the server's Status, with a hint for 401, anonymous
 * 403 and kinds the cluster does not serve), `TransportError`, `DecodeError`; an abort rejects with the signal's
 * reason. The client satisfies `ApiRequester`, so `@kubeshift/auth` functions accept it.
 *
 * @example
 * ```ts
 * import { createClient } from "@kubeshift/client";
 * import { Pod } from "@kubeshift/types/core/v1";
 * const client = createClient({ transport, server: "https://127.0.0.1:6443", namespace: "dev" });
 * const pods = await client.list(Pod, { labelSelector: "app=web" });
 * ```
 */
export class Client implements ApiRequester, AsyncDisposable {
  /** The API server URL. */
  readonly server: URL;
  /** Namespace of namespaced calls that name none. */
  readonly namespace: string;
  /** The transport every request goes through. */
  readonly transport: Transport;
  /** Discovery documents of the server. */
  readonly discovery: Discovery;
  /** apiVersion/kind and kubectl names ↔ resources, cached. */
  readonly mapper: ResourceMapper;
  /** The commands of `oc policy` (`addRoleToUser`). */
  readonly policy: PolicyCommands;
  readonly #fieldManager: string;
  readonly #now: () => number;
  readonly #basePath: string;
  #evictionVersion: Promise<string> | undefined;
  readonly #closeTransport: boolean;
  readonly #given: Transport;

  /**
   * @param options transport, server, default namespace, warnings, field manager
   * @throws {TypeError} when the transport or server is missing or the server is not an http(s) URL
   */
  constructor(options: ClientOptions) {
    if (typeof options?.transport?.fetch !== "function")
      throw new TypeError("createClient needs a transport (from @kubeshift/transport/node, /deno or /web)");
    let server: URL;
    try {
      server = new URL(String(options.server));
    } catch (cause) {
      throw new TypeError(`The server must be an absolute URL, got ${JSON.stringify(String(options.server))}`, {
        cause,
      });
    }
    if (server.protocol !== "https:" && server.protocol !== "http:")
      throw new TypeError(`The server URL must be http(s), got ${server.protocol}`);
    server.search = "";
    server.hash = "";
    this.server = server;
    this.#basePath = server.pathname.replace(/\/+$/, "");
    this.namespace = checkPathSegment("namespace", options.namespace ?? "default");
    const onWarning = options.onWarning;
    this.transport =
      onWarning === undefined
        ? options.transport
        : composeTransport(options.transport, surfaceWarnings({ onWarning: (message) => onWarning(message) }));
    this.#closeTransport = options.closeTransport === true;
    this.#given = options.transport;
    this.#fieldManager = options.fieldManager ?? "kubeshift";
    this.#now = options.now ?? Date.now;
    this.discovery = new Discovery(this);
    this.mapper = new ResourceMapper(this.discovery, {
      ...(options.discoveryTtlMs === undefined ? {} : { ttlMs: options.discoveryTtlMs }),
      now: this.#now,
    });
    this.policy = {
      addRoleToUser: (role, user, opts) => addRoleToUser(this, role, user, opts),
    };
  }

  /**
   * Releases what the client owns: the transport's connection pools when the client created the transport
   * (`connect()`); a transport passed to `createClient` stays open unless `closeTransport` was set.
   *
   * @returns when the pools are closed
   * @example
   * ```ts
   * await using client = await connect();
   * ```
   */
  async close(): Promise<void> {
    if (!this.#closeTransport) return;
    const close = (this.#given as { close?: () => Promise<void> }).close;
    if (typeof close === "function") await close.call(this.#given);
  }

  /** `await using client = …` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Building blocks (public: the watch package and users' own requests use them)

  /**
   * The absolute URL of a collection, object or subresource of a descriptor, with the client's default namespace
   * applied to namespaced kinds.
   *
   * @param descriptor the resource
   * @param options namespace (or `allNamespaces`), name, subresource, query
   * @returns the URL
   * @throws {TypeError} on a malformed name, namespace or subresource
   * @example
   * ```ts
   * client.url(Pod, { namespace: "dev", query: { watch: true, resourceVersion: "42" } });
   * // https://…/api/v1/namespaces/dev/pods?watch=true&resourceVersion=42
   * ```
   */
  url(descriptor: ResourceDescriptor<unknown, unknown>, options: ResourceUrlOptions = {}): URL {
    const namespace =
      descriptor.namespaced && !options.allNamespaces ? (options.namespace ?? this.namespace) : undefined;
    return this.#absolute(
      resourcePath(descriptor, { namespace, name: options.name, subresource: options.subresource }),
      options.query,
    );
  }

  #absolute(path: string, query: SendInit["query"]): URL {
    if (!path.startsWith("/")) throw new TypeError(`A path relative to the server must start with "/", got ${path}`);
    const url = new URL(this.server);
    const q = path.indexOf("?");
    url.pathname = this.#basePath + (q < 0 ? path : path.slice(0, q));
    if (q >= 0) url.search = path.slice(q);
    if (query !== undefined) {
      const params = query instanceof URLSearchParams ? query : toQuery(query);
      for (const [k, v] of params) url.searchParams.append(k, v);
    }
    return url;
  }

  async #fetch(url: string | URL, init: SendInit): Promise<{ request: Request; response: Response }> {
    const { stream, replayable, idempotent, timeoutMs, noRetry, query, headers, signal, ...rest } = init;
    const target = typeof url === "string" ? this.#absolute(url, query) : url;
    if (typeof url !== "string" && query !== undefined) {
      const params = query instanceof URLSearchParams ? query : toQuery(query);
      for (const [k, v] of params) target.searchParams.append(k, v);
    }
    const h = new Headers(headers);
    if (!h.has("accept")) h.set("accept", JSON_TYPE);
    const request = new Request(target, { ...rest, headers: h, ...(signal === undefined ? {} : { signal }) });
    const options: FetchOptions = defined({ stream, replayable, idempotent, timeoutMs, noRetry });
    const response = await this.transport.fetch(request, options);
    return { request, response };
  }

  /**
   * Sends a request through the client's transport (credentials, retries, rate limits) and resolves with the
   * response once its headers arrive; the body is left unread, so streams (watch, follow) can be consumed as they
   * come.
   *
   * @param url an absolute URL (from {@link Client.url}) or a path relative to the server
   * @param init method, headers, body, signal, query, and the transport hints (`stream`, `timeoutMs`, …);
   *   `Accept` defaults to `application/json`
   * @returns the 2xx response
   * @throws {ApiError} for any other status (its body read and parsed), with a hint for the common cases
   * @throws {TransportError} when the server cannot be reached
   * @example
   * ```ts
   * const res = await client.send(client.url(Pod, { query: { watch: true } }), { stream: true, signal });
   * ```
   */
  async send(url: string | URL, init: SendInit = {}): Promise<Response> {
    const { request, response } = await this.#fetch(url, init);
    if (!response.ok) throw await this.#error(response, request, init.signal);
    return response;
  }

  async #error(response: Response, request: Request, signal: AbortSignal | undefined): Promise<ApiError> {
    const error = await ApiError.fromResponse(response, request);
    await explain(error, this.discovery, signal);
    return error;
  }

  /**
   * Sends a request to a path relative to the server, with the client's credentials, retries and errors.
   *
   * @param path such as `/healthz` or `/apis/metrics.k8s.io/v1beta1/nodes`
   * @param init method, headers, body, signal, query, transport hints
   * @returns the 2xx response, body unread
   * @throws {ApiError} on any other status
   * @throws {TransportError} when the server cannot be reached
   * @example
   * ```ts
   * const text = await (await client.raw("/readyz?verbose", { headers: { accept: "text/plain" } })).text();
   * ```
   */
  raw(path: string, init: SendInit = {}): Promise<Response> {
    return this.send(path, init);
  }

  /**
   * `ApiRequester` for `@kubeshift/auth`: sends a request to a path relative to the server and resolves with the
   * response whatever its status (network failures still reject).
   *
   * @param path path and query relative to the server
   * @param init the request init
   * @returns the response, body unread
   * @throws {TransportError} when the server cannot be reached
   * @example
   * ```ts
   * const res = await client.request("/apis/user.openshift.io/v1/users/~");
   * ```
   */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const { signal, ...rest } = init;
    return (await this.#fetch(path, { ...rest, ...(signal ? { signal } : {}) })).response;
  }

  /**
   * Opens a websocket to a resource URL (watch, exec, attach, port-forward) through the client's transport, which
   * adds credentials in the way its runtime allows.
   *
   * @param url an absolute `http(s)` URL from {@link Client.url} (turned into `ws(s)`), or a path relative to the server
   * @param options subprotocols, headers, signal
   * @returns the open connection
   * @throws {ApiError} when the server refuses the upgrade
   * @throws {TransportError} when the server cannot be reached
   * @example
   * ```ts
   * const ws = await client.websocket(client.url(Pod, { query: { watch: true } }), { protocols: ["base64.binary.k8s.io"] });
   * ```
   */
  websocket(url: string | URL, options: WebSocketOptions = {}): Promise<WebSocketConnection> {
    const target = typeof url === "string" ? this.#absolute(url, undefined) : new URL(url);
    if (target.protocol === "https:") target.protocol = "wss:";
    else if (target.protocol === "http:") target.protocol = "ws:";
    return this.transport.websocket(target, options);
  }

  async #json<T>(request: { method: string; url: string }, response: Response): Promise<T> {
    const text = await readText(response);
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      const path = new URL(request.url).pathname;
      throw new DecodeError(`Cannot decode the answer to ${request.method} ${JSON.stringify(path)} as JSON`, {
        cause,
        excerpt: text.slice(0, 120),
      });
    }
  }

  async #call<T>(method: string, url: URL, options: CallOptions, body?: string, contentType?: string): Promise<T> {
    const headers = new Headers(options.headers);
    if (body !== undefined) headers.set("content-type", contentType ?? JSON_TYPE);
    const init: SendInit = defined({
      method,
      headers,
      body,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      replayable: body === undefined ? undefined : true,
      // Server-side apply is idempotent: resending the same intent changes nothing.
      idempotent: contentType === PATCH_CONTENT_TYPES.apply ? true : undefined,
    });
    const response = await this.send(url, init);
    return this.#json<T>({ method, url: url.href }, response);
  }

  #namespace(explicit: string | undefined, obj?: unknown): string {
    if (explicit !== undefined) return explicit;
    const fromObject = metadataOf(obj)?.namespace;
    if (typeof fromObject === "string" && fromObject !== "") return fromObject;
    return this.namespace;
  }

  #objectUrl(
    descriptor: ResourceDescriptor<unknown, unknown>,
    name: string | undefined,
    options: { namespace?: string | undefined; subresource?: string; obj?: unknown },
    query?: Readonly<Record<string, QueryValue>>,
  ): URL {
    return this.url(descriptor, {
      namespace: this.#namespace(options.namespace, options.obj),
      ...(name === undefined ? {} : { name: checkPathSegment("name", name) }),
      ...(options.subresource === undefined ? {} : { subresource: options.subresource }),
      ...(query === undefined ? {} : { query }),
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Verbs

  /**
   * Reads one object.
   *
   * @param descriptor the resource, such as `Pod`
   * @param name the object name
   * @param options namespace, resourceVersion, signal
   * @returns the object
   * @throws {ApiError} NotFound when it does not exist
   * @example
   * ```ts
   * const pod = await client.get(Pod, "web", { namespace: "dev" });
   * ```
   */
  get<T, L>(descriptor: ResourceDescriptor<T, L>, name: string, options: GetOptions = {}): Promise<ObjectResult<T>> {
    const url = this.#objectUrl(descriptor, name, options, { resourceVersion: options.resourceVersion });
    return this.#call("GET", url, options);
  }

  /**
   * Reads one page of a collection.
   *
   * @param descriptor the resource
   * @param options namespace or `allNamespaces`, selectors, `limit`/`continue`, resourceVersion, signal
   * @returns the list, as the server sent it (`metadata.continue` set when more pages remain)
   * @throws {ApiError} Expired (410) when `continue` is too old
   * @throws {TypeError} on a malformed selector
   * @throws {RangeError} on a bad `limit` or `timeoutSeconds`
   * @example
   * ```ts
   * const { items } = await client.list(Pod, { labelSelector: labels({ app: "web" }) });
   * ```
   */
  list<T, L>(descriptor: ResourceDescriptor<T, L>, options: ListOptions = {}): Promise<ListResult<T, L>> {
    const url = this.url(descriptor, {
      ...(options.allNamespaces ? { allNamespaces: true } : { namespace: this.#namespace(options.namespace) }),
      query: listQuery(options),
    });
    return this.#call("GET", url, options);
  }

  /**
   * Iterates over a whole collection, page by page (`limit`/`continue`). When a continue token expires (410 after
   * compaction) it lists again from the start and skips the objects it already yielded (by uid), or rejects when
   * `onExpired: "throw"`. Each object is yielded at most once; across a restart the result is not one snapshot.
   *
   * @param descriptor the resource
   * @param options list options, page size (default 500), `onExpired`, `maxRestarts`
   * @returns an async iterator of objects
   * @throws {ApiError} Expired when `onExpired` is `"throw"` or the restarts run out
   * @example
   * ```ts
   * for await (const pod of client.iterate(Pod, { allNamespaces: true })) console.log(pod.metadata?.name);
   * ```
   */
  iterate<T, L>(descriptor: ResourceDescriptor<T, L>, options: IterateOptions = {}): AsyncGenerator<ObjectResult<T>> {
    return iterateObjects<ObjectResult<T>>((page) => this.list(descriptor, { ...options, ...defined(page) }), options);
  }

  /**
   * Reads a whole collection page by page into one list. A continue token that expires (410) restarts the listing
   * from the start (or rejects with `onExpired: "throw"`), so the result is always one consistent snapshot.
   *
   * @param descriptor the resource
   * @param options list options, page size (default 500), `onExpired`, `maxRestarts`
   * @returns one list with every item, `metadata.resourceVersion` of the snapshot, no `continue`
   * @throws {ApiError} Expired when `onExpired` is `"throw"` or the restarts run out
   * @example
   * ```ts
   * const all = await client.listAll(ConfigMap, { limit: 100 });
   * ```
   */
  listAll<T, L>(descriptor: ResourceDescriptor<T, L>, options: IterateOptions = {}): Promise<ListResult<T, L>> {
    return listAllPages((page) => this.list(descriptor, { ...options, ...defined(page) }), options) as Promise<
      ListResult<T, L>
    >;
  }

  /**
   * Creates an object. `metadata.generateName` without a name lets the server pick a unique name.
   *
   * @param descriptor the resource
   * @param obj the object
   * @param options namespace (default: the object's, else the client's), dryRun, fieldManager, fieldValidation, signal
   * @returns the object as stored (or as it would be, with `dryRun`)
   * @throws {ApiError} AlreadyExists (409), Invalid (422), Forbidden (403)
   * @throws {TypeError} when `obj` is not an object
   * @example
   * ```ts
   * await client.create(ConfigMap, { metadata: { generateName: "cfg-" }, data: { k: "v" } });
   * ```
   */
  create<T, L>(
    descriptor: ResourceDescriptor<T, L>,
    obj: ObjectResult<T>,
    options: CreateOptions = {},
  ): Promise<ObjectResult<T>> {
    requireObject(obj, "create");
    const url = this.#objectUrl(descriptor, undefined, { namespace: options.namespace, obj }, writeQuery(options));
    return this.#call("POST", url, options, JSON.stringify(withTypeMeta(descriptor, obj as object)));
  }

  /**
   * Replaces an object (PUT). The server refuses with 409 Conflict when the object's `metadata.resourceVersion` (or
   * `options.resourceVersion`) is no longer current: read, change, replace, and retry on conflict.
   *
   * @param descriptor the resource
   * @param obj the whole new object, with `metadata.name`
   * @param options namespace, resourceVersion precondition, dryRun, fieldManager, fieldValidation, signal
   * @returns the object as stored
   * @throws {ApiError} Conflict (409) on a stale resourceVersion, NotFound, Invalid
   * @throws {TypeError} when `obj` has no `metadata.name`
   * @example
   * ```ts
   * const cm = await client.get(ConfigMap, "cfg");
   * await client.replace(ConfigMap, { ...cm, data: { k: "v2" } });
   * ```
   */
  replace<T, L>(
    descriptor: ResourceDescriptor<T, L>,
    obj: ObjectResult<T>,
    options: ReplaceOptions = {},
  ): Promise<ObjectResult<T>> {
    return this.#put(descriptor, obj, options, undefined);
  }

  #put<T>(
    descriptor: ResourceDescriptor<unknown, unknown>,
    obj: unknown,
    options: ReplaceOptions,
    subresource: string | undefined,
  ): Promise<T> {
    requireObject(obj, subresource === undefined ? "replace" : `replace ${subresource}`);
    const name = nameOf(obj, "replace");
    let body = withTypeMeta(descriptor, obj as object);
    if (options.resourceVersion !== undefined) {
      const metadata = { ...(metadataOf(obj) ?? {}), resourceVersion: options.resourceVersion };
      body = { ...body, metadata };
    }
    const url = this.#objectUrl(
      descriptor,
      name,
      { namespace: options.namespace, obj, ...(subresource === undefined ? {} : { subresource }) },
      writeQuery(options),
    );
    return this.#call("PUT", url, options, JSON.stringify(body));
  }

  /**
   * Patches an object: `json` (RFC 6902 operations), `merge` (RFC 7386, the default), `strategic` (lists merged by
   * their key, such as containers by name; built-in kinds only) or `apply` (server-side apply with a field manager;
   * conflicts with other managers are 409 unless `force`).
   *
   * @param descriptor the resource
   * @param name the object name
   * @param patch the patch: operations for `json`, an object for the others, or a string sent as is
   * @param options type, fieldManager, force, namespace, dryRun, fieldValidation, signal
   * @returns the patched object
   * @throws {ApiError} NotFound, Conflict (apply conflicts: see `causes`), Invalid, UnsupportedMediaType (strategic
   *   on a custom resource)
   * @throws {TypeError} when a `json` patch is not an array
   * @example
   * ```ts
   * await client.patch(Deployment, "web", { spec: { replicas: 3 } }, { type: "strategic" });
   * ```
   */
  patch<T, L>(
    descriptor: ResourceDescriptor<T, L>,
    name: string,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<ObjectResult<T>> {
    return this.#patch(descriptor, name, patch, options, undefined);
  }

  #patch<T>(
    descriptor: ResourceDescriptor<unknown, unknown>,
    name: string,
    patch: unknown,
    options: PatchOptions,
    subresource: string | undefined,
  ): Promise<T> {
    const type = options.type ?? "merge";
    const contentType = PATCH_CONTENT_TYPES[type];
    if (contentType === undefined) throw new TypeError(`Unknown patch type ${JSON.stringify(type)}`);
    if (typeof patch !== "string") {
      if (type === "json" && !Array.isArray(patch)) throw new TypeError("A json patch is an array of operations");
      if (type !== "json") requireObject(patch, `a ${type} patch`);
    }
    let body: string;
    if (typeof patch === "string") body = patch;
    else if (type === "apply") body = JSON.stringify(withTypeMeta(descriptor, patch as object));
    else body = JSON.stringify(patch);
    const query = {
      ...writeQuery(options, type === "apply" ? this.#fieldManager : undefined),
      force: type === "apply" && options.force ? true : undefined,
    };
    const url = this.#objectUrl(
      descriptor,
      name,
      { namespace: options.namespace, ...(subresource === undefined ? {} : { subresource }) },
      query,
    );
    return this.#call("PATCH", url, options, body, contentType);
  }

  /**
   * Server-side apply of a whole object: finds its resource from `apiVersion`/`kind` through discovery (custom
   * resources and legacy OpenShift `/oapi/v1` kinds included) and sends it as an apply patch.
   *
   * @param obj the intent, with apiVersion, kind, metadata.name (and namespace for namespaced kinds, else the
   *   client's)
   * @param options fieldManager (default the client's), force, dryRun, fieldValidation, signal
   * @returns the object as stored (type it with `apply<Deployment>(…)`: the intent is usually partial)
   * @throws {ApiError} Conflict (409) when another manager owns a field and `force` is not set; NotFound (built from
   *   discovery) when the cluster does not serve the kind, listing what it serves
   * @throws {TypeError} when apiVersion, kind or metadata.name is missing
   * @example
   * ```ts
   * await client.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { k: "v" } });
   * ```
   */
  async apply<T = KubeObject>(obj: KubeObject, options: ApplyOptions = {}): Promise<T> {
    requireObject(obj, "apply");
    const name = nameOf(obj, "apply");
    const descriptor = await this.mapper.resolve(
      obj as TypeRef,
      options.signal === undefined ? {} : { signal: options.signal },
    );
    const namespace = descriptor.namespaced ? this.#namespace(options.namespace, obj) : undefined;
    return this.#patch(descriptor, name, obj, { ...options, type: "apply", ...defined({ namespace }) }, undefined);
  }

  /**
   * Deletes an object and returns what the server returned: the object (still present with finalizers, for
   * `Foreground` or `Orphan`, or pods with a grace period) or a `Status` (gone).
   *
   * @param descriptor the resource
   * @param name the object name
   * @param options propagationPolicy, gracePeriodSeconds, preconditions, dryRun, namespace, signal
   * @returns the object or the Status
   * @throws {ApiError} NotFound, Conflict (a precondition failed)
   * @throws {RangeError} on a negative grace period
   * @example
   * ```ts
   * await client.delete(Deployment, "web", { propagationPolicy: "Foreground" });
   * ```
   */
  delete<T, L>(
    descriptor: ResourceDescriptor<T, L>,
    name: string,
    options: DeleteOptions = {},
  ): Promise<ObjectResult<T> | ApiStatus> {
    const url = this.#objectUrl(descriptor, name, options, { dryRun: options.dryRun ? "All" : undefined });
    return this.#call("DELETE", url, options, deleteBody(options));
  }

  /**
   * Deletes every object of a collection that matches the selectors.
   *
   * @param descriptor the resource
   * @param options selectors, namespace, propagationPolicy, gracePeriodSeconds, preconditions, dryRun, signal
   * @returns what the server returned: the list of deleted objects or a Status
   * @throws {ApiError} Forbidden, MethodNotAllowed (kinds without deletecollection)
   * @example
   * ```ts
   * await client.deleteCollection(ConfigMap, { labelSelector: "app=old" });
   * ```
   */
  deleteCollection<T, L>(
    descriptor: ResourceDescriptor<T, L>,
    options: DeleteCollectionOptions = {},
  ): Promise<ListResult<T, L> | ApiStatus> {
    const url = this.#objectUrl(descriptor, undefined, options, {
      ...selectorQuery(options),
      dryRun: options.dryRun ? "All" : undefined,
    });
    return this.#call("DELETE", url, options, deleteBody(options));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Subresources

  /**
   * Reads the `status` subresource.
   *
   * @param descriptor the resource
   * @param name the object name
   * @param options namespace, signal
   * @returns the object (status is what the subresource guarantees current)
   * @throws {ApiError} NotFound
   * @example
   * ```ts
   * const { status } = await client.getStatus(Deployment, "web");
   * ```
   */
  getStatus<T, L>(
    descriptor: ResourceDescriptor<T, L>,
    name: string,
    options: GetOptions = {},
  ): Promise<ObjectResult<T>> {
    const url = this.#objectUrl(descriptor, name, { ...options, subresource: "status" });
    return this.#call("GET", url, options);
  }

  /**
   * Replaces the `status` of an object (controllers); spec changes in `obj` are ignored by the server.
   *
   * @param descriptor the resource
   * @param obj the object with the new status and its resourceVersion
   * @param options namespace, resourceVersion, dryRun, fieldManager, signal
   * @returns the object as stored
   * @throws {ApiError} Conflict on a stale resourceVersion
   * @example
   * ```ts
   * await client.replaceStatus(Deployment, { ...d, status: { ...d.status, observedGeneration: 2 } });
   * ```
   */
  replaceStatus<T, L>(
    descriptor: ResourceDescriptor<T, L>,
    obj: ObjectResult<T>,
    options: ReplaceOptions = {},
  ): Promise<ObjectResult<T>> {
    return this.#put(descriptor, obj, options, "status");
  }

  /**
   * Patches the `status` of an object.
   *
   * @param descriptor the resource
   * @param name the object name
   * @param patch the patch
   * @param options type (default merge), fieldManager, force, namespace, dryRun, signal
   * @returns the object as stored
   * @throws {ApiError} NotFound, Invalid
   * @example
   * ```ts
   * await client.patchStatus(Widget, "w1", { status: { ready: true } });
   * ```
   */
  patchStatus<T, L>(
    descriptor: ResourceDescriptor<T, L>,
    name: string,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<ObjectResult<T>> {
    return this.#patch(descriptor, name, patch, options, "status");
  }

  /**
   * Reads the `scale` subresource (autoscaling/v1 Scale).
   *
   * @param descriptor a scalable resource (Deployment, StatefulSet, ReplicaSet, DeploymentConfig, a CRD with scale)
   * @param name the object name
   * @param options namespace, signal
   * @returns the Scale
   * @throws {ApiError} NotFound (also when the kind has no scale subresource)
   * @example
   * ```ts
   * (await client.getScale(Deployment, "web")).spec?.replicas;
   * ```
   */
  getScale(descriptor: ResourceDescriptor<unknown, unknown>, name: string, options: GetOptions = {}): Promise<Scale> {
    const url = this.#objectUrl(descriptor, name, { ...options, subresource: "scale" });
    return this.#call("GET", url, options);
  }

  /**
   * Replaces the `scale` subresource (PUT, with the Scale's resourceVersion as precondition when set).
   *
   * @param descriptor a scalable resource
   * @param scale the Scale, with `metadata.name`
   * @param options namespace, resourceVersion, dryRun, signal
   * @returns the Scale as stored
   * @throws {ApiError} Conflict on a stale resourceVersion
   * @example
   * ```ts
   * const s = await client.getScale(Deployment, "web");
   * await client.replaceScale(Deployment, { ...s, spec: { replicas: 5 } });
   * ```
   */
  replaceScale(
    descriptor: ResourceDescriptor<unknown, unknown>,
    scale: Scale,
    options: ReplaceOptions = {},
  ): Promise<Scale> {
    requireObject(scale, "replaceScale");
    const body = { apiVersion: "autoscaling/v1", kind: "Scale", ...scale };
    return this.#put(descriptor, body, options, "scale");
  }

  /**
   * Patches the `scale` subresource.
   *
   * @param descriptor a scalable resource
   * @param name the object name
   * @param patch such as `{ spec: { replicas: 3 } }`
   * @param options type (default merge), namespace, dryRun, signal
   * @returns the Scale as stored
   * @throws {ApiError} NotFound, Invalid
   * @example
   * ```ts
   * await client.patchScale(Deployment, "web", { spec: { replicas: 3 } });
   * ```
   */
  patchScale(
    descriptor: ResourceDescriptor<unknown, unknown>,
    name: string,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<Scale> {
    return this.#patch(descriptor, name, patch, options, "scale");
  }

  /**
   * Streams a container's log as lines. With `follow` the stream stays open for new lines until the container
   * stops, the server closes, or `signal` aborts (the stream then errors with the signal's reason).
   *
   * @param name the pod name (or build / build config / deployment config name with `resource`)
   * @param options container, follow, previous, sinceSeconds or sinceTime, tailLines, timestamps, limitBytes,
   *   namespace, signal
   * @returns a stream of lines without their newline; cancel it to close the connection
   * @throws {ApiError} NotFound, BadRequest (a container name is required for a pod with several)
   * @throws {TypeError} when both `sinceSeconds` and `sinceTime` are given
   * @example
   * ```ts
   * for await (const line of await client.log("web", { follow: true, tailLines: 10 })) console.log(line);
   * ```
   */
  async log(name: string, options: LogOptions = {}): Promise<ReadableStream<string>> {
    const descriptor = options.resource ?? PodResource;
    const url = this.#objectUrl(descriptor, name, { ...options, subresource: "log" }, logQuery(options));
    const response = await this.send(
      url,
      defined({
        headers: new Headers(options.headers),
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        stream: options.follow === true,
      }),
    );
    if (response.body === null) return new ReadableStream({ start: (c) => c.close() });
    return logLines(response.body);
  }

  /**
   * Evicts a pod through the Eviction API, honouring PodDisruptionBudgets (what `kubectl drain` does).
   *
   * @param name the pod name
   * @param options namespace, gracePeriodSeconds, preconditions, dryRun, Eviction apiVersion, signal
   * @returns the server's `Success` Status
   * @throws {ApiError} TooManyRequests (429) when a PodDisruptionBudget forbids it now; NotFound; and the `Failure`
   *   Status the server sends with a 201 when more than one PodDisruptionBudget selects the pod (its code, 500), which
   *   client-go would return as a success
   * @example
   * ```ts
   * await client.evict("web-7d9f", { namespace: "dev" });
   * ```
   */
  async evict(name: string, options: EvictOptions = {}): Promise<ApiStatus> {
    checkPathSegment("name", name);
    const namespace = options.namespace ?? this.namespace;
    const apiVersion = options.apiVersion ?? (await this.#evictionApiVersion(options.signal));
    const deleteOptions = defined({
      gracePeriodSeconds: checkGracePeriod(options.gracePeriodSeconds),
      preconditions: options.preconditions,
      dryRun: options.dryRun ? ["All"] : undefined,
    });
    const body = {
      apiVersion,
      kind: "Eviction",
      metadata: { name, namespace },
      ...(Object.keys(deleteOptions).length === 0 ? {} : { deleteOptions }),
    };
    const url = this.#objectUrl(PodResource, name, { namespace, subresource: "eviction" });
    const status = await this.#call<ApiStatus>("POST", url, options, JSON.stringify(body));
    // The eviction handler returns some refusals as its result, so they arrive with the create's 201: the pod stays.
    if (status?.status === "Failure")
      throw new ApiError(status, typeof status.code === "number" ? status.code : 500, {
        method: "POST",
        path: url.pathname,
      });
    return status;
  }

  #evictionApiVersion(signal: AbortSignal | undefined): Promise<string> {
    this.#evictionVersion ??= this.discovery.resources("v1", signal === undefined ? {} : { signal }).then(
      (list) => {
        const entry = list.resources.find((r) => r.name === "pods/eviction");
        return entry?.group && entry.version ? `${entry.group}/${entry.version}` : "policy/v1";
      },
      () => {
        this.#evictionVersion = undefined;
        if (signal?.aborted) throw signal.reason;
        return "policy/v1";
      },
    );
    return this.#evictionVersion;
  }

  /**
   * Reads a collection (or one object) as the server prints it for `kubectl get`: a Table with the kind's columns.
   * Servers and kinds without printers answer plain JSON; the client then builds kubectl's NAME/AGE table itself.
   *
   * @param descriptor the resource
   * @param options list options, `name` for one object, `includeObject`
   * @returns the Table
   * @throws {ApiError} as `list`/`get`
   * @example
   * ```ts
   * const t = await client.table(Pod, { namespace: "dev" });
   * console.log(t.columnDefinitions.map((c) => c.name), t.rows.map((r) => r.cells));
   * ```
   */
  async table<T, L>(descriptor: ResourceDescriptor<T, L>, options: TableOptions = {}): Promise<Table<ObjectResult<T>>> {
    const query = { ...listQuery(options), includeObject: options.includeObject };
    const url = this.url(descriptor, {
      ...(options.allNamespaces ? { allNamespaces: true } : { namespace: this.#namespace(options.namespace) }),
      ...(options.name === undefined ? {} : { name: checkPathSegment("name", options.name) }),
      query,
    });
    const headers = new Headers(options.headers);
    headers.set("accept", TABLE_ACCEPT);
    const response = await this.send(url, defined({ headers, signal: options.signal, timeoutMs: options.timeoutMs }));
    const body = await this.#json<unknown>({ method: "GET", url: url.href }, response);
    return (isTable(body) ? body : tableFromObjects(body, this.#now())) as Table<ObjectResult<T>>;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Dynamic

  /**
   * A client for one resource with the verbs bound to it.
   *
   * @param descriptor the resource
   * @returns the bound client
   * @example
   * ```ts
   * const pods = client.resource(Pod);
   * await pods.get("web");
   * ```
   */
  resource<T, L>(descriptor: ResourceDescriptor<T, L>): ResourceClient<T, L> {
    return new ResourceClient<T, L>(this, descriptor);
  }

  /**
   * A client for any kind the cluster serves, found by apiVersion/kind through discovery on first use (custom
   * resources, aggregated APIs, legacy `/oapi/v1` kinds). Objects are plain {@link KubeObject}s, or `T` when given.
   *
   * @param ref `{ apiVersion, kind }`
   * @returns the bound client; its calls reject with NotFound (listing what is served) when the kind is not served
   * @throws {TypeError} when apiVersion or kind is missing
   * @example
   * ```ts
   * const widgets = client.dynamic({ apiVersion: "example.com/v1", kind: "Widget" });
   * await widgets.create({ metadata: { name: "w1" }, spec: { size: 3 } });
   * ```
   */
  dynamic<T = KubeObject>(ref: TypeRef): ResourceClient<T, unknown> {
    if (typeof ref?.apiVersion !== "string" || !ref.apiVersion || typeof ref.kind !== "string" || !ref.kind)
      throw new TypeError("dynamic() needs { apiVersion, kind }");
    const { apiVersion, kind } = ref;
    return new ResourceClient<T, unknown>(
      this,
      (signal) =>
        this.mapper.resolve({ apiVersion, kind }, signal === undefined ? {} : { signal }) as Promise<
          ResourceDescriptor<unknown, unknown>
        > as Promise<ResourceDescriptor<T, unknown>>,
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // OpenShift conveniences (what `oc` does)

  /**
   * Creates a project through a ProjectRequest, as `oc new-project` does (the group API, or `/oapi/v1` on OpenShift
   * 3.x servers without it).
   *
   * @param name the project (namespace) name
   * @param options displayName, description, signal
   * @returns the Project
   * @throws {ApiError} AlreadyExists, Forbidden (self-provisioning not allowed), NotFound (not OpenShift)
   * @example
   * ```ts
   * await client.newProject("demo", { displayName: "Demo" });
   * ```
   */
  newProject(name: string, options: NewProjectOptions = {}): Promise<KubeObject> {
    return newProject(this, name, options);
  }

  /**
   * Creates a service account, as `oc create serviceaccount` does.
   *
   * @param name the service account name
   * @param options namespace, dryRun, signal
   * @returns the ServiceAccount
   * @throws {ApiError} AlreadyExists, Forbidden
   * @example
   * ```ts
   * await client.createServiceAccount("robot", { namespace: "demo" });
   * ```
   */
  createServiceAccount(name: string, options: WriteOptions = {}): Promise<KubeObject> {
    return createServiceAccount(this, name, options);
  }

  /**
   * A bearer token of a service account: a TokenRequest where the server offers `serviceaccounts/token`, else (OpenShift
   * 3.x, Kubernetes before 1.22 without it) the token of its legacy token secret, waiting for the token controller to
   * create it, as `oc serviceaccounts get-token` does. The token is registered for redaction.
   *
   * @param name the service account name
   * @param options namespace, source (`auto`, `TokenRequest`, `Secret`), audiences, expirationSeconds, how long to
   *   wait for a legacy secret, signal
   * @returns the token and where it came from
   * @throws {ApiError} NotFound when the service account does not exist
   * @throws {KubeError} `ERR_AUTH` when no token secret appears in time (legacy path)
   * @example
   * ```ts
   * const { token } = await client.getServiceAccountToken("robot", { namespace: "demo" });
   * ```
   */
  getServiceAccountToken(name: string, options: ServiceAccountTokenOptions = {}): Promise<ServiceAccountToken> {
    return getServiceAccountToken(this, name, options);
  }
}

function withTypeMeta(descriptor: ResourceDescriptor<unknown, unknown>, obj: object): Record<string, unknown> {
  const o = obj as Record<string, unknown>;
  if (o.apiVersion !== undefined && o.kind !== undefined) return o;
  // The API requires apiVersion and kind in bodies; fill them from the descriptor when the caller left them out.
  return { apiVersion: descriptor.apiVersion, kind: descriptor.kind, ...o };
}

/**
 * Creates a client for one API server.
 *
 * @param options transport, server, default namespace, onWarning, fieldManager, discovery cache lifetime
 * @returns the client
 * @throws {TypeError} when the transport or server is missing or malformed
 * @example
 * ```ts
 * import { createClient } from "@kubeshift/client";
 * import { composeTransport } from "@kubeshift/transport";
 * import { createWebTransport } from "@kubeshift/transport/web";
 * const client = createClient({ transport: createWebTransport(), server: "https://api.example.com:6443" });
 * ```
 */
export function createClient(options: ClientOptions): Client {
  return new Client(options);
}
