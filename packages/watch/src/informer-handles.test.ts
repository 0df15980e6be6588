// T28 (handles): after stop() the informer leaves no timer and no request behind. Its own timers are counted through
// the clock; its requests are proven finished by the transport closing at once (undici's close() waits for requests
// in flight); and once the transport and the cluster are closed, the process holds no more resources than before.
import process from "node:process";
import { startFakeCluster } from "@kubeshift/testing";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { describe, expect, it } from "vitest";
import { clientFor, countingClock, eventually, readyNamespace, Truth } from "../test/harness.ts";
import { createInformer } from "./informer.ts";

function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

function extra(now: Map<string, number>, before: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of now) if (v > (before.get(k) ?? 0)) out[k] = v - (before.get(k) ?? 0);
  return out;
}

describe("stop() and resources", () => {
  for (const protocol of ["http", "websocket"] as const) {
    it(`T28: leaves no timer, request or socket behind (${protocol}, with handlers, an iterator and a resync)`, async () => {
      const before = resources();
      const cluster = await startFakeCluster({ bookmarkIntervalMs: 50 });
      await readyNamespace(cluster, "handles");
      const truth = new Truth(cluster, "handles");
      truth.create("a");
      const client = await clientFor(cluster, "handles");
      const clock = countingClock();
      const informer = createInformer(client.client, ConfigMap, {
        protocol,
        clock,
        resyncPeriodMs: 1000,
        stallTimeoutMs: 60_000,
        handlers: { update: () => new Promise((r) => setTimeout(r, 5)) },
      });
      const seen: string[] = [];
      const reading = (async () => {
        for await (const e of informer.events()) seen.push(e.type);
      })();
      await informer.synced;
      await eventually(() => informer.health.state === "Watching", 5000, "Watching");
      truth.update("a");
      await eventually(() => seen.includes("update"), 5000, "an update");
      await informer.stop();
      await reading;
      expect(clock.live).toBe(0);
      const closed = await Promise.race([
        Promise.resolve(client.close()).then(() => "closed"),
        new Promise((r) => setTimeout(() => r("still busy"), 2000)),
      ]);
      expect(closed).toBe("closed");
      await cluster.close();
      await eventually(() => Object.keys(extra(resources(), before)).length === 0, 5000, "no extra resources");
    });
  }
});
