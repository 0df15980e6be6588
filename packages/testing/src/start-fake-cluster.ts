/**
 * `startFakeCluster()`: a fake Kubernetes API server over real sockets on 127.0.0.1 (HTTPS with a generated CA by
 * default), that real kubectl and every kubeshift package talk to: discovery, OpenAPI, CRUD with the API's storage
 * semantics, list and watch with resourceVersion rules, server-side printing, authentication (static tokens, client
 * certificates, service-account tokens, OAuth tokens), impersonation, RBAC, fault hooks, a kubeconfig to reach it,
 * and with `openshift` the OpenShift surface (and an image registry face on a second port).
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiError } from "@kubeshift/transport";
import type { ResourceDescriptor } from "@kubeshift/types";
import { WebSocketServer } from "ws";
import {
  type Authenticator,
  ClientCertificateAuthenticator,
  type FakeUser,
  StaticTokenAuthenticator,
} from "./auth/authenticator.ts";
import type { Authorizer } from "./auth/authorizer.ts";
import { bootstrapPolicy } from "./auth/bootstrap-policy.ts";
import { aggregateClusterRoles } from "./auth/cluster-role-aggregation.ts";
import { oidcDiscoveryRoutes } from "./auth/oidc-discovery-routes.ts";
import { RbacAuthorizer } from "./auth/rbac-authorizer.ts";
import { reviewBehaviors } from "./auth/review-behaviors.ts";
import { ServiceAccountTokenAuthenticator } from "./auth/service-account-authenticator.ts";
import { ServiceAccountIssuer } from "./auth/service-account-issuer.ts";
import { TokenController } from "./auth/token-controller.ts";
import { serviceAccountBehavior } from "./auth/token-request-behavior.ts";
import { withAuthenticatedGroup } from "./auth/user-info.ts";
import { type Clock, systemClock } from "./clock.ts";
import { ClusterStore } from "./cluster-store.ts";
import { Faults } from "./faults/fault-registry.ts";
import { ImageRegistryServer } from "./image-registry/image-registry-server.ts";
import { buildKubeconfig, type KubeconfigCredentials } from "./kubeconfig.ts";
import { loadOpenApiBundle } from "./openapi/openapi-bundle.ts";
import { SchemaIndex, V3SchemaIndex } from "./openapi/schema-index.ts";
import { createOpenShiftLayer, type OpenShiftLayer, type OpenShiftOptions } from "./openshift/openshift-layer.ts";
import { builtinBehaviors } from "./registry/builtin-behaviors.ts";
import { IpAllocator } from "./registry/core-behaviors.ts";
import { CRD_CLEANUP_FINALIZER, CrdController } from "./registry/crd-behavior.ts";
import { DisruptionController } from "./registry/disruption-controller.ts";
import { podBehavior } from "./registry/pod-behavior.ts";
import { podEvictionHandler } from "./registry/pod-eviction.ts";
import { PodLogs } from "./registry/pod-logs.ts";
import { Registry } from "./registry/registry.ts";
import { builtinResources } from "./resources/builtin-resources.ts";
import type { KubeObject } from "./resources/kube-object.ts";
import { ResourceTable } from "./resources/resource-table.ts";
import { createServedResource } from "./resources/served-resource.ts";
import { ApiServer, type Route, type VersionInfo } from "./server/api-server.ts";
import { Discovery } from "./server/discovery.ts";
import type { ServerServices, ServerSettings } from "./server/handler-context.ts";
import type { WatchListMode } from "./server/list-options.ts";
import { notFound } from "./server/status-error.ts";
import { ObjectStorage } from "./store/object-storage.ts";
import {
  CertificateAuthority,
  type CertificatePem,
  type ClientCertificateOptions,
} from "./tls/certificate-authority.ts";

/** Options of {@link startFakeCluster}. Every option has a default; `{}` gives an HTTPS cluster with one admin. */
export interface FakeClusterOptions {
  /** Serve HTTPS with a generated CA (`false`: plain HTTP, no client certificates). @default true */
  readonly tls?: boolean;
  /** Port on 127.0.0.1. @default 0 (a random free port) */
  readonly port?: number;
  /** Static users. @default one `admin` in `system:masters` with a random token */
  readonly users?: readonly FakeUser[];
  /** Requests without credentials run as `system:anonymous` (else they get 401). @default false */
  readonly anonymous?: boolean;
  /** Objects created at start (after the system namespaces), in order. */
  readonly objects?: readonly object[];
  /** Extra kinds to serve (generic storage), such as an aggregated API's. */
  readonly resources?: readonly ResourceDescriptor[];
  /** Events kept per resource: older resourceVersions get 410 Expired. @default 10000 */
  readonly historySize?: number;
  /** Period of BOOKMARK events, in ms. @default 60000 */
  readonly bookmarkIntervalMs?: number;
  /**
   * WatchList (`sendInitialEvents`): served; refused like a server with the feature gate off; ignored like a 1.19–1.26
   * server (which refuses `resourceVersionMatch` on watches); or `ignored-legacy`, like a server before 1.19
   * (OpenShift 3.11) that knows neither `sendInitialEvents` nor `resourceVersionMatch` and ignores both, on watches
   * and lists. @default "enabled"
   */
  readonly watchList?: WatchListMode;
  /** How long a read at a future resourceVersion waits before answering 504, in ms. @default 3000 */
  readonly tooLargeResourceVersionWaitMs?: number;
  /** Delay before the garbage collector, namespace controller and fake kubelet act, in ms. @default 0 */
  readonly controllerDelayMs?: number;
  /** The time source of timestamps. @default the wall clock */
  readonly clock?: Clock;
  /** More authenticators, consulted after client certificates, static tokens and service-account tokens. */
  readonly authenticators?: readonly Authenticator[];
  /**
   * Decides every request. @default RBAC over the cluster's Roles, ClusterRoles and bindings (the bootstrap policy,
   * `system:masters` allowed everything); `allowAuthenticated` lets every authenticated user do anything
   */
  readonly authorizer?: Authorizer;
  /** `iss` of service-account tokens (`--service-account-issuer`). @default "https://kubernetes.default.svc" */
  readonly serviceAccountIssuer?: string;
  /** Audiences a service-account token must name to authenticate requests. @default [serviceAccountIssuer] */
  readonly apiAudiences?: readonly string[];
  /**
   * Serve the OpenShift surface too: the `*.openshift.io` groups and the legacy `/oapi/v1`, the OAuth server,
   * projects, users, routes, builds, deployment configs, images and signatures. @default false
   */
  readonly openshift?: boolean | OpenShiftOptions;
  /**
   * Also serve an image registry on a second port of 127.0.0.1 (OpenShift only): the Docker Registry API v2 with
   * OpenShift's token auth, image streams and the signature extension. @default false
   */
  readonly imageRegistry?: boolean;
  /** `/version` fields. @default Kubernetes v1.34.1 */
  readonly version?: Partial<VersionInfo>;
  /** Serve `/openapi/v3` (`false` makes kubectl fall back to the protobuf `/openapi/v2`). @default true */
  readonly openapiV3?: boolean;
  /** Create `default`, `kube-system`, `kube-public`, `kube-node-lease` and the `kubernetes` Service. @default true */
  readonly systemObjects?: boolean;
  /** Aborts the start. */
  readonly signal?: AbortSignal;
}

/** The kubeconfig of a running cluster. */
export interface FakeKubeconfig {
  /** The file's text (admin token, cluster CA). */
  readonly text: string;
  /**
   * Writes it to a new temporary file (mode 0600), removed by `close()`.
   *
   * @returns the file path
   */
  writeTempFile(): Promise<string>;
}

/** The image registry of a fake OpenShift cluster. */
export interface FakeImageRegistry {
  /** `https://127.0.0.1:<port>` (or `http://`). */
  readonly url: string;
  /** `127.0.0.1:<port>`, the registry part of image references. */
  readonly host: string;
}

/** A running fake cluster. */
export interface FakeCluster extends AsyncDisposable {
  /** `https://127.0.0.1:<port>` (or `http://`). */
  readonly url: string;
  /** The port. */
  readonly port: number;
  /** The CA certificate (PEM) that signed the serving certificate; `undefined` for plain HTTP. */
  readonly caPem: string | undefined;
  /** The first static user's bearer token. */
  readonly token: string;
  /** Kubeconfig for the first static user. */
  readonly kubeconfig: FakeKubeconfig;
  /** Direct access to the objects. */
  readonly store: ClusterStore;
  /** Fault hooks. */
  readonly faults: Faults;
  /** The clock in use. */
  readonly clock: Clock;
  /** Server behaviour that may change while it runs (bookmark period, WatchList mode, …). */
  readonly settings: ServerSettings;
  /**
   * Issues a client certificate signed by the cluster CA (CN = user, O = groups).
   *
   * @throws {TypeError} on a plain-HTTP cluster
   */
  issueClientCertificate(options: ClientCertificateOptions): Promise<CertificatePem>;
  /** Builds a kubeconfig for other credentials. */
  kubeconfigFor(credentials: KubeconfigCredentials, options?: { namespace?: string; userName?: string }): string;
  /** Adds a static user (or gives a user a new token). */
  addUser(user: FakeUser): void;
  /**
   * Revokes a token, static or service-account: requests with it get 401 from now on.
   *
   * @returns false when the token was already revoked
   */
  revokeToken(token: string): boolean;
  /** The `iss` of the cluster's service-account tokens. */
  readonly serviceAccountIssuer: string;
  /** The image registry face (with `imageRegistry: true`). */
  readonly imageRegistry: FakeImageRegistry | undefined;
  /**
   * Issues an OAuth access token for a user of an OpenShift cluster, as a login through the OAuth server would (the
   * User and its Identity are created on first use).
   *
   * @throws {TypeError} on a cluster started without `openshift`
   */
  issueOAuthToken(user: string, options?: { expiresInSeconds?: number; scopes?: readonly string[] }): string;
  /**
   * Issues a bound token for a service account, as `kubectl create token` does (TokenRequest).
   *
   * @throws {ApiError} 404 when the service account does not exist
   */
  createServiceAccountToken(
    namespace: string,
    name: string,
    options?: { audiences?: readonly string[]; expirationSeconds?: number },
  ): Promise<string>;
  /** @internal Registers a non-resource endpoint (the OpenShift layer adds OAuth and OIDC discovery). */
  addRoute(route: Route): void;
  /** Stops the server: open watches end, connections close, temporary files are removed. */
  close(): Promise<void>;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

const DEFAULT_VERSION: VersionInfo = {
  major: "1",
  minor: "34",
  gitVersion: "v1.34.1",
  gitCommit: "93248f9ae092f571eb6b4e8e1a8b6fce8e1f1d10",
  gitTreeState: "clean",
  buildDate: "2025-09-09T19:44:50Z",
  goVersion: "go1.24.6",
  compiler: "gc",
  platform: "linux/amd64",
};

const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

function checkOptions(options: FakeClusterOptions): void {
  if (typeof options !== "object" || options === null)
    throw new TypeError("startFakeCluster() options must be an object");
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535))
    throw new RangeError(`port must be an integer in 0..65535, got ${String(options.port)}`);
  for (const key of [
    "historySize",
    "bookmarkIntervalMs",
    "tooLargeResourceVersionWaitMs",
    "controllerDelayMs",
  ] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== "number" || !(v >= 0)))
      throw new RangeError(`${key} must be a non-negative number, got ${String(v)}`);
  }
  for (const u of options.users ?? [])
    if (typeof u?.name !== "string" || u.name === "") throw new TypeError("every user needs a non-empty name");
  if (options.imageRegistry === true && (options.openshift === undefined || options.openshift === false))
    throw new TypeError("imageRegistry needs an OpenShift cluster (openshift: true)");
}

/**
 * Starts a fake cluster.
 *
 * @param options TLS, port, users, initial objects, watch behaviour, authorizer, clock
 * @returns the running cluster (close it, or `await using` it)
 * @throws {TypeError} or {RangeError} for bad options; the listen error when the port is taken
 * @example
 * ```ts
 * import { startFakeCluster } from "@kubeshift/testing";
 * await using cluster = await startFakeCluster();
 * const path = await cluster.kubeconfig.writeTempFile(); // KUBECONFIG=path kubectl get pods
 * ```
 */
export async function startFakeCluster(options: FakeClusterOptions = {}): Promise<FakeCluster> {
  checkOptions(options);
  options.signal?.throwIfAborted();
  const clock = options.clock ?? systemClock;
  const tls = options.tls !== false;
  const users: FakeUser[] =
    options.users !== undefined && options.users.length > 0
      ? [...options.users]
      : [{ name: "admin", token: randomToken(), groups: ["system:masters"] }];
  const token = users.find((u) => u.token !== undefined)?.token ?? "";
  const ca = tls ? await CertificateAuthority.create("kubeshift-fake-cluster-ca", clock.now()) : undefined;
  const serving =
    ca === undefined ? undefined : await ca.issueServingCertificate(["127.0.0.1", "::1", "localhost"], clock.now());
  options.signal?.throwIfAborted();

  // Start reading the OpenAPI documents now so that the first write does not wait for them.
  loadOpenApiBundle().catch(() => undefined);

  const storage = new ObjectStorage({ historySize: options.historySize ?? 10_000 });
  const table = new ResourceTable();
  const issuer = new ServiceAccountIssuer({
    issuer: options.serviceAccountIssuer ?? "https://kubernetes.default.svc",
    ...(options.apiAudiences === undefined ? {} : { apiAudiences: options.apiAudiences }),
    clock,
  });
  const rbac = new RbacAuthorizer(storage);
  const authorizer: Authorizer = options.authorizer ?? rbac.authorize;
  let registryRef: Registry | undefined;
  let apiServer: ApiServer | undefined;
  const openshiftOptions: OpenShiftOptions | undefined =
    options.openshift === true ? {} : options.openshift === false ? undefined : options.openshift;
  const revokedTokens = new Set<string>();
  let url = "";
  let imageRegistry: ImageRegistryServer | undefined;
  const openshift: OpenShiftLayer | undefined =
    openshiftOptions === undefined
      ? undefined
      : createOpenShiftLayer(openshiftOptions, {
          registry: () => registryRef as Registry,
          clock,
          url: () => url,
          registryHost: () => imageRegistry?.host,
          revoked: revokedTokens,
        });
  // An OpenShift cluster signs token secrets for its first service accounts at once: make the key now. Elsewhere the
  // first token request makes it (RSA generation costs tens of milliseconds of CPU that most tests never need).
  if (openshift !== undefined) issuer.warmUp();
  const behaviors = new Map(builtinBehaviors(new IpAllocator()));
  for (const [key, behavior] of reviewBehaviors(
    {
      rbac,
      authenticateToken: (r) => (apiServer as ApiServer).authenticateCredentials(r),
      apiAudiences: issuer.apiAudiences,
    },
    openshift !== undefined,
  ))
    behaviors.set(key, behavior);
  for (const [key, behavior] of openshift?.behaviors ?? []) behaviors.set(key, behavior);
  behaviors.set(
    "/serviceaccounts",
    serviceAccountBehavior(issuer, () => registryRef as Registry),
  );
  behaviors.set("/pods", {
    ...podBehavior,
    verbs: { "create/eviction": podEvictionHandler(() => registryRef as Registry) },
  });
  for (const d of builtinResources()) table.add(createServedResource(d, behaviors.get(`${d.group}/${d.plural}`) ?? {}));
  for (const r of openshift?.resources(behaviors) ?? []) table.add(r);
  for (const d of options.resources ?? []) table.add(createServedResource(d, {}, { builtin: false }));
  const crds = new CrdController(table);
  const logs = new PodLogs();
  let tokens: TokenController | undefined;
  let disruption: DisruptionController | undefined;
  // One aggregation pass for any number of ClusterRole commits before it runs (bootstrap creates dozens).
  let aggregationPending = false;
  const registry = new Registry({
    storage,
    table,
    clock,
    controllerDelayMs: options.controllerDelayMs ?? 0,
    onCommit: (resource, type, object) => {
      if (resource.storageKey === "apiextensions.k8s.io/customresourcedefinitions")
        crds.sync(object, type === "DELETED");
      if (resource.storageKey === "/pods" && type === "DELETED")
        logs.remove(object.metadata?.namespace ?? "", object.metadata?.name ?? "");
      if (resource.storageKey === "/namespaces" && type === "ADDED" && registryRef !== undefined)
        populateNamespace(registryRef, object.metadata?.name ?? "", ca?.certPem);
      if (resource.storageKey === "rbac.authorization.k8s.io/clusterroles" && registryRef !== undefined) {
        const r = registryRef;
        if (!aggregationPending) {
          aggregationPending = true;
          r.later(() => {
            aggregationPending = false;
            aggregateClusterRoles(r);
          });
        }
      }
      tokens?.onCommit(resource, type, object);
      disruption?.onCommit(resource, type, object);
    },
    onPendingDelete: (resource, object) => {
      if (resource.storageKey !== "apiextensions.k8s.io/customresourcedefinitions") return;
      const name = object.metadata?.name ?? "";
      registry.later(() => {
        for (const served of crds.servedBy(name)) {
          for (const entry of storage.list(served.storageKey).items) registry.systemDelete(served, entry, "Background");
        }
        const crdResource = table.lookup("/apis/apiextensions.k8s.io/v1", "customresourcedefinitions");
        if (crdResource !== undefined) registry.removeFinalizer(crdResource, "", name, CRD_CLEANUP_FINALIZER);
      });
      crds.sync(object, true);
    },
  });
  tokens = new TokenController({
    registry,
    issuer,
    caPem: ca?.certPem,
    legacySecrets: openshiftOptions !== undefined && openshiftOptions.legacyTokenSecrets !== false,
    registryHost: () => imageRegistry?.host,
  });
  disruption = new DisruptionController(registry);
  registryRef = registry;

  const settings: ServerSettings = {
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    watchList: options.watchList ?? "enabled",
    tooLargeResourceVersionWaitMs: options.tooLargeResourceVersionWaitMs ?? 3000,
    maxWatchBufferBytes: 256 * 1024 * 1024,
    maxRequestBodyBytes: 3 * 1024 * 1024,
  };
  let schemaIndex: Promise<SchemaIndex> | undefined;
  let v3Index: Promise<V3SchemaIndex> | undefined;
  const services: ServerServices = {
    registry,
    table,
    clock,
    settings,
    logs,
    schemas: () => {
      schemaIndex ??= loadOpenApiBundle().then((b) => new SchemaIndex(b.v2));
      return schemaIndex;
    },
    v3Schemas: () => {
      v3Index ??= loadOpenApiBundle().then((b) => new V3SchemaIndex(b.v3));
      return v3Index;
    },
    trackWatch: (end) => (apiServer as ApiServer).trackWatch(end),
  };
  const staticTokens = new StaticTokenAuthenticator(users);
  const serviceAccountTokens = new ServiceAccountTokenAuthenticator(issuer, registry, revokedTokens);
  let port = options.port ?? 0;
  const discovery = new Discovery(table, () => `127.0.0.1:${port}`);
  const routes: Route[] = [];
  const webSocketServer = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets = new Set<Socket>();
  let server: Server;
  let refusing: Promise<void> | undefined;
  const faults = new Faults({
    closeAllWatches: () => (apiServer as ApiServer).closeWatches(),
    resetResourceVersion: (to) => storage.resetRevisions(to),
    refuseConnections: (ms) => {
      refusing ??= new Promise<void>((resolve) => {
        server.close();
        setTimeout(() => {
          server.listen(port, "127.0.0.1", () => {
            refusing = undefined;
            resolve();
          });
        }, ms);
      });
      return refusing;
    },
  });
  apiServer = new ApiServer({
    services,
    discovery,
    faults,
    authenticators: [
      new ClientCertificateAuthenticator(),
      staticTokens,
      serviceAccountTokens,
      ...(openshift === undefined ? [] : [openshift.authenticator()]),
      ...(options.authenticators ?? []),
    ],
    authorizer,
    prefixes: new Set(openshift === undefined ? ["api", "apis"] : ["api", "apis", "oapi"]),
    ...(openshift === undefined
      ? {}
      : { authorizationAttributes: (a, c) => (openshift as OpenShiftLayer).authorizationAttributes(a, c) }),
    anonymous: options.anonymous === true,
    version: { ...DEFAULT_VERSION, ...options.version },
    openapiV3: options.openapiV3 !== false,
    routes,
    webSocketServer,
  });
  const api = apiServer;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    api.handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  server =
    ca === undefined || serving === undefined
      ? createHttpServer(handler)
      : createHttpsServer(
          {
            key: serving.keyPem,
            cert: serving.certPem,
            ca: [ca.certPem],
            requestCert: true,
            rejectUnauthorized: false,
          },
          handler,
        );
  server.keepAliveTimeout = 30_000;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  if (tls)
    server.on("secureConnection", (s: Socket) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    api.handleUpgrade(req, socket, head).catch(() => socket.destroy());
  });
  server.on("clientError", (_e, socket: Socket) => {
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === "object" && address !== null ? address.port : port;
  url = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  let registryServer: Server | undefined;
  if (options.imageRegistry === true) {
    const face = new ImageRegistryServer({
      authenticate: async (t) => {
        const result = await api.authenticateCredentials({
          token: t,
          certificate: undefined,
          headers: new Headers(),
          path: "/openshift/token",
        });
        return result !== undefined && "user" in result ? withAuthenticatedGroup(result.user) : undefined;
      },
      authorize: (a) => authorizer(a),
      registry: () => registry,
    });
    const registryHandler = (req: IncomingMessage, res: ServerResponse): void => {
      face.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    };
    const faceServer =
      ca === undefined || serving === undefined
        ? createHttpServer(registryHandler)
        : createHttpsServer({ key: serving.keyPem, cert: serving.certPem }, registryHandler);
    faceServer.on("connection", (s: Socket) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      faceServer.once("error", reject);
      faceServer.listen(0, "127.0.0.1", () => {
        faceServer.off("error", reject);
        resolve();
      });
    });
    const a = faceServer.address();
    face.url = `${tls ? "https" : "http"}://127.0.0.1:${typeof a === "object" && a !== null ? a.port : 0}`;
    imageRegistry = face;
    registryServer = faceServer;
  }

  for (const route of oidcDiscoveryRoutes(issuer, () => url)) routes.push(route);
  for (const route of openshift?.routes() ?? []) routes.push(route);

  const store = new ClusterStore(registry, logs);
  if (options.systemObjects !== false) {
    seedSystemObjects(store, port);
    for (const object of bootstrapPolicy({ openshift: openshift !== undefined }))
      store.create(object, { fieldManager: "kube-apiserver" });
    aggregateClusterRoles(registry);
  }
  openshift?.seed();
  for (const object of options.objects ?? []) store.create(object);

  const tempDirs: string[] = [];
  const kubeconfigFor = (
    credentials: KubeconfigCredentials,
    opts: { namespace?: string; userName?: string } = {},
  ): string =>
    buildKubeconfig({
      server: url,
      caPem: ca?.certPem,
      credentials,
      ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
      ...(opts.userName === undefined ? {} : { userName: opts.userName }),
    });
  const text = kubeconfigFor({ token }, { userName: users[0]?.name ?? "admin" });
  let closed: Promise<void> | undefined;
  const cluster: FakeCluster = {
    url,
    port,
    caPem: ca?.certPem,
    token,
    kubeconfig: {
      text,
      async writeTempFile() {
        const dir = await mkdtemp(join(tmpdir(), "kubeshift-fake-cluster-"));
        tempDirs.push(dir);
        const path = join(dir, "kubeconfig");
        await writeFile(path, text, { mode: 0o600 });
        return path;
      },
    },
    store,
    faults,
    clock,
    settings,
    issueClientCertificate(o) {
      if (ca === undefined) throw new TypeError("client certificates need a TLS cluster (tls: true)");
      return ca.issueClientCertificate({ notBefore: clock.now() - 60_000, ...o });
    },
    kubeconfigFor,
    addUser: (user) => staticTokens.add(user),
    revokeToken: (t) => {
      const wasStatic = staticTokens.revoke(t);
      if (revokedTokens.has(t)) return wasStatic;
      revokedTokens.add(t);
      return true;
    },
    serviceAccountIssuer: issuer.issuer,
    imageRegistry:
      imageRegistry === undefined ? undefined : Object.freeze({ url: imageRegistry.url, host: imageRegistry.host }),
    issueOAuthToken(user, o = {}) {
      if (openshift === undefined) throw new TypeError("OAuth tokens need an OpenShift cluster (openshift: true)");
      return openshift.oauth.issueAccessToken(user, {
        ...(o.expiresInSeconds === undefined ? {} : { expiresIn: o.expiresInSeconds }),
        ...(o.scopes === undefined ? {} : { scopes: o.scopes }),
      });
    },
    async createServiceAccountToken(namespace, name, o = {}) {
      const sa = table.lookup("/api/v1", "serviceaccounts");
      const entry = sa === undefined ? undefined : registry.find(sa, namespace, name);
      if (entry === undefined) {
        const e = notFound({ group: "", resource: "serviceaccounts" }, name);
        throw new ApiError(e.status, e.code, {
          method: "POST",
          path: `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
        });
      }
      const { token: issued } = await issuer.issueBound({
        namespace,
        serviceAccount: name,
        serviceAccountUid: entry.object.metadata?.uid ?? "",
        audiences: o.audiences ?? issuer.apiAudiences,
        expirationSeconds: o.expirationSeconds ?? 3600,
      });
      return issued;
    },
    addRoute: (route) => routes.push(route),
    close() {
      closed ??= (async () => {
        registry.close();
        api.closeWatches();
        storage.terminateSubscribers();
        await refusing;
        if (registryServer !== undefined) {
          const rs = registryServer;
          await new Promise<void>((resolve) => {
            rs.close(() => resolve());
            rs.closeAllConnections();
          });
        }
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        webSocketServer.close();
        await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
      })();
      return closed;
    },
    [Symbol.asyncDispose]() {
      return cluster.close();
    },
  };
  return cluster;
}

function populateNamespace(registry: Registry, namespace: string, caPem: string | undefined): void {
  // The controllers that give every namespace its default service account and root CA bundle.
  registry.later(() => {
    if (registry.namespaceState(namespace) !== "active") return;
    const context = {
      user: { name: "system:kube-controller-manager", groups: [] },
      dryRun: false,
      fieldManager: "kube-controller-manager",
    };
    const sa = registry.table.lookup("/api/v1", "serviceaccounts");
    const cm = registry.table.lookup("/api/v1", "configmaps");
    try {
      if (sa !== undefined && registry.find(sa, namespace, "default") === undefined)
        registry.create(
          sa,
          namespace,
          { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } },
          context,
        );
      if (cm !== undefined && caPem !== undefined && registry.find(cm, namespace, "kube-root-ca.crt") === undefined)
        registry.create(
          cm,
          namespace,
          {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "kube-root-ca.crt" },
            data: { "ca.crt": caPem },
          } as KubeObject,
          context,
        );
    } catch {
      // The namespace went away meanwhile: nothing to populate.
    }
  });
}

function seedSystemObjects(store: ClusterStore, port: number): void {
  for (const name of SYSTEM_NAMESPACES)
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } }, { fieldManager: "kube-apiserver" });
  store.create(
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "kubernetes",
        namespace: "default",
        labels: { component: "apiserver", provider: "kubernetes" },
      },
      spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: port }] },
    },
    { fieldManager: "kube-apiserver" },
  );
}
