// watch() against the fake cluster over real sockets (HTTPS, the runtime's adapter), over HTTP and websockets.
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { DecodeError, isGone, isResourceVersionTooLarge } from "@kubeshift/transport";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { clientFor, readyNamespace, type TestClient, Truth } from "../test/harness.ts";
import { watch } from "./watch.ts";
import { isInitialEventsEnd, type WatchEvent } from "./watch-event.ts";

let cluster: FakeCluster;
let n = 0;
const clients: TestClient[] = [];

beforeAll(async () => {
  cluster = await startFakeCluster();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  cluster.faults.clear();
});
afterAll(async () => {
  await cluster?.close();
});

async function setup(): Promise<{ ns: string; truth: Truth; client: TestClient }> {
  const ns = `it-watch-${++n}`;
  await readyNamespace(cluster, ns);
  const client = await clientFor(cluster, ns);
  clients.push(client);
  return { ns, truth: new Truth(cluster, ns), client };
}

async function take<T>(iterable: AsyncIterable<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  for await (const e of iterable) {
    out.push(e);
    if (out.length === count) break;
  }
  return out;
}

for (const protocol of ["http", "websocket"] as const) {
  describe(`watch() over ${protocol}`, () => {
    it("yields typed ADDED, MODIFIED and DELETED events from a resourceVersion", async () => {
      const { truth, client } = await setup();
      const rv = cluster.store.resourceVersion;
      const a = truth.create("a");
      const b = truth.update("a");
      truth.delete("a");
      const events = await take(watch(client.client, ConfigMap, { resourceVersion: rv, protocol }), 3);
      expect(events.map((e) => `${e.type} ${e.object.metadata?.resourceVersion}`)).toEqual([
        `ADDED ${a.metadata?.resourceVersion}`,
        `MODIFIED ${b.metadata?.resourceVersion}`,
        expect.stringMatching(/^DELETED \d+$/),
      ]);
      const first = events[0] as WatchEvent<ConfigMap>;
      if (first.type !== "BOOKMARK") expect(first.object.data).toEqual({ v: "0" });
      const request = client.log.watches[0];
      expect(request?.websocket).toBe(protocol === "websocket");
      expect(request?.url.searchParams.get("resourceVersion")).toBe(rv);
    });

    it("streams the initial state and the end bookmark with sendInitialEvents (WatchList)", async () => {
      const { truth, client } = await setup();
      truth.create("x");
      truth.create("y");
      const events = [];
      for await (const e of watch(client.client, ConfigMap, { sendInitialEvents: true, protocol })) {
        events.push(e);
        if (isInitialEventsEnd(e)) break;
      }
      expect(
        events
          .filter((e) => e.type === "ADDED")
          .map((e) => e.object.metadata?.name)
          .sort(),
      ).toEqual([...truth.current().keys()].map((k) => k.split("/")[1]).sort());
      const q = client.log.watches[0]?.url.searchParams;
      expect([q?.get("sendInitialEvents"), q?.get("allowWatchBookmarks"), q?.get("resourceVersionMatch")]).toEqual([
        "true",
        "true",
        "NotOlderThan",
      ]);
    });

    it("throws the ERROR event as an ApiError (410 Expired)", async () => {
      const { ns, client } = await setup();
      cluster.faults.add({ match: { verb: "watch", namespace: ns }, injectError: { code: 410 } });
      const error = await take(watch(client.client, ConfigMap, { resourceVersion: "1", protocol }), 10).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isGone(error)).toBe(true);
    });

    it("throws a 504 TooLargeResourceVersion ERROR event as such", async () => {
      const { ns, client } = await setup();
      cluster.faults.add({ match: { verb: "watch", namespace: ns }, injectError: { code: 504 } });
      const error = await take(watch(client.client, ConfigMap, { resourceVersion: "1", protocol }), 10).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isResourceVersionTooLarge(error)).toBe(true);
    });

    it("throws a DecodeError for a malformed line instead of skipping it", async () => {
      const { ns, truth, client } = await setup();
      truth.create("a");
      cluster.faults.add({
        match: { verb: "watch", namespace: ns },
        injectLine: { line: "{not json", afterEvents: 1 },
      });
      const seen: string[] = [];
      const error = await (async () => {
        for await (const e of watch(client.client, ConfigMap, { resourceVersion: "0", protocol })) seen.push(e.type);
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DecodeError);
      expect(seen).toEqual(["ADDED"]);
    });

    it("rejects with the signal's reason when aborted, and leaves the loop promptly", async () => {
      const { client } = await setup();
      const controller = new AbortController();
      const reason = new Error("enough");
      setTimeout(() => controller.abort(reason), 200);
      const started = Date.now();
      const error = await (async () => {
        for await (const _ of watch(client.client, ConfigMap, {
          resourceVersion: cluster.store.resourceVersion,
          protocol,
          signal: controller.signal,
        })) {
          // nothing arrives
        }
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBe(reason);
      expect(Date.now() - started).toBeLessThan(1500);
    });
  });
}

describe("watch() options", () => {
  it("sends selectors, bookmarks and timeoutSeconds, and ends when the server's timeout does", async () => {
    const { truth, client } = await setup();
    truth.create("a");
    const events = [];
    for await (const e of watch(client.client, ConfigMap, {
      resourceVersion: "0",
      labelSelector: "app!=none",
      fieldSelector: { "metadata.name": "a" },
      allowWatchBookmarks: true,
      timeoutSeconds: 1,
    }))
      events.push(e);
    expect(events.map((e) => e.type)).toEqual(["ADDED"]);
    const q = client.log.watches[0]?.url.searchParams;
    expect([
      q?.get("labelSelector"),
      q?.get("fieldSelector"),
      q?.get("allowWatchBookmarks"),
      q?.get("timeoutSeconds"),
    ]).toEqual(["app!=none", "metadata.name=a", "true", "1"]);
  });

  it("rejects a negative timeoutSeconds with a RangeError", async () => {
    const { client } = await setup();
    await expect(take(watch(client.client, ConfigMap, { timeoutSeconds: -1 }), 1)).rejects.toThrow(RangeError);
  });
});
