/**
 * Differential test of the registry face against a real Docker Registry (Debian's `docker-registry`, distribution
 * 2.8, started here on 127.0.0.1 with an empty filesystem store): the same sequence of Registry API v2 requests — a
 * chunked blob upload, a monolithic one, a digest mismatch, manifests by tag and digest with and without an OCI
 * Accept, a manifest naming a missing blob, tag lists, unknown names — must get the same status codes, error codes
 * and protocol headers from both. The face is self-contained; this keeps it honest about the protocol it mimics.
 * A missing `docker-registry` fails the test (`.ci/run` installs it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallResult, call, requireTool } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

/** Real tools and several clusters: generous on a loaded machine. */
const SLOW = { timeout: 120_000 };

const sha = (text: string): string => `sha256:${createHash("sha256").update(text).digest("hex")}`;
const LAYER = "layer bytes for the differential test";
const CONFIG = JSON.stringify({
  architecture: "amd64",
  os: "linux",
  rootfs: { type: "layers", diff_ids: [sha(LAYER)] },
});
const OCI = "application/vnd.oci.image.manifest.v1+json";
const DOCKER = "application/vnd.docker.distribution.manifest.v2+json";
const manifest = (mediaType: string, layerDigest = sha(LAYER)): string =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: {
      mediaType:
        mediaType === OCI
          ? "application/vnd.oci.image.config.v1+json"
          : "application/vnd.docker.container.image.v1+json",
      digest: sha(CONFIG),
      size: CONFIG.length,
    },
    layers: [
      {
        mediaType:
          mediaType === OCI
            ? "application/vnd.oci.image.layer.v1.tar+gzip"
            : "application/vnd.docker.image.rootfs.diff.tar.gzip",
        digest: layerDigest,
        size: LAYER.length,
      },
    ],
  });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a !== null ? a.port : 0));
    });
  });
}

/** What the two registries are compared on. */
interface Observed {
  status: number;
  code: string | undefined;
  digest: string | undefined;
  range: string | undefined;
  location: string | undefined;
  contentType: string | undefined;
  body: string | undefined;
}

function observe(r: CallResult, keepBody = false): Observed {
  let code: string | undefined;
  try {
    code = r.text === "" ? undefined : (JSON.parse(r.text) as { errors?: { code: string }[] }).errors?.[0]?.code;
  } catch {
    code = undefined;
  }
  const location =
    r.headers.location === undefined ? undefined : new URL(String(r.headers.location), "http://x").pathname;
  return {
    status: r.status,
    code,
    digest: r.headers["docker-content-digest"] as string | undefined,
    range: r.headers.range as string | undefined,
    // Upload locations carry a random id: compare their shape.
    location: location?.replace(/\/uploads\/[^/]+$/, "/uploads/<id>"),
    contentType: r.status < 300 ? String(r.headers["content-type"] ?? "").split(";")[0] : undefined,
    body: keepBody ? r.text : undefined,
  };
}

describe("the registry face and a real distribution 2.8 registry answer the same", () => {
  let cluster: FakeCluster;
  let distribution: ChildProcess | undefined;
  let real: string;
  let dir: string;

  beforeAll(async () => {
    const binary = requireTool("docker-registry");
    dir = mkdtempSync(join(tmpdir(), "kubeshift-distribution-"));
    const port = await freePort();
    writeFileSync(
      join(dir, "config.yml"),
      `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${join(dir, "data")}}, delete: {enabled: true}}\nhttp: {addr: "127.0.0.1:${port}"}\n`,
    );
    distribution = spawn(binary, ["serve", join(dir, "config.yml")], { stdio: "ignore" });
    real = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await fetch(`${real}/v2/`).then(
        (r) => r.status,
        () => 0,
      );
      if (up === 200) break;
      if (Date.now() > deadline) throw new Error("docker-registry did not start on 127.0.0.1");
      await new Promise((r) => setTimeout(r, 50));
    }
    cluster = await startFakeCluster({ openshift: true, imageRegistry: true });
    const r = await call(cluster, "POST", "/apis/project.openshift.io/v1/projectrequests", {
      body: { kind: "ProjectRequest", apiVersion: "project.openshift.io/v1", metadata: { name: "fx" } },
    });
    expect(r.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    if (distribution?.pid !== undefined) {
      const exited = new Promise((r) => distribution?.once("exit", r));
      process.kill(distribution.pid);
      await exited;
    }
    await cluster?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** Sends the same request to both; the face gets the cluster admin's token. */
  async function both(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string } = {},
    keepBody = false,
  ): Promise<[Observed, Observed]> {
    const send = (base: string, auth: Record<string, string>) =>
      call(cluster, method, path.startsWith("http") ? path : `${base}${path}`, {
        token: null,
        headers: { ...auth, ...options.headers },
        ...(options.body === undefined ? {} : { body: options.body }),
      });
    const a = await send(real, {});
    const b = await send(cluster.imageRegistry?.url ?? "", { Authorization: `Bearer ${cluster.token}` });
    return [observe(a, keepBody), observe(b, keepBody)];
  }

  async function upload(
    base: string,
    auth: Record<string, string>,
    name: string,
    content = LAYER,
    digest = sha(content),
  ): Promise<Observed[]> {
    const start = await call(cluster, "POST", `${base}/v2/${name}/blobs/uploads/`, { token: null, headers: auth });
    const location = new URL(String(start.headers.location), base).href;
    const patch = await call(cluster, "PATCH", location, {
      token: null,
      headers: { ...auth, "Content-Type": "application/octet-stream" },
      body: content,
    });
    const next = new URL(String(patch.headers.location), base);
    next.searchParams.set("digest", digest);
    const done = await call(cluster, "PUT", next.href, { token: null, headers: auth });
    return [observe(start), observe(patch), observe(done)];
  }

  it("a chunked upload: 202 with Range 0-0, 202 with the range so far, 201 with the digest", SLOW, async () => {
    const a = await upload(real, {}, "fx/app");
    const b = await upload(cluster.imageRegistry?.url ?? "", { Authorization: `Bearer ${cluster.token}` }, "fx/app");
    expect(b).toEqual(a);
    expect(a.map((o) => o.status)).toEqual([202, 202, 201]);
  });

  it(
    "blob HEAD and GET, known and unknown; a single-POST upload only starts one; a digest that does not match",
    SLOW,
    async () => {
      for (const [method, path] of [
        ["HEAD", `/v2/fx/app/blobs/${sha(LAYER)}`],
        ["GET", `/v2/fx/app/blobs/${sha(LAYER)}`],
        ["HEAD", `/v2/fx/app/blobs/${sha("missing")}`],
        ["GET", `/v2/fx/app/blobs/${sha("missing")}`],
      ] as const) {
        const [a, b] = await both(method, path);
        expect(b, `${method} ${path}`).toEqual(a);
      }
      const [mono, monoFace] = await both("POST", `/v2/fx/app/blobs/uploads/?digest=${sha(CONFIG)}`, {
        headers: { "Content-Type": "application/octet-stream" },
        body: CONFIG,
      });
      expect(monoFace).toEqual(mono);
      expect(mono.status).toBe(202);
      const face = { Authorization: `Bearer ${cluster.token}` };
      const bad = await upload(real, {}, "fx/app", "bytes", sha("other"));
      const badFace = await upload(cluster.imageRegistry?.url ?? "", face, "fx/app", "bytes", sha("other"));
      expect(badFace).toEqual(bad);
      expect(bad[2]).toMatchObject({ status: 400, code: "DIGEST_INVALID" });
      expect(await upload(cluster.imageRegistry?.url ?? "", face, "fx/app", CONFIG)).toEqual(
        await upload(real, {}, "fx/app", CONFIG),
      );
    },
  );

  it(
    "manifests: put by tag, get by tag and digest, the OCI Accept rule, unknown tags and missing blobs",
    SLOW,
    async () => {
      for (const [tag, type] of [
        ["oci", OCI],
        ["docker", DOCKER],
      ] as const) {
        const [put, putFace] = await both("PUT", `/v2/fx/app/manifests/${tag}`, {
          headers: { "Content-Type": type },
          body: manifest(type),
        });
        expect(putFace, `PUT ${tag}`).toEqual(put);
        expect(put).toMatchObject({ status: 201, digest: sha(manifest(type)) });
        for (const ref of [tag, sha(manifest(type))])
          for (const accept of [`${OCI}, ${DOCKER}`, DOCKER]) {
            const [get, getFace] = await both(
              "GET",
              `/v2/fx/app/manifests/${ref}`,
              { headers: { Accept: accept } },
              true,
            );
            expect(getFace, `GET ${ref} Accept ${accept}`).toEqual(get);
          }
      }
      const [unknown, unknownFace] = await both("GET", "/v2/fx/app/manifests/nope", { headers: { Accept: OCI } });
      expect(unknownFace).toEqual(unknown);
      expect(unknown).toMatchObject({ status: 404, code: "MANIFEST_UNKNOWN" });
      const [orphan, orphanFace] = await both("PUT", "/v2/fx/app/manifests/orphan", {
        headers: { "Content-Type": OCI },
        body: manifest(OCI, sha("never pushed")),
      });
      expect(orphanFace).toEqual(orphan);
      expect(orphan).toMatchObject({ status: 400, code: "MANIFEST_BLOB_UNKNOWN" });
    },
  );

  it("tag lists of a known and an unknown repository", SLOW, async () => {
    const [tags, tagsFace] = await both("GET", "/v2/fx/app/tags/list", {}, true);
    // distribution lists tags in its storage's directory order: compare them as a set.
    const sorted = (o: Observed) => {
      const body = JSON.parse(o.body ?? "{}") as { name: string; tags: string[] };
      return { ...o, body: { ...body, tags: [...body.tags].sort() } };
    };
    expect(sorted(tagsFace)).toEqual(sorted(tags));
    const [missing, missingFace] = await both("GET", "/v2/fx/nothing/tags/list");
    expect(missingFace).toEqual(missing);
    expect(missing).toMatchObject({ status: 404, code: "NAME_UNKNOWN" });
  });
});
