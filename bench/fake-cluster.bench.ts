/**
 * The fake cluster's throughput (issue 4), each against a baseline that sends the same bytes with nothing behind it
 * (a plain `node:http` server writing a prepared buffer), in the same run:
 *
 * - a LIST of 10,000 pods (about 5 MB of JSON) from `@kubeshift/testing`'s fake cluster, read with `undici.request`
 *   (goal ≤ 4× the plain server: the fake cluster assembles the list from each object's cached JSON);
 * - a watch delivering 100,000 MODIFIED events (written with `cluster.store.putRaw()`, the etcd-like write path for
 *   load generation) to one HTTP watcher in the same process, producer and consumer included (goal ≤ 15× the plain
 *   server writing the same prepared event lines; the absolute goal, ≥ 100,000 events/s on one core, is printed
 *   with the numbers, per wall-clock second and per CPU-second).
 *
 * @module
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { Agent, request } from "undici";
import { defineBenchmark, quantile } from "./harness.ts";

const PODS = 10_000;
const EVENTS = 100_000;
const WATCH_WARMUP = 1;
const NS = "bench";

function pod(i: number): object {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `web-${i}`,
      namespace: NS,
      labels: { app: `app-${i % 50}`, tier: i % 2 ? "backend" : "frontend" },
    },
    spec: {
      nodeName: `node-${i % 20}`,
      containers: [
        {
          name: "web",
          image: "registry.example.com/team/web:1.4.2",
          ports: [{ containerPort: 8080, protocol: "TCP" }],
          env: [{ name: "LOG_LEVEL", value: "info" }],
          resources: { requests: { cpu: "100m", memory: "128Mi" } },
        },
      ],
    },
  };
}

async function listen(server: Server): Promise<string> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Reads a whole body, returning its size. */
async function readAll(dispatcher: Agent, url: string, token: string): Promise<number> {
  const res = await request(url, { dispatcher, headers: { authorization: `Bearer ${token}` } });
  let n = 0;
  for await (const chunk of res.body) n += (chunk as Buffer).length;
  return n;
}

/** Opens a watch and resolves once `count` event lines arrived, with the bytes read. */
async function watchLines(
  dispatcher: Agent,
  url: string,
  token: string,
  count: number,
  start: () => void,
): Promise<number> {
  const res = await request(url, { dispatcher, headers: { authorization: `Bearer ${token}` } });
  start();
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body) {
    const b = chunk as Buffer;
    bytes += b.length;
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    if (lines >= count) break;
  }
  res.body.destroy();
  return bytes;
}

const throughput: { ms: number[]; cpuMs: number[]; bytes: number } = { ms: [], cpuMs: [], bytes: 0 };

export default defineBenchmark({
  async setup({ record }) {
    const cluster: FakeCluster = await startFakeCluster({ tls: false, historySize: 1000 });
    cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    for (let i = 0; i < PODS; i++) cluster.store.putRaw(pod(i));
    const dispatcher = new Agent({ connections: 4 });
    const listUrl = `${cluster.url}/api/v1/namespaces/${NS}/pods`;
    const listBody = Buffer.from(
      await (await request(listUrl, { dispatcher, headers: { authorization: `Bearer ${cluster.token}` } })).body.text(),
    );

    // The baseline list: the same bytes from a server that only writes them.
    const plain = createServer((req, res) => {
      if (req.url?.includes("watch")) {
        res.writeHead(200, { "content-type": "application/json" });
        // The same event lines, written in batches as the fake cluster flushes them.
        for (let i = 0; i < EVENTS; i += 1000) res.write(watchBatch);
        return;
      }
      res.writeHead(200, { "content-type": "application/json", "content-length": String(listBody.length) });
      res.end(listBody);
    });
    const sample = `{"type":"MODIFIED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"hot","namespace":"${NS}","uid":"3c0e1a62-0000-4000-8000-000000000000","resourceVersion":"100000","creationTimestamp":"2026-01-01T00:00:00Z"},"data":{"k":"100000"}}}\n`;
    const watchBatch = Buffer.from(sample.repeat(1000));
    const plainUrl = await listen(plain);

    let round = 0;
    const hot = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "hot", namespace: NS }, data: { k: "0" } };
    cluster.store.putRaw(hot);
    const produce = async (): Promise<void> => {
      for (let i = 0; i < EVENTS; i++) {
        cluster.store.putRaw({ ...hot, data: { k: String(i) } });
        // Yield now and then so the watcher's flushes run while events are produced.
        if (i % 2000 === 1999) await new Promise((r) => setImmediate(r));
      }
    };
    return {
      measures: [
        {
          name: "fake-cluster: LIST 10,000 pods",
          goal: 4,
          rounds: 9,
          warmup: 2,
          baseline: () => readAll(dispatcher, `${plainUrl}/list`, "x"),
          candidate: () => readAll(dispatcher, listUrl, cluster.token),
        },
        {
          name: "fake-cluster: watch 100,000 events",
          // The candidate also produces its events through the store; the baseline only writes prepared bytes.
          goal: 15,
          rounds: 5,
          warmup: WATCH_WARMUP,
          baseline: () => watchLines(dispatcher, `${plainUrl}/watch`, "x", EVENTS, () => undefined),
          candidate: async () => {
            round++;
            const rv = cluster.store.resourceVersion;
            const started = performance.now();
            const cpu = process.cpuUsage();
            let producing: Promise<void> = Promise.resolve();
            const bytes = await watchLines(
              dispatcher,
              `${cluster.url}/api/v1/namespaces/${NS}/configmaps?watch=true&resourceVersion=${rv}`,
              cluster.token,
              EVENTS,
              () => {
                producing = produce();
              },
            );
            await producing;
            throughput.ms.push(performance.now() - started);
            const used = process.cpuUsage(cpu);
            throughput.cpuMs.push((used.user + used.system) / 1000);
            throughput.bytes = bytes;
            return round;
          },
        },
      ],
      async teardown() {
        // The warm-up rounds' samples are left out, as the harness leaves them out of the timed measure.
        const cpuMs = throughput.cpuMs.slice(WATCH_WARMUP);
        if (cpuMs.length > 0) {
          const wall = quantile(throughput.ms.slice(WATCH_WARMUP), 0.5);
          // The absolute goal: ≥ 100,000 events/s on one core, producer, server and consumer in one process.
          record({
            name: "fake-cluster: watch events per CPU-second (one core)",
            unit: "events/s",
            better: "higher",
            goal: 100_000,
            value: cpuMs.map((ms) => EVENTS / (ms / 1000)),
            details: {
              eventsPerWallSecond: Math.round(EVENTS / (wall / 1000)),
              megabytesPerWallSecond: Number((throughput.bytes / 1e6 / (wall / 1000)).toFixed(1)),
              listMegabytes: Number((listBody.length / 1e6).toFixed(1)),
            },
          });
        }
        await dispatcher.close();
        plain.closeAllConnections();
        plain.close();
        await cluster.close();
      },
    };
  },
});
