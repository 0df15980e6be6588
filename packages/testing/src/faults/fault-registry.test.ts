import { createConnection } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { call, events, gunzipMembers, stream } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

let cluster: FakeCluster;

beforeAll(async () => {
  cluster = await startFakeCluster({ tls: false, tooLargeResourceVersionWaitMs: 100 });
});
afterAll(async () => {
  await cluster.close();
});

const CM_LIST = "/api/v1/namespaces/default/configmaps";

function addConfigMaps(prefix: string, count: number): void {
  for (let i = 0; i < count; i++)
    cluster.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `${prefix}-${i}`, namespace: "default" },
    });
}

describe("faults.add()", () => {
  it("matches method, path, query and verb; skip and times bound it", async () => {
    const rule = cluster.faults.add({
      match: { method: "GET", path: /\/configmaps$/, query: { labelSelector: "x=y" }, verb: "list" },
      skip: 1,
      times: 2,
      respond: { status: 503 },
    });
    expect((await call(cluster, "GET", `${CM_LIST}?labelSelector=x%3Dy`)).status).toBe(200);
    expect((await call(cluster, "GET", CM_LIST)).status).toBe(200);
    expect((await call(cluster, "GET", `${CM_LIST}?labelSelector=x%3Dy`)).status).toBe(503);
    expect((await call(cluster, "GET", `${CM_LIST}?labelSelector=x%3Dy`)).status).toBe(503);
    expect((await call(cluster, "GET", `${CM_LIST}?labelSelector=x%3Dy`)).status).toBe(200);
    expect(rule.hits).toBe(2);
    expect(rule.matched).toBe(3);
    expect(rule.active).toBe(false);
  });

  it("answers a status with Retry-After as a metav1.Status", async () => {
    const rule = cluster.faults.add({
      match: { resource: "configmaps" },
      respond: { status: 429, retryAfterSeconds: 3 },
    });
    const r = await call(cluster, "GET", CM_LIST);
    rule.remove();
    expect(r.status).toBe(429);
    expect(r.headers["retry-after"]).toBe("3");
    expect(r.json()).toMatchObject({
      kind: "Status",
      reason: "TooManyRequests",
      code: 429,
      details: { retryAfterSeconds: 3 },
    });
    expect((await call(cluster, "GET", CM_LIST)).status).toBe(200);
  });

  it("delays a request", async () => {
    const rule = cluster.faults.add({ match: { path: "/version" }, delayMs: 150, times: 1 });
    const started = Date.now();
    expect((await call(cluster, "GET", "/version")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(rule.active).toBe(false);
  });

  it("drops the connection after N bytes of the body", async () => {
    cluster.faults.add({ match: { path: "/version" }, dropAfterBytes: 10, times: 1 });
    const s = await stream(cluster, "/version");
    expect(await s.ended).toBe("error");
    expect(s.raw().length).toBe(10);
  });

  it("drops a watch between events after N events", async () => {
    addConfigMaps("drop", 4);
    cluster.faults.add({ match: { verb: "watch" }, dropAfterEvents: 2, times: 1 });
    const s = await stream(cluster, `${CM_LIST}?watch=true&labelSelector=`);
    expect(await s.ended).toBe("error");
    const complete = s.lines.filter((l) => l !== "");
    expect(complete).toHaveLength(2);
    expect(events(complete).every((e) => e.type === "ADDED")).toBe(true);
  });

  it("cuts an event in the middle of its line", async () => {
    addConfigMaps("cut", 3);
    cluster.faults.add({ match: { verb: "watch" }, cutEventAfter: 1, times: 1 });
    const s = await stream(cluster, `${CM_LIST}?watch=true`);
    expect(await s.ended).toBe("error");
    const text = s.raw().toString();
    const [first, partial, ...rest] = text.split("\n");
    expect(JSON.parse(first as string).type).toBe("ADDED");
    expect(() => JSON.parse(partial as string)).toThrow();
    expect((partial as string).length).toBeGreaterThan(0);
    expect(rest).toEqual([]);
  });

  it.each([
    [410, "Expired", /^too old resource version: \d+ \(\d+\)$/],
    [500, "InternalError", /^Internal error occurred/],
    [504, "Timeout", /^Timeout: Too large resource version: \d+, current: \d+$/],
  ])("injects an ERROR event with %i and closes the stream", async (code, reason, message) => {
    const rv = cluster.store.resourceVersion;
    cluster.faults.add({ match: { verb: "watch" }, injectError: { code: code as number, afterEvents: 1 }, times: 1 });
    const s = await stream(cluster, `${CM_LIST}?watch=true&resourceVersion=${rv}`);
    cluster.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `err-${code}`, namespace: "default" },
    });
    cluster.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `err2-${code}`, namespace: "default" },
    });
    expect(await s.ended).toBe("end");
    const evs = events(s.lines);
    expect(evs.map((e) => e.type)).toEqual(["ADDED", "ERROR"]);
    expect(evs[1]?.object).toMatchObject({ kind: "Status", code, reason });
    expect(evs[1]?.object.message).toMatch(message as RegExp);
    if (code === 504) expect(evs[1]?.object.details.causes[0].reason).toBe("ResourceVersionTooLarge");
  });

  it("injects a raw (malformed) line", async () => {
    cluster.faults.add({ match: { verb: "watch" }, injectLine: { line: '{"type":"MODIFIED","object":{' }, times: 1 });
    const s = await stream(cluster, `${CM_LIST}?watch=true&resourceVersion=${cluster.store.resourceVersion}`);
    await s.waitFor(1);
    expect(s.lines[0]).toBe('{"type":"MODIFIED","object":{');
    s.close();
  });

  it("stalls: headers, then nothing, with the socket open", async () => {
    addConfigMaps("stall", 2);
    cluster.faults.add({ match: { verb: "watch" }, stall: true, times: 1 });
    const s = await stream(cluster, `${CM_LIST}?watch=true`);
    expect(s.status).toBe(200);
    cluster.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "stall-live", namespace: "default" },
    });
    const outcome = await Promise.race([s.ended, new Promise((r) => setTimeout(() => r("open"), 300))]);
    expect(outcome).toBe("open");
    expect(s.raw().length).toBe(0);
    s.close();
  });

  it("answers gzip with one complete member per flush", async () => {
    cluster.faults.add({ match: { verb: "watch" }, gzip: true, times: 1 });
    const s = await stream(cluster, `${CM_LIST}?watch=true&resourceVersion=${cluster.store.resourceVersion}`, {
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(s.headers["content-encoding"]).toBe("gzip");
    cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "gz-1", namespace: "default" } });
    await new Promise((r) => setTimeout(r, 50));
    cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "gz-2", namespace: "default" } });
    await new Promise((r) => setTimeout(r, 50));
    s.close();
    const raw = s.raw();
    const members = raw.toString("latin1").split("\x1f\x8b\x08").length - 1;
    expect(members).toBe(2);
    const evs = events(gunzipMembers(raw).split("\n"));
    expect(evs.map((e) => e.object.metadata.name)).toEqual(["gz-1", "gz-2"]);
  });

  it("applies to websocket watches: an injected ERROR is one message, then close", async () => {
    cluster.faults.add({ match: { websocket: true }, injectError: { code: 410 }, times: 1 });
    const messages: string[] = [];
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${cluster.url.replace("http", "ws")}${CM_LIST}?watch=true`, {
        headers: { Authorization: `Bearer ${cluster.token}`, Origin: "http://localhost" },
      });
      ws.on("message", (m) => messages.push(String(m)));
      ws.on("close", (c) => resolve(c));
    });
    expect(code).toBe(1000);
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0] as string)).toMatchObject({
      type: "ERROR",
      object: { code: 410, reason: "Expired" },
    });
  });

  it("refuses malformed rules", () => {
    expect(() => cluster.faults.add({ times: -1 })).toThrow(RangeError);
    expect(() => cluster.faults.add({ respond: { status: 42 } })).toThrow(RangeError);
    expect(() => cluster.faults.add({ injectLine: { line: 1 as unknown as string } })).toThrow(TypeError);
  });
});

describe("one-shot faults", () => {
  it("closeAllWatches() ends every open watch cleanly", async () => {
    const a = await stream(cluster, `${CM_LIST}?watch=true&resourceVersion=${cluster.store.resourceVersion}`);
    const b = await stream(cluster, `/api/v1/pods?watch=true&resourceVersion=${cluster.store.resourceVersion}`);
    expect(cluster.faults.closeAllWatches()).toBeGreaterThanOrEqual(2);
    expect(await a.ended).toBe("end");
    expect(await b.ended).toBe("end");
  });

  it("resetResourceVersion() restarts the counter: a client's newer resourceVersion is now too large", async () => {
    await using c = await startFakeCluster({ tls: false, tooLargeResourceVersionWaitMs: 50 });
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 5; i++)
      c.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `r${i}`, namespace: "default" } });
    // Many updates, few objects: after the restart the counter is far below what clients saw.
    for (let i = 0; i < 30; i++)
      c.store.put({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "r1", namespace: "default" },
        data: { i: String(i) },
      });
    const before = c.store.resourceVersion;
    const w = await stream(c, `${CM_LIST}?watch=true&resourceVersion=${before}`);
    const after = c.faults.resetResourceVersion();
    expect(Number(after)).toBeLessThan(Number(before));
    expect(await w.ended).toBe("end");
    const get = await call(c, "GET", `${CM_LIST}/r1?resourceVersion=${before}`);
    expect(get.status).toBe(504);
    expect(get.json().message).toBe(`Timeout: Too large resource version: ${before}, current: ${after}`);
    const list = (await call(c, "GET", CM_LIST)).json();
    expect(list.metadata.resourceVersion).toBe(after);
  });

  it("refuseConnections() refuses new connections for a while, then listens on the same port again", async () => {
    await using c = await startFakeCluster({ tls: false });
    const back = c.faults.refuseConnections(300);
    await new Promise((r) => setTimeout(r, 50));
    const refused = await new Promise<string>((resolve) => {
      const s = createConnection({ host: "127.0.0.1", port: c.port });
      s.on("connect", () => {
        s.destroy();
        resolve("connected");
      });
      s.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
    });
    expect(refused).toBe("ECONNREFUSED");
    await back;
    expect((await call(c, "GET", "/version")).status).toBe(200);
  });
});
