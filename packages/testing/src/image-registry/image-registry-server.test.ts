import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallOptions, type CallResult, call } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

const sha = (text: string): string => `sha256:${createHash("sha256").update(text).digest("hex")}`;
const LAYER = "not really a tarball, but the registry stores bytes";
const CONFIG = JSON.stringify({
  architecture: "amd64",
  os: "linux",
  config: { Cmd: ["/hello"] },
  rootfs: { type: "layers", diff_ids: [sha(LAYER)] },
});
const OCI = "application/vnd.oci.image.manifest.v1+json";
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: OCI,
  config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha(CONFIG), size: CONFIG.length },
  layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha(LAYER), size: LAYER.length }],
});
const DIGEST = sha(MANIFEST);

describe("the image registry face", () => {
  let cluster: FakeCluster;
  let reg: string;
  let dev: string;
  let outsider: string;
  beforeAll(async () => {
    cluster = await startFakeCluster({ openshift: true, imageRegistry: true });
    reg = cluster.imageRegistry?.url ?? "";
    dev = cluster.issueOAuthToken("developer");
    outsider = cluster.issueOAuthToken("outsider");
    const r = await call(cluster, "POST", "/apis/project.openshift.io/v1/projectrequests", {
      token: dev,
      body: { kind: "ProjectRequest", apiVersion: "project.openshift.io/v1", metadata: { name: "fx" } },
    });
    expect(r.status).toBe(201);
  });
  afterAll(() => cluster.close());

  const basic = (token: string): Record<string, string> => ({ Authorization: `Basic ${btoa(`unused:${token}`)}` });
  const r = (method: string, path: string, options: CallOptions = {}): Promise<CallResult> =>
    call(cluster, method, `${reg}${path}`, { token: null, ...options });

  const push = async (token: string, name: string, tag: string): Promise<CallResult> => {
    const auth = { Authorization: `Bearer ${token}` };
    const start = await r("POST", `/v2/${name}/blobs/uploads/`, { headers: auth });
    expect(start.status).toBe(202);
    expect(start.headers.range).toBe("0-0");
    const location = String(start.headers.location);
    const patch = await r("PATCH", location, {
      headers: { ...auth, "Content-Type": "application/octet-stream" },
      body: LAYER,
    });
    expect(patch.status).toBe(202);
    expect(patch.headers.range).toBe(`0-${LAYER.length - 1}`);
    const done = await r("PUT", `${location}?digest=${sha(LAYER)}`, { headers: auth });
    expect(done.status).toBe(201);
    expect(done.headers["docker-content-digest"]).toBe(sha(LAYER));
    const configStart = await r("POST", `/v2/${name}/blobs/uploads/`, { headers: auth });
    const config = await r("PUT", `${String(configStart.headers.location)}?digest=${sha(CONFIG)}`, {
      headers: { ...auth, "Content-Type": "application/octet-stream" },
      body: CONFIG,
    });
    expect(config.status).toBe(201);
    return r("PUT", `/v2/${name}/manifests/${tag}`, { headers: { ...auth, "Content-Type": OCI }, body: MANIFEST });
  };

  it("challenges a ping with OpenShift's Bearer realm, and advertises signatures on every response", async () => {
    const ping = await r("GET", "/v2/");
    expect(ping.status).toBe(401);
    expect(ping.headers["www-authenticate"]).toBe(`Bearer realm="${reg}/openshift/token"`);
    expect(ping.headers["x-registry-supports-signatures"]).toBe("1");
    expect(ping.headers["docker-distribution-api-version"]).toBe("registry/2.0");
    expect(ping.text).toBe('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}\n');
    expect((await r("GET", "/v2/", { headers: basic(dev) })).status).toBe(200);
  });

  it("the token endpoint takes any user name with a cluster token as password and echoes the token", async () => {
    const token = await r("GET", "/openshift/token?account=unused&scope=repository%3Afx%2Fapp%3Apull", {
      headers: basic(dev),
    });
    expect(token.status).toBe(200);
    expect(token.json()).toEqual({ token: dev, access_token: dev });
    expect((await r("GET", "/openshift/token")).json()).toEqual({ token: "anonymous", access_token: "anonymous" });
    const bad = await r("GET", "/openshift/token", { headers: basic("not-a-token") });
    expect(bad.status).toBe(401);
    expect(bad.headers["www-authenticate"]).toBe(`Basic realm="${reg}/openshift/token",error="access denied"`);
    const sa = await cluster.createServiceAccountToken("fx", "builder");
    expect((await r("GET", "/openshift/token", { headers: basic(sa) })).json().token).toBe(sa);
  });

  it("a push stores blobs and the manifest, creates the Image and tags it into a new ImageStream", async () => {
    const put = await push(dev, "fx/app", "v1");
    expect(put.status).toBe(201);
    expect(put.headers["docker-content-digest"]).toBe(DIGEST);
    expect(put.headers.location).toBe(`/v2/fx/app/manifests/${DIGEST}`);
    const stream = await call(cluster, "GET", "/apis/image.openshift.io/v1/namespaces/fx/imagestreams/app", {
      token: dev,
    });
    expect(stream.json().status).toMatchObject({
      dockerImageRepository: `${cluster.imageRegistry?.host}/fx/app`,
      tags: [
        {
          tag: "v1",
          items: [{ image: DIGEST, dockerImageReference: `${cluster.imageRegistry?.host}/fx/app@${DIGEST}` }],
        },
      ],
    });
    const image = (await call(cluster, "GET", `/apis/image.openshift.io/v1/images/${DIGEST}`)).json();
    expect(image).toMatchObject({
      dockerImageManifestMediaType: OCI,
      dockerImageLayers: [{ name: sha(LAYER), size: LAYER.length }],
      dockerImageMetadata: { Id: sha(CONFIG), Architecture: "amd64", Config: { Cmd: ["/hello"] } },
    });
  });

  it("serves the manifest by tag and by digest, refusing OCI to clients that do not accept it (distribution 2.8)", async () => {
    const headers = { ...basic(dev), Accept: `${OCI}, application/vnd.docker.distribution.manifest.v2+json` };
    for (const ref of ["v1", DIGEST]) {
      const m = await r("GET", `/v2/fx/app/manifests/${ref}`, { headers });
      expect(m.status).toBe(200);
      expect(m.headers["content-type"]).toBe(OCI);
      expect(m.headers["docker-content-digest"]).toBe(DIGEST);
      expect(m.text).toBe(MANIFEST);
    }
    const head = await r("HEAD", "/v2/fx/app/manifests/v1", { headers });
    expect([head.status, head.headers["docker-content-digest"], head.text]).toEqual([200, DIGEST, ""]);
    const noOci = await r("GET", "/v2/fx/app/manifests/v1", {
      headers: { ...basic(dev), Accept: "application/vnd.docker.distribution.manifest.v2+json" },
    });
    expect(noOci.status).toBe(404);
    expect(noOci.json().errors[0]).toMatchObject({
      code: "MANIFEST_UNKNOWN",
      message: "OCI manifest found, but accept header does not support OCI manifests",
    });
    expect((await r("GET", "/v2/fx/app/manifests/v9", { headers })).json().errors[0].code).toBe("MANIFEST_UNKNOWN");
    const blob = await r("GET", `/v2/fx/app/blobs/${sha(LAYER)}`, { headers: basic(dev) });
    expect([blob.status, blob.text]).toEqual([200, LAYER]);
    expect((await r("GET", "/v2/fx/app/tags/list", { headers: basic(dev) })).json()).toEqual({
      name: "fx/app",
      tags: ["v1"],
    });
  });

  it("authorizes pulls and pushes against the project; names must be <project>/<name>", async () => {
    const pull = await r("GET", "/v2/fx/app/manifests/v1", { headers: { ...basic(outsider), Accept: OCI } });
    expect(pull.status).toBe(401);
    expect(pull.headers["www-authenticate"]).toBe(`Basic realm="${reg}/openshift/token",error="access denied"`);
    const upload = await r("POST", "/v2/fx/other/blobs/uploads/", { headers: basic(outsider) });
    expect(upload.status).toBe(401);
    expect(upload.json().errors[0].code).toBe("UNAUTHORIZED");
    const deep = await r("GET", "/v2/a/b/c/manifests/v1", { headers: basic(dev) });
    expect(deep.status).toBe(400);
    expect(deep.json().errors[0].code).toBe("NAME_INVALID");
    expect((await r("GET", "/v2/_catalog", { headers: basic(dev) })).status).toBe(401);
    expect((await r("GET", "/v2/_catalog", { headers: basic(cluster.token) })).json()).toEqual({
      repositories: ["fx/app"],
    });
  });

  it("refuses a manifest whose blobs were never pushed, and an upload whose digest does not match", async () => {
    const orphan = JSON.stringify({
      ...JSON.parse(MANIFEST),
      layers: [{ mediaType: "x", digest: sha("missing"), size: 7 }],
    });
    const m = await r("PUT", "/v2/fx/app/manifests/orphan", {
      headers: { ...basic(dev), "Content-Type": OCI },
      body: orphan,
    });
    expect(m.status).toBe(400);
    expect(m.json().errors[0].code).toBe("MANIFEST_BLOB_UNKNOWN");
    const start = await r("POST", "/v2/fx/app/blobs/uploads/", { headers: basic(dev) });
    const u = await r("PUT", `${String(start.headers.location)}?digest=${sha("other")}`, {
      headers: basic(dev),
      body: "bytes",
    });
    expect(u.status).toBe(400);
    expect(u.json().errors[0].code).toBe("DIGEST_INVALID");
  });

  describe("the signature extension", () => {
    const sigName = `${DIGEST}@0123456789abcdef0123456789abcdef`;
    const path = `/extensions/v2/fx/app/signatures/${DIGEST}`;
    const putSig = (token: string, body: object): Promise<CallResult> =>
      r("PUT", path, { headers: { ...basic(token), "Content-Type": "application/json" }, body });

    it("lists no signatures at first, and 404s for a digest the stream does not have", async () => {
      const empty = await r("GET", path, { headers: basic(dev) });
      expect(empty.status).toBe(200);
      expect(empty.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(empty.json()).toEqual({ signatures: [] });
      expect((await r("GET", `/extensions/v2/fx/app/signatures/${sha("nope")}`, { headers: basic(dev) })).status).toBe(
        404,
      );
    });

    it("PUT without system:image-signer is 401; with it 201, then 409 SIGNATURE_EXISTS", async () => {
      const body = { schemaVersion: 2, name: sigName, type: "atomic", content: btoa("a signature blob") };
      const denied = await putSig(dev, body);
      expect(denied.status).toBe(401);
      cluster.store.create({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "developer-signs" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:image-signer" },
        subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "developer" }],
      });
      const created = await putSig(dev, body);
      expect(created.status).toBe(201);
      expect(created.text).toBe("");
      const again = await putSig(dev, { ...body, name: `${DIGEST}@fedcba9876543210fedcba9876543210` });
      expect(again.status).toBe(409);
      expect(again.json().errors[0]).toMatchObject({
        code: "SIGNATURE_EXISTS",
        message: "image signature already exists",
      });
    });

    it("is read back through the extension, Image.signatures and ImageStreamImage", async () => {
      expect((await r("GET", path, { headers: basic(dev) })).json()).toEqual({
        signatures: [{ schemaVersion: 2, name: sigName, type: "atomic", content: btoa("a signature blob") }],
      });
      const image = (await call(cluster, "GET", `/apis/image.openshift.io/v1/images/${DIGEST}`)).json();
      expect(image.signatures).toMatchObject([
        { metadata: { name: sigName }, type: "atomic", content: btoa("a signature blob") },
      ]);
      const isimage = await call(
        cluster,
        "GET",
        `/apis/image.openshift.io/v1/namespaces/fx/imagestreamimages/app@${DIGEST}`,
        {
          token: dev,
        },
      );
      expect(isimage.json().image.signatures).toHaveLength(1);
    });

    it('400 SIGNATURE_INVALID for the docs\' "version" key, bad JSON, and a name of another digest; empty type is AtomicImageV1', async () => {
      const version = await putSig(dev, {
        version: 2,
        name: `${DIGEST}@11111111111111111111111111111111`,
        type: "atomic",
        content: "AA==",
      });
      expect(version.status).toBe(400);
      expect(version.json().errors[0]).toEqual({
        code: "SIGNATURE_INVALID",
        message: "invalid image signature",
        detail: "only schemaVersion=2 is currently supported",
      });
      const broken = await r("PUT", path, {
        headers: { ...basic(dev), "Content-Type": "application/json" },
        body: "{not json",
      });
      expect(broken.json().errors[0].code).toBe("SIGNATURE_INVALID");
      const other = await putSig(dev, {
        schemaVersion: 2,
        name: `${sha("x")}@22222222222222222222222222222222`,
        content: "AA==",
      });
      expect(other.status).toBe(400);
      const untyped = await putSig(dev, {
        schemaVersion: 2,
        name: `${DIGEST}@33333333333333333333333333333333`,
        content: "AQ==",
      });
      expect(untyped.status).toBe(201);
      const types = (await r("GET", path, { headers: basic(dev) }))
        .json()
        .signatures.map((s: { type: string }) => s.type);
      expect(types).toEqual(["atomic", "AtomicImageV1"]);
    });

    it("needs credentials", async () => {
      const anonymous = await r("GET", path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers["www-authenticate"]).toBe(`Bearer realm="${reg}/openshift/token"`);
    });
  });
});

describe("the registry option", () => {
  it("needs an OpenShift cluster", async () => {
    await expect(startFakeCluster({ imageRegistry: true })).rejects.toThrow(TypeError);
  });
});
