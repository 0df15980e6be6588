// The fault list of watch-tui.md §8 (T3–T30), each driven through @kubeshift/testing's fault hooks against the fake
// cluster over real sockets (HTTPS, the runtime's adapter, the bearer middleware), each ending with the client-go
// invariant: the cache equals the server, and every consumer was told a subsequence of each key's true states.
// In-stream faults run over chunked HTTP and over websockets. T2 and T31 are unit tests (decoder, comparator); T32 is
// informer-chaos.test.ts.
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { ApiError, DecodeError, isGone, isUnauthorized } from "@kubeshift/transport";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type Cm,
  type CountingClock,
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
import { onDeno } from "../test/test-transport.ts";
import { createInformer, type Informer, type InformerOptions } from "./informer.ts";
import type { ErrorContext, InformerHealth } from "./informer-health.ts";

let cluster: FakeCluster;
let n = 0;
const running: Informer<Cm>[] = [];
const clients: TestClient[] = [];
const rejections: unknown[] = [];
const onRejection = (reason: unknown): void => {
  rejections.push(reason);
};

beforeAll(async () => {
  cluster = await startFakeCluster({ bookmarkIntervalMs: 60_000 });
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

interface Scenario {
  ns: string;
  truth: Truth;
  client: TestClient;
  clock: CountingClock;
  consumer: Delivered;
  errors: { error: unknown; context: ErrorContext }[];
  warnings: string[];
  health: InformerHealth[];
  informer: Informer<Cm>;
}

async function prepare(objects = 3): Promise<{ ns: string; truth: Truth; client: TestClient }> {
  const ns = `it-faults-${++n}`;
  await readyNamespace(cluster, ns);
  const truth = new Truth(cluster, ns);
  for (let i = 0; i < objects; i++) truth.create(`cm-${i}`);
  const client = await clientFor(cluster, ns);
  clients.push(client);
  return { ns, truth, client };
}

/**
 * Starts the informer and waits until it watches. `warm` also waits for one event to arrive on the watch, so that a
 * test that then ends the watch does not meet the very-short-watch backoff (a watch that ends within a second
 * without an event backs off, by design: T-6).
 */
async function run(
  base: { ns: string; truth: Truth; client: TestClient },
  options: InformerOptions<Cm> = {},
  warm = false,
): Promise<Scenario> {
  const clock = countingClock();
  const consumer = new Delivered();
  const errors: Scenario["errors"] = [];
  const warnings: string[] = [];
  const health: InformerHealth[] = [];
  const informer = createInformer(
    base.client.client,
    ConfigMap,
    fastOptions(clock, {
      handlers: consumer.handlers(),
      onError: (error, context) => void errors.push({ error, context }),
      onWarning: (w) => void warnings.push(w),
      onHealth: (h) => void health.push(h),
      ...options,
    }),
  );
  running.push(informer);
  await informer.synced;
  await eventually(() => informer.health.state === "Watching", 10_000, "Watching");
  const scenario = { ...base, clock, consumer, errors, warnings, health, informer };
  if (warm) {
    base.truth.update("cm-0");
    await converged(scenario);
  }
  return scenario;
}

async function converged(s: Scenario, timeoutMs = 10_000): Promise<void> {
  await eventually(() => checkInvariant(s.informer, s.truth, [s.consumer]), timeoutMs, "the invariant");
}

async function stopClean(s: Scenario): Promise<void> {
  await s.informer.stop();
  expect(s.clock.live).toBe(0);
}

const watchOf = (ns: string) => ({ verb: "watch", namespace: ns });

for (const protocol of ["http", "websocket"] as const) {
  describe(`faults in the stream (${protocol})`, () => {
    it(`T3: a connection dropped between events is watched again from the last resourceVersion, without a LIST (${protocol})`, async () => {
      const base = await prepare();
      cluster.faults.add({ match: watchOf(base.ns), times: 1, dropAfterEvents: 3 });
      const s = await run(base, { protocol, watchList: "never" });
      const writes = Array.from({ length: 6 }, (_, i) => s.truth.update(`cm-${i % 3}`));
      await converged(s);
      expect(s.informer.stats.listRequests).toBe(1);
      expect(s.client.log.lists).toHaveLength(1);
      expect(s.informer.stats.watches).toBe(2);
      // The second watch started where the last event read left off: the third over HTTP. A websocket that closes
      // abnormally may lose frames received but not yet read (the adapter errors its stream), so there it is one of
      // the three.
      const resumed = s.client.log.watches[1]?.url.searchParams.get("resourceVersion");
      const sent = writes.slice(0, 3).map((w) => w.metadata?.resourceVersion);
      if (protocol === "http") expect(resumed).toBe(sent[2]);
      else expect(sent).toContain(resumed);
      expect(s.health.some((h) => h.state === "Backoff" && h.reason === "connection")).toBe(true);
      await stopClean(s);
    });

    it(`T4: an event cut in the middle is dropped and the watch resumes from the last complete event, without a LIST (${protocol})`, async () => {
      const base = await prepare();
      cluster.faults.add({ match: watchOf(base.ns), times: 1, cutEventAfter: 2 });
      const s = await run(base, { protocol, watchList: "never" });
      const writes = Array.from({ length: 4 }, (_, i) => s.truth.update(`cm-${i % 3}`));
      await converged(s);
      expect(s.client.log.lists).toHaveLength(1);
      if (protocol === "http") {
        // The body ends inside an event: one truncation, counted once.
        expect(s.informer.stats.truncatedStreams).toBe(1);
      } else {
        // A websocket message is an event: half an event is a malformed one, unless the socket died before the
        // half frame got out; either way the informer saw one failure.
        expect(s.informer.stats.decodeErrors + s.informer.stats.errors).toBeGreaterThanOrEqual(1);
      }
      // Resumed after the second event, the last complete one (over a websocket: the last one read, see T3).
      const resumed = s.client.log.watches[1]?.url.searchParams.get("resourceVersion");
      const sent = writes.slice(0, 2).map((w) => w.metadata?.resourceVersion);
      if (protocol === "http") expect(resumed).toBe(sent[1]);
      else expect(sent).toContain(resumed);
      await stopClean(s);
    });

    it(`T5: a malformed complete line is surfaced as a DecodeError, ends the watch, and the informer watches again (${protocol})`, async () => {
      const base = await prepare();
      cluster.faults.add({
        match: watchOf(base.ns),
        times: 1,
        injectLine: { line: '{"type":"MODIFIED","object":{', afterEvents: 1 },
      });
      const s = await run(base, { protocol, watchList: "never" });
      s.truth.update("cm-0");
      s.truth.update("cm-1");
      await converged(s);
      const decode = s.errors.filter((e) => e.error instanceof DecodeError);
      expect(decode).toHaveLength(1);
      expect(decode[0]?.context).toMatchObject({ phase: "watch", action: "rewatch" });
      expect(s.informer.stats.decodeErrors).toBe(1);
      expect(s.informer.stats.watches).toBe(2);
      expect(s.client.log.lists).toHaveLength(1);
      await stopClean(s);
    });

    it(`T9: repeated 500 ERROR events are retried by watching again with backoff, then by a relist (${protocol})`, async () => {
      const base = await prepare();
      const rule = cluster.faults.add({ match: watchOf(base.ns), skip: 1, injectError: { code: 500 } });
      const s = await run(base, { protocol, watchList: "never", maxInternalErrorRetryMs: 400 }, true);
      const since = Date.now();
      cluster.faults.closeAllWatches();
      await eventually(() => s.informer.stats.relists >= 1, 10_000, "a relist after the retry window");
      const attempts = s.client.log.filter({ watch: true, since });
      const gaps = attempts.slice(1).map((r, i) => r.at - (attempts[i] as { at: number }).at);
      // Every retry waited at least the first backoff step; none was a tight loop.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(18);
      expect(attempts.length).toBeLessThan(30);
      expect(s.health.some((h) => h.state === "Backoff" && h.reason === "server-error")).toBe(true);
      rule.remove();
      s.truth.update("cm-1");
      await converged(s);
      await stopClean(s);
    });

    it(`T17: a watch the server ends mid-burst (an "unresponsive" watcher) resumes from the last resourceVersion (${protocol})`, async () => {
      const base = await prepare();
      const s = await run(base, { protocol, watchList: "never" });
      const saved = cluster.settings.maxWatchBufferBytes;
      // The watch cache closes a watcher whose buffer overflows: make that happen on a burst.
      cluster.settings.maxWatchBufferBytes = 3000;
      try {
        for (let i = 0; i < 60; i++) s.truth.update(`cm-${i % 3}`);
        await eventually(() => s.informer.stats.watches >= 2, 10_000, "a second watch");
      } finally {
        cluster.settings.maxWatchBufferBytes = saved;
      }
      s.truth.update("cm-0");
      await converged(s);
      expect(s.client.log.lists).toHaveLength(1);
      await stopClean(s);
    });

    it(`T20: a half-open connection (headers, one event, then silence) is dropped by the watchdog, as a reconnect, not an error (${protocol})`, async () => {
      const base = await prepare();
      cluster.faults.add({ match: watchOf(base.ns), skip: 1, times: 1, stall: { afterEvents: 1 } });
      const s = await run(base, { protocol, watchList: "never", stallTimeoutMs: 400 }, true);
      cluster.faults.closeAllWatches();
      await eventually(() => s.informer.stats.watches >= 2, 10_000, "the second watch");
      s.truth.update("cm-0");
      s.truth.update("cm-1");
      await eventually(() => s.informer.stats.stalls === 1, 10_000, "the watchdog");
      await converged(s);
      expect(s.informer.stats.errors).toBe(0);
      expect(s.health.some((h) => h.state === "Backoff")).toBe(false);
      expect(s.warnings.some((w) => /silent for 400 ms/.test(w))).toBe(true);
      await stopClean(s);
    });

    it(`T26: a name deleted and created again while disconnected is delivered as delete(old) then add(new) (${protocol})`, async () => {
      const base = await prepare();
      cluster.faults.add({ match: watchOf(base.ns), skip: 1, times: 1, delayMs: 400 });
      const s = await run(base, { protocol, watchList: "never" }, true);
      const oldUid = s.informer.store.get(`${base.ns}/cm-1`)?.metadata?.uid;
      cluster.faults.closeAllWatches();
      await eventually(() => s.client.log.watches.length >= 2, 5000, "the delayed watch request");
      s.truth.delete("cm-1");
      const created = s.truth.create("cm-1", { v: "again" });
      await converged(s);
      const forKey = s.consumer.events.filter((e) => e.key === `${base.ns}/cm-1`);
      expect(forKey.map((e) => `${e.type}:${e.object.metadata?.uid}`)).toEqual([
        `add:${oldUid}`,
        `delete:${oldUid}`,
        `add:${created.metadata?.uid}`,
      ]);
      await stopClean(s);
    });

    it(`T27: an event older than the cache (a replay after reconnecting) is ignored (${protocol})`, async () => {
      const base = await prepare();
      const stale = cluster.store.get<Cm>({ apiVersion: "v1", kind: "ConfigMap" }, "cm-2", base.ns);
      const s = await run(base, { protocol, watchList: "never" });
      s.truth.update("cm-2");
      await converged(s);
      cluster.faults.add({
        match: watchOf(base.ns),
        times: 1,
        injectLine: { line: JSON.stringify({ type: "MODIFIED", object: stale }), afterEvents: 0 },
      });
      const before = s.consumer.events.length;
      cluster.faults.closeAllWatches();
      await eventually(() => s.informer.stats.staleEvents === 1, 5000, "the stale event dropped");
      s.truth.update("cm-0");
      await converged(s);
      expect(s.consumer.events.slice(before).map((e) => e.key)).toEqual([`${base.ns}/cm-0`]);
      await stopClean(s);
    });
  });
}

describe("relists", () => {
  it("T6: a 410 ERROR event relists at the last resourceVersion (NotOlderThan); deletions missed become tombstones; unchanged objects stay silent", async () => {
    const base = await prepare(4);
    cluster.faults.add({ match: watchOf(base.ns), skip: 1, times: 1, delayMs: 400, injectError: { code: 410 } });
    const s = await run(base, { watchList: "never" }, true);
    const syncedRv = s.informer.lastSyncResourceVersion;
    const before = s.consumer.events.length;
    cluster.faults.closeAllWatches();
    await eventually(() => s.client.log.watches.length >= 2, 5000, "the delayed watch request");
    s.truth.delete("cm-1");
    s.truth.update("cm-2");
    await converged(s);
    const relist = s.client.log.lists[1];
    expect(relist?.url.searchParams.get("resourceVersion")).toBe(syncedRv);
    expect(relist?.url.searchParams.get("resourceVersionMatch")).toBe("NotOlderThan");
    expect(relist?.url.searchParams.has("limit")).toBe(false);
    const after = s.consumer.events.slice(before);
    expect(after.map((e) => `${e.type}:${e.key}`).sort()).toEqual([`delete:${base.ns}/cm-1`, `update:${base.ns}/cm-2`]);
    const tombstone = after.find((e) => e.type === "delete");
    expect(tombstone?.type === "delete" && tombstone.finalStateUnknown).toBe(true);
    expect(s.informer.stats.relists).toBe(1);
    expect(s.errors.some((e) => isGone(e.error) && e.context.action === "relist")).toBe(true);
    await stopClean(s);
  });

  it('T7: a 410 on that relist too lists again at once from a consistent read (resourceVersion "")', async () => {
    const base = await prepare();
    cluster.faults.add({ match: watchOf(base.ns), skip: 1, times: 1, injectError: { code: 410 } });
    cluster.faults.add({
      match: { verb: "list", namespace: base.ns },
      skip: 1,
      times: 1,
      respond: { status: 410, reason: "Expired", message: "too old resource version" },
    });
    const s = await run(base, { watchList: "never" }, true);
    cluster.faults.closeAllWatches();
    await eventually(
      () => s.client.log.lists.length >= 3 && s.informer.health.state === "Watching",
      5000,
      "two relists",
    );
    s.truth.update("cm-0");
    await converged(s);
    const [, expired, consistent] = s.client.log.lists;
    expect(expired?.status).toBe(410);
    expect(expired?.url.searchParams.get("resourceVersionMatch")).toBe("NotOlderThan");
    expect(consistent?.status).toBe(200);
    expect(consistent?.url.searchParams.has("resourceVersion")).toBe(false);
    expect(consistent?.url.searchParams.get("limit")).toBe("500");
    // At once: no backoff between the two.
    expect((consistent?.at ?? 0) - (expired?.at ?? 0)).toBeLessThan(500);
    expect(s.health.filter((h) => h.state === "Backoff")).toEqual([]);
    await stopClean(s);
  });

  it("T8: an HTTP 410 with reason Gone when the watch starts (old servers, proxies) relists like an Expired event", async () => {
    const base = await prepare(4);
    cluster.faults.add({
      match: watchOf(base.ns),
      skip: 1,
      times: 1,
      delayMs: 400,
      respond: { status: 410, reason: "Gone", message: "too old resource version: 1 (2)" },
    });
    const s = await run(base, { watchList: "never" }, true);
    cluster.faults.closeAllWatches();
    await eventually(() => s.client.log.watches.length >= 2, 5000, "the delayed watch request");
    s.truth.delete("cm-3");
    await converged(s);
    expect(s.client.log.lists[1]?.url.searchParams.get("resourceVersionMatch")).toBe("NotOlderThan");
    expect(s.consumer.events.find((e) => e.type === "delete")).toMatchObject({ finalStateUnknown: true });
    expect(s.errors.some((e) => e.error instanceof ApiError && e.error.reason === "Gone")).toBe(true);
    await stopClean(s);
  });

  it("T25: a 410 on page 3 of a paginated list restarts the whole list, never with the inconsistent continue token", async () => {
    const base = await prepare(5);
    cluster.faults.add({
      match: { verb: "list", namespace: base.ns, query: { continue: true } },
      skip: 1,
      times: 1,
      respond: {
        status: 410,
        body: {
          kind: "Status",
          apiVersion: "v1",
          metadata: { continue: "INCONSISTENT-TOKEN" },
          status: "Failure",
          message: "The provided continue parameter is too old to display a consistent list result.",
          reason: "Expired",
          code: 410,
        },
      },
    });
    const s = await run(base, { watchList: "never", pageSize: 2, initialResourceVersion: "" });
    const lists = s.client.log.lists;
    expect(lists.map((r) => r.status)).toEqual([200, 200, 410, 200, 200, 200]);
    expect(lists.map((r) => r.url.searchParams.has("continue"))).toEqual([false, true, true, false, true, true]);
    expect(lists.some((r) => r.url.searchParams.get("continue") === "INCONSISTENT-TOKEN")).toBe(false);
    expect(s.informer.store.size).toBe(s.truth.current().size);
    await converged(s);
    await stopClean(s);
  });

  it("T26: a name re-created while disconnected and found by a relist is delivered as delete(old) then add(new)", async () => {
    const base = await prepare();
    cluster.faults.add({ match: watchOf(base.ns), skip: 1, times: 1, delayMs: 400, injectError: { code: 410 } });
    const s = await run(base, { watchList: "never" }, true);
    const oldUid = s.informer.store.get(`${base.ns}/cm-2`)?.metadata?.uid;
    cluster.faults.closeAllWatches();
    await eventually(() => s.client.log.watches.length >= 2, 5000, "the delayed watch request");
    s.truth.delete("cm-2");
    const created = s.truth.create("cm-2", { v: "new" });
    await converged(s);
    const forKey = s.consumer.events.filter((e) => e.key === `${base.ns}/cm-2`);
    expect(forKey.map((e) => `${e.type}:${e.object.metadata?.uid}`)).toEqual([
      `add:${oldUid}`,
      `delete:${oldUid}`,
      `add:${created.metadata?.uid}`,
    ]);
    await stopClean(s);
  });
});

describe("server restarts and throttling", () => {
  for (const how of ["HTTP status", "ERROR event"] as const) {
    it(`T10: a resourceVersion reset (504 Too large resource version as an ${how}) waits Retry-After, relists from scratch and replaces the cache`, async () => {
      const base = await prepare();
      const s = await run(base, { watchList: "never" });
      const oldRv = s.informer.lastSyncResourceVersion;
      cluster.faults.add(
        how === "HTTP status"
          ? { match: watchOf(base.ns), times: 1, respond: { status: 504, retryAfterSeconds: 1 } }
          : { match: watchOf(base.ns), times: 1, injectError: { code: 504 } },
      );
      const since = Date.now();
      cluster.faults.resetResourceVersion();
      s.truth.resync();
      await eventually(() => s.client.log.lists.length >= 2, 10_000, "the relist");
      await eventually(() => s.informer.health.state === "Watching", 10_000, "Watching again");
      s.truth.update("cm-1");
      await converged(s);
      const tooLarge = s.client.log.filter({ watch: true, since })[0];
      const relist = s.client.log.lists[1];
      // Waited at least the server's Retry-After (1 s) before listing again, from a consistent read.
      expect((relist?.at ?? 0) - (tooLarge?.at ?? 0)).toBeGreaterThanOrEqual(1000);
      expect(relist?.url.searchParams.has("resourceVersion")).toBe(false);
      expect(s.informer.stats.resourceVersionResets).toBe(1);
      expect(s.warnings.some((w) => w.includes(`older than ${oldRv}`))).toBe(true);
      expect(s.health.some((h) => h.state === "Backoff" && h.reason === "resource-version-too-large")).toBe(true);
      // One TooLarge answer, then back to normal: no loop.
      expect(s.errors.filter((e) => e.error instanceof ApiError && e.error.status === 504)).toHaveLength(1);
      await stopClean(s);
    });
  }

  it("T11: after a clean end of every watch, 429 with Retry-After: 3 makes each new attempt wait at least 3 s", async () => {
    const base = await prepare();
    cluster.faults.add({ match: watchOf(base.ns), skip: 1, times: 2, respond: { status: 429, retryAfterSeconds: 3 } });
    const s = await run(base, { watchList: "never" }, true);
    const since = Date.now();
    cluster.faults.closeAllWatches();
    await eventually(
      () => s.client.log.filter({ watch: true, since }).filter((r) => r.status !== undefined).length >= 3,
      15_000,
      "three answered watch attempts",
    );
    const attempts = s.client.log.filter({ watch: true, since });
    expect(attempts.map((a) => a.status)).toEqual([429, 429, 200]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(3000);
    expect((attempts[2]?.at ?? 0) - (attempts[1]?.at ?? 0)).toBeGreaterThanOrEqual(3000);
    // No relist: the resourceVersion was still good.
    expect(s.client.log.lists).toHaveLength(1);
    await stopClean(s);
  }, 20_000);

  it("T12: Retry-After on LIST (429) and on WATCH (503) is honoured, capped, and jittered", async () => {
    const base = await prepare();
    cluster.faults.add({
      match: { verb: "list", namespace: base.ns },
      times: 1,
      respond: { status: 429, retryAfterSeconds: 1 },
    });
    cluster.faults.add({ match: watchOf(base.ns), times: 1, respond: { status: 503, retryAfterSeconds: 30 } });
    const s = await run(base, { watchList: "never", random: () => 0.5, maxRetryAfterMs: 1500 });
    const [throttled, listed] = s.client.log.lists;
    // 1 s asked, plus 20 % × 0.5 of jitter.
    expect((listed?.at ?? 0) - (throttled?.at ?? 0)).toBeGreaterThanOrEqual(1095);
    expect((listed?.at ?? 0) - (throttled?.at ?? 0)).toBeLessThan(1600);
    const [unavailable, watched] = s.client.log.watches;
    expect(unavailable?.status).toBe(503);
    // 30 s asked, capped at 1.5 s.
    expect((watched?.at ?? 0) - (unavailable?.at ?? 0)).toBeGreaterThanOrEqual(1495);
    expect((watched?.at ?? 0) - (unavailable?.at ?? 0)).toBeLessThan(2500);
    expect(s.client.log.lists).toHaveLength(2);
    expect(s.health.filter((h) => h.state === "Backoff").map((h) => h.state === "Backoff" && h.reason)).toEqual([
      "throttled",
      "throttled",
    ]);
    await converged(s);
    await stopClean(s);
  });

  it("T13: refused connections back off exponentially (with jitter), and the informer watches again without a LIST", async () => {
    const base = await prepare();
    // The first watch's connection is destroyed on its second event, so that no kept-alive socket survives.
    cluster.faults.add({ match: watchOf(base.ns), times: 1, dropAfterEvents: 1 });
    const s = await run(base, { watchList: "never", random: () => 0.5, backoff: { initialMs: 50, maxMs: 800 } }, true);
    const refused = cluster.faults.refuseConnections(2000);
    const since = Date.now();
    s.truth.update("cm-1");
    await refused;
    s.truth.update("cm-2");
    await converged(s);
    const attempts = s.client.log.filter({ watch: true, since });
    const failed = attempts.filter((a) => a.status === undefined);
    expect(failed.length).toBeGreaterThanOrEqual(4);
    expect(failed.every((a) => (a.error as { kind?: string }).kind === "refused")).toBe(true);
    // Waits with random() = 0.5: 75, 150, 300, 600, 600 … ms (d × 1.5, d doubling from 50 up to 800 / 2); the
    // first (75) came before the first attempt, after the dropped connection.
    const gaps = attempts.slice(1).map((r, i) => r.at - (attempts[i] as { at: number }).at);
    const expected = [150, 300, 600, 600, 600, 600, 600];
    for (let i = 0; i < failed.length - 1; i++) {
      expect(gaps[i]).toBeGreaterThanOrEqual((expected[i] as number) - 5);
      expect(gaps[i]).toBeLessThan((expected[i] as number) + 250);
    }
    expect(s.client.log.lists).toHaveLength(1);
    expect(s.health.some((h) => h.state === "Backoff" && h.reason === "connection")).toBe(true);
    await stopClean(s);
  });

  it("T15: 403 on the watch (RBAC revoked) is surfaced and backed off, and the informer recovers when access returns", async () => {
    const base = await prepare();
    const rule = cluster.faults.add({
      match: watchOf(base.ns),
      skip: 1,
      respond: { status: 403, message: "forbidden by RBAC" },
    });
    const s = await run(base, { watchList: "never" }, true);
    const since = Date.now();
    cluster.faults.closeAllWatches();
    await new Promise((r) => setTimeout(r, 600));
    const attempts = s.client.log.filter({ watch: true, since }).length;
    // Backoff from 20 ms up to 200 ms: a handful of attempts in 600 ms, not hundreds.
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThan(15);
    expect(s.errors.some((e) => e.error instanceof ApiError && e.error.status === 403)).toBe(true);
    expect(s.informer.health.state).toBe("Backoff");
    rule.remove();
    s.truth.update("cm-0");
    await converged(s);
    expect(s.client.log.lists).toHaveLength(1);
    await stopClean(s);
  });
});

describe("credentials", () => {
  it("T14: a 401 after token expiry refreshes the credentials once and the watch goes on with the new token", async () => {
    const base = await prepare();
    const s = await run(base, { watchList: "never" }, true);
    const fresh = "fresh-token-0123456789";
    cluster.addUser({ name: "admin", token: fresh, groups: ["system:masters"] });
    base.client.credentials.refresh = () => fresh;
    cluster.revokeToken(cluster.token);
    cluster.faults.closeAllWatches();
    s.truth.update("cm-0");
    await converged(s);
    expect(base.client.credentials.invalidations).toBe(1);
    const last = s.client.log.watches[s.client.log.watches.length - 1];
    expect(last?.headers.get("authorization")).toBe(`Bearer ${fresh}`);
    expect(s.health.some((h) => h.state === "Unauthorized")).toBe(false);
    cluster.addUser({ name: "admin", token: cluster.token, groups: ["system:masters"] });
    await stopClean(s);
  });

  it("T14: when the refresh gives the same refused token the informer is Unauthorized, backs off, surfaces the error, and recovers", async () => {
    const base = await prepare();
    const s = await run(base, { watchList: "never" }, true);
    cluster.revokeToken(cluster.token);
    const since = Date.now();
    cluster.faults.closeAllWatches();
    await eventually(() => s.informer.health.state === "Unauthorized", 5000, "Unauthorized");
    await new Promise((r) => setTimeout(r, 600));
    const attempts = s.client.log.filter({ watch: true, since }).length;
    // Each attempt is one request plus the middleware's one retry after its refresh; backoff keeps them few.
    expect(attempts).toBeLessThan(30);
    expect(base.client.credentials.invalidations).toBeGreaterThanOrEqual(1);
    expect(base.client.credentials.invalidations).toBeLessThanOrEqual(attempts);
    expect(s.errors.some((e) => isUnauthorized(e.error))).toBe(true);
    cluster.addUser({ name: "admin", token: cluster.token, groups: ["system:masters"] });
    s.truth.update("cm-1");
    await converged(s);
    expect(s.informer.health.state).toBe("Watching");
    await stopClean(s);
  });
});

describe("slow consumers", () => {
  it("T16: a slow consumer never stalls the reader; coalescing keeps O(keys) pending; ordered overflows to coalescing with a warning", async () => {
    const keys = 20;
    const base = await prepare(keys);
    const slow = (): Promise<void> => new Promise((r) => setTimeout(r, 200));
    const coalesced = new Delivered();
    const ordered = new Delivered();
    const warnings: string[] = [];
    const clock = countingClock();
    const a = createInformer(base.client.client, ConfigMap, fastOptions(clock, { watchList: "never" }));
    const b = createInformer(
      base.client.client,
      ConfigMap,
      fastOptions(clock, {
        watchList: "never",
        delivery: "ordered",
        maxBuffered: 1000,
        onWarning: (w) => void warnings.push(w),
      }),
    );
    running.push(a, b);
    const record = (d: Delivered) => {
      const h = d.handlers();
      return {
        add: async (...args: Parameters<NonNullable<typeof h.add>>) => {
          await h.add?.(...args);
          await slow();
        },
        update: async (...args: Parameters<NonNullable<typeof h.update>>) => {
          await h.update?.(...args);
          await slow();
        },
        delete: async (...args: Parameters<NonNullable<typeof h.delete>>) => {
          await h.delete?.(...args);
          await slow();
        },
      };
    };
    a.addHandlers(record(coalesced));
    b.addHandlers(record(ordered));
    await Promise.all([a.synced, b.synced]);
    await eventually(() => a.health.state === "Watching" && b.health.state === "Watching", 5000, "watching");
    let maxA = 0;
    let maxB = 0;
    const sample = setInterval(() => {
      maxA = Math.max(maxA, a.stats.pendingNotifications);
      maxB = Math.max(maxB, b.stats.pendingNotifications);
    }, 5);
    const total = 20_000;
    try {
      for (let i = 0; i < total; i++) {
        base.truth.update(`cm-${i % keys}`);
        if (i % 500 === 499) await new Promise((r) => setTimeout(r, 40));
      }
      // The reader kept up while both consumers slept: the caches reach the server's state long before delivery.
      await eventually(() => checkCache(a) && checkCache(b), 15_000, "caches caught up");
    } finally {
      clearInterval(sample);
    }
    function checkCache(i: Informer<Cm>): boolean {
      const server = base.truth.current();
      return i.store
        .list()
        .every(
          (o) => server.get(`${base.ns}/${o.metadata?.name}`) === `${o.metadata?.uid}@${o.metadata?.resourceVersion}`,
        );
    }
    expect(coalesced.events.length).toBeLessThan(200);
    expect(a.stats.events).toBe(total);
    expect(a.stats.watchRestarts).toBe(0);
    expect(b.stats.watchRestarts).toBe(0);
    expect(maxA).toBeLessThanOrEqual(keys + 2);
    expect(maxB).toBeLessThanOrEqual(1000 + keys + 2);
    expect(warnings.some((w) => /fell more than 1000 notifications behind/.test(w))).toBe(true);
    // Both consumers end on the final state of every key, through a subsequence of the true states.
    await eventually(
      () =>
        checkInvariant(a, base.truth, [coalesced]) === undefined &&
        checkInvariant(b, base.truth, [ordered]) === undefined,
      15_000,
      "consumers caught up",
    );
    await a.stop();
    await b.stop();
    expect(clock.live).toBe(0);
  }, 60_000);
});

describe("quiet collections", () => {
  it("T18: bookmarks keep a quiet watch's resourceVersion fresh: one watch per timeout, no 410 after the cycle", async () => {
    const base = await prepare();
    const savedInterval = cluster.settings.bookmarkIntervalMs;
    const savedHistory = cluster.store.historySize;
    cluster.settings.bookmarkIntervalMs = 150;
    cluster.store.historySize = 20;
    try {
      const s = await run(base, { watchList: "never", watchTimeoutSeconds: [1, 1] });
      const rv = s.informer.lastSyncResourceVersion;
      const other = `${base.ns}-churn`;
      await readyNamespace(cluster, other);
      const churn = new Truth(cluster, other);
      churn.create("c");
      for (let i = 0; i < 30; i++) {
        churn.update("c");
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(s.informer.stats.bookmarks).toBeGreaterThanOrEqual(3);
      expect(s.informer.lastSyncResourceVersion).not.toBe(rv);
      // One watch per server timeout (1 s) over ~3 s, and never a relist: each new watch started from a bookmark.
      expect(s.informer.stats.watches).toBeGreaterThanOrEqual(2);
      expect(s.informer.stats.watches).toBeLessThanOrEqual(5);
      expect(s.informer.stats.relists).toBe(0);
      expect(s.errors).toEqual([]);
      await converged(s);
      await stopClean(s);
    } finally {
      cluster.settings.bookmarkIntervalMs = savedInterval;
      cluster.store.historySize = savedHistory;
    }
  });

  it("T19: without bookmarks and with a short history, the watchdog's new watch gets 410 and relists exactly once per cycle", async () => {
    const base = await prepare();
    const savedInterval = cluster.settings.bookmarkIntervalMs;
    const savedHistory = cluster.store.historySize;
    cluster.settings.bookmarkIntervalMs = 0;
    cluster.store.historySize = 10;
    try {
      const s = await run(base, { watchList: "never", stallTimeoutMs: 500 });
      const other = `${base.ns}-churn`;
      await readyNamespace(cluster, other);
      const churn = new Truth(cluster, other);
      churn.create("c");
      for (let cycle = 0; cycle < 2; cycle++) {
        const relists = s.informer.stats.relists;
        // Churn only once the watch after the (re)list is open, so that it is the watchdog's new watch that meets the
        // 410 (the relist sets Listing; Watching follows once the next watch is open).
        await eventually(() => s.informer.health.state === "Watching", 5000, "a watch");
        for (let i = 0; i < 30; i++) churn.update("c");
        await eventually(() => s.informer.stats.relists === relists + 1, 5000, `the relist of cycle ${cycle}`);
      }
      const gone = s.errors.filter((e) => isGone(e.error));
      expect(gone.length).toBe(s.informer.stats.relists);
      expect(s.client.log.lists).toHaveLength(1 + gone.length);
      expect(s.informer.stats.stalls).toBeGreaterThanOrEqual(2);
      s.truth.update("cm-0");
      await converged(s);
      await stopClean(s);
    } finally {
      cluster.settings.bookmarkIntervalMs = savedInterval;
      cluster.store.historySize = savedHistory;
    }
  });
});

describe("WatchList", () => {
  it("T22: a WatchList answered with one gzip member per flush delivers every event (identity is asked for on Deno)", async () => {
    const base = await prepare(6);
    const rule = cluster.faults.add({ match: watchOf(base.ns), times: 1, gzip: true });
    const s = await run(base);
    await converged(s);
    const first = s.client.log.watches[0];
    expect(first?.url.searchParams.get("sendInitialEvents")).toBe("true");
    expect(rule.hits).toBe(1);
    if (onDeno) {
      expect(first?.headers.get("accept-encoding")).toBe("identity");
      expect(first?.encoding).toBeNull();
    } else {
      expect(first?.encoding).toBe("gzip");
    }
    expect(s.informer.stats.watchListFallbacks).toBe(0);
    s.truth.update("cm-5");
    await converged(s);
    await stopClean(s);
  });

  it("T22: with gzip forced on, events after the first gzip member arrive on Node; on Deno (which stops after the first member) the informer watches again and converges", async () => {
    const base = await prepare(6);
    cluster.faults.add({ match: watchOf(base.ns), times: 1, gzip: true });
    const s = await run(base, { acceptEncoding: "gzip" });
    s.truth.update("cm-5");
    await converged(s);
    s.truth.update("cm-4");
    await converged(s);
    expect(s.client.log.watches[0]?.encoding).toBe("gzip");
    // Node decodes every member on the one stream. Deno 2.9's fetch ends the body after the first member (the
    // initial events and the end bookmark): the informer sees the end of the stream and watches again.
    if (!onDeno) expect(s.informer.stats.watches).toBe(1);
    await stopClean(s);
  });

  for (const mode of ["disabled", "ignored"] as const) {
    it(`T23: WatchList refused with 422 (server ${mode === "disabled" ? "with the feature gate off" : "older than 1.27"}) falls back to LIST + WATCH in the same start`, async () => {
      const base = await prepare();
      const saved = cluster.settings.watchList;
      cluster.settings.watchList = mode;
      try {
        const s = await run(base);
        expect(
          s.client.log.requests.map(
            (r) =>
              `${r.status} ${r.url.searchParams.has("watch") ? (r.url.searchParams.has("sendInitialEvents") ? "watchlist" : "watch") : "list"}`,
          ),
        ).toEqual(["422 watchlist", "200 list", "200 watch"]);
        expect(s.informer.stats.watchListFallbacks).toBe(1);
        expect(s.warnings.some((w) => /WatchList is not available/.test(w))).toBe(true);
        expect(s.health.filter((h) => h.state === "Backoff")).toEqual([]);
        s.truth.update("cm-0");
        await converged(s);
        // The capability is remembered for the client: the next informer lists directly.
        const second = createInformer(base.client.client, ConfigMap, fastOptions(countingClock()));
        running.push(second);
        await second.synced;
        expect(second.stats.watchListFallbacks).toBe(0);
        expect(
          base.client.log.filter({ watch: true }).filter((r) => r.url.searchParams.has("sendInitialEvents")),
        ).toHaveLength(1);
        await stopClean(s);
      } finally {
        cluster.settings.watchList = saved;
      }
    });
  }
});

describe("stop()", () => {
  for (const phase of ["list", "watch", "backoff"] as const) {
    it(`T28: stop() during the ${phase} resolves promptly, and nothing is delivered, requested or armed afterwards`, async () => {
      const base = await prepare();
      if (phase === "list") cluster.faults.add({ match: { verb: "list", namespace: base.ns }, delayMs: 3000 });
      if (phase === "backoff") cluster.faults.add({ match: watchOf(base.ns), respond: { status: 500 } });
      const clock = countingClock();
      const consumer = new Delivered();
      const informer = createInformer(
        base.client.client,
        ConfigMap,
        fastOptions(clock, {
          watchList: "never",
          handlers: consumer.handlers(),
          backoff: { initialMs: 10_000, maxMs: 20_000 },
        }),
      );
      running.push(informer);
      if (phase === "list") await eventually(() => base.client.log.lists.length === 1, 5000, "the list request");
      if (phase === "watch") await eventually(() => informer.health.state === "Watching", 5000, "Watching");
      if (phase === "backoff") await eventually(() => informer.health.state === "Backoff", 5000, "Backoff");
      const started = Date.now();
      await informer.stop();
      expect(Date.now() - started).toBeLessThan(500);
      expect(informer.health.state).toBe("Stopped");
      expect(clock.live).toBe(0);
      if (phase === "list") await expect(informer.synced).rejects.toThrow(/stopped before it synced/);
      const delivered = consumer.events.length;
      const requests = base.client.log.requests.length;
      base.truth.update("cm-0");
      base.truth.create("late");
      await new Promise((r) => setTimeout(r, 300));
      expect(consumer.events.length).toBe(delivered);
      expect(base.client.log.requests.length).toBe(requests);
    });
  }
});

describe("websockets", () => {
  it("T29: a websocket watch sends Origin and one subprotocol, gets one event per frame, and watches again after a close", async () => {
    const base = await prepare();
    const s = await run(base, { protocol: "websocket" }, true);
    s.truth.update("cm-0");
    await converged(s);
    const ws = s.client.log.filter({ websocket: true });
    expect(ws.length).toBeGreaterThanOrEqual(1);
    expect(ws[0]?.protocols).toEqual(["base64.binary.k8s.io"]);
    expect(ws[0]?.headers.get("origin")).toBe(new URL(cluster.url).origin);
    expect(ws[0]?.url.searchParams.get("sendInitialEvents")).toBe("true");
    cluster.faults.closeAllWatches();
    await eventually(() => s.client.log.filter({ websocket: true }).length >= 2, 5000, "a new websocket");
    s.truth.update("cm-1");
    await converged(s);
    expect(s.informer.stats.relists).toBe(0);
    await stopClean(s);
  });

  it("T29: the fake cluster enforces the x/net rules the informer satisfies (two subprotocols: 400)", async () => {
    const base = await prepare();
    const url = base.client.client.url(ConfigMap, { query: { watch: "true" } });
    const error = await base.client.client
      .websocket(url, { protocols: ["base64.binary.k8s.io", "channel.k8s.io"] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    if (onDeno) expect(error).toBeDefined();
    else expect((error as ApiError).status).toBe(400);
  });
});
