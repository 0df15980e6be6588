import { readFileSync } from "node:fs";
import { isNotFound } from "@kubeshift/transport";
import { Pod } from "@kubeshift/types/core/v1";
import { describe, expect, expectTypeOf, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { openshiftDiscovery } from "../test/fixture-sets.ts";
import { type Fixture, replayTransport } from "../test/replay-transport.ts";
import { createClient } from "./client.ts";
import type { KubeObject } from "./kube-object.ts";

const fixture = (p: string): Fixture => JSON.parse(readFileSync(fixturePath(`${p}.json`), "utf8")) as Fixture;
const SERVER = "https://127.0.0.1:18443";

function openshiftClient(answer: (r: Request) => Response | undefined) {
  const transport = replayTransport(openshiftDiscovery(fixture), { ignoreQuery: true, reuse: true, fallback: answer });
  return { transport, client: createClient({ transport, server: SERVER, namespace: "fx-res" }) };
}

describe("client.dynamic()", () => {
  it("finds a legacy /oapi/v1 kind through discovery on first use and lists it", async () => {
    const { client, transport } = openshiftClient((r) =>
      new URL(r.url).pathname === "/oapi/v1/namespaces/fx-res/routes"
        ? Response.json({ kind: "RouteList", metadata: {}, items: [{ metadata: { name: "web" } }] })
        : undefined,
    );
    const routes = client.dynamic({ apiVersion: "v1", kind: "Route" });
    expect(transport.seen).toHaveLength(0);
    const list = await routes.list();
    expectTypeOf(list.items).toEqualTypeOf<KubeObject[]>();
    expect(list.items[0]?.metadata?.name).toBe("web");
    expect((await routes.descriptor()).apiPath).toBe("/oapi/v1");
  });

  it("rejects the verbs with NotFound listing what is served when the kind is not served", async () => {
    const { client } = openshiftClient(() => undefined);
    const widgets = client.dynamic({ apiVersion: "example.com/v1", kind: "Widget" });
    const error = await widgets.get("w1").catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
    expect((error as Error).message).toMatch(/no matches for kind "Widget"/);
  });

  it("rejects a reference without apiVersion or kind at once", () => {
    const { client } = openshiftClient(() => undefined);
    expect(() => client.dynamic({ apiVersion: "", kind: "X" })).toThrow(TypeError);
  });
});

describe("client.apply()", () => {
  it("finds the resource from apiVersion/kind (legacy route on 3.11) and sends an apply patch with the client's field manager", async () => {
    const { client, transport } = openshiftClient((r) => (r.method === "PATCH" ? new Response(r.body) : undefined));
    const route = {
      apiVersion: "v1",
      kind: "Route",
      metadata: { name: "web" },
      spec: { to: { kind: "Service", name: "web" } },
    };
    await client.apply(route, { force: true });
    const patch = transport.seen.find((s) => s.method === "PATCH");
    expect(patch?.url.pathname).toBe("/oapi/v1/namespaces/fx-res/routes/web");
    expect(Object.fromEntries(patch?.url.searchParams ?? [])).toEqual({ fieldManager: "kubeshift", force: "true" });
    expect(patch?.headers.get("content-type")).toBe("application/apply-patch+yaml");
    expect(JSON.parse(patch?.body ?? "")).toEqual(route);
  });

  it("rejects an object without metadata.name before asking discovery", async () => {
    const { client, transport } = openshiftClient(() => undefined);
    expect(
      await client.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: {} }).catch((e: unknown) => e),
    ).toBeInstanceOf(TypeError);
    expect(transport.seen).toHaveLength(0);
  });
});

describe("client.resource()", () => {
  it("binds the verbs to a typed descriptor", async () => {
    const { client, transport } = openshiftClient((r) =>
      r.method === "GET" ? Response.json({ kind: "Pod", metadata: { name: "p" } }) : undefined,
    );
    const pods = client.resource(Pod);
    const pod = await pods.get("p");
    expectTypeOf(pod).toEqualTypeOf<Pod>();
    expect(transport.seen[0]?.url.pathname).toBe("/api/v1/namespaces/fx-res/pods/p");
  });
});
