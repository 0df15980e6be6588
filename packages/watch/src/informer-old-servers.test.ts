// Old servers. T24 runs against the fake cluster over sockets in its pre-1.19 mode (watchList: "ignored-legacy",
// which ignores both sendInitialEvents and resourceVersionMatch as OpenShift 3.11 does), over HTTP and websockets;
// its replay of the exact bytes 1.20 sent when it ignored sendInitialEvents stays, for the real server's framing
// and objects. OpenShift 3.11's legacy /oapi/v1 API (no bookmarks, no WatchList) runs on its recorded answers and
// on the fake OpenShift cluster.
import { readFileSync } from "node:fs";
import { createClient } from "@kubeshift/client";
import { startFakeCluster } from "@kubeshift/testing";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { Route } from "@kubeshift/types/oapi/v1";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import {
  checkInvariant,
  clientFor,
  countingClock,
  Delivered,
  eventually,
  fastOptions,
  readyNamespace,
  Truth,
} from "../test/harness.ts";
import { replayTransport } from "../test/replay-transport.ts";
import { onDeno } from "../test/test-transport.ts";
import { createInformer } from "./informer.ts";
import type { InformerEvent } from "./informer-event.ts";

interface Recording {
  exchanges: {
    request: { path: string; query: string };
    response: { status: number; body?: unknown; stream?: string[] };
  }[];
}

function recording(path: string): Recording {
  return JSON.parse(readFileSync(fixturePath(path), "utf8")) as Recording;
}

const encoder = new TextEncoder();
const lines = (stream: readonly string[] = []): Uint8Array[] => stream.map((l) => encoder.encode(`${l}\n`));

describe("old servers", () => {
  for (const protocol of ["http", "websocket"] as const) {
    it(`T24: a pre-1.19 server that ignores sendInitialEvents and resourceVersionMatch (synthetic ADDEDs, no end bookmark) is given up after the deadline for LIST + WATCH, with no duplicate adds (${protocol})`, async () => {
      const cluster = await startFakeCluster({ watchList: "ignored-legacy", bookmarkIntervalMs: 60_000 });
      const client = await clientFor(cluster, "t24");
      try {
        await readyNamespace(cluster, "t24");
        const truth = new Truth(cluster, "t24");
        for (const name of ["a", "b", "c"]) truth.create(name);
        const consumer = new Delivered();
        const streamed: InformerEvent<ConfigMap>[] = [];
        const warnings: string[] = [];
        const clock = countingClock();
        const informer = createInformer(
          client.client,
          ConfigMap,
          fastOptions(clock, {
            protocol,
            watchListTimeoutMs: 300,
            handlers: consumer.handlers(),
            onWarning: (w) => void warnings.push(w),
          }),
        );
        const reading = (async () => {
          for await (const e of informer.events()) streamed.push(e);
        })();
        await informer.synced;
        await eventually(() => informer.health.state === "Watching", 10_000, "Watching");

        // The WatchList request was answered (200, the state as ADDEDs) and never ended its initial events: after
        // 300 ms of silence it was given up for a LIST and a watch from the LIST's resourceVersion.
        const [watchList, list, watch, ...more] = client.log.requests.filter((r) =>
          r.url.pathname.endsWith("/configmaps"),
        );
        expect(more).toEqual([]);
        expect(watchList?.websocket).toBe(protocol === "websocket");
        expect(Object.fromEntries(watchList?.url.searchParams ?? [])).toMatchObject({
          watch: "true",
          sendInitialEvents: "true",
          resourceVersionMatch: "NotOlderThan",
        });
        if (protocol === "http") expect(watchList?.status).toBe(200);
        expect(list?.url.searchParams.get("watch")).toBeNull();
        expect(list?.url.searchParams.get("sendInitialEvents")).toBeNull();
        expect((list?.at ?? 0) - (watchList?.at ?? 0)).toBeGreaterThanOrEqual(290);
        expect(watch?.url.searchParams.get("sendInitialEvents")).toBeNull();
        expect(watch?.url.searchParams.get("resourceVersion")).toBe(informer.lastSyncResourceVersion);
        expect(informer.stats.watchListFallbacks).toBe(1);
        expect(warnings).toEqual([
          expect.stringMatching(/^WatchList is not available \(.*300 ms.*\); listing with LIST \+ WATCH instead$/),
        ]);

        // Exactly one add per object (the namespace's kube-root-ca.crt included), to the handlers and to the
        // iterator: the synthetic ADDEDs were never delivered.
        const keys = [...truth.current().keys()].sort();
        expect(keys).toEqual(["t24/a", "t24/b", "t24/c", "t24/kube-root-ca.crt"]);
        await eventually(() => streamed.length === keys.length, 5000, "the adds on the iterator");
        for (const events of [consumer.events, streamed]) {
          expect(events.map((e) => e.type)).toEqual(keys.map(() => "add"));
          expect(events.map((e) => e.key).sort()).toEqual(keys);
        }
        checkInvariant(informer, truth, [consumer]);

        // The watch that follows carries changes, as any watch on that server would.
        truth.update("a");
        truth.create("d");
        truth.delete("b");
        await eventually(() => checkInvariant(informer, truth, [consumer]), 10_000, "the invariant");
        expect(consumer.count("add")).toBe(keys.length + 1);
        expect(informer.stats.watchListFallbacks).toBe(1);
        await informer.stop();
        await reading;
        expect(clock.live).toBe(0);
      } finally {
        await client.close();
        await cluster.close();
      }
    });
  }

  it("T24 on the bytes 1.20 sent when it ignored sendInitialEvents (synthetic ADDEDs, no end bookmark): given up after the deadline for LIST + WATCH, with no duplicate adds", async () => {
    // 1.20's answer to sendInitialEvents without resourceVersionMatch: the state as ADDED events, and no end marker.
    const ignored = recording("kubernetes-v1.20.2/watch/watch-send-initial-events.json").exchanges[2];
    const stream = ignored?.response.stream ?? [];
    const objects = stream.map((l) => (JSON.parse(l) as { object: { metadata: { resourceVersion: string } } }).object);
    const listRv = String(Math.max(...objects.map((o) => Number(o.metadata.resourceVersion))));
    const transport = replayTransport([
      { status: 200, chunks: lines(stream), hold: true },
      // The LIST of the fallback: the same objects (the recording has no LIST at that moment).
      {
        status: 200,
        chunks: [
          encoder.encode(
            JSON.stringify({
              kind: "ConfigMapList",
              apiVersion: "v1",
              metadata: { resourceVersion: listRv },
              items: objects,
            }),
          ),
        ],
      },
      { status: 200, chunks: [], hold: true },
    ]);
    const client = createClient({ transport, server: "https://127.0.0.1:6443", namespace: "fx-watch" });
    const events: InformerEvent<ConfigMap>[] = [];
    const warnings: string[] = [];
    const clock = countingClock();
    const informer = createInformer(client, ConfigMap, {
      clock,
      watchListTimeoutMs: 300,
      onWarning: (w) => void warnings.push(w),
    });
    const reading = (async () => {
      for await (const e of informer.events()) events.push(e);
    })();
    await informer.synced;
    await eventually(() => informer.health.state === "Watching", 5000, "Watching");
    expect(
      transport.seen.map((r) => [r.url.searchParams.get("sendInitialEvents"), r.url.searchParams.get("watch")]),
    ).toEqual([
      ["true", "true"],
      [null, null],
      [null, "true"],
    ]);
    expect(informer.stats.watchListFallbacks).toBe(1);
    expect(warnings.some((w) => /WatchList is not available/.test(w))).toBe(true);
    await eventually(() => events.length === objects.length, 5000, "the adds");
    // Exactly one add per object: the synthetic ADDEDs of the ignored WatchList were never delivered.
    expect(events.map((e) => e.type)).toEqual(objects.map(() => "add"));
    expect(new Set(events.map((e) => e.key)).size).toBe(objects.length);
    expect(transport.seen[2]?.url.searchParams.get("resourceVersion")).toBe(listRv);
    await informer.stop();
    await reading;
    expect(clock.live).toBe(0);
  });

  it("follows OpenShift 3.11 routes on the legacy /oapi/v1 API: list, then watch from the list's resourceVersion (recorded)", async () => {
    const [list, watch] = recording("openshift-v3.11.0/watch/oapi-routes-list-then-watch.json").exchanges;
    const transport = replayTransport([
      { status: 200, chunks: [encoder.encode(JSON.stringify(list?.response.body))] },
      { status: 200, chunks: lines(watch?.response.stream), hold: true },
    ]);
    const client = createClient({ transport, server: "https://127.0.0.1:8443", namespace: "fx-watch" });
    const events: InformerEvent<Route>[] = [];
    const informer = createInformer(client, Route, {
      watchList: "never",
      handlers: {
        add: (o) =>
          void events.push({
            type: "add",
            key: `${o.metadata?.namespace}/${o.metadata?.name}`,
            object: o,
            isInInitialList: false,
            delta: "Added",
          }),
        update: (old, o) =>
          void events.push({
            type: "update",
            key: `${o.metadata?.namespace}/${o.metadata?.name}`,
            object: o,
            oldObject: old,
            delta: "Updated",
          }),
        delete: (o, info) =>
          void events.push({
            type: "delete",
            key: `${o.metadata?.namespace}/${o.metadata?.name}`,
            object: o,
            finalStateUnknown: info.finalStateUnknown,
            delta: "Deleted",
          }),
      },
    });
    await informer.synced;
    await eventually(() => informer.stats.events === 3, 5000, "the recorded events");
    expect(transport.seen.map((r) => r.url.pathname)).toEqual([
      "/oapi/v1/namespaces/fx-watch/routes",
      "/oapi/v1/namespaces/fx-watch/routes",
    ]);
    expect(transport.seen[1]?.url.searchParams.get("resourceVersion")).toBe("1438");
    expect(informer.store.keys()).toEqual(["fx-watch/r0"]);
    // List items carry no apiVersion/kind on the wire; the cache fills them in so that they look like watch objects.
    expect(informer.store.get("fx-watch/r0")).toMatchObject({ apiVersion: "v1", kind: "Route" });
    expect(events.map((e) => `${e.type} ${e.key}`)).toEqual([
      "add fx-watch/r0",
      "add fx-watch/r2",
      "update fx-watch/r2",
      "delete fx-watch/r2",
    ]);
    expect(informer.lastSyncResourceVersion).toBe(
      (JSON.parse(watch?.response.stream?.[2] ?? "{}") as { object: { metadata: { resourceVersion: string } } }).object
        .metadata.resourceVersion,
    );
    await informer.stop();
  });

  for (const protocol of ["http", "websocket"] as const) {
    it(`follows routes on the legacy /oapi/v1 API of the fake OpenShift cluster through a Gone (410) relist (${protocol})`, async () => {
      const cluster = await startFakeCluster({ openshift: true });
      const client = await clientFor(cluster, "legacy");
      try {
        await readyNamespace(cluster, "legacy");
        const route = (name: string) => ({
          apiVersion: "route.openshift.io/v1",
          kind: "Route",
          metadata: { name, namespace: "legacy" },
          spec: { to: { kind: "Service", name: "web" } },
        });
        cluster.store.create(route("r0"));
        const informer = createInformer(client.client, Route, {
          protocol,
          clock: countingClock(),
          backoff: { initialMs: 20, maxMs: 200 },
          watchList: "never",
        });
        await informer.synced;
        await eventually(() => informer.health.state === "Watching", 5000, "Watching");
        cluster.faults.add({
          match: { verb: "watch", namespace: "legacy" },
          times: 1,
          delayMs: 300,
          respond: { status: 410, reason: "Gone", message: "too old resource version" },
        });
        cluster.faults.closeAllWatches();
        await eventually(() => client.log.watches.length >= 2, 5000, "the second watch");
        cluster.store.create(route("r1"));
        cluster.store.delete({ apiVersion: "route.openshift.io/v1", kind: "Route" }, "r0", "legacy");
        await eventually(() => informer.store.keys().join() === "legacy/r1", 10_000, "the cache after the relist");
        // Deno's WebSocket does not expose the status of a refused upgrade, so there the 410 is a connection failure:
        // the informer watches again from its resourceVersion instead of relisting, and converges all the same.
        expect(informer.stats.relists).toBe(protocol === "websocket" && onDeno ? 0 : 1);
        expect(new Set(client.log.requests.map((r) => r.url.pathname))).toEqual(
          new Set(["/oapi/v1/namespaces/legacy/routes"]),
        );
        expect(informer.store.get("legacy/r1")).toMatchObject({ apiVersion: "v1", kind: "Route" });
        await informer.stop();
      } finally {
        await client.close();
        await cluster.close();
      }
    });
  }
});
