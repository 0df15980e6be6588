import { readFileSync } from "node:fs";
import { ApiError, isNotFound } from "@kubeshift/transport";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { openshiftDiscovery } from "../test/fixture-sets.ts";
import { type Fixture, replayTransport, scriptedTransport } from "../test/replay-transport.ts";
import { createClient } from "./client.ts";

const fixture = (p: string): Fixture => JSON.parse(readFileSync(fixturePath(`${p}.json`), "utf8")) as Fixture;
const SERVER = "https://127.0.0.1:18443";

function openshiftClient(now?: () => number) {
  const transport = replayTransport(openshiftDiscovery(fixture), { ignoreQuery: true, reuse: true });
  return { transport, client: createClient({ transport, server: SERVER, ...(now ? { now } : {}) }) };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

describe("ResourceMapper.resolve()", () => {
  it("maps apiVersion/kind to the group resource, and legacy v1 kinds core does not serve to /oapi/v1", async () => {
    const { client } = openshiftClient();
    expect((await client.mapper.resolve({ apiVersion: "route.openshift.io/v1", kind: "Route" })).apiPath).toBe(
      "/apis/route.openshift.io/v1",
    );
    const legacyRoute = await client.mapper.resolve({ apiVersion: "v1", kind: "Route" });
    expect(legacyRoute).toMatchObject({ apiPath: "/oapi/v1", plural: "routes", namespaced: true });
    // Core wins for the kinds it serves.
    expect((await client.mapper.resolve({ apiVersion: "v1", kind: "ServiceAccount" })).apiPath).toBe("/api/v1");
    expect((await client.mapper.resolve({ apiVersion: "apps/v1beta1", kind: "Deployment" })).version).toBe("v1beta1");
  });

  it("answers a kind the cluster does not serve with NotFound listing what it serves", async () => {
    const { client } = openshiftClient();
    const unknownGroup = await failure(client.mapper.resolve({ apiVersion: "example.com/v1", kind: "Widget" }));
    expect(isNotFound(unknownGroup)).toBe(true);
    expect(unknownGroup.message).toMatch(
      /no matches for kind "Widget" in version "example.com\/v1": this cluster does not serve the group "example.com"; it serves: core, apiregistration.k8s.io, /,
    );
    const wrongVersion = await failure(client.mapper.resolve({ apiVersion: "apps/v2", kind: "Deployment" }));
    expect(wrongVersion.message).toMatch(/the cluster serves Deployment as .*apps\/v1/);
    const wrongKind = await failure(client.mapper.resolve({ apiVersion: "apps/v1", kind: "Nope" }));
    expect(wrongKind.message).toMatch(
      /apps\/v1 serves: ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet/,
    );
  });

  it("rejects a reference without apiVersion or kind with a TypeError", async () => {
    const { client } = openshiftClient();
    expect(await client.mapper.resolve({ apiVersion: "v1", kind: "" }).catch((e: unknown) => e)).toBeInstanceOf(
      TypeError,
    );
  });
});

describe("ResourceMapper.find()", () => {
  it.each([
    ["po", "/api/v1", "pods"],
    ["pods", "/api/v1", "pods"],
    ["Pod", "/api/v1", "pods"],
    // OpenShift 3.11 lists extensions before apps in /apis; kubectl 1.11 resolved "deploy" there too.
    ["deploy", "/apis/extensions/v1beta1", "deployments"],
    ["deployments.apps", "/apis/apps/v1", "deployments"],
    ["deployment.v1beta1.apps", "/apis/apps/v1beta1", "deployments"],
    ["dc", "/apis/apps.openshift.io/v1", "deploymentconfigs"],
    ["routes", "/apis/route.openshift.io/v1", "routes"],
    ["sa", "/api/v1", "serviceaccounts"],
  ])("finds %s the way kubectl does", async (name, apiPath, plural) => {
    const { client } = openshiftClient();
    expect(await client.mapper.find(name)).toMatchObject({ apiPath, plural });
  });

  it("answers an unknown name with NotFound listing the served resources", async () => {
    const { client } = openshiftClient();
    const error = await failure(client.mapper.find("widgets"));
    expect(error.message).toMatch(/the server doesn't have a resource type "widgets"; it serves: /);
  });
});

describe("ResourceMapper cache", () => {
  it("reuses discovery until the TTL expires, then asks again", async () => {
    let now = 1_000_000;
    const { client, transport } = openshiftClient(() => now);
    await client.mapper.find("po");
    const first = transport.seen.length;
    expect(first).toBeGreaterThan(30);
    await client.mapper.resolve({ apiVersion: "v1", kind: "Pod" });
    expect(transport.seen.length).toBe(first);
    now += 5 * 60_000 + 1;
    await client.mapper.find("po");
    expect(transport.seen.length).toBe(2 * first);
  });

  it("refreshes once when a kind is missing (a CRD created a moment ago)", async () => {
    let crdServed = false;
    const groups = { kind: "APIGroupList", groups: [] as unknown[] };
    const transport = scriptedTransport((_r, seen) => {
      switch (seen.url.pathname) {
        case "/api":
          return Response.json({ kind: "APIVersions", versions: [] });
        case "/apis":
          return Response.json(
            crdServed
              ? {
                  ...groups,
                  groups: [{ name: "example.com", versions: [{ groupVersion: "example.com/v1", version: "v1" }] }],
                }
              : groups,
          );
        default:
          return Response.json({
            kind: "APIResourceList",
            groupVersion: "example.com/v1",
            resources: [
              { name: "widgets", singularName: "widget", namespaced: true, kind: "Widget", verbs: ["get", "list"] },
            ],
          });
      }
    });
    const client = createClient({ transport, server: SERVER });
    await client.mapper.serverResources();
    crdServed = true;
    const widget = await client.mapper.resolve({ apiVersion: "example.com/v1", kind: "Widget" });
    expect(widget).toMatchObject({ plural: "widgets", apiPath: "/apis/example.com/v1", namespaced: true });
  });

  it("does not cache a failed discovery", async () => {
    let fail = true;
    const transport = scriptedTransport(() =>
      fail ? new Response("boom", { status: 500 }) : Response.json({ kind: "APIVersions", versions: [] }),
    );
    const client = createClient({ transport, server: SERVER });
    expect(await client.mapper.serverResources().catch((e: unknown) => e)).toBeInstanceOf(ApiError);
    fail = false;
    expect((await client.mapper.serverResources()).resources).toEqual([]);
  });

  it("rejects a negative TTL", () => {
    expect(() =>
      createClient({ transport: scriptedTransport(() => new Response()), server: SERVER, discoveryTtlMs: -1 }),
    ).toThrow(RangeError);
  });
});
