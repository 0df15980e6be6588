/**
 * The watch package's resource goals:
 *
 * - memory (issue 8): the heap an informer holding 10,000 pods keeps, against the same pods as raw parsed objects (the
 *   list's `items` after `JSON.parse`): goal ≤ 1.2×, and ≤ 0.6× with `stripManagedFields`. Each figure is the median
 *   of five fresh processes started with `--expose-gc`: heap used after a full collection with the objects held,
 *   minus before. The pods (about 2.3 KB of JSON each, most of it managedFields from three managers) are served by a
 *   child process;
 * - steady-state CPU (watch-tui.md R-3): an informer holding 5,000 pods while the server sends 100 events a second,
 *   measured over 10 s after a warm-up: goal < 5 % of one core (process CPU time / wall time).
 *
 * Neither is a time, so this file measures by itself and records the figures through the harness's `record()`
 * (`"unit": "bytes"` or `"percent"`, lower is better); its `setup()` returns no timed measure.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { createClient } from "@kubeshift/client";
import { createNodeTransport } from "@kubeshift/transport/node";
import { Pod } from "@kubeshift/types/core/v1";
import { createInformer } from "@kubeshift/watch";
import { announce, startServerProcess } from "./child-server.ts";
import { defineBenchmark } from "./harness.ts";
import { pod } from "./watch-informer.bench.ts";

const PODS = 10_000;
const STEADY_PODS = 5_000;
const STEADY_RATE = 100;
const STEADY_SECONDS = 10;
const RUNS = 5;
const self = fileURLToPath(import.meta.url);

/** A pod with the managedFields a Deployment's pod carries (controller, scheduler, kubelet). */
function managedPod(i: number): unknown {
  const p = pod(i, 0) as { metadata: { managedFields: unknown[] } };
  const ts = "2026-11-01T10:00:00Z";
  p.metadata.managedFields = [
    {
      manager: "kube-controller-manager",
      operation: "Update",
      apiVersion: "v1",
      time: ts,
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:metadata": {
          "f:generateName": {},
          "f:labels": { ".": {}, "f:app": {}, "f:pod-template-hash": {} },
          "f:ownerReferences": { ".": {}, 'k:{"uid":"rs-uid"}': {} },
        },
        "f:spec": {
          "f:containers": {
            'k:{"name":"main"}': {
              ".": {},
              "f:image": {},
              "f:imagePullPolicy": {},
              "f:name": {},
              "f:ports": {
                ".": {},
                'k:{"containerPort":8080,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} },
              },
              "f:resources": { ".": {}, "f:requests": { ".": {}, "f:cpu": {}, "f:memory": {} } },
              "f:terminationMessagePath": {},
              "f:terminationMessagePolicy": {},
            },
          },
          "f:dnsPolicy": {},
          "f:restartPolicy": {},
          "f:schedulerName": {},
          "f:securityContext": {},
          "f:terminationGracePeriodSeconds": {},
        },
      },
    },
    {
      manager: "kube-scheduler",
      operation: "Update",
      apiVersion: "v1",
      time: ts,
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:status": {
          "f:conditions": { ".": {}, 'k:{"type":"PodScheduled"}': { ".": {}, "f:status": {}, "f:type": {} } },
        },
      },
      subresource: "status",
    },
    {
      manager: "kubelet",
      operation: "Update",
      apiVersion: "v1",
      time: ts,
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:status": {
          "f:conditions": {
            'k:{"type":"Ready"}': { ".": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {} },
          },
          "f:containerStatuses": {},
          "f:hostIP": {},
          "f:phase": {},
          "f:podIP": {},
          "f:podIPs": { ".": {}, 'k:{"ip":"10.128.0.1"}': { ".": {}, "f:ip": {} } },
          "f:startTime": {},
        },
      },
      subresource: "status",
    },
  ];
  return p;
}

/**
 * `--serve`: namespace `bench`, a PodList of 10,000 pods whose watches stay silent; namespace `steady`, 5,000 pods
 * whose watches get 100 MODIFIED events a second.
 */
function serve(): void {
  const pods = (count: number, namespace: string): unknown[] =>
    Array.from({ length: count }, (_, i) => {
      const p = managedPod(i) as { metadata: { namespace: string } };
      p.metadata.namespace = namespace;
      return p;
    });
  const list = (items: unknown[]): Buffer =>
    Buffer.from(JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "5000" }, items }));
  const body = list(pods(PODS, "bench"));
  const steadyPods = pods(STEADY_PODS, "steady") as { metadata: { resourceVersion: string } }[];
  const steady = list(steadyPods);
  let rv = 100_000;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const isSteady = url.pathname.includes("/namespaces/steady/");
    if (url.searchParams.get("watch") === "true") {
      res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
      res.flushHeaders();
      if (!isSteady) return;
      let n = 0;
      const timer = setInterval(() => {
        const p = steadyPods[n++ % STEADY_PODS] as { metadata: { resourceVersion: string } };
        p.metadata.resourceVersion = String(++rv);
        res.write(`${JSON.stringify({ type: "MODIFIED", object: p })}\n`);
      }, 1000 / STEADY_RATE);
      res.on("close", () => clearInterval(timer));
      return;
    }
    const out = isSteady ? steady : body;
    res.writeHead(200, { "content-type": "application/json", "content-length": String(out.length) });
    res.end(out);
  });
  announce(server, body.length);
}

/** `--measure <mode> <url>`: prints the bytes of heap the mode keeps. */
async function measure(mode: string, url: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("--expose-gc is needed");
  const transport = createNodeTransport();
  const client = createClient({ transport, server: url, namespace: "bench" });
  const settle = async (): Promise<number> => {
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    return process.memoryUsage().heapUsed;
  };
  // Warm the code paths and the connection, so that only the objects count.
  await (await transport.fetch(new Request(`${url}/api/v1/namespaces/bench/pods?limit=1`))).text();
  const before = await settle();
  let kept: unknown;
  if (mode === "raw") {
    const response = await transport.fetch(new Request(`${url}/api/v1/namespaces/bench/pods`));
    kept = (JSON.parse(await response.text()) as { items: unknown[] }).items;
  } else {
    const informer = createInformer(client, Pod, { watchList: "never", stripManagedFields: mode === "strip" });
    await informer.synced;
    await informer.stop();
    kept = informer;
  }
  const after = await settle();
  const size = mode === "raw" ? (kept as unknown[]).length : (kept as { store: { size: number } }).store.size;
  if (size !== PODS) throw new Error(`${mode}: ${size} objects`);
  process.stdout.write(`${after - before}\n`);
  await transport.close();
  process.exit(0);
}

/** `--cpu <url>`: prints the CPU share of an informer following 100 events a second on 5,000 pods. */
async function cpu(url: string): Promise<void> {
  const transport = createNodeTransport();
  const client = createClient({ transport, server: url, namespace: "steady" });
  const informer = createInformer(client, Pod, { watchList: "never" });
  await informer.synced;
  await new Promise((r) => setTimeout(r, 2000));
  const events = informer.stats.events;
  const start = process.cpuUsage();
  const wall = performance.now();
  await new Promise((r) => setTimeout(r, STEADY_SECONDS * 1000));
  const used = process.cpuUsage(start);
  const elapsed = performance.now() - wall;
  const received = informer.stats.events - events;
  await informer.stop();
  await transport.close();
  if (received < STEADY_RATE * STEADY_SECONDS * 0.8)
    throw new Error(
      `only ${received} events arrived: ${JSON.stringify(informer.stats)} ${JSON.stringify(informer.health)}`,
    );
  process.stdout.write(`${(100 * (used.user + used.system)) / 1000 / elapsed} ${received}\n`);
  process.exit(0);
}

if (process.argv[1] === self && process.argv.includes("--serve")) serve();
if (process.argv[1] === self && process.argv.includes("--cpu"))
  await cpu(process.argv[process.argv.indexOf("--cpu") + 1] ?? "");
if (process.argv[1] === self && process.argv.includes("--measure"))
  await measure(
    process.argv[process.argv.indexOf("--measure") + 1] ?? "",
    process.argv[process.argv.indexOf("--measure") + 2] ?? "",
  );

function retained(mode: string, url: string): number {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv.filter((a) => a !== "--expose-gc"), "--expose-gc", self, "--measure", mode, url],
    {
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`memory measure ${mode} failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

export default defineBenchmark({
  async setup({ record }) {
    const server = await startServerProcess([self, "--serve"]);
    const { url } = server;
    const [bytes] = server.figures;
    console.log(`# ${PODS} pods, ${((bytes as number) / 1e6).toFixed(1)} MB of JSON`);
    const samples: Record<string, number[]> = { raw: [], informer: [], strip: [] };
    for (let i = 0; i < RUNS; i++) for (const mode of Object.keys(samples)) samples[mode]?.push(retained(mode, url));
    // Each figure is the median of RUNS fresh processes, against the raw parsed objects' median.
    record({
      name: "watch: heap of an informer holding 10,000 pods vs the raw parsed objects",
      unit: "bytes",
      better: "lower",
      goal: 1.2,
      value: samples.informer ?? [],
      baseline: samples.raw ?? [],
    });
    record({
      name: "watch: heap of an informer holding 10,000 pods with stripManagedFields vs the raw parsed objects",
      unit: "bytes",
      better: "lower",
      goal: 0.6,
      value: samples.strip ?? [],
      baseline: samples.raw ?? [],
    });
    const steady = spawnSync(process.execPath, [...process.execArgv, self, "--cpu", url], { encoding: "utf8" });
    if (steady.status !== 0) throw new Error(`steady-state CPU measure failed: ${steady.stderr}`);
    const [percent, received] = steady.stdout.trim().split(" ").map(Number) as [number, number];
    record({
      name: "watch: steady-state CPU of an informer holding 5,000 pods at 100 events/s",
      unit: "percent",
      better: "lower",
      goal: 5,
      value: Math.round(percent * 100) / 100,
      details: { seconds: STEADY_SECONDS, eventsReceived: received },
    });
    return {
      measures: [],
      teardown: async () => {
        server.stop();
      },
    };
  },
});
