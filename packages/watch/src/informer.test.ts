// The informer against @kubeshift/testing's fake cluster over real sockets: the happy paths (T1, T21), the store,
// handlers and iterators. Fault scenarios are in informer-faults.test.ts.
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type Cm,
  checkInvariant,
  clientFor,
  countingClock,
  Delivered,
  eventually,
  fastOptions,
  readyNamespace,
  type TestClient,
  Truth,
} from "../test/harness.ts";
import { createInformer, type Informer } from "./informer.ts";

let cluster: FakeCluster;
let n = 0;
const running: Informer<Cm>[] = [];
const clients: TestClient[] = [];
const rejections: unknown[] = [];
const onRejection = (reason: unknown): void => {
  rejections.push(reason);
};

beforeAll(async () => {
  cluster = await startFakeCluster({ bookmarkIntervalMs: 100 });
  process.on("unhandledRejection", onRejection);
});

afterEach(async () => {
  for (const i of running.splice(0)) await i.stop();
  for (const c of clients.splice(0)) await c.close();
  cluster.faults.clear();
  expect(rejections).toEqual([]);
});

afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await cluster?.close();
});

async function setup(): Promise<{ ns: string; truth: Truth; client: TestClient }> {
  const ns = `it-informer-${++n}`;
  await readyNamespace(cluster, ns);
  const client = await clientFor(cluster, ns);
  clients.push(client);
  return { ns, truth: new Truth(cluster, ns), client };
}

describe("createInformer()", () => {
  it("T1: lists in pages, then watches; the cache equals the server and bookmarks move only the resourceVersion", async () => {
    const { truth, client } = await setup();
    for (let i = 0; i < 5; i++) truth.create(`cm-${i}`);
    const clock = countingClock();
    const consumer = new Delivered();
    const informer = createInformer(
      client.client,
      ConfigMap,
      fastOptions(clock, { watchList: "never", pageSize: 2, initialResourceVersion: "" }),
    );
    running.push(informer);
    informer.addHandlers(consumer.handlers());
    expect(informer.hasSynced()).toBe(false);
    await informer.synced;
    expect(informer.hasSynced()).toBe(true);
    // 5 objects and the namespace's root CA ConfigMap, at 2 per page: 3 LIST requests, following continue tokens.
    expect(informer.store.size).toBe(6);
    const lists = client.log.lists;
    expect(lists).toHaveLength(3);
    expect(lists.map((r) => r.url.searchParams.has("continue"))).toEqual([false, true, true]);
    // A consistent first read ("" rather than client-go's "0", which a watch cache serves whole, ignoring limit).
    expect(lists[0]?.url.searchParams.has("resourceVersion")).toBe(false);
    expect(lists[0]?.url.searchParams.get("limit")).toBe("2");

    await eventually(() => informer.health.state === "Watching", 5000, "Watching");
    const watchRequest = client.log.watches[0];
    expect(watchRequest?.url.searchParams.get("allowWatchBookmarks")).toBe("true");
    expect(watchRequest?.url.searchParams.get("timeoutSeconds")).toBe("120");

    truth.update("cm-1");
    truth.delete("cm-2");
    truth.create("cm-new");
    await eventually(() => checkInvariant(informer, truth, [consumer]), 5000, "invariant");
    expect(consumer.count("add")).toBe(7);
    expect(consumer.events.filter((e) => e.type === "add" && e.isInInitialList)).toHaveLength(6);

    // A quiet collection: bookmarks (every 100 ms here) advance the resourceVersion and change nothing else.
    const rvBefore = informer.lastSyncResourceVersion;
    const eventsBefore = consumer.events.length;
    const otherNs = `${truth.namespace}-other`;
    cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: otherNs } });
    await eventually(
      () => informer.stats.bookmarks > 0 && informer.lastSyncResourceVersion !== rvBefore,
      5000,
      "a bookmark",
    );
    expect(consumer.events.length).toBe(eventsBefore);
    expect(informer.stats.lists).toBe(1);
    expect(informer.stats.relists).toBe(0);
    await informer.stop();
    expect(informer.health.state).toBe("Stopped");
    expect(clock.live).toBe(0);
  });

  it("T21: WatchList syncs only at the initial-events-end bookmark, swaps the cache at once and keeps the stream", async () => {
    const { truth, client } = await setup();
    for (let i = 0; i < 4; i++) truth.create(`wl-${i}`);
    const clock = countingClock();
    const informer = createInformer(client.client, ConfigMap, fastOptions(clock));
    running.push(informer);
    const sizesSeen: number[] = [];
    const it = informer.events();
    const consumer = new Delivered();
    const reading = (async () => {
      for await (const e of it) {
        sizesSeen.push(informer.store.size);
        consumer.record(e);
      }
    })();
    await informer.synced;
    expect(informer.store.size).toBe(5);
    truth.update("wl-0");
    truth.delete("wl-3");
    await eventually(() => checkInvariant(informer, truth, [consumer]), 5000, "invariant");
    // One request did it all: no LIST, one watch (WatchList) that went on as the watch.
    expect(client.log.count({ watch: false })).toBe(0);
    expect(client.log.count({ watch: true })).toBe(1);
    const request = client.log.requests[0];
    expect(request?.url.searchParams.get("sendInitialEvents")).toBe("true");
    expect(request?.url.searchParams.get("resourceVersionMatch")).toBe("NotOlderThan");
    expect(request?.url.searchParams.get("allowWatchBookmarks")).toBe("true");
    // No consumer ever saw a partial cache: it was complete before the first notification.
    expect(sizesSeen[0]).toBe(5);
    expect(informer.stats.watchListFallbacks).toBe(0);
    await informer.stop();
    await reading;
    expect(clock.live).toBe(0);
  });

  it("keeps objects in a store keyed by namespace/name with the namespace index and custom indexes", async () => {
    const { truth, client } = await setup();
    truth.create("a", { team: "red" });
    truth.create("b", { team: "blue" });
    const informer = createInformer(client.client, ConfigMap, {
      ...fastOptions(countingClock()),
      indexers: { team: (o) => o.data?.team },
    });
    running.push(informer);
    await informer.synced;
    expect(informer.store.get(`${truth.namespace}/a`)?.data).toEqual({ team: "red" });
    expect(informer.store.byIndex("namespace", truth.namespace)).toHaveLength(3);
    expect(informer.store.byIndex("team", "red").map((o) => o.metadata?.name)).toEqual(["a"]);
    truth.update("a", { team: "blue" });
    await eventually(() => informer.store.byIndex("team", "blue").length === 2, 5000, "reindex");
    expect(informer.store.indexValues("team")).toEqual(["blue"]);
    expect(() => informer.store.byIndex("nope", "x")).toThrow(RangeError);
  });

  it("strips managedFields and runs the transform before caching and delivery", async () => {
    const { truth, client } = await setup();
    truth.create("t");
    const seen: Cm[] = [];
    const informer = createInformer(client.client, ConfigMap, {
      ...fastOptions(countingClock()),
      stripManagedFields: true,
      transform: (o) => {
        (o as Cm & { touched?: boolean }).touched = true;
        return o;
      },
      handlers: { add: (o) => void seen.push(o) },
    });
    running.push(informer);
    await informer.synced;
    const cached = informer.store.get(`${truth.namespace}/t`) as Cm & { touched?: boolean };
    expect(cached).toBeDefined();
    expect(cached.metadata?.managedFields).toBeUndefined();
    expect(cached.touched).toBe(true);
    await eventually(() => seen.length === 2, 5000, "adds");
    expect(seen.every((o) => o.metadata?.managedFields === undefined)).toBe(true);
  });

  it("catches handler exceptions, reports them and keeps delivering", async () => {
    const { truth, client } = await setup();
    const errors: unknown[] = [];
    const names: string[] = [];
    const informer = createInformer(client.client, ConfigMap, {
      ...fastOptions(countingClock()),
      onError: (e, ctx) => {
        if (ctx.phase === "handler") errors.push(e);
      },
      handlers: {
        add: (o) => {
          names.push(o.metadata?.name ?? "");
          if (o.metadata?.name === "boom") throw new Error("handler bug");
        },
      },
    });
    running.push(informer);
    await informer.synced;
    truth.create("boom");
    truth.create("after");
    await eventually(() => names.includes("after"), 5000, "delivery after the failure");
    expect(errors).toHaveLength(1);
    expect(informer.stats.handlerErrors).toBe(1);
    expect(informer.health.state).toBe("Watching");
  });

  it("gives a late consumer the cache as initial adds, then changes", async () => {
    const { truth, client } = await setup();
    truth.create("x");
    const informer = createInformer(client.client, ConfigMap, fastOptions(countingClock()));
    running.push(informer);
    await informer.synced;
    const late = new Delivered();
    const stop = informer.addHandlers(late.handlers());
    await eventually(() => late.count("add") === 2, 5000, "initial adds");
    expect(late.events.every((e) => e.type === "add" && e.isInInitialList)).toBe(true);
    truth.update("x");
    await eventually(() => late.count("update") === 1, 5000, "update");
    stop();
    truth.update("x");
    await eventually(
      () =>
        informer.store.get(`${truth.namespace}/x`)?.metadata?.resourceVersion ===
        truth.current().get(`${truth.namespace}/x`)?.split("@")[1],
      5000,
      "cache",
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(late.count("update")).toBe(1);
  });

  it("re-delivers the cache as Sync updates every resyncPeriodMs, without a relist", async () => {
    const { truth, client } = await setup();
    truth.create("r");
    const deltas: string[] = [];
    const informer = createInformer(client.client, ConfigMap, {
      ...fastOptions(countingClock()),
      resyncPeriodMs: 1000,
    });
    running.push(informer);
    const iterator = informer.events();
    const reading = (async () => {
      for await (const e of iterator) deltas.push(`${e.type}:${e.delta}`);
    })();
    await informer.synced;
    await eventually(() => deltas.filter((d) => d === "update:Sync").length >= 2, 5000, "a resync");
    expect(informer.stats.lists).toBe(1);
    expect(client.log.lists.length + client.log.watches.length).toBe(1);
    await informer.stop();
    await reading;
  });

  it("stops when its signal aborts, and when disposed", async () => {
    const { client } = await setup();
    const controller = new AbortController();
    const informer = createInformer(client.client, ConfigMap, {
      ...fastOptions(countingClock()),
      signal: controller.signal,
    });
    await informer.synced;
    controller.abort();
    await eventually(() => informer.health.state === "Stopped", 2000, "Stopped");
    {
      await using disposable = createInformer(client.client, ConfigMap, fastOptions(countingClock()));
      await disposable.synced;
      running.push(disposable);
    }
    expect(running[running.length - 1]?.health.state).toBe("Stopped");
    const aborted = createInformer(client.client, ConfigMap, { signal: AbortSignal.abort() });
    expect(aborted.health.state).toBe("Stopped");
    await expect(aborted.synced).rejects.toThrow(/stopped before it synced/);
  });

  it("an iterator left early stops receiving and holds nothing", async () => {
    const { truth, client } = await setup();
    const informer = createInformer(client.client, ConfigMap, fastOptions(countingClock()));
    running.push(informer);
    await informer.synced;
    for await (const e of informer.events()) {
      expect(e.type).toBe("add");
      break;
    }
    truth.create("after-break");
    await eventually(() => informer.store.has(`${truth.namespace}/after-break`), 5000, "cached");
    expect(informer.stats.pendingNotifications).toBe(0);
  });

  it("rejects bad options with RangeError or TypeError", async () => {
    const { client } = (await setup()).client;
    expect(() => createInformer(client, ConfigMap, { pageSize: 0 })).toThrow(RangeError);
    expect(() => createInformer(client, ConfigMap, { watchTimeoutSeconds: [10, 5] })).toThrow(RangeError);
    expect(() => createInformer(client, ConfigMap, { resyncPeriodMs: 10 })).toThrow(RangeError);
    expect(() => createInformer(client, ConfigMap, { indexers: { namespace: () => "x" } })).toThrow(TypeError);
    expect(() => createInformer(client, ConfigMap, { delivery: "fifo" as "ordered" })).toThrow(TypeError);
  });
});
