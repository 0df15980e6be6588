import { readFileSync } from "node:fs";
import { ApiError, isForbidden, isNotFound, isUnauthorized } from "@kubeshift/transport";
import { defineResource } from "@kubeshift/types";
import { Pod } from "@kubeshift/types/core/v1";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { type Fixture, replayTransport } from "../test/replay-transport.ts";
import { createClient } from "./client.ts";

const k8s = (p: string): Fixture =>
  JSON.parse(readFileSync(fixturePath(`kubernetes-v1.20.2/${p}.json`), "utf8")) as Fixture;
const SERVER = "https://127.0.0.1:16443";

function clientFor(...fixtures: Fixture[]) {
  return createClient({
    transport: replayTransport(
      fixtures.flatMap((f) => f.exchanges),
      { reuse: true },
    ),
    server: SERVER,
    namespace: "fx-errors",
  });
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

const Widget = defineResource({ group: "", version: "v1", kind: "Widget", plural: "widgets", namespaced: true });
const AppsWidget = defineResource({
  group: "apps",
  version: "v1",
  kind: "Widget",
  plural: "widgets",
  namespaced: true,
});
const Thing = defineResource({
  group: "nope.example.com",
  version: "v1",
  kind: "Thing",
  plural: "things",
  namespaced: false,
});

describe("what-to-do hints on ApiErrors", () => {
  it("401 (a token the server does not know) says to log in again", async () => {
    const error = await failure(clientFor(k8s("errors/bad-token")).list(Pod));
    expect(isUnauthorized(error)).toBe(true);
    expect(error.message).toMatch(
      /^Cannot GET "\/api\/v1\/namespaces\/fx-errors\/pods": Unauthorized \(401\): Unauthorized\. /,
    );
    expect(error.message).toMatch(/log in again/);
  });

  it("403 as system:anonymous keeps the server's RBAC sentence and says no credentials were sent", async () => {
    const error = await failure(clientFor(k8s("errors/no-token")).list(Pod));
    expect(isForbidden(error)).toBe(true);
    expect(error.message).toContain('pods is forbidden: User "system:anonymous" cannot list resource "pods"');
    expect(error.message).toMatch(/No credentials reached the server/);
  });

  it("403 for a known user is the server's RBAC sentence, without an extra hint", async () => {
    const error = await failure(clientFor(k8s("errors/forbidden-list-pods")).list(Pod));
    expect(error.message).toBe(
      'Cannot GET "/api/v1/namespaces/fx-errors/pods": Forbidden (403): pods is forbidden: User "token-user" cannot list resource "pods" in API group "" in the namespace "fx-errors"',
    );
  });

  it("404 on a kind the core group does not serve lists what /api/v1 serves", async () => {
    const error = await failure(clientFor(k8s("errors/unknown-resource-path"), k8s("discovery/api-v1")).list(Widget));
    expect(isNotFound(error)).toBe(true);
    expect(error.message).toMatch(
      /This cluster does not serve "widgets" in \/api\/v1; it serves: bindings, componentstatuses, configmaps, /,
    );
    // The Status itself is left as the server sent it.
    expect(error.apiStatus.message).toBe("the server could not find the requested resource");
  });

  it("404 on a kind of a served group lists that group/version's resources", async () => {
    const error = await failure(
      clientFor(k8s("errors/unknown-resource-path"), k8s("discovery/apis-apps-v1")).list(AppsWidget),
    );
    expect(error.message).toMatch(
      /does not serve "widgets" in \/apis\/apps\/v1; it serves: controllerrevisions, daemonsets, deployments, replicasets, statefulsets/,
    );
  });

  it("404 (plain text) on a group the cluster does not serve lists the served groups", async () => {
    const error = await failure(clientFor(k8s("errors/unknown-resource-path"), k8s("discovery/apis")).list(Thing));
    expect(error.message).toMatch(
      /^Cannot GET "\/apis\/nope.example.com\/v1\/things": NotFound \(404\): 404 page not found\. /,
    );
    expect(error.message).toMatch(
      /does not serve the API group "nope.example.com"; it serves: apiregistration.k8s.io, apps, /,
    );
  });

  it("404 for a missing object names the object and adds nothing", async () => {
    const error = await failure(clientFor(k8s("errors/get-missing-pod")).get(Pod, "nope"));
    expect(error.message).toBe(
      'Cannot GET "/api/v1/namespaces/fx-errors/pods/nope": NotFound (404): pods "nope" not found',
    );
  });
});
