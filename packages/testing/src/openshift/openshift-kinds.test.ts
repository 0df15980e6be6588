import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

const DIGEST_A = "sha256:64b025e35c4a5a6a352e4c108a8b6ba81e3d52268320ddef05147a758fee2284";
const DIGEST_B = "sha256:48d7278f042604f046915899f8e78b0e45a2908a3f561cb5e7b0af93f0abbf8d";
const MANIFEST_B = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.docker.distribution.manifest.v2+json",
  config: {
    mediaType: "application/vnd.docker.container.image.v1+json",
    size: 337,
    digest: "sha256:4231425006186473daf42d91512cf25f4d72438ec0edf134791a96469ecbfb43",
  },
  layers: [
    {
      mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
      size: 1024,
      digest: "sha256:6d6e6fc58a6850fbcc0f04c78837954c8e255566bbc3f25ccce1abe207ac34dc",
    },
  ],
});
const CONFIG_B = JSON.stringify({
  architecture: "amd64",
  os: "linux",
  created: "2018-10-10T00:00:00Z",
  config: { Cmd: ["/bin/sh"], Env: ["PATH=/usr/bin:/bin"], Labels: { fixture: "b" } },
});

describe("the OpenShift kinds", () => {
  let cluster: FakeCluster;
  let dev: string;
  beforeAll(async () => {
    cluster = await startFakeCluster({ openshift: { routerSubdomain: "apps.example.test" } });
    dev = cluster.issueOAuthToken("developer");
    const r = await call(cluster, "POST", "/apis/project.openshift.io/v1/projectrequests", {
      token: dev,
      body: { kind: "ProjectRequest", apiVersion: "project.openshift.io/v1", metadata: { name: "fx" } },
    });
    expect(r.status).toBe(201);
  });
  afterAll(() => cluster.close());

  it("serves /oapi/v1 with exactly the 3.11 resource list and the twelve *.openshift.io groups", async () => {
    const oapi = (await call(cluster, "GET", "/oapi/v1", { token: dev })).json();
    expect(oapi.resources).toHaveLength(58);
    expect(oapi.resources.find((r: { name: string }) => r.name === "deploymentconfigs/scale")).toEqual({
      name: "deploymentconfigs/scale",
      singularName: "",
      namespaced: true,
      group: "extensions",
      version: "v1beta1",
      kind: "Scale",
      verbs: ["get", "patch", "update"],
    });
    expect((await call(cluster, "GET", "/oapi", { token: dev })).json().versions).toEqual(["v1"]);
    const groups = (await call(cluster, "GET", "/apis", { token: dev })).json().groups as { name: string }[];
    expect(groups.filter((g) => g.name.endsWith(".openshift.io")).map((g) => g.name)).toEqual([
      "apps.openshift.io",
      "authorization.openshift.io",
      "build.openshift.io",
      "image.openshift.io",
      "network.openshift.io",
      "oauth.openshift.io",
      "project.openshift.io",
      "quota.openshift.io",
      "route.openshift.io",
      "security.openshift.io",
      "template.openshift.io",
      "user.openshift.io",
    ]);
    const build = (await call(cluster, "GET", "/apis/build.openshift.io/v1", { token: dev })).json();
    expect(build.resources.find((r: { name: string }) => r.name === "buildconfigs/instantiate")).toMatchObject({
      kind: "BuildRequest",
      verbs: ["create"],
    });
  });

  it("routes: defaults, a generated host, an admitted status, shared between /oapi/v1 and the group", async () => {
    const r = await call(cluster, "POST", "/oapi/v1/namespaces/fx/routes", {
      token: dev,
      body: {
        kind: "Route",
        apiVersion: "v1",
        metadata: { name: "web" },
        spec: { to: { kind: "Service", name: "web" } },
      },
    });
    expect(r.status).toBe(201);
    expect(r.json()).toMatchObject({
      apiVersion: "v1",
      metadata: { annotations: { "openshift.io/host.generated": "true" } },
      spec: {
        host: "web-fx.apps.example.test",
        to: { kind: "Service", name: "web", weight: 100 },
        wildcardPolicy: "None",
      },
      status: {
        ingress: [
          {
            host: "web-fx.apps.example.test",
            routerName: "default",
            conditions: [{ type: "Admitted", status: "True" }],
            wildcardPolicy: "None",
          },
        ],
      },
    });
    expect(r.json().metadata.generation).toBeUndefined();
    const group = await call(cluster, "GET", "/apis/route.openshift.io/v1/namespaces/fx/routes/web", { token: dev });
    expect(group.json()).toMatchObject({
      apiVersion: "route.openshift.io/v1",
      metadata: { uid: r.json().metadata.uid },
    });
  });

  it("routes: the 3.11 validation messages", async () => {
    const post = (spec: object) =>
      call(cluster, "POST", "/oapi/v1/namespaces/fx/routes", {
        token: dev,
        body: { kind: "Route", apiVersion: "v1", metadata: { name: "bad" }, spec },
      });
    expect((await post({ to: { kind: "Service" } })).json().message).toBe(
      'Route.route.openshift.io "bad" is invalid: spec.to.name: Required value',
    );
    expect((await post({ host: "Bad_Host.Example.COM", to: { name: "s" } })).json().message).toBe(
      'Route.route.openshift.io "bad" is invalid: spec.host: Invalid value: "Bad_Host.Example.COM": host must conform to DNS 952 subdomain conventions',
    );
    expect((await post({ to: { name: "s" }, tls: { termination: "magic" } })).json().message).toBe(
      'Route.route.openshift.io "bad" is invalid: spec.tls.termination: Unsupported value: "magic": supported values: "edge", "passthrough", "reencrypt"',
    );
    expect((await post({ to: { name: "s" }, wildcardPolicy: "Subdomain" })).json().message).toBe(
      'Route.route.openshift.io "bad" is invalid: spec.wildcardPolicy: Invalid value: "Subdomain": host name not specified for wildcard policy',
    );
  });

  it("deployment configs: defaults (revisionHistoryLimit only through the group), validation, scale, instantiate", async () => {
    const dc = (name: string) => ({
      metadata: { name },
      spec: {
        replicas: 1,
        selector: { app: name },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "busybox" }] } },
      },
    });
    const group = await call(cluster, "POST", "/apis/apps.openshift.io/v1/namespaces/fx/deploymentconfigs", {
      token: dev,
      body: { kind: "DeploymentConfig", apiVersion: "apps.openshift.io/v1", ...dc("g") },
    });
    expect(group.status).toBe(201);
    expect(group.json().spec).toMatchObject({
      strategy: {
        type: "Rolling",
        rollingParams: { timeoutSeconds: 600, maxSurge: "25%" },
        activeDeadlineSeconds: 21600,
      },
      triggers: [{ type: "ConfigChange" }],
      revisionHistoryLimit: 10,
      test: false,
    });
    expect(group.json().status).toEqual({
      latestVersion: 0,
      observedGeneration: 0,
      replicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
      unavailableReplicas: 0,
    });
    const legacy = await call(cluster, "POST", "/oapi/v1/namespaces/fx/deploymentconfigs", {
      token: dev,
      body: { kind: "DeploymentConfig", apiVersion: "v1", ...dc("l") },
    });
    expect(legacy.json().spec.revisionHistoryLimit).toBeUndefined();
    const empty = await call(cluster, "POST", "/oapi/v1/namespaces/fx/deploymentconfigs", {
      token: dev,
      body: { kind: "DeploymentConfig", apiVersion: "v1", metadata: { name: "empty" }, spec: {} },
    });
    expect(empty.json().message).toBe(
      'DeploymentConfig.apps.openshift.io "empty" is invalid: [spec.template: Required value, spec.selector: Invalid value: map[string]string(nil): selector cannot be empty]',
    );
    const scale = await call(cluster, "GET", "/apis/apps.openshift.io/v1/namespaces/fx/deploymentconfigs/g/scale", {
      token: dev,
    });
    expect(scale.json()).toMatchObject({ spec: { replicas: 1 }, status: { selector: "app=g" } });
    const inst = await call(
      cluster,
      "POST",
      "/apis/apps.openshift.io/v1/namespaces/fx/deploymentconfigs/g/instantiate",
      {
        token: dev,
        body: { kind: "DeploymentRequest", apiVersion: "apps.openshift.io/v1", name: "g", latest: true, force: true },
      },
    );
    expect(inst.status).toBe(201);
    expect(inst.json().status).toMatchObject({ latestVersion: 1, details: { causes: [{ type: "Manual" }] } });
  });

  it("build configs: a missing strategy is refused by admission, instantiate makes Build <name>-<n>", async () => {
    const none = await call(cluster, "POST", "/apis/build.openshift.io/v1/namespaces/fx/buildconfigs", {
      token: dev,
      body: {
        kind: "BuildConfig",
        apiVersion: "build.openshift.io/v1",
        metadata: { name: "nostrategy" },
        spec: { source: { git: { uri: "https://example.com/x.git" } } },
      },
    });
    expect(none.status).toBe(403);
    expect(none.json().message).toMatch(
      /^buildconfigs.build.openshift.io "nostrategy" is forbidden: unrecognized build strategy/,
    );
    const bc = await call(cluster, "POST", "/apis/build.openshift.io/v1/namespaces/fx/buildconfigs", {
      token: dev,
      body: {
        kind: "BuildConfig",
        apiVersion: "build.openshift.io/v1",
        metadata: { name: "app" },
        spec: {
          source: { type: "Dockerfile", dockerfile: "FROM busybox\n" },
          strategy: { type: "Docker", dockerStrategy: { noCache: true } },
          output: { to: { kind: "DockerImage", name: "registry.example.com/fx/app:latest" } },
        },
      },
    });
    expect(bc.json()).toMatchObject({
      spec: { triggers: [], runPolicy: "Serial", successfulBuildsHistoryLimit: 5, failedBuildsHistoryLimit: 5 },
      status: { lastVersion: 0 },
    });
    const build = await call(
      cluster,
      "POST",
      "/apis/build.openshift.io/v1/namespaces/fx/buildconfigs/app/instantiate",
      {
        token: dev,
        body: {
          kind: "BuildRequest",
          apiVersion: "build.openshift.io/v1",
          metadata: { name: "app" },
          env: [{ name: "FX", value: "1" }],
        },
      },
    );
    expect(build.status).toBe(201);
    expect(build.json()).toMatchObject({
      kind: "Build",
      metadata: {
        name: "app-1",
        labels: { buildconfig: "app", "openshift.io/build-config.name": "app" },
        annotations: { "openshift.io/build.number": "1" },
        ownerReferences: [{ kind: "BuildConfig", name: "app", uid: bc.json().metadata.uid, controller: true }],
      },
      spec: {
        serviceAccount: "builder",
        strategy: { dockerStrategy: { noCache: true, env: [{ name: "FX", value: "1" }] } },
        triggeredBy: [{ message: "Manually triggered" }],
      },
      status: { phase: "New" },
    });
    const missing = await call(
      cluster,
      "POST",
      "/apis/build.openshift.io/v1/namespaces/fx/buildconfigs/nope/instantiate",
      {
        token: dev,
        body: { kind: "BuildRequest", apiVersion: "build.openshift.io/v1", metadata: { name: "nope" } },
      },
    );
    expect(missing.status).toBe(403);
    expect(missing.json().message).toBe(
      'buildconfigs.build.openshift.io "nope" is forbidden: buildconfigs.build.openshift.io "nope" not found',
    );
  });

  it("images: metadata filled from the manifest and config; the reference is required and parsed", async () => {
    const b = await call(cluster, "POST", "/apis/image.openshift.io/v1/images", {
      body: {
        kind: "Image",
        apiVersion: "image.openshift.io/v1",
        metadata: { name: DIGEST_B },
        dockerImageReference: `registry.example.com/fx/app@${DIGEST_B}`,
        dockerImageManifest: MANIFEST_B,
        dockerImageConfig: CONFIG_B,
      },
    });
    expect(b.status).toBe(201);
    expect(b.json()).toMatchObject({
      metadata: { annotations: { "image.openshift.io/dockerLayersOrder": "ascending" } },
      dockerImageMetadata: {
        kind: "DockerImage",
        apiVersion: "1.0",
        Id: "sha256:4231425006186473daf42d91512cf25f4d72438ec0edf134791a96469ecbfb43",
        Created: "2018-10-10T00:00:00Z",
        Config: { Env: ["PATH=/usr/bin:/bin"], Cmd: ["/bin/sh"], Labels: { fixture: "b" } },
        Architecture: "amd64",
        Size: 1361,
      },
      dockerImageLayers: [
        {
          name: "sha256:6d6e6fc58a6850fbcc0f04c78837954c8e255566bbc3f25ccce1abe207ac34dc",
          size: 1024,
          mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
        },
      ],
      dockerImageManifestMediaType: "application/vnd.docker.distribution.manifest.v2+json",
    });
    const a = await call(cluster, "POST", "/apis/image.openshift.io/v1/images", {
      body: {
        kind: "Image",
        apiVersion: "image.openshift.io/v1",
        metadata: { name: DIGEST_A },
        dockerImageReference: `registry.example.com/fx/app@${DIGEST_A}`,
        dockerImageMetadata: { kind: "DockerImage", apiVersion: "1.0", Id: "sha256:9c", Size: 1234 },
      },
    });
    expect(a.json()).toMatchObject({ dockerImageMetadata: { ContainerConfig: {} }, dockerImageLayers: null });
    const bad = await call(cluster, "POST", "/apis/image.openshift.io/v1/images", {
      body: {
        kind: "Image",
        apiVersion: "image.openshift.io/v1",
        metadata: { name: "sha256:bad" },
        dockerImageReference: "Not A Reference!!",
      },
    });
    expect(bad.json().message).toBe(
      'Image.image.openshift.io "sha256:bad" is invalid: dockerImageReference: Invalid value: "Not A Reference!!": invalid reference format',
    );
    const asDev = await call(cluster, "POST", "/apis/image.openshift.io/v1/images", {
      token: dev,
      body: {
        kind: "Image",
        apiVersion: "image.openshift.io/v1",
        metadata: { name: "sha256:x" },
        dockerImageReference: "a/b",
      },
    });
    expect(asDev.status).toBe(403);
  });

  it("image signatures: create through both APIs, shown in Image.signatures, 405 for reads, validation, 409, delete", async () => {
    const sign = (name: string, content: string, api = "/apis/image.openshift.io/v1", extra = {}) =>
      call(cluster, "POST", `${api}/imagesignatures`, {
        body: {
          kind: "ImageSignature",
          apiVersion: api === "/oapi/v1" ? "v1" : "image.openshift.io/v1",
          metadata: { name },
          type: "atomic",
          content,
          ...extra,
        },
      });
    const s1 = `${DIGEST_A}@9e4b221ebb9a38d55e35ea14d6f73f72`;
    const s2 = `${DIGEST_A}@930e0f2d2d2899eb6dff31e112203861`;
    const first = await sign(s1, "Zmlyc3Q=");
    expect(first.status).toBe(201);
    expect(first.json()).toMatchObject({
      kind: "ImageSignature",
      metadata: { name: s1 },
      type: "atomic",
      content: "Zmlyc3Q=",
    });
    expect((await sign(s2, "c2Vjb25k", "/oapi/v1", { conditions: [{ type: "Trusted", status: "True" }] })).status).toBe(
      201,
    );
    const image = (await call(cluster, "GET", `/apis/image.openshift.io/v1/images/${DIGEST_A}`)).json();
    expect(image.signatures.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual([s1, s2]);
    expect(image.signatures[1].conditions).toBeUndefined();
    expect((await call(cluster, "GET", `/apis/image.openshift.io/v1/imagesignatures/${s1}`)).status).toBe(405);
    expect((await call(cluster, "GET", "/oapi/v1/imagesignatures")).status).toBe(405);
    const noAt = await sign("no-at-sign", "eA==");
    expect(noAt.json().message).toBe(
      'ImageSignature.image.openshift.io "no-at-sign" is invalid: metadata.name: Invalid value: "no-at-sign": name must be of format <imageName>@<signatureName>',
    );
    const unknown = await sign(`${DIGEST_B.replace("48", "00")}@0123456789abcdef0123456789abcdef`, "eA==");
    expect(unknown.status).toBe(404);
    const labels = await call(cluster, "POST", "/apis/image.openshift.io/v1/imagesignatures", {
      body: {
        kind: "ImageSignature",
        apiVersion: "image.openshift.io/v1",
        metadata: { name: `${DIGEST_A}@x1`, labels: { a: "b" } },
        type: "atomic",
        content: "eA==",
      },
    });
    expect(labels.json().message).toContain("metadata.labels: Forbidden: signature labels cannot be set");
    const empty = await call(cluster, "POST", "/apis/image.openshift.io/v1/imagesignatures", { body: {} });
    expect(empty.json().message).toBe(
      'ImageSignature.image.openshift.io "" is invalid: [metadata.name: Required value: name or generateName is required, metadata.name: Invalid value: "": name must be of format <imageName>@<signatureName>, type: Required value, content: Required value]',
    );
    const sameName = await sign(s1, "b3RoZXI=");
    expect(sameName.status).toBe(409);
    expect(sameName.json().message).toBe(`imageSignatures.image.openshift.io "${s1}" already exists`);
    const sameContent = await sign(`${DIGEST_A}@e178b220bed71a43460c4b438947c6b5`, "Zmlyc3Q=");
    expect(sameContent.status).toBe(409);
    const forbidden = await call(cluster, "POST", "/apis/image.openshift.io/v1/imagesignatures", {
      token: dev,
      body: {
        kind: "ImageSignature",
        apiVersion: "image.openshift.io/v1",
        metadata: { name: `${DIGEST_A}@dev` },
        type: "atomic",
        content: "eA==",
      },
    });
    expect(forbidden.status).toBe(403);
    expect((await call(cluster, "DELETE", `/oapi/v1/imagesignatures/${s2}`)).json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
    });
    expect((await call(cluster, "DELETE", `/oapi/v1/imagesignatures/${s2}`)).status).toBe(404);
    const noAtDelete = await call(cluster, "DELETE", "/apis/image.openshift.io/v1/imagesignatures/no-at-sign");
    expect(noAtDelete.status).toBe(400);
    expect(noAtDelete.json().message).toBe("ImageSignatures must be accessed with <imageName>@<signatureName>");
  });

  it("image streams, mappings, ImageStreamTags and ImageStreamImages (signatures visible to the project's users)", async () => {
    const is = await call(cluster, "POST", "/apis/image.openshift.io/v1/namespaces/fx/imagestreams", {
      token: dev,
      body: { kind: "ImageStream", apiVersion: "image.openshift.io/v1", metadata: { name: "app" } },
    });
    expect(is.json()).toMatchObject({
      spec: { lookupPolicy: { local: false } },
      status: { dockerImageRepository: "" },
    });
    for (const [tag, digest, api] of [
      ["v1", DIGEST_B, "/apis/image.openshift.io/v1"],
      ["v0", DIGEST_A, "/oapi/v1"],
    ] as const) {
      const m = await call(cluster, "POST", `${api}/namespaces/fx/imagestreammappings`, {
        body: {
          kind: "ImageStreamMapping",
          apiVersion: api === "/oapi/v1" ? "v1" : "image.openshift.io/v1",
          metadata: { name: "app" },
          tag,
          image: { metadata: { name: digest }, dockerImageReference: `registry.example.com/fx/app@${digest}` },
        },
      });
      expect(m.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    }
    const stream = (
      await call(cluster, "GET", "/apis/image.openshift.io/v1/namespaces/fx/imagestreams/app", { token: dev })
    ).json();
    expect(stream.status.tags.map((t: { tag: string }) => t.tag)).toEqual(["v0", "v1"]);
    const istag = await call(cluster, "GET", "/apis/image.openshift.io/v1/namespaces/fx/imagestreamtags/app:v1", {
      token: dev,
    });
    expect(istag.json()).toMatchObject({
      kind: "ImageStreamTag",
      metadata: { name: "app:v1", namespace: "fx" },
      tag: null,
      image: { metadata: { name: DIGEST_B } },
    });
    expect(istag.json().image.dockerImageManifest).toBeUndefined();
    const isimage = await call(cluster, "GET", `/oapi/v1/namespaces/fx/imagestreamimages/app@${DIGEST_A}`, {
      token: dev,
    });
    expect(isimage.status).toBe(200);
    expect(isimage.json().image.signatures).toHaveLength(1);
    const prefix = await call(
      cluster,
      "GET",
      "/apis/image.openshift.io/v1/namespaces/fx/imagestreamimages/app@sha256:48d7278f04260",
      { token: dev },
    );
    expect(prefix.json().image.metadata.name).toBe(DIGEST_B);
    expect(
      (await call(cluster, "GET", "/apis/image.openshift.io/v1/namespaces/fx/imagestreamtags/app:nope", { token: dev }))
        .status,
    ).toBe(404);
    const list = await call(cluster, "GET", "/apis/image.openshift.io/v1/namespaces/fx/imagestreamtags", {
      token: dev,
    });
    expect(list.json().items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["app:v0", "app:v1"]);
  });

  it("image stream imports answer with every import failed and store nothing (no outside registries)", async () => {
    const r = await call(cluster, "POST", "/apis/image.openshift.io/v1/namespaces/fx/imagestreamimports", {
      token: dev,
      body: {
        kind: "ImageStreamImport",
        apiVersion: "image.openshift.io/v1",
        metadata: { name: "preview" },
        spec: { import: false, images: [{ from: { kind: "DockerImage", name: "docker.io/library/busybox:latest" } }] },
      },
    });
    expect(r.status).toBe(201);
    expect(r.json().status.images[0]).toMatchObject({
      tag: "latest",
      status: { status: "Failure", reason: "InternalError", code: 500 },
    });
    expect(
      cluster.store.get({ apiVersion: "image.openshift.io/v1", kind: "ImageStreamImport" }, "preview", "fx"),
    ).toBeUndefined();
  });

  it("processedtemplates substitute and generate parameters and move legacy kinds to their group", async () => {
    // Template parameter references, built so that they do not read as JavaScript template placeholders.
    const ref = (name: string): string => `$${"{"}${name}}`;
    const r = await call(cluster, "POST", "/oapi/v1/namespaces/fx/processedtemplates", {
      token: dev,
      body: {
        kind: "Template",
        apiVersion: "v1",
        metadata: { name: "t" },
        parameters: [
          { name: "NAME", value: "web" },
          { name: "SUFFIX", generate: "expression", from: "[a-z0-9]{5}" },
          { name: "REPLICAS", value: "3" },
        ],
        objects: [
          {
            apiVersion: "v1",
            kind: "Route",
            metadata: { name: `${ref("NAME")}-${ref("SUFFIX")}` },
            spec: { to: { name: ref("NAME") } },
          },
          {
            apiVersion: "v1",
            kind: "ReplicationController",
            metadata: { name: ref("NAME") },
            spec: { replicas: ref("{REPLICAS}") },
          },
        ],
      },
    });
    expect(r.status).toBe(201);
    const [route, rc] = r.json().objects;
    expect(route.apiVersion).toBe("route.openshift.io/v1");
    expect(route.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(route.spec.to.name).toBe("web");
    expect(rc).toMatchObject({ apiVersion: "v1", spec: { replicas: 3 } });
  });
});
