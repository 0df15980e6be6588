/**
 * The image registry face of a fake OpenShift cluster: a self-contained Docker Registry HTTP API v2 (blobs,
 * chunked and monolithic uploads, cross-repository mounts, manifests by tag and by digest with OCI and Docker media
 * types, tag lists, the catalog) that behaves like OpenShift's integrated registry:
 *
 * - authentication: a `/v2/` ping without credentials is challenged with `Bearer realm="<registry>/openshift/token"`
 *   (no service, no scope); the token endpoint takes any user name with a cluster token as the password and echoes
 *   it back as the registry token; resource requests take `Bearer <cluster token>` or Basic with the token as the
 *   password; a rejected token or a denied request gets a Basic challenge with `error="access denied"`;
 * - authorization through the cluster's authorizer: pull is `get imagestreams/layers`, push `update
 *   imagestreams/layers` in the repository's namespace, the catalog `list imagestreams`;
 * - a push creates the Image (manifest, config, layers) and tags it into the ImageStream, creating the stream;
 * - uploads as distribution 2.8 takes them (POST starts one, PATCH appends, PUT with the digest ends it; a mount of a
 *   blob the registry has answers 201), which a differential test checks against a real `docker-registry`;
 * - `X-Registry-Supports-Signatures: 1` on every response, and the signature extension
 *   `GET/PUT /extensions/v2/<namespace>/<stream>/signatures/<digest>` backed by ImageSignature objects.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthorizationAttributes, AuthorizationDecision } from "../auth/authorizer.ts";
import type { UserInfo } from "../auth/user-info.ts";
import { createImageSignature, signaturesOf } from "../openshift/image-signature-behavior.ts";
import { exposedImage, findStreamImage, imageResource, latestTagEvent, tagImage } from "../openshift/image-streams.ts";
import type { Registry } from "../registry/registry.ts";
import { isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import { StatusError } from "../server/status-error.ts";
import { BlobStore, sha256Digest } from "./_blob-store.ts";
import { RegistryError } from "./registry-error.ts";

/** What the registry face needs from the cluster. */
export interface ImageRegistryServices {
  /** Authenticates a cluster token (`undefined`: not a valid token). */
  authenticate(token: string): Promise<UserInfo | undefined>;
  /** The cluster's authorizer. */
  authorize(attributes: AuthorizationAttributes): AuthorizationDecision | Promise<AuthorizationDecision>;
  /** The cluster's registry. */
  readonly registry: () => Registry;
}

const MANIFEST_TYPES = new Set([
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
]);
const OCI_TYPES = new Set(["application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json"]);
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const ANONYMOUS: UserInfo = { name: "system:anonymous", groups: ["system:unauthenticated"] };

type Access = "pull" | "push";

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function basicPassword(header: string): string | undefined {
  try {
    const text = new TextDecoder().decode(
      Uint8Array.from(atob(header.replace(/^basic\s+/i, "").trim()), (c) => c.charCodeAt(0)),
    );
    const i = text.indexOf(":");
    return i < 0 ? undefined : text.slice(i + 1);
  } catch {
    return undefined;
  }
}

/** Handles the registry's requests. */
export class ImageRegistryServer {
  readonly #services: ImageRegistryServices;
  readonly #store = new BlobStore();
  /** `https://127.0.0.1:<port>`, known once the server listens. */
  url = "";

  /** @param services authentication, authorization, the cluster's registry */
  constructor(services: ImageRegistryServices) {
    this.#services = services;
  }

  /** `host:port` of the registry (image references use it). */
  get host(): string {
    return this.url === "" ? "" : new URL(this.url).host;
  }

  #realm(): string {
    return `${this.url}/openshift/token`;
  }

  #send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Uint8Array = ""): void {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    res.writeHead(status, {
      "Docker-Distribution-Api-Version": "registry/2.0",
      "X-Registry-Supports-Signatures": "1",
      "Content-Length": String(bytes.length),
      ...headers,
    });
    res.end(res.req.method === "HEAD" ? undefined : bytes);
  }

  #json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
    this.#send(res, status, { "Content-Type": "application/json; charset=utf-8", ...headers }, JSON.stringify(value));
  }

  #unauthorized(error?: string): RegistryError {
    const challenge =
      error === undefined
        ? `Bearer realm="${this.#realm()}"`
        : `Basic realm="${this.#realm()}",error=${JSON.stringify(error)}`;
    return new RegistryError(401, "UNAUTHORIZED", {
      headers: { "WWW-Authenticate": challenge },
      ...(error === undefined ? {} : { detail: error }),
    });
  }

  /** The user behind a request, `undefined` without credentials. */
  async #user(req: IncomingMessage): Promise<UserInfo | undefined> {
    const header = req.headers.authorization;
    if (header === undefined || header === "") return undefined;
    let token: string | undefined;
    if (/^bearer\s+/i.test(header)) token = header.replace(/^bearer\s+/i, "").trim();
    else if (/^basic\s+/i.test(header)) {
      token = basicPassword(header);
      if (token === undefined) throw this.#unauthorized("failed to decode credentials");
    } else throw this.#unauthorized("failed to decode credentials");
    if (token === "anonymous") return ANONYMOUS;
    if (token === "") throw this.#unauthorized("failed to decode credentials");
    const user = await this.#services.authenticate(token);
    if (user === undefined) throw this.#unauthorized("access denied");
    return user;
  }

  async #check(user: UserInfo, attributes: Omit<AuthorizationAttributes, "user">): Promise<void> {
    const decision = await this.#services.authorize({ ...attributes, user });
    if (!decision.allowed) throw this.#unauthorized("access denied");
  }

  async #access(req: IncomingMessage, namespace: string, stream: string, access: Access): Promise<UserInfo> {
    const user = await this.#user(req);
    if (user === undefined) throw this.#unauthorized();
    await this.#check(user, {
      verb: access === "pull" ? "get" : "update",
      isResourceRequest: true,
      path: "",
      apiGroup: "image.openshift.io",
      apiVersion: "v1",
      namespace,
      resource: "imagestreams",
      subresource: "layers",
      name: stream,
    });
    return user;
  }

  /** Handles one request. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.#route(req, res);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof RegistryError) {
        this.#send(res, e.status, { "Content-Type": "application/json; charset=utf-8", ...e.headers }, e.body());
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      this.#json(res, 500, { errors: [{ code: "UNKNOWN", message: "unknown error", detail: message }] });
    }
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://registry");
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (path === "/openshift/token") return this.#token(req, res);
    if (path === "/v2/" || path === "/v2") {
      const user = await this.#user(req);
      if (user === undefined) throw this.#unauthorized();
      return this.#json(res, 200, {});
    }
    if (path === "/v2/_catalog") return this.#catalog(req, res);
    const ext = /^\/extensions\/v2\/(.+)\/signatures\/([^/]+)$/.exec(path);
    if (ext !== null) return this.#signatures(req, res, ext[1] as string, decodeURIComponent(ext[2] as string));
    const m = /^\/v2\/(.+)\/(blobs|manifests|tags)\/(.*)$/.exec(path);
    if (m === null) return this.#json(res, 404, { errors: [{ code: "UNSUPPORTED", message: "404 page not found" }] });
    const [namespace, stream] = this.#name(m[1] as string);
    const kind = m[2] as string;
    const rest = m[3] as string;
    if (kind === "tags" && rest === "list") {
      await this.#access(req, namespace, stream, "pull");
      return this.#tags(res, namespace, stream);
    }
    if (kind === "manifests") {
      const reference = decodeURIComponent(rest);
      if (method === "PUT") {
        await this.#access(req, namespace, stream, "push");
        return this.#putManifest(req, res, namespace, stream, reference);
      }
      if (method === "GET" || method === "HEAD") {
        await this.#access(req, namespace, stream, "pull");
        return this.#getManifest(req, res, namespace, stream, reference);
      }
      throw new RegistryError(405, "UNSUPPORTED");
    }
    if (rest === "uploads/" || rest === "uploads") {
      if (method !== "POST") throw new RegistryError(405, "UNSUPPORTED");
      await this.#access(req, namespace, stream, "push");
      return this.#startUpload(req, res, url, namespace, stream);
    }
    const upload = /^uploads\/([^/]+)$/.exec(rest);
    if (upload !== null) {
      await this.#access(req, namespace, stream, "push");
      return this.#upload(req, res, url, namespace, stream, upload[1] as string);
    }
    const digest = decodeURIComponent(rest);
    if (method !== "GET" && method !== "HEAD") throw new RegistryError(405, "UNSUPPORTED");
    await this.#access(req, namespace, stream, "pull");
    const blob = this.#store.blob(digest);
    if (blob === undefined) throw new RegistryError(404, "BLOB_UNKNOWN", { detail: digest });
    this.#send(
      res,
      200,
      { "Content-Type": "application/octet-stream", "Docker-Content-Digest": digest, Etag: `"${digest}"` },
      blob,
    );
  }

  /** `<namespace>/<stream>`: the OpenShift registry takes exactly two path segments. */
  #name(name: string): [string, string] {
    const parts = name.split("/");
    if (parts.length !== 2 || parts.some((p) => !/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(p)))
      throw new RegistryError(400, "NAME_INVALID", {
        detail: `invalid repository name ${JSON.stringify(name)}: it must be of the format <project>/<name>`,
      });
    return parts as [string, string];
  }

  async #token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = req.headers.authorization;
    if (header === undefined || header === "")
      return this.#json(res, 200, { token: "anonymous", access_token: "anonymous" });
    const password = /^basic\s+/i.test(header) ? basicPassword(header) : undefined;
    if (password === undefined || password === "") throw this.#unauthorized("failed to decode credentials");
    if ((await this.#services.authenticate(password)) === undefined) throw this.#unauthorized("access denied");
    this.#json(res, 200, { token: password, access_token: password });
  }

  async #catalog(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = await this.#user(req);
    if (user === undefined) throw this.#unauthorized();
    await this.#check(user, {
      verb: "list",
      isResourceRequest: true,
      path: "",
      apiGroup: "image.openshift.io",
      apiVersion: "v1",
      namespace: "",
      resource: "imagestreams",
      subresource: "",
      name: "",
    });
    const reg = this.#services.registry();
    const repositories = reg.storage
      .list(imageResource(reg, "imagestreams").storageKey)
      .items.map((e) => `${e.namespace}/${e.name}`)
      .sort();
    this.#json(res, 200, { repositories });
  }

  #tags(res: ServerResponse, namespace: string, stream: string): void {
    const reg = this.#services.registry();
    const entry = reg.find(imageResource(reg, "imagestreams"), namespace, stream);
    if (entry === undefined)
      throw new RegistryError(404, "NAME_UNKNOWN", { detail: { name: `${namespace}/${stream}` } });
    const status = isPlainObject(entry.object.status) ? entry.object.status : {};
    const tags = (Array.isArray(status.tags) ? (status.tags as { tag: string }[]) : []).map((t) => t.tag);
    this.#json(res, 200, { name: `${namespace}/${stream}`, tags });
  }

  /**
   * The image name (digest) a reference points at in a stream: a tag's newest image, or a digest the stream has (in
   * its tag history, or pushed to it by digest).
   */
  #resolve(namespace: string, stream: string, reference: string): string | undefined {
    const reg = this.#services.registry();
    const entry = reg.find(imageResource(reg, "imagestreams"), namespace, stream);
    if (entry === undefined) return undefined;
    if (!DIGEST.test(reference)) return latestTagEvent(entry.object, reference)?.image;
    if (findStreamImage(entry.object, reference) === reference) return reference;
    const image = reg.find(imageResource(reg, "images"), "", reference);
    const ref = String(image?.object.dockerImageReference ?? "");
    return ref === `${this.host}/${namespace}/${stream}@${reference}` ? reference : undefined;
  }

  #getManifest(req: IncomingMessage, res: ServerResponse, namespace: string, stream: string, reference: string): void {
    const digest = this.#resolve(namespace, stream, reference);
    const reg = this.#services.registry();
    const image = digest === undefined ? undefined : reg.find(imageResource(reg, "images"), "", digest)?.object;
    let manifest = digest === undefined ? undefined : this.#store.manifest(digest);
    if (manifest === undefined && image !== undefined && typeof image.dockerImageManifest === "string")
      manifest = {
        bytes: new TextEncoder().encode(image.dockerImageManifest),
        mediaType: String(image.dockerImageManifestMediaType ?? "application/vnd.docker.distribution.manifest.v2+json"),
      };
    if (digest === undefined || manifest === undefined)
      throw new RegistryError(404, "MANIFEST_UNKNOWN", { detail: { Tag: reference } });
    const accept = String(req.headers.accept ?? "")
      .split(",")
      .map((a) => a.split(";")[0]?.trim());
    // distribution 2.8 refuses an OCI manifest to a client that does not accept OCI.
    if (OCI_TYPES.has(manifest.mediaType) && !accept.includes(manifest.mediaType))
      throw new RegistryError(404, "MANIFEST_UNKNOWN", {
        message: "OCI manifest found, but accept header does not support OCI manifests",
      });
    this.#send(
      res,
      200,
      { "Content-Type": manifest.mediaType, "Docker-Content-Digest": digest, Etag: `"${digest}"` },
      manifest.bytes,
    );
  }

  async #putManifest(
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    stream: string,
    reference: string,
  ): Promise<void> {
    const bytes = await readBody(req);
    const digest = await sha256Digest(bytes);
    if (DIGEST.test(reference) && reference !== digest)
      throw new RegistryError(400, "DIGEST_INVALID", { detail: "manifest digest did not match" });
    let manifest: Record<string, unknown>;
    try {
      const parsed = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
      if (!isPlainObject(parsed)) throw new Error("not an object");
      manifest = parsed;
    } catch (e) {
      throw new RegistryError(400, "MANIFEST_INVALID", { detail: (e as Error).message });
    }
    const mediaType =
      (typeof manifest.mediaType === "string" ? manifest.mediaType : undefined) ??
      String(req.headers["content-type"] ?? "").split(";")[0] ??
      "";
    if (!MANIFEST_TYPES.has(mediaType))
      throw new RegistryError(400, "MANIFEST_INVALID", { detail: `unsupported manifest media type ${mediaType}` });
    const isList = mediaType.endsWith("index.v1+json") || mediaType.endsWith("list.v2+json");
    const referenced = isList
      ? (Array.isArray(manifest.manifests) ? (manifest.manifests as { digest?: string }[]) : []).map((m) => m.digest)
      : [
          (manifest.config as { digest?: string } | undefined)?.digest,
          ...(Array.isArray(manifest.layers) ? (manifest.layers as { digest?: string }[]) : []).map((l) => l.digest),
        ];
    for (const d of referenced) {
      const known =
        d !== undefined && (isList ? this.#store.manifest(d) !== undefined : this.#store.blob(d) !== undefined);
      if (!known) throw new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", { detail: d ?? "" });
    }
    this.#store.putManifest(digest, { bytes, mediaType });
    const configDigest = (manifest.config as { digest?: string } | undefined)?.digest;
    const config = configDigest === undefined ? undefined : this.#store.blob(configDigest);
    const image: KubeObject = {
      kind: "Image",
      apiVersion: "image.openshift.io/v1",
      metadata: { name: digest },
      dockerImageReference: `${this.host}/${namespace}/${stream}@${digest}`,
      dockerImageManifest: new TextDecoder().decode(bytes),
      dockerImageManifestMediaType: mediaType,
      ...(config === undefined ? {} : { dockerImageConfig: new TextDecoder().decode(config) }),
    };
    const reg = this.#services.registry();
    try {
      tagImage(reg, {
        namespace,
        stream,
        tag: DIGEST.test(reference) ? "" : reference,
        image,
        createStream: true,
      });
    } catch (e) {
      if (e instanceof StatusError && e.code === 404)
        throw new RegistryError(404, "NAME_UNKNOWN", { detail: { name: `${namespace}/${stream}` } });
      throw e;
    }
    this.#send(res, 201, {
      Location: `/v2/${namespace}/${stream}/manifests/${digest}`,
      "Docker-Content-Digest": digest,
    });
  }

  async #startUpload(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    namespace: string,
    stream: string,
  ): Promise<void> {
    const name = `${namespace}/${stream}`;
    const mount = url.searchParams.get("mount");
    if (mount !== null && this.#store.blob(mount) !== undefined) {
      this.#send(res, 201, { Location: `/v2/${name}/blobs/${mount}`, "Docker-Content-Digest": mount });
      return;
    }
    // distribution 2.8 has no single-POST upload: a `digest` parameter is ignored and an upload starts.
    await readBody(req);
    const id = this.#store.startUpload();
    this.#send(res, 202, {
      Location: `/v2/${name}/blobs/uploads/${id}`,
      "Docker-Upload-UUID": id,
      Range: "0-0",
    });
  }

  async #upload(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    namespace: string,
    stream: string,
    id: string,
  ): Promise<void> {
    const name = `${namespace}/${stream}`;
    const method = req.method ?? "GET";
    const unknown = (): RegistryError => new RegistryError(404, "BLOB_UPLOAD_UNKNOWN", { detail: id });
    const range = (size: number): string => `0-${Math.max(0, size - 1)}`;
    switch (method) {
      case "PATCH": {
        const size = this.#store.append(id, await readBody(req));
        if (size === undefined) throw unknown();
        this.#send(res, 202, {
          Location: `/v2/${name}/blobs/uploads/${id}`,
          "Docker-Upload-UUID": id,
          Range: range(size),
        });
        return;
      }
      case "PUT": {
        const digest = url.searchParams.get("digest") ?? "";
        if (this.#store.append(id, await readBody(req)) === undefined) throw unknown();
        const bytes = this.#store.finish(id) as Uint8Array;
        if (!DIGEST.test(digest) || (await sha256Digest(bytes)) !== digest)
          throw new RegistryError(400, "DIGEST_INVALID", { detail: digest });
        this.#store.putBlob(digest, bytes);
        this.#send(res, 201, { Location: `/v2/${name}/blobs/${digest}`, "Docker-Content-Digest": digest });
        return;
      }
      case "GET": {
        const size = this.#store.uploadSize(id);
        if (size === undefined) throw unknown();
        this.#send(res, 204, { "Docker-Upload-UUID": id, Range: range(size) });
        return;
      }
      case "DELETE":
        if (!this.#store.cancel(id)) throw unknown();
        this.#send(res, 204, {});
        return;
      default:
        throw new RegistryError(405, "UNSUPPORTED");
    }
  }

  async #signatures(req: IncomingMessage, res: ServerResponse, name: string, digest: string): Promise<void> {
    const [namespace, stream] = this.#name(name);
    const method = req.method ?? "GET";
    const reg = this.#services.registry();
    const imageOf = (): KubeObject => {
      const found = DIGEST.test(digest) ? this.#resolve(namespace, stream, digest) : undefined;
      const image = found === undefined ? undefined : reg.find(imageResource(reg, "images"), "", found);
      if (image === undefined) throw new RegistryError(404, "MANIFEST_UNKNOWN", { detail: digest });
      return exposedImage(image.object);
    };
    if (method === "GET") {
      await this.#access(req, namespace, stream, "pull");
      const signatures = signaturesOf(imageOf()).map((s) => ({
        schemaVersion: 2,
        name: s.metadata.name,
        type: s.type,
        content: s.content,
      }));
      return this.#json(res, 200, { signatures });
    }
    if (method !== "PUT") throw new RegistryError(405, "UNSUPPORTED");
    const user = await this.#user(req);
    if (user === undefined) throw this.#unauthorized();
    let body: Record<string, unknown>;
    try {
      const parsed = JSON.parse(new TextDecoder().decode(await readBody(req))) as unknown;
      if (!isPlainObject(parsed)) throw new Error("the body is not an object");
      body = parsed;
    } catch (e) {
      throw new RegistryError(400, "SIGNATURE_INVALID", { detail: (e as Error).message });
    }
    if (body.schemaVersion !== 2)
      throw new RegistryError(400, "SIGNATURE_INVALID", { detail: "only schemaVersion=2 is currently supported" });
    await this.#check(user, {
      verb: "create",
      isResourceRequest: true,
      path: "",
      apiGroup: "image.openshift.io",
      apiVersion: "v1",
      namespace: "",
      resource: "imagesignatures",
      subresource: "",
      name: "",
    });
    imageOf();
    const sigName = typeof body.name === "string" ? body.name : "";
    if (!sigName.startsWith(`${digest}@`))
      throw new RegistryError(400, "SIGNATURE_INVALID", {
        detail: `the signature name must be <digest>@<name> for ${digest}`,
      });
    try {
      createImageSignature(reg, {
        metadata: { name: sigName },
        type: typeof body.type === "string" && body.type !== "" ? body.type : "AtomicImageV1",
        content: body.content,
      });
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      if (e.code === 409) throw new RegistryError(409, "SIGNATURE_EXISTS", { detail: e.message });
      if (e.code === 404) throw new RegistryError(404, "MANIFEST_UNKNOWN", { detail: e.message });
      throw new RegistryError(400, "SIGNATURE_INVALID", { detail: e.message });
    }
    this.#send(res, 201, {});
  }
}
