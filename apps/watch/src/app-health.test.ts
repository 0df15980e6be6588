import { stripVTControlCharacters } from "node:util";
import { allowAuthenticated, type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { render } from "ink-testing-library";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPod, ensureNamespace, eventually, type LoggedClient, loggedClient } from "../test/harness.ts";
import { App } from "./app.ts";
import { h } from "./h.ts";
import type { ResourceWatchOptions } from "./resource-watch.ts";
import { WatchSession } from "./watch-session.ts";

let cluster: FakeCluster;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  // "dev" may read everything but pods in the namespace "locked".
  cluster = await startFakeCluster({
    authorizer: (a) =>
      a.user.name === "dev" && a.resource === "pods" && a.namespace === "locked"
        ? { allowed: false }
        : allowAuthenticated(a),
  });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await cluster?.close();
});

async function client(user: string): Promise<LoggedClient & { token: string }> {
  const token = `token-${user}-${Math.random().toString(36).slice(2)}`;
  cluster.addUser({ name: user, token, groups: ["system:authenticated"] });
  const logged = await loggedClient(cluster, cluster.kubeconfigFor({ token }, { userName: user }));
  cleanups.push(() => logged.close());
  return { ...logged, token };
}

async function show(logged: LoggedClient, namespace: string, informer: ResourceWatchOptions["informer"]) {
  ensureNamespace(cluster, namespace);
  const session = new WatchSession(
    logged.client,
    { context: "ctx", server: cluster.url, user: "someone", namespace },
    [await logged.client.mapper.find("pods")],
    { scope: { namespace }, ...(informer === undefined ? {} : { informer }) },
  );
  const ui = render(h(App, { session, size: { columns: 180, rows: 12 }, color: false, frameIntervalMs: 10 }));
  cleanups.push(async () => {
    ui.unmount();
    await session.stop();
  });
  const frame = (): string => stripVTControlCharacters(ui.lastFrame() ?? "");
  const until = (what: string, test: (f: string) => boolean, timeoutMs = 8000) =>
    eventually(() => test(frame()), what, { last: frame, timeoutMs });
  return { frame, until, session };
}

describe("App health header (against the fake cluster)", () => {
  it("says watching, then reconnecting in Ns while the server refuses connections, then watching again", async () => {
    createPod(cluster, "health-a", "web-1");
    // The first watch's connection is destroyed on its first event, so that no kept-alive socket survives.
    cluster.faults.add({
      match: { verb: "watch", resource: "pods", namespace: "health-a" },
      times: 1,
      dropAfterEvents: 1,
    });
    const { until, session } = await show(await client("ops"), "health-a", {
      backoff: { initialMs: 3000, maxMs: 6000 },
    });
    await until("watching", (f) => f.includes("● watching") && f.includes("web-1"));
    const refused = cluster.faults.refuseConnections(2500);
    createPod(cluster, "health-a", "web-2");
    await until("reconnecting with a countdown", (f) => /● reconnecting in [1-9]s \(connection lost\)/.test(f));
    await refused;
    await until(
      "watching again, with the pod created meanwhile",
      (f) => f.includes("● watching") && f.includes("web-2"),
      15_000,
    );
    expect(session.active.informer?.stats.watchRestarts).toBeGreaterThan(0);
  });

  it("says unauthorized (log in again) when the token is revoked while watching, and keeps the rows", async () => {
    createPod(cluster, "health-b", "web-1");
    const logged = await client("expiring");
    const { until, frame } = await show(logged, "health-b", { backoff: { initialMs: 50, maxMs: 200 } });
    await until("watching", (f) => f.includes("● watching") && f.includes("web-1"));
    expect(cluster.revokeToken(logged.token)).toBe(true);
    cluster.faults.closeAllWatches();
    await until("unauthorized", (f) => f.includes("● unauthorized: log in again"));
    expect(frame()).toContain("credentials were refused; log in again");
    expect(frame()).toContain("web-1");
  });

  it("shows the server's RBAC sentence when listing is forbidden, and the header says forbidden", async () => {
    createPod(cluster, "locked", "secret-pod");
    const { until, frame } = await show(await client("dev"), "locked", { backoff: { initialMs: 2000, maxMs: 4000 } });
    await until("forbidden", (f) =>
      f.includes('pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "locked"'),
    );
    await until("header", (f) => /● reconnecting in \d+s \(forbidden\)/.test(f));
    expect(frame()).not.toContain("secret-pod");
  });
});
