/**
 * Interop of the OpenShift surface with real clients: curl through the OAuth challenge flow; kubectl 1.27 and 1.33
 * (`auth whoami`, `auth can-i`, `get --raw /oapi/v1`, projects) with an OAuth token user and a client-certificate
 * user; skopeo pushing, inspecting and signing (`copy --sign-by` with a GPG key made here, in a temporary GNUPGHOME
 * whose agent is stopped afterwards) against the registry face, the signature then read back through the
 * extension API, verified by skopeo, and found in `Image.signatures`. A missing tool fails the test that needs it.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, kubectlPath, requireTool, runTool } from "./_test-client.ts";
import { type FakeCluster, startFakeCluster } from "./start-fake-cluster.ts";

/** Real tools and several clusters: generous on a loaded machine. */
const SLOW = { timeout: 120_000 };

const RBAC = "rbac.authorization.k8s.io";
let cluster: FakeCluster;
let dir: string;
let developer: string;

beforeAll(async () => {
  cluster = await startFakeCluster({ openshift: true, imageRegistry: true });
  dir = mkdtempSync(join(tmpdir(), "kubeshift-openshift-interop-"));
  developer = cluster.issueOAuthToken("developer");
  const r = await call(cluster, "POST", "/apis/project.openshift.io/v1/projectrequests", {
    token: developer,
    body: { kind: "ProjectRequest", apiVersion: "project.openshift.io/v1", metadata: { name: "fx" } },
  });
  expect(r.status).toBe(201);
  writeFileSync(join(dir, "ca.crt"), cluster.caPem ?? "");
});
afterAll(async () => {
  await cluster.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("curl", () => {
  it("logs in through the OAuth challenge flow and uses the token", SLOW, async () => {
    const curl = requireTool("curl");
    const url = `${cluster.url}/oauth/authorize?client_id=openshift-challenging-client&response_type=token`;
    const ca = join(dir, "ca.crt");
    const challenge = await runTool(curl, [
      "-s",
      "-o",
      "/dev/null",
      "-D",
      "-",
      "--cacert",
      ca,
      "-H",
      "X-CSRF-Token: 1",
      url,
    ]);
    expect(challenge.stdout).toMatch(/^HTTP\/1\.1 401/);
    expect(challenge.stdout).toMatch(/^www-authenticate: Basic realm="openshift"\r$/im);
    const login = await runTool(curl, [
      "-s",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code} %{redirect_url}",
      "--cacert",
      ca,
      "-u",
      "curl-user:any-password",
      "-H",
      "X-CSRF-Token: 1",
      url,
    ]);
    const [code, location] = login.stdout.split(" ");
    expect(code).toBe("302");
    const token = new URLSearchParams(new URL(location as string).hash.slice(1)).get("access_token") ?? "";
    expect(token).not.toBe("");
    const me = await runTool(curl, [
      "-s",
      "--cacert",
      ca,
      "-H",
      `Authorization: Bearer ${token}`,
      `${cluster.url}/apis/user.openshift.io/v1/users/~`,
    ]);
    expect(JSON.parse(me.stdout)).toMatchObject({ kind: "User", metadata: { name: "curl-user" } });
    const wrong = await runTool(curl, [
      "-s",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      "--cacert",
      ca,
      "-H",
      "Authorization: Bearer not-a-token",
      `${cluster.url}/oapi/v1/users/~`,
    ]);
    expect(wrong.stdout).toBe("401");
  });
});

for (const version of ["1.27", "1.33"]) {
  describe(`kubectl ${version}`, () => {
    let kubectl: string;
    let tokenConfig: string;
    let certConfig: string;
    const home = (): string => join(dir, `home-${version}`);

    beforeAll(async () => {
      kubectl = kubectlPath(version);
      mkdirSync(home(), { recursive: true });
      tokenConfig = join(dir, `token-${version}`);
      writeFileSync(
        tokenConfig,
        cluster.kubeconfigFor({ token: developer }, { namespace: "fx", userName: "developer" }),
      );
      const pair = await cluster.issueClientCertificate({ user: "cert-user", groups: ["cert-devs"] });
      certConfig = join(dir, `cert-${version}`);
      writeFileSync(certConfig, cluster.kubeconfigFor(pair, { namespace: "fx", userName: "cert-user" }));
      cluster.store.put({
        apiVersion: `${RBAC}/v1`,
        kind: "RoleBinding",
        metadata: { name: "cert-devs-view", namespace: "fx" },
        roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" },
        subjects: [{ kind: "Group", apiGroup: RBAC, name: "cert-devs" }],
      });
    });

    const run = async (
      config: string,
      args: string[],
    ): Promise<{ code: number | null; stdout: string; stderr: string }> =>
      runTool(kubectl, [...args, "--kubeconfig", config, "--cache-dir", join(home(), "cache")], {
        env: { HOME: home() },
      });

    it("auth whoami names the OAuth user and the client-certificate user", SLOW, async () => {
      const token = await run(tokenConfig, ["auth", "whoami", "-o", "json"]);
      expect(token.code, token.stderr).toBe(0);
      expect(JSON.parse(token.stdout).status.userInfo).toMatchObject({
        username: "developer",
        groups: expect.arrayContaining(["system:authenticated:oauth", "system:authenticated"]),
      });
      const cert = await run(certConfig, ["auth", "whoami", "-o", "json"]);
      expect(cert.code, cert.stderr).toBe(0);
      expect(JSON.parse(cert.stdout).status.userInfo).toEqual({
        username: "cert-user",
        groups: ["cert-devs", "system:authenticated"],
      });
    });

    it("auth can-i answers from RBAC for both users", SLOW, async () => {
      const cases: [string, string[], string, number][] = [
        [tokenConfig, ["create", "routes.route.openshift.io"], "yes", 0],
        [tokenConfig, ["delete", "namespaces"], "no", 1],
        [certConfig, ["list", "pods"], "yes", 0],
        [certConfig, ["create", "pods"], "no", 1],
        [certConfig, ["get", "secrets"], "no", 1],
      ];
      for (const [config, args, answer, code] of cases) {
        const r = await run(config, ["auth", "can-i", ...args]);
        expect(`${r.stdout.trim()} ${r.code}`, `${args.join(" ")}: ${r.stderr}`).toBe(`${answer} ${code}`);
      }
    });

    it("get --raw /oapi/v1 and the projects of the user", SLOW, async () => {
      const oapi = await run(tokenConfig, ["get", "--raw", "/oapi/v1"]);
      expect(oapi.code, oapi.stderr).toBe(0);
      expect(JSON.parse(oapi.stdout)).toMatchObject({ kind: "APIResourceList", groupVersion: "v1" });
      const projects = await run(tokenConfig, ["get", "--raw", "/apis/project.openshift.io/v1/projects"]);
      expect(JSON.parse(projects.stdout).items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
        "fx",
      ]);
      const table = await run(tokenConfig, ["get", "projects"]);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/^NAME\s+DISPLAY NAME\s+STATUS\s*\nfx\s+Active/);
    });
  });
}

describe("skopeo and gpg against the registry face", () => {
  let gnupg: string;
  let fingerprint: string;
  let digest: string;
  let registry: string;
  let token: string;

  beforeAll(async () => {
    const gpg = requireTool("gpg");
    registry = cluster.imageRegistry?.host ?? "";
    token = developer;
    cluster.store.create({
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name: "developer-image-signer" },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "system:image-signer" },
      subjects: [{ kind: "User", apiGroup: RBAC, name: "developer" }],
    });
    gnupg = join(dir, "gnupg");
    mkdirSync(gnupg, { mode: 0o700 });
    writeFileSync(
      join(dir, "keyparams"),
      "%no-protection\nKey-Type: RSA\nKey-Length: 2048\nKey-Usage: sign\nName-Real: Fixture Signer\nName-Email: signer@example.test\nExpire-Date: 0\n%commit\n",
    );
    const gen = await runTool(gpg, ["--batch", "--gen-key", join(dir, "keyparams")], { env: { GNUPGHOME: gnupg } });
    expect(gen.code, gen.stderr).toBe(0);
    const keys = await runTool(gpg, ["--list-keys", "--with-colons", "signer@example.test"], {
      env: { GNUPGHOME: gnupg },
    });
    fingerprint = /^fpr:(?:[^:]*:){8}([0-9A-F]{40}):/m.exec(keys.stdout)?.[1] ?? "";
    expect(fingerprint).toMatch(/^[0-9A-F]{40}$/);
    const exported = await runTool(gpg, ["--export", "--output", join(dir, "pubkey.gpg"), "signer@example.test"], {
      env: { GNUPGHOME: gnupg },
    });
    expect(exported.code, exported.stderr).toBe(0);

    // A one-layer OCI image laid out by hand, as the oracle script of shared/reference does.
    const tar = requireTool("tar");
    mkdirSync(join(dir, "rootfs"));
    writeFileSync(join(dir, "rootfs", "hello.txt"), "hello from the fake cluster's registry\n");
    const layerTar = join(dir, "layer.tar");
    const packed = await runTool(tar, [
      "--sort=name",
      "--mtime=2020-01-01 00:00Z",
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      "-C",
      join(dir, "rootfs"),
      "-cf",
      layerTar,
      "hello.txt",
    ]);
    expect(packed.code, packed.stderr).toBe(0);
    const { gzipSync } = await import("node:zlib");
    const layer = gzipSync(readFileSync(layerTar));
    const hex = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");
    const config = JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: { Cmd: ["/hello.txt"] },
      rootfs: { type: "layers", diff_ids: [`sha256:${hex(readFileSync(layerTar))}`] },
    });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: `sha256:${hex(config)}`,
        size: config.length,
      },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
          digest: `sha256:${hex(layer)}`,
          size: layer.length,
        },
      ],
    });
    digest = `sha256:${hex(manifest)}`;
    const blobs = join(dir, "oci", "blobs", "sha256");
    mkdirSync(blobs, { recursive: true });
    writeFileSync(join(blobs, hex(layer)), layer);
    writeFileSync(join(blobs, hex(config)), config);
    writeFileSync(join(blobs, hex(manifest)), manifest);
    writeFileSync(join(dir, "manifest.json"), manifest);
    writeFileSync(
      join(dir, "oci", "index.json"),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            digest,
            size: manifest.length,
            annotations: { "org.opencontainers.image.ref.name": "v1" },
          },
        ],
      }),
    );
    writeFileSync(join(dir, "oci", "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
    mkdirSync(join(dir, "certs"));
    writeFileSync(join(dir, "certs", "ca.crt"), cluster.caPem ?? "");
    mkdirSync(join(dir, "registries.d"));
    writeFileSync(join(dir, "registries.d", "default.yaml"), "default-docker: {}\n");
  }, 120_000);

  afterAll(async () => {
    // Stop this test's gpg-agent, by the pid it reports.
    const info = await runTool("gpg-connect-agent", ["--no-autostart", "getinfo pid", "/bye"], {
      env: { GNUPGHOME: gnupg },
    }).catch(() => undefined);
    const pid = Number(/^D (\d+)/m.exec(info?.stdout ?? "")?.[1]);
    if (Number.isInteger(pid) && pid > 0) process.kill(pid);
  });

  const skopeo = (args: string[]) =>
    runTool(requireTool("skopeo"), ["--registries.d", join(dir, "registries.d"), ...args], {
      env: { GNUPGHOME: gnupg, HOME: dir },
      timeoutMs: 120_000,
    });

  it(
    "skopeo copy --sign-by pushes and signs; the extension and Image.signatures hold a signature skopeo verifies",
    SLOW,
    async () => {
      const copy = await skopeo([
        "copy",
        "--dest-cert-dir",
        join(dir, "certs"),
        "--dest-creds",
        `unused:${token}`,
        "--sign-by",
        fingerprint,
        `oci:${join(dir, "oci")}:v1`,
        `docker://${registry}/fx/hello:v1`,
      ]);
      expect(copy.code, copy.stderr).toBe(0);
      expect(copy.stderr + copy.stdout).toContain("Storing signatures");
      const ext = await call(
        cluster,
        "GET",
        `${cluster.imageRegistry?.url}/extensions/v2/fx/hello/signatures/${digest}`,
        {
          token: null,
          headers: { Authorization: `Basic ${btoa(`x:${token}`)}` },
        },
      );
      const signatures = ext.json().signatures as {
        schemaVersion: number;
        name: string;
        type: string;
        content: string;
      }[];
      expect(signatures).toHaveLength(1);
      expect(signatures[0]).toMatchObject({ schemaVersion: 2, type: "atomic" });
      expect(signatures[0]?.name).toMatch(new RegExp(`^${digest}@[0-9a-f]{32}$`));
      writeFileSync(join(dir, "ext.sig"), Buffer.from(signatures[0]?.content ?? "", "base64"));
      const verify = await skopeo([
        "standalone-verify",
        join(dir, "manifest.json"),
        `${registry}/fx/hello:v1`,
        fingerprint,
        join(dir, "ext.sig"),
      ]);
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toContain(`Signature verified, digest ${digest}`);
      const image = (await call(cluster, "GET", `/apis/image.openshift.io/v1/images/${digest}`)).json();
      expect(image.signatures).toEqual([
        expect.objectContaining({
          metadata: expect.objectContaining({ name: signatures[0]?.name }),
          type: "atomic",
          content: signatures[0]?.content,
        }),
      ]);
    },
  );

  it("skopeo inspect reads the image, and a signedBy policy accepts the pull", SLOW, async () => {
    const inspect = await skopeo([
      "inspect",
      "--cert-dir",
      join(dir, "certs"),
      "--creds",
      `x:${token}`,
      `docker://${registry}/fx/hello:v1`,
    ]);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({
      Name: `${registry}/fx/hello`,
      Digest: digest,
      RepoTags: ["v1"],
    });
    writeFileSync(
      join(dir, "policy.json"),
      JSON.stringify({
        default: [{ type: "reject" }],
        transports: {
          docker: { [registry]: [{ type: "signedBy", keyType: "GPGKeys", keyPath: join(dir, "pubkey.gpg") }] },
          dir: { "": [{ type: "insecureAcceptAnything" }] },
        },
      }),
    );
    const pull = await skopeo([
      "--policy",
      join(dir, "policy.json"),
      "copy",
      "--src-cert-dir",
      join(dir, "certs"),
      "--src-creds",
      `x:${token}`,
      `docker://${registry}/fx/hello:v1`,
      `dir:${join(dir, "pulled")}`,
    ]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(readFileSync(join(dir, "pulled", "signature-1")).length).toBeGreaterThan(100);
  });

  it(
    "skopeo copy --sign-by without system:image-signer stores the image but the signature upload is refused",
    SLOW,
    async () => {
      const other = cluster.issueOAuthToken("unsigned");
      cluster.store.create({
        apiVersion: `${RBAC}/v1`,
        kind: "RoleBinding",
        metadata: { name: "unsigned-edit", namespace: "fx" },
        roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "edit" },
        subjects: [{ kind: "User", apiGroup: RBAC, name: "unsigned" }],
      });
      const copy = await skopeo([
        "copy",
        "--dest-cert-dir",
        join(dir, "certs"),
        "--dest-creds",
        `unused:${other}`,
        "--sign-by",
        fingerprint,
        `oci:${join(dir, "oci")}:v1`,
        `docker://${registry}/fx/unsigned:v1`,
      ]);
      expect(copy.code).not.toBe(0);
      expect(copy.stderr).toMatch(/uploading signature .*unauthorized/);
    },
  );
});
