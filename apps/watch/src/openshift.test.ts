import { stripVTControlCharacters } from "node:util";
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { render } from "ink-testing-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureNamespace, eventually, FAST_INFORMER, type LoggedClient, loggedClient } from "../test/harness.ts";
import { App } from "./app.ts";
import { h } from "./h.ts";
import { streamChanges } from "./stream-changes.ts";
import { WatchSession } from "./watch-session.ts";

let cluster: FakeCluster;
let logged: LoggedClient;

beforeAll(async () => {
  cluster = await startFakeCluster({ openshift: true });
  logged = await loggedClient(cluster);
  ensureNamespace(cluster, "shop");
  cluster.store.create({
    apiVersion: "route.openshift.io/v1",
    kind: "Route",
    metadata: { name: "web", namespace: "shop" },
    spec: { host: "web-shop.apps.example.com", to: { kind: "Service", name: "web", weight: 100 } },
  });
});
afterAll(async () => {
  await logged?.close();
  await cluster?.close();
});

describe("OpenShift resources (fake cluster with the OpenShift surface)", () => {
  it("finds routes, bc, is and dc through discovery, with the server's columns", async () => {
    const found = await Promise.all(["routes", "bc", "is", "dc"].map((n) => logged.client.mapper.find(n)));
    expect(found.map((r) => `${r.group}/${r.plural}`)).toEqual([
      "route.openshift.io/routes",
      "build.openshift.io/buildconfigs",
      "image.openshift.io/imagestreams",
      "apps.openshift.io/deploymentconfigs",
    ]);
    let text = "";
    const stop = new AbortController();
    const done = streamChanges(logged.client, found, {
      format: "table",
      scope: { namespace: "shop" },
      out: {
        write: (s: string) => {
          text += s;
        },
      },
      err: { write: () => undefined },
      signal: stop.signal,
      informer: FAST_INFORMER,
    });
    await eventually(() => text.includes("route.route.openshift.io/web"), "the route", { last: () => text });
    stop.abort();
    expect(await done).toBe(0);
    expect(text).toMatch(/EVENT +NAME +HOST\/PORT +PATH +SERVICES/);
    expect(text).toMatch(/ADDED +route\.route\.openshift\.io\/web +web-shop\.apps\.example\.com/);
  });

  it(": switches to routes in the UI", async () => {
    const session = new WatchSession(
      logged.client,
      { context: "ocp", server: cluster.url, user: "admin", namespace: "shop" },
      [await logged.client.mapper.find("po")],
      { scope: { namespace: "shop" }, informer: FAST_INFORMER },
    );
    const ui = render(h(App, { session, size: { columns: 150, rows: 12 }, color: false, frameIntervalMs: 10 }));
    const frame = (): string => stripVTControlCharacters(ui.lastFrame() ?? "");
    try {
      await eventually(() => frame().includes("● watching"), "watching", { last: frame });
      ui.stdin.write(":routes\r");
      await eventually(
        () => frame().includes("routes.route.openshift.io") && frame().includes("web-shop.apps.example.com"),
        "routes",
        {
          last: frame,
        },
      );
      expect(frame()).toMatch(/NAME +HOST\/PORT +PATH +SERVICES/);
    } finally {
      ui.unmount();
      await session.stop();
    }
  });
});
