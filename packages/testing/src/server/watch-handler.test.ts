import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { call, events, stream } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

let cluster: FakeCluster;
let n = 0;

beforeAll(async () => {
  cluster = await startFakeCluster({ tls: false, tooLargeResourceVersionWaitMs: 200 });
});
afterAll(async () => {
  await cluster.close();
});

function ns(): string {
  const name = `w-${++n}`;
  cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  return name;
}

function cm(
  namespace: string,
  name: string,
  data: Record<string, string> = { k: "v" },
  labels?: Record<string, string>,
): object {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace, ...(labels ? { labels } : {}) }, data };
}

const CM = { apiVersion: "v1", kind: "ConfigMap" };

describe("watch over HTTP", () => {
  it("streams ADDED, MODIFIED and DELETED from the list resourceVersion, one JSON event per line", async () => {
    const w = ns();
    const list = (await call(cluster, "GET", `/api/v1/namespaces/${w}/configmaps`)).json();
    const s = await stream(
      cluster,
      `/api/v1/namespaces/${w}/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
    );
    expect(s.status).toBe(200);
    expect(s.headers["content-type"]).toBe("application/json");
    expect(s.headers["transfer-encoding"]).toBe("chunked");
    cluster.store.create(cm(w, "w1", { k: "v1" }));
    cluster.store.put(cm(w, "w1", { k: "v2" }));
    cluster.store.delete(CM, "w1", w);
    const evs = events(await s.waitFor(3));
    expect(evs.map((e) => [e.type, e.object.data.k])).toEqual([
      ["ADDED", "v1"],
      ["MODIFIED", "v2"],
      ["DELETED", "v2"],
    ]);
    expect(evs[0]?.object.kind).toBe("ConfigMap");
    const rvs = evs.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs[1]).toBeGreaterThan(rvs[0] as number);
    expect(rvs[2]).toBeGreaterThan(rvs[1] as number);
    s.close();
  });

  it("sends synthetic ADDED events for existing objects with resourceVersion 0 or none, then live events", async () => {
    const w = ns();
    cluster.store.create(cm(w, "pre-1"));
    cluster.store.create(cm(w, "pre-2"));
    for (const query of ["watch=true&resourceVersion=0", "watch=true"]) {
      const existing = cluster.store
        .list(CM, { namespace: w })
        .map((o) => `ADDED ${(o as { metadata: { name: string } }).metadata.name}`);
      const s = await stream(cluster, `/api/v1/namespaces/${w}/configmaps?${query}`);
      const initial = events(await s.waitFor(existing.length));
      expect(initial.map((e) => `${e.type} ${e.object.metadata.name}`).sort()).toEqual(existing.sort());
      expect(existing).toContain("ADDED pre-1");
      cluster.store.create(cm(w, `live-${query.length}`));
      const all = events(await s.waitFor(existing.length + 1));
      expect(all[existing.length]).toMatchObject({
        type: "ADDED",
        object: { metadata: { name: `live-${query.length}` } },
      });
      s.close();
    }
  });

  it("serves the legacy /watch/ paths, for a collection and for one object", async () => {
    const w = ns();
    cluster.store.create(cm(w, "one"));
    const rv = cluster.store.resourceVersion;
    const coll = await stream(cluster, `/api/v1/watch/namespaces/${w}/configmaps?resourceVersion=${rv}`);
    const single = await stream(cluster, `/api/v1/watch/namespaces/${w}/configmaps/one`);
    cluster.store.create(cm(w, "two"));
    cluster.store.put(cm(w, "one", { k: "changed" }));
    expect(events(await coll.waitFor(2)).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      "ADDED two",
      "MODIFIED one",
    ]);
    expect(events(await single.waitFor(2)).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      "ADDED one",
      "MODIFIED one",
    ]);
    coll.close();
    single.close();
  });

  it("turns label-selector transitions into ADDED and DELETED events, as the watch cache does", async () => {
    const w = ns();
    const rv = cluster.store.resourceVersion;
    const s = await stream(
      cluster,
      `/api/v1/namespaces/${w}/configmaps?watch=true&resourceVersion=${rv}&labelSelector=app%3Dx`,
    );
    cluster.store.create(cm(w, "t", { k: "1" }, { app: "y" }));
    cluster.store.put(cm(w, "t", { k: "2" }, { app: "x" }));
    cluster.store.put(cm(w, "t", { k: "3" }, { app: "x" }));
    cluster.store.put(cm(w, "t", { k: "4" }, { app: "y" }));
    const evs = events(await s.waitFor(3));
    expect(evs.map((e) => `${e.type} ${e.object.data.k}`)).toEqual(["ADDED 2", "MODIFIED 3", "DELETED 3"]);
    s.close();
  });

  it("ends at timeoutSeconds, after a bookmark carrying only the resourceVersion", async () => {
    await using c = await startFakeCluster({ tls: false, bookmarkIntervalMs: 300 });
    const rv = c.store.resourceVersion;
    const s = await stream(
      c,
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    c.store.create(cm("default", "b1"));
    expect(await s.ended).toBe("end");
    const evs = events(s.lines);
    expect(evs[0]).toMatchObject({ type: "ADDED", object: { metadata: { name: "b1" } } });
    const bookmark = evs.find((e) => e.type === "BOOKMARK");
    expect(bookmark?.object).toEqual({
      kind: "ConfigMap",
      apiVersion: "v1",
      metadata: { resourceVersion: c.store.resourceVersion, creationTimestamp: null },
    });
  });

  it("sends no bookmarks unless asked", async () => {
    await using c = await startFakeCluster({ tls: false, bookmarkIntervalMs: 50 });
    const s = await stream(
      c,
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${c.store.resourceVersion}&timeoutSeconds=1`,
    );
    await s.ended;
    expect(s.lines.filter((l) => l !== "")).toEqual([]);
  });

  it("WatchList: initial ADDED events, then the k8s.io/initial-events-end bookmark, then live events on the same stream", async () => {
    const w = ns();
    cluster.store.create(cm(w, "a"));
    cluster.store.create(cm(w, "b"));
    const s = await stream(
      cluster,
      `/api/v1/namespaces/${w}/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`,
    );
    const initial = events(await s.waitFor(3));
    expect(initial.slice(0, 2).map((e) => e.type)).toEqual(["ADDED", "ADDED"]);
    expect(initial[2]).toMatchObject({
      type: "BOOKMARK",
      object: { metadata: { annotations: { "k8s.io/initial-events-end": "true" } } },
    });
    // The bookmark carries the snapshot's resourceVersion: at least that of the last initial object, at most the
    // store's now (other tests' writes to this shared cluster may land in between).
    const rv = (e: { object?: unknown } | undefined): number =>
      Number((e?.object as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion);
    const marked = rv(initial[2]);
    const lastInitial = rv(initial[1]);
    expect(lastInitial).toBeGreaterThan(0);
    expect(marked).toBeGreaterThanOrEqual(lastInitial);
    expect(marked).toBeLessThanOrEqual(Number(cluster.store.resourceVersion));
    cluster.store.create(cm(w, "c"));
    expect(events(await s.waitFor(4))[3]).toMatchObject({ type: "ADDED", object: { metadata: { name: "c" } } });
    s.close();
  });

  it("refuses WatchList like a server without the feature (disabled) and ignores it like a pre-1.27 server", async () => {
    await using c = await startFakeCluster({ tls: false, watchList: "disabled" });
    const q =
      "/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan";
    const refused = await call(c, "GET", q);
    expect(refused.status).toBe(422);
    expect(refused.json().message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
    );
    c.settings.watchList = "ignored";
    const old = await call(c, "GET", q);
    expect(old.json().message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch, resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided]',
    );
    c.store.create(cm("default", "x"));
    const ignored = await stream(
      c,
      "/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&timeoutSeconds=1",
    );
    await ignored.ended;
    expect(events(ignored.lines).map((e) => e.type)).toEqual(["ADDED"]);
  });

  it("ignored-legacy: like a pre-1.19 server, ignores sendInitialEvents and resourceVersionMatch on watches and lists", async () => {
    await using c = await startFakeCluster({ tls: false, watchList: "ignored-legacy" });
    c.store.create(cm("default", "a"));
    c.store.create(cm("default", "b"));
    // What a WatchList client sends first: no 422, the state as synthetic ADDEDs from RV "", and no end bookmark.
    const s = await stream(
      c,
      "/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1",
    );
    expect(s.status).toBe(200);
    await s.waitFor(2);
    c.store.create(cm("default", "c"));
    expect(await s.ended).toBe("end");
    const seen = events(s.lines);
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED a", "ADDED b", "ADDED c"]);
    expect(seen.some((e) => e.object.metadata.annotations?.["k8s.io/initial-events-end"] !== undefined)).toBe(false);
    // A watch with resourceVersionMatch and no resourceVersion (refused by 1.19–1.26) is a plain watch here.
    const rvm = await stream(
      c,
      "/api/v1/namespaces/default/configmaps?watch=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1",
    );
    expect(rvm.status).toBe(200);
    await rvm.ended;
    expect(events(rvm.lines).map((e) => e.type)).toEqual(["ADDED", "ADDED", "ADDED"]);
    // LIST: resourceVersionMatch=Exact with resourceVersion=0 (a 422 since 1.19) and sendInitialEvents are ignored.
    const list = await call(
      c,
      "GET",
      "/api/v1/namespaces/default/configmaps?resourceVersion=0&resourceVersionMatch=Exact&sendInitialEvents=true",
    );
    expect(list.status).toBe(200);
    expect(list.json().items).toHaveLength(3);
    // The same requests on a 1.19–1.26 server ("ignored"): resourceVersionMatch is known there.
    c.settings.watchList = "ignored";
    expect(
      (await call(c, "GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersionMatch=NotOlderThan"))
        .status,
    ).toBe(422);
    const listed = await call(
      c,
      "GET",
      "/api/v1/namespaces/default/configmaps?resourceVersion=0&resourceVersionMatch=Exact&sendInitialEvents=true",
    );
    expect(listed.status).toBe(422);
    expect(listed.json().message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    );
  });

  it("answers an ERROR event with 410 Expired for a resourceVersion older than the history window, then closes", async () => {
    await using c = await startFakeCluster({ tls: false, historySize: 2 });
    const rv = c.store.resourceVersion;
    for (let i = 0; i < 5; i++) c.store.create(cm("default", `h${i}`));
    const s = await stream(c, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
    expect(s.status).toBe(200);
    expect(await s.ended).toBe("end");
    const [e] = events(s.lines);
    expect(e).toMatchObject({
      type: "ERROR",
      object: { kind: "Status", status: "Failure", reason: "Expired", code: 410 },
    });
    expect(e?.object.message).toMatch(new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`));
  });

  it("keeps a watch from a future resourceVersion open and silent", async () => {
    const s = await stream(
      cluster,
      "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=999999999&timeoutSeconds=1",
    );
    cluster.store.create(cm("default", "future-1"));
    expect(await s.ended).toBe("end");
    expect(s.lines.filter((l) => l !== "")).toEqual([]);
  });

  it("streams Tables for kubectl get -w: the first event carries the columns, later ones do not", async () => {
    const w = ns();
    const accept =
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    const s = await stream(
      cluster,
      `/api/v1/namespaces/${w}/configmaps?watch=true&resourceVersion=${cluster.store.resourceVersion}`,
      {
        headers: { Accept: accept },
      },
    );
    cluster.store.create(cm(w, "table-1"));
    cluster.store.delete(CM, "table-1", w);
    const [added, deleted] = events(await s.waitFor(2));
    expect(added).toMatchObject({ type: "ADDED", object: { kind: "Table", apiVersion: "meta.k8s.io/v1" } });
    expect(added?.object.columnDefinitions.length).toBeGreaterThan(0);
    expect(added?.object.rows[0].object).toMatchObject({
      kind: "PartialObjectMetadata",
      metadata: { name: "table-1" },
    });
    expect(deleted).toMatchObject({ type: "DELETED", object: { kind: "Table", columnDefinitions: null } });
    s.close();
  });
});

function wsOpen(
  c: FakeCluster,
  path: string,
  options: { protocols?: string[]; headers?: Record<string, string> },
): Promise<{ ws: WebSocket; status: number; messages: string[]; protocol: string; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(c.url.replace(/^http/, "ws") + path, options.protocols ?? [], {
      headers: options.headers ?? {},
    });
    const messages: string[] = [];
    ws.on("message", (d) => messages.push(String(d)));
    ws.on("open", () => resolve({ ws, status: 101, messages, protocol: ws.protocol, body: "" }));
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d));
      res.on("end", () => resolve({ ws, status: res.statusCode ?? 0, messages, protocol: "", body }));
    });
    ws.on("error", () => undefined);
  });
}

async function waitMessages(messages: string[], count: number): Promise<void> {
  const deadline = Date.now() + 3000;
  while (messages.length < count) {
    if (Date.now() > deadline) throw new Error(`timed out: ${messages.length} of ${count} messages`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("watch over websocket", () => {
  it("needs an Origin (403, no body) and at most one subprotocol (400, no body)", async () => {
    const path = "/api/v1/namespaces/default/configmaps?watch=true";
    const noOrigin = await wsOpen(cluster, path, { headers: { Authorization: `Bearer ${cluster.token}` } });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body).toBe("");
    const two = await wsOpen(cluster, path, {
      headers: { Authorization: `Bearer ${cluster.token}`, Origin: "http://localhost" },
      protocols: ["base64.binary.k8s.io", "v4.channel.k8s.io"],
    });
    expect(two.status).toBe(400);
    expect(two.body).toBe("");
  });

  it("sends one event per text message with a trailing newline and echoes the one subprotocol", async () => {
    const w = ns();
    cluster.store.create(cm(w, "pre"));
    const { ws, status, protocol, messages } = await wsOpen(cluster, `/api/v1/namespaces/${w}/configmaps?watch=true`, {
      headers: { Authorization: `Bearer ${cluster.token}`, Origin: "http://localhost" },
      protocols: ["base64.binary.k8s.io"],
    });
    expect(status).toBe(101);
    expect(protocol).toBe("base64.binary.k8s.io");
    cluster.store.create(cm(w, "live"));
    await waitMessages(messages, 2);
    expect(messages.every((m) => m.endsWith("}\n"))).toBe(true);
    expect(messages.map((m) => JSON.parse(m).object.metadata.name)).toEqual(["pre", "live"]);
    ws.close(1000);
  });

  it("accepts the bearer token in the base64url.bearer.authorization.k8s.io subprotocol and strips it", async () => {
    const token = Buffer.from(cluster.token).toString("base64url");
    const ok = await wsOpen(cluster, "/api/v1/namespaces/default/configmaps?watch=true", {
      headers: { Origin: "http://localhost" },
      protocols: [`base64url.bearer.authorization.k8s.io.${token}`, "base64.binary.k8s.io"],
    });
    expect(ok.status).toBe(101);
    expect(ok.protocol).toBe("base64.binary.k8s.io");
    ok.ws.close();
    const alone = await wsOpen(cluster, "/api/v1/namespaces/default/configmaps?watch=true", {
      headers: { Origin: "http://localhost" },
      protocols: [`base64url.bearer.authorization.k8s.io.${token}`],
    });
    expect(alone.status).toBe(401);
    expect(JSON.parse(alone.body)).toMatchObject({ reason: "Unauthorized", code: 401 });
    const bad = await wsOpen(cluster, "/api/v1/namespaces/default/configmaps?watch=true", {
      headers: { Origin: "http://localhost" },
      protocols: [
        `base64url.bearer.authorization.k8s.io.${Buffer.from("nope").toString("base64url")}`,
        "base64.binary.k8s.io",
      ],
    });
    expect(bad.status).toBe(401);
  });
});
