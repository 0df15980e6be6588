import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixturePath, specPath } from "../../../tools/shared-dir.ts";
import { openshiftDiscovery } from "../test/fixture-sets.ts";
import { type Fixture, replayTransport, scriptedTransport } from "../test/replay-transport.ts";
import { createClient } from "./client.ts";
import { AGGREGATED_DISCOVERY_ACCEPT, apiPathOf } from "./discovery.ts";

const fixture = (p: string): Fixture => JSON.parse(readFileSync(fixturePath(`${p}.json`), "utf8")) as Fixture;
const SERVER = "https://127.0.0.1:18443";

describe("Discovery documents", () => {
  it("version(), coreVersions(), groups() and resources() return the recorded documents", async () => {
    const transport = replayTransport(
      ["version", "api", "apis", "api-v1", "apis-apps-v1"].flatMap(
        (n) => fixture(`kubernetes-v1.20.2/discovery/${n}`).exchanges,
      ),
    );
    const client = createClient({ transport, server: SERVER });
    expect((await client.discovery.version()).gitVersion).toBe("v1.20.2");
    expect((await client.discovery.coreVersions()).versions).toEqual(["v1"]);
    expect((await client.discovery.groups()).groups.map((g) => g.name)).toContain("apps");
    expect((await client.discovery.resources("v1")).groupVersion).toBe("v1");
    expect((await client.discovery.resources("apps/v1")).resources.map((r) => r.name)).toContain("deployments/scale");
    expect(transport.seen.map((s) => s.url.pathname)).toEqual([
      "/version",
      "/api",
      "/apis",
      "/api/v1",
      "/apis/apps/v1",
    ]);
  });

  it("apiPathOf() places core under /api and groups under /apis", () => {
    expect(apiPathOf("", "v1")).toBe("/api/v1");
    expect(apiPathOf("apps", "v1")).toBe("/apis/apps/v1");
  });
});

describe("Discovery.serverResources()", () => {
  it("falls back to per-group/version documents on OpenShift 3.11 and adds the legacy /oapi/v1 kinds", async () => {
    const transport = replayTransport(openshiftDiscovery(fixture), { ignoreQuery: true });
    const client = createClient({ transport, server: SERVER });
    const all = await client.discovery.serverResources();
    expect(all.aggregated).toBe(false);
    expect(all.legacyOpenShift).toBe(true);
    expect(all.failed).toEqual([]);
    // /api and /apis were asked for aggregated discovery with the plain documents as fallback.
    expect(transport.seen[0]?.headers.get("accept")).toBe(AGGREGATED_DISCOVERY_ACCEPT);
    const route = all.resources.filter((r) => r.kind === "Route").map((r) => r.apiPath);
    expect(route).toEqual(["/apis/route.openshift.io/v1", "/oapi/v1"]);
    const pods = all.resources.find((r) => r.plural === "pods");
    expect(pods).toMatchObject({
      apiVersion: "v1",
      namespaced: true,
      shortNames: ["po"],
      preferred: true,
      singular: "pod",
    });
    expect(pods?.subresources).toEqual(expect.arrayContaining(["log", "status", "eviction", "exec"]));
    expect(pods?.subresourceKinds.eviction).toEqual({ group: "policy", version: "v1beta1", kind: "Eviction" });
    expect(
      all.resources.find((r) => r.plural === "deployments" && r.group === "apps" && r.version === "v1")?.preferred,
    ).toBe(true);
    expect(
      all.resources.find((r) => r.plural === "deployments" && r.group === "apps" && r.version === "v1beta1")?.preferred,
    ).toBe(false);
    // Core first, legacy /oapi/v1 last.
    expect(all.resources[0]?.group).toBe("");
    expect(all.resources.at(-1)?.apiPath).toBe("/oapi/v1");
  });

  it("reports a group/version that fails instead of failing discovery", async () => {
    const transport = replayTransport(
      ["api", "apis", "api-v1", "apis-apps-v1", "apis-rbac-v1"].flatMap(
        (n) => fixture(`kubernetes-v1.20.2/discovery/${n}`).exchanges,
      ),
      {
        fallback: () =>
          Response.json(
            { kind: "Status", status: "Failure", reason: "ServiceUnavailable", code: 503, message: "metrics down" },
            { status: 503 },
          ),
      },
    );
    const client = createClient({ transport, server: SERVER });
    const all = await client.discovery.serverResources();
    expect(all.legacyOpenShift).toBe(false);
    expect(all.failed.map((f) => f.groupVersion)).toContain("apiregistration.k8s.io/v1");
    expect(all.failed.find((f) => f.groupVersion === "batch/v1")?.reason).toMatch(
      /ServiceUnavailable \(503\): metrics down/,
    );
    expect(all.resources.some((r) => r.plural === "deployments")).toBe(true);
    expect(all.resources.some((r) => r.plural === "clusterroles")).toBe(true);
  });

  it("reads aggregated discovery (apidiscovery.k8s.io/v2) in one request per root", async () => {
    const named = JSON.parse(readFileSync(specPath("openshift/oauth-apiserver/discovery/aggregated_v2.json"), "utf8"));
    const core = {
      kind: "APIGroupDiscoveryList",
      apiVersion: "apidiscovery.k8s.io/v2",
      items: [
        {
          metadata: { name: "" },
          versions: [
            {
              version: "v1",
              resources: [
                {
                  resource: "pods",
                  responseKind: { group: "", version: "v1", kind: "Pod" },
                  scope: "Namespaced",
                  singularResource: "pod",
                  verbs: ["get", "list"],
                  shortNames: ["po"],
                  subresources: [
                    {
                      subresource: "eviction",
                      responseKind: { group: "policy", version: "v1", kind: "Eviction" },
                      verbs: ["create"],
                    },
                    { subresource: "log", responseKind: { group: "", version: "", kind: "Pod" }, verbs: ["get"] },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const transport = scriptedTransport((_r, seen) =>
      seen.url.pathname === "/oapi/v1"
        ? new Response("404 page not found\n", { status: 404, headers: { "content-type": "text/plain" } })
        : Response.json(seen.url.pathname === "/api" ? core : named, {
            headers: { "content-type": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList" },
          }),
    );
    const client = createClient({ transport, server: SERVER });
    const all = await client.discovery.serverResources();
    expect(all.aggregated).toBe(true);
    // /api, /apis, and the probe of legacy /oapi/v1 that OpenShift groups trigger.
    expect(transport.seen.map((s) => s.url.pathname)).toEqual(["/api", "/apis", "/oapi/v1"]);
    expect(all.groups.map((g) => g.name)).toEqual(["", "oauth.openshift.io", "user.openshift.io"]);
    const users = all.resources.find((r) => r.plural === "users");
    expect(users).toMatchObject({
      apiVersion: "user.openshift.io/v1",
      kind: "User",
      namespaced: false,
      apiPath: "/apis/user.openshift.io/v1",
    });
    const pods = all.resources.find((r) => r.plural === "pods");
    expect(pods?.subresourceKinds).toEqual({
      eviction: { group: "policy", version: "v1", kind: "Eviction" },
      log: { group: "", version: "v1", kind: "Pod" },
    });
    // OpenShift groups but no /oapi: the 404 of the missing legacy API is not a failure.
    expect(all.legacyOpenShift).toBe(false);
  });

  it("a group/version answer that is not an APIResourceList is reported, not trusted", async () => {
    const transport = scriptedTransport((_r, seen) =>
      seen.url.pathname === "/api"
        ? Response.json({ kind: "APIVersions", versions: ["v1"] })
        : seen.url.pathname === "/apis"
          ? Response.json({ kind: "APIGroupList", groups: [] })
          : new Response("<html>login</html>"),
    );
    const client = createClient({ transport, server: SERVER });
    const all = await client.discovery.serverResources();
    expect(all.failed).toEqual([
      { groupVersion: "v1", reason: expect.stringMatching(/Cannot decode the answer to GET "\/api\/v1" as JSON/) },
    ]);
  });

  it("records stale aggregated versions as failed", async () => {
    const transport = scriptedTransport((_r, seen) =>
      Response.json(
        seen.url.pathname === "/api"
          ? { kind: "APIVersions", versions: [] }
          : {
              kind: "APIGroupDiscoveryList",
              items: [{ metadata: { name: "metrics.k8s.io" }, versions: [{ version: "v1beta1", freshness: "Stale" }] }],
            },
      ),
    );
    const client = createClient({ transport, server: SERVER });
    const all = await client.discovery.serverResources();
    expect(all.failed).toEqual([{ groupVersion: "metrics.k8s.io/v1beta1", reason: expect.stringMatching(/Stale/) }]);
  });
});
