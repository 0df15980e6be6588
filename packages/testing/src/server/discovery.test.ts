import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

let cluster: FakeCluster;

beforeAll(async () => {
  cluster = await startFakeCluster({ tls: false });
});
afterAll(async () => {
  await cluster.close();
});

const AGGREGATED_V2 =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

describe("discovery", () => {
  it("serves /api, /apis, /apis/<group> and the resource lists with subresources", async () => {
    const api = (await call(cluster, "GET", "/api")).json();
    expect(api).toEqual({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: `127.0.0.1:${cluster.port}` }],
    });
    const apis = (await call(cluster, "GET", "/apis")).json();
    expect(apis.kind).toBe("APIGroupList");
    const apps = apis.groups.find((g: { name: string }) => g.name === "apps");
    expect(apps).toEqual({
      name: "apps",
      versions: [{ groupVersion: "apps/v1", version: "v1" }],
      preferredVersion: { groupVersion: "apps/v1", version: "v1" },
    });
    const autoscaling = apis.groups.find((g: { name: string }) => g.name === "autoscaling");
    expect(autoscaling.preferredVersion.version).toBe("v2");
    expect((await call(cluster, "GET", "/apis/apps")).json()).toEqual({
      kind: "APIGroup",
      apiVersion: "v1",
      name: "apps",
      ...apps,
    });
    const v1 = (await call(cluster, "GET", "/api/v1")).json();
    expect(v1.apiVersion).toBeUndefined();
    expect(v1.groupVersion).toBe("v1");
    const pods = v1.resources.find((r: { name: string }) => r.name === "pods");
    expect(pods).toMatchObject({
      singularName: "pod",
      namespaced: true,
      kind: "Pod",
      shortNames: ["po"],
      categories: ["all"],
    });
    expect(pods.verbs).toEqual(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
    expect(v1.resources.find((r: { name: string }) => r.name === "pods/log")).toEqual({
      name: "pods/log",
      singularName: "",
      namespaced: true,
      kind: "Pod",
      verbs: ["get"],
    });
    const appsV1 = (await call(cluster, "GET", "/apis/apps/v1")).json();
    expect(appsV1).toMatchObject({ kind: "APIResourceList", apiVersion: "v1", groupVersion: "apps/v1" });
    expect(appsV1.resources.find((r: { name: string }) => r.name === "deployments/scale")).toEqual({
      name: "deployments/scale",
      singularName: "",
      namespaced: true,
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: ["get", "patch", "update"],
    });
  });

  it("answers the aggregated Accept of kubectl 1.27+ with APIGroupDiscoveryList (v2 and v2beta1) and its content type", async () => {
    const r = await call(cluster, "GET", "/apis", { headers: { Accept: AGGREGATED_V2 } });
    expect(r.headers["content-type"]).toBe("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    const list = r.json();
    expect(list).toMatchObject({ kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2" });
    const apps = list.items.find((i: { metadata: { name: string } }) => i.metadata.name === "apps");
    const deployments = apps.versions[0].resources.find((r: { resource: string }) => r.resource === "deployments");
    expect(deployments).toMatchObject({
      responseKind: { group: "", version: "", kind: "Deployment" },
      scope: "Namespaced",
      singularResource: "deployment",
      shortNames: ["deploy"],
    });
    expect(deployments.subresources).toContainEqual({
      subresource: "scale",
      responseKind: { group: "autoscaling", version: "v1", kind: "Scale" },
      verbs: ["get", "patch", "update"],
    });
    const beta = await call(cluster, "GET", "/api", {
      headers: { Accept: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json" },
    });
    expect(beta.json().apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
    expect(beta.json().items[0].versions[0].version).toBe("v1");
  });

  it("falls back to the plain document without aggregated Accept, and answers 406 when only aggregated is acceptable to a non-discovery path", async () => {
    expect((await call(cluster, "GET", "/apis", { headers: { Accept: "application/json" } })).json().kind).toBe(
      "APIGroupList",
    );
    const r = await call(cluster, "GET", "/api/v1", {
      headers: { Accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList" },
    });
    expect(r.status).toBe(406);
  });

  it("serves /version, health checks with verbose output, and the root path list", async () => {
    expect((await call(cluster, "GET", "/version")).json()).toMatchObject({
      major: "1",
      minor: "34",
      gitVersion: "v1.34.1",
      platform: "linux/amd64",
    });
    const healthz = await call(cluster, "GET", "/healthz");
    expect(healthz.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(healthz.text).toBe("ok");
    expect((await call(cluster, "GET", "/readyz?verbose")).text).toMatch(
      /^\[\+\]ping ok\n[\s\S]*readyz check passed\n$/,
    );
    expect((await call(cluster, "GET", "/livez/ping")).text).toBe("ok");
    const nope = await call(cluster, "GET", "/nope");
    expect(nope.status).toBe(404);
    expect(nope.json().paths).toContain("/apis/apps/v1");
  });
});
