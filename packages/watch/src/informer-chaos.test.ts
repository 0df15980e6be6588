// T32: a seeded chaos soak. Each seed runs an informer in its own namespace of one fake cluster (over HTTPS or
// websockets, with or without WatchList) while a random workload of creates, updates and deletes meets a random mix of
// the fault hooks: dropped connections (T3), events cut in half (T4), malformed lines (T5), 410 (T6), repeated 500
// (T9), 504 TooLargeResourceVersion (T10), 429/503 with Retry-After (T12), slow consumers (T16), stalls (T20), delays.
// Then the faults stop and the client-go invariant must hold: the cache equals the server, and each consumer (a
// coalescing handler, an ordered handler with a small buffer, an async iterator) was told a subsequence of each key's
// true states, ending at the current one. A failure names its seed.
//
// Seeds: KUBESHIFT_SOAK_SEEDS per runtime (default 100), from KUBESHIFT_SOAK_BASE (default 1 on Node, 100001 on Deno),
// KUBESHIFT_SOAK_PARALLEL at a time (default 10). One `npm test` therefore runs 200 distinct seeds (100 on Node, 100
// on Deno). Longer soaks: KUBESHIFT_SOAK_SEEDS=2000 npx vitest run src/informer-chaos.test.ts.
import { type FakeCluster, type FaultHandle, type FaultRule, startFakeCluster } from "@kubeshift/testing";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Cm,
  checkInvariant,
  clientFor,
  countingClock,
  Delivered,
  eventually,
  readyNamespace,
  Truth,
} from "../test/harness.ts";
import { onDeno } from "../test/test-transport.ts";
import { createInformer } from "./informer.ts";

const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
const SEEDS = Number(env("KUBESHIFT_SOAK_SEEDS") ?? 100);
const BASE = Number(env("KUBESHIFT_SOAK_BASE") ?? (onDeno ? 100_001 : 1));
const PARALLEL = Number(env("KUBESHIFT_SOAK_PARALLEL") ?? 10);

/** mulberry32: a small, good-enough seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let cluster: FakeCluster;
const rejections: unknown[] = [];
const onRejection = (reason: unknown): void => {
  rejections.push(reason);
};

beforeAll(async () => {
  cluster = await startFakeCluster({ bookmarkIntervalMs: 250 });
  process.on("unhandledRejection", onRejection);
});

afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await cluster?.close();
});

type FaultKind = "drop" | "cut" | "malformed" | "gone" | "internal" | "too-large" | "throttle" | "stall" | "delay";
const KINDS: readonly FaultKind[] = [
  "drop",
  "cut",
  "malformed",
  "gone",
  "internal",
  "too-large",
  "throttle",
  "stall",
  "delay",
];

function fault(kind: FaultKind, ns: string, random: () => number): FaultRule {
  const pick = (n: number): number => Math.floor(random() * n);
  const watch = { verb: "watch", namespace: ns };
  const skip = pick(2);
  switch (kind) {
    case "drop":
      return { match: watch, skip, times: 1, dropAfterEvents: pick(4) };
    case "cut":
      return { match: watch, skip, times: 1, cutEventAfter: pick(4) };
    case "malformed":
      return {
        match: watch,
        skip,
        times: 1,
        injectLine: { line: '{"type":"MODIFIED","object":{', afterEvents: pick(3) },
      };
    case "gone":
      return { match: watch, skip, times: 1, injectError: { code: 410, afterEvents: pick(3) } };
    case "internal":
      return { match: watch, skip, times: 1 + pick(3), injectError: { code: 500, afterEvents: pick(2) } };
    case "too-large":
      return random() < 0.5
        ? { match: watch, skip, times: 1, injectError: { code: 504 } }
        : { match: watch, skip, times: 1, respond: { status: 504, retryAfterSeconds: 1 } };
    case "throttle":
      return {
        match: { verb: random() < 0.5 ? "watch" : "list", namespace: ns },
        skip,
        times: 1,
        respond: { status: random() < 0.5 ? 429 : 503, retryAfterSeconds: 0 },
      };
    case "stall":
      return { match: watch, skip, times: 1, stall: { afterEvents: pick(3) } };
    case "delay":
      return { match: { namespace: ns }, skip, times: 1 + pick(2), delayMs: 20 + pick(150) };
  }
}

async function soak(seed: number): Promise<void> {
  const random = prng(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  const ns = `chaos-${seed}`;
  await readyNamespace(cluster, ns);
  const truth = new Truth(cluster, ns);
  const names = Array.from({ length: 3 + pick(8) }, (_, i) => `k${i}`);
  const live = new Set<string>();
  for (const name of names) {
    if (random() < 0.5) {
      truth.create(name, { v: "init" });
      live.add(name);
    }
  }
  const client = await clientFor(cluster, ns);
  const clock = countingClock();
  const protocol = random() < 0.5 ? "http" : "websocket";
  const watchList = random() < 0.5 ? "auto" : "never";
  const slowMs = pick(3) === 0 ? 2 + pick(15) : 0;
  const coalesced = new Delivered();
  const ordered = new Delivered();
  const iterated = new Delivered();
  const informer = createInformer(client.client, ConfigMap, {
    protocol,
    watchList,
    clock,
    random,
    backoff: { initialMs: 10, maxMs: 100 },
    // Short enough that stalls resolve within a seed, long enough not to fire on a loaded CI machine's event-loop lag.
    stallTimeoutMs: 1000,
    watchListTimeoutMs: 1000,
    maxInternalErrorRetryMs: 200,
    maxRetryAfterMs: 1000,
    watchTimeoutSeconds: [2, 5],
    ...(env("KUBESHIFT_SOAK_DEBUG") === "1"
      ? {
          onHealth: (h) => console.log(seed, Date.now() % 100000, "health", JSON.stringify(h).slice(0, 200)),
          onError: (e, c) => console.log(seed, Date.now() % 100000, "error", JSON.stringify(c), (e as Error).message),
          onWarning: (w) => console.log(seed, Date.now() % 100000, "warn", w),
        }
      : {}),
  });
  const slow = (): Promise<void> | undefined => (slowMs === 0 ? undefined : new Promise((r) => setTimeout(r, slowMs)));
  const wrap = (d: Delivered) => {
    const h = d.handlers();
    return {
      add: (o: Cm, info: { isInInitialList: boolean }) => {
        h.add?.(o, info);
        return slow();
      },
      update: (old: Cm, o: Cm) => {
        h.update?.(old, o);
        return slow();
      },
      delete: (o: Cm, info: { finalStateUnknown: boolean }) => {
        h.delete?.(o, info);
        return slow();
      },
    };
  };
  informer.addHandlers(wrap(coalesced));
  informer.addHandlers(wrap(ordered), { delivery: "ordered", maxBuffered: 3 + pick(30) });
  const reading = (async () => {
    for await (const e of informer.events()) iterated.record(e);
  })();
  const rules: FaultHandle[] = [];
  const description = `seed ${seed} (${protocol}, watchList ${watchList}, slow ${slowMs} ms)`;
  try {
    const steps = 20 + pick(40);
    for (let i = 0; i < steps; i++) {
      if (random() < 0.25) rules.push(cluster.faults.add(fault(KINDS[pick(KINDS.length)] as FaultKind, ns, random)));
      const name = names[pick(names.length)] as string;
      const roll = random();
      if (!live.has(name)) {
        truth.create(name, { v: String(i) });
        live.add(name);
      } else if (roll < 0.2) {
        truth.delete(name);
        live.delete(name);
      } else truth.update(name);
      if (random() < 0.6) await new Promise((r) => setTimeout(r, pick(40)));
    }
    for (const r of rules) r.remove();
    // A last change after the faults: every consumer must end on it.
    const last = names[0] as string;
    if (live.has(last)) truth.update(last);
    else truth.create(last);
    await eventually(() => checkInvariant(informer, truth, [coalesced, ordered, iterated]), 30_000, "the invariant");
  } catch (error) {
    throw new Error(
      `T32 chaos ${description} failed (reproduce: KUBESHIFT_SOAK_BASE=${seed} KUBESHIFT_SOAK_SEEDS=1): ${(error as Error).message}\nhealth: ${JSON.stringify(informer.health)}\nstats: ${JSON.stringify(informer.stats)}\nlast requests: ${client.log.requests
        .slice(-8)
        .map(
          (r) =>
            `${r.at % 100000} ${r.websocket ? "ws" : "http"} ${r.url.search} → ${r.status ?? (r.error as Error | undefined)?.message ?? "pending"}`,
        )
        .join("\n  ")}\nnow ${Date.now() % 100000}`,
      { cause: error },
    );
  } finally {
    for (const r of rules) r.remove();
    await informer.stop();
    await reading;
    await client.close();
  }
  expect(clock.live, `timers left by ${description}`).toBe(0);
}

describe("T32: chaos soak", () => {
  const seeds = Array.from({ length: SEEDS }, (_, i) => BASE + i);
  for (let i = 0; i < seeds.length; i += PARALLEL) {
    const batch = seeds.slice(i, i + PARALLEL);
    it(`T32: the final cache equals the server and deliveries are subsequences of the truth, seeds ${batch[0]}–${batch[batch.length - 1]}`, async () => {
      const results = await Promise.allSettled(batch.map((s) => soak(s)));
      const failures = results
        .filter((r): r is PromiseRejectedResult => r.status === "rejected")
        .map((r) => String((r.reason as Error).message));
      // Thrown whole (an assertion would shorten the messages, and the seeds are what a failure needs).
      if (failures.length > 0) throw new Error(`${failures.length} seeds failed:\n${failures.join("\n\n")}`);
      expect(rejections).toEqual([]);
    }, 120_000);
  }
});
