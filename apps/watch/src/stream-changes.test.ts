import { allowAuthenticated, type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPod, eventually, FAST_INFORMER, type LoggedClient, loggedClient, setPodState } from "../test/harness.ts";
import { streamChanges } from "./stream-changes.ts";

let cluster: FakeCluster;
let logged: LoggedClient;
let n = 0;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  cluster = await startFakeCluster({
    authorizer: (a) => (a.user.name === "dev" && a.resource === "pods" ? { allowed: false } : allowAuthenticated(a)),
  });
  logged = await loggedClient(cluster);
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
afterAll(async () => {
  await logged?.close();
  await cluster?.close();
});

function sink() {
  let text = "";
  return {
    write: (s: string) => {
      text += s;
    },
    get text() {
      return text;
    },
    lines: () => text.split("\n").filter((l) => l !== ""),
  };
}

async function start(
  resources: string[],
  options: { namespace?: string | undefined; format?: "table" | "wide" | "json"; client?: LoggedClient } = {},
) {
  const client = options.client ?? logged;
  const found = [];
  for (const r of resources) found.push(await client.client.mapper.find(r));
  const out = sink();
  const err = sink();
  const stop = new AbortController();
  const done = streamChanges(client.client, found, {
    format: options.format ?? "table",
    scope: { namespace: options.namespace },
    out,
    err,
    signal: stop.signal,
    informer: FAST_INFORMER,
  });
  cleanups.push(() => {
    stop.abort();
    return done;
  });
  return { out, err, stop, done };
}

describe("streamChanges() (no terminal)", () => {
  it("prints the current pods as ADDED lines in namespace/name order, then one line per change, aligned like kubectl", async () => {
    const ns = `stream-${++n}`;
    createPod(cluster, ns, "web-2");
    createPod(cluster, ns, "api-1", { state: "Pending" });
    createPod(cluster, ns, "web-1");
    const { out, stop, done } = await start(["pods"], { namespace: ns });
    await eventually(() => out.lines().length >= 4, "the first list", { last: () => out.text });
    expect(out.lines()[0]).toMatch(/^EVENT +NAME +READY +STATUS +RESTARTS +AGE$/);
    expect(out.lines().slice(1, 4)).toEqual([
      expect.stringMatching(/^ADDED +api-1 +0\/1 +Pending +0 +\d+s$/),
      expect.stringMatching(/^ADDED +web-1 +1\/1 +Running +0 +\d+s$/),
      expect.stringMatching(/^ADDED +web-2 +1\/1 +Running +0 +\d+s$/),
    ]);
    const header = out.lines()[0] as string;
    expect((out.lines()[1] as string).indexOf("0/1")).toBe(header.indexOf("READY"));
    setPodState(cluster, ns, "api-1", "Running");
    await eventually(() => out.lines().some((l) => /^MODIFIED +api-1 +1\/1 +Running/.test(l)), "MODIFIED", {
      last: () => out.text,
    });
    cluster.store.delete({ apiVersion: "v1", kind: "Pod" }, "web-2", ns);
    await eventually(() => out.lines().some((l) => /^DELETED +web-2 /.test(l)), "DELETED", { last: () => out.text });
    // Append-only: nothing printed before is ever rewritten, and the header came once.
    expect(out.text).not.toContain("\u001B");
    expect(out.lines().filter((l) => l.startsWith("EVENT"))).toHaveLength(1);
    stop.abort();
    expect(await done).toBe(0);
  });

  it("across namespaces adds a NAMESPACE column", async () => {
    const ns = `stream-${++n}`;
    createPod(cluster, ns, "web-1");
    const { out, stop, done } = await start(["pods"], { namespace: undefined });
    await eventually(() => out.text.includes("web-1"), "the pod", { last: () => out.text });
    expect(out.lines()[0]).toMatch(/^EVENT +NAMESPACE +NAME +READY/);
    expect(out.text).toMatch(new RegExp(`ADDED +${ns} +web-1 +1/1 +Running`));
    stop.abort();
    expect(await done).toBe(0);
  });

  it("sends --field-selector to the server: only matching pods are listed and watched", async () => {
    const ns = `stream-${++n}`;
    createPod(cluster, ns, "web-1");
    createPod(cluster, ns, "api-1", { state: "Pending" });
    const found = await logged.client.mapper.find("pods");
    const out = sink();
    const stop = new AbortController();
    const before = logged.urls.length;
    const done = streamChanges(logged.client, [found], {
      format: "table",
      scope: { namespace: ns, fieldSelector: "status.phase=Running" },
      out,
      err: sink(),
      signal: stop.signal,
      informer: FAST_INFORMER,
    });
    cleanups.push(() => {
      stop.abort();
      return done;
    });
    await eventually(() => out.text.includes("web-1"), "the running pod", { last: () => out.text });
    setPodState(cluster, ns, "api-1", "Running");
    await eventually(() => out.text.includes("api-1"), "a pod that starts matching", { last: () => out.text });
    expect(out.lines().filter((l) => l.includes("Pending"))).toEqual([]);
    const sent = logged.urls.slice(before).filter((u) => u.pathname === `/api/v1/namespaces/${ns}/pods`);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((u) => u.searchParams.get("fieldSelector") === "status.phase=Running")).toBe(true);
  });

  it("-o json prints one watch event per line ({type, object}), managedFields dropped", async () => {
    const ns = `stream-${++n}`;
    createPod(cluster, ns, "web-1");
    const { out, stop, done } = await start(["pods"], { namespace: ns, format: "json" });
    await eventually(() => out.lines().length >= 1, "the first event");
    setPodState(cluster, ns, "web-1", "CrashLoopBackOff", 1);
    await eventually(() => out.lines().length >= 2, "the second event", { last: () => out.text });
    cluster.store.delete({ apiVersion: "v1", kind: "Pod" }, "web-1", ns);
    await eventually(() => out.lines().some((l) => l.startsWith('{"type":"DELETED"')), "DELETED", {
      last: () => out.text,
    });
    type Obj = { kind?: string; metadata: { name?: string; managedFields?: unknown }; status?: Status };
    type Status = { containerStatuses?: { restartCount?: number }[] };
    const events = out.lines().map((l) => JSON.parse(l) as { type: string; object: Obj });
    expect(events[0]?.type).toBe("ADDED");
    expect(events[0]?.object.kind).toBe("Pod");
    expect(events[0]?.object.metadata.name).toBe("web-1");
    expect(events[0]?.object.metadata.managedFields).toBeUndefined();
    expect(
      events.some((e) => e.type === "MODIFIED" && e.object.status?.containerStatuses?.[0]?.restartCount === 1),
    ).toBe(true);
    stop.abort();
    expect(await done).toBe(0);
  });

  it("several resources: kubectl's kind/name names, and a header whenever the kind changes", async () => {
    const ns = `stream-${++n}`;
    createPod(cluster, ns, "web-1");
    cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: ns } });
    const { out, stop, done } = await start(["po", "cm"], { namespace: ns });
    await eventually(() => out.text.includes("pod/web-1") && out.text.includes("configmap/settings"), "both kinds", {
      last: () => out.text,
    });
    expect(out.text).toMatch(/EVENT +NAME +READY +STATUS/);
    expect(out.text).toMatch(/EVENT +NAME +DATA +AGE/);
    cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "more", namespace: ns } });
    createPod(cluster, ns, "web-2");
    await eventually(() => out.text.includes("pod/web-2") && out.text.includes("configmap/more"), "changes", {
      last: () => out.text,
    });
    const lines = out.lines();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.startsWith("EVENT")) continue;
      // Every row sits under a header of its own kind.
      const header = lines
        .slice(0, i)
        .reverse()
        .find((l) => l.startsWith("EVENT")) as string;
      expect(header.includes("READY")).toBe(line.includes("pod/"));
    }
    stop.abort();
    expect(await done).toBe(0);
  });

  it("ends with status 1 and the server's RBAC sentence when the first list is forbidden", async () => {
    const token = "dev-token-stream";
    cluster.addUser({ name: "dev", token, groups: ["system:authenticated"] });
    const dev = await loggedClient(cluster, cluster.kubeconfigFor({ token }, { userName: "dev" }));
    try {
      const { out, err, done } = await start(["pods"], { namespace: "default", client: dev });
      expect(await done).toBe(1);
      expect(out.text).toBe("");
      expect(err.text).toContain(
        'forbidden: pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "default"',
      );
      expect(err.text).toContain("Ask a cluster administrator");
    } finally {
      await dev.close();
    }
  });

  it("says so on stderr when there is nothing yet, and prints the header with the first row", async () => {
    const ns = `stream-${++n}`;
    cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    const { out, err, stop, done } = await start(["pods"], { namespace: ns });
    await eventually(() => err.text.includes(`No pods found in ${ns} namespace.`), "the notice");
    expect(out.text).toBe("");
    createPod(cluster, ns, "late-1");
    await eventually(() => out.lines().length >= 2, "header and row", { last: () => out.text });
    expect(out.lines()[0]).toMatch(/^EVENT +NAME +READY/);
    expect(out.lines()[1]).toMatch(/^ADDED +late-1 +0\/1 +Pending/);
    // Aligned on the first row when the first list was empty.
    expect((out.lines()[1] as string).indexOf("0/1")).toBe((out.lines()[0] as string).indexOf("READY"));
    stop.abort();
    expect(await done).toBe(0);
  });
});
