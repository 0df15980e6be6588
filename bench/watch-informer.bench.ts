import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { KubeConfig, makeInformer } from "@kubernetes/client-node";
import { createClient } from "@kubeshift/client";
import { createNodeTransport } from "@kubeshift/transport/node";
import { Pod } from "@kubeshift/types/core/v1";
import { createInformer } from "@kubeshift/watch";
import { Agent, request } from "undici";
import { announce, startServerProcess } from "./child-server.ts";
import { defineBenchmark } from "./harness.ts";

const PODS = 10_000;
const EVENTS = 100_000;
const NAMESPACE = "bench";
const self = fileURLToPath(import.meta.url);

/** A pod as the API server streams it in a watch event (about 1.2 KB). */
export function pod(i: number, generation: number): unknown {
  const ts = "2026-11-01T10:00:00Z";
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: {
      name: `web-${i}`,
      namespace: NAMESPACE,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      resourceVersion: String(1000 + generation * PODS + i),
      creationTimestamp: ts,
      labels: { app: `app-${i % 50}`, "pod-template-hash": "5d8f7c9b6" },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: `app-${i % 50}-5d8f7c9b6`, uid: "rs-uid", controller: true },
      ],
      managedFields: [
        {
          manager: "kubelet",
          operation: "Update",
          apiVersion: "v1",
          time: ts,
          fieldsType: "FieldsV1",
          fieldsV1: { "f:status": { "f:conditions": {}, "f:phase": {}, "f:podIP": {} } },
          subresource: "status",
        },
      ],
    },
    spec: {
      containers: [
        {
          name: "main",
          image: `registry.example.com/team/app-${i % 50}:1.4.2`,
          ports: [{ containerPort: 8080, protocol: "TCP" }],
          resources: { requests: { cpu: "100m", memory: "128Mi" } },
        },
      ],
      nodeName: `node-${i % 20}`,
      restartPolicy: "Always",
    },
    status: {
      phase: "Running",
      podIP: `10.128.${(i >> 8) & 255}.${i & 255}`,
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: ts }],
      containerStatuses: [{ name: "main", ready: true, restartCount: generation, image: "nginx" }],
    },
  };
}

/** Run as `node watch-informer.bench.ts --serve`: serves an empty list and the event stream; prints `<port> <bytes>`. */
function serve(): void {
  const lines: string[] = [];
  for (let e = 0; e < EVENTS; e++) {
    const generation = Math.floor(e / PODS);
    lines.push(JSON.stringify({ type: generation === 0 ? "ADDED" : "MODIFIED", object: pod(e % PODS, generation) }));
  }
  const stream = Buffer.from(`${lines.join("\n")}\n`);
  const list = Buffer.from(
    JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "999" }, items: [] }),
  );
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.searchParams.get("watch") === "true") {
      res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
      // Chunks as a busy API server flushes them; the response ends after the last event.
      let offset = 0;
      const write = (): void => {
        while (offset < stream.length) {
          const chunk = stream.subarray(offset, offset + 65_536);
          offset += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", write);
        }
        res.end();
      };
      write();
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "content-length": String(list.length) });
    res.end(list);
  });
  server.keepAliveTimeout = 60_000;
  announce(server, stream.length);
}

if (process.argv[1] === self && process.argv.includes("--serve")) serve();

export default defineBenchmark({
  async setup() {
    const server = await startServerProcess([self, "--serve"]);
    const { url } = server;
    const [bytes] = server.figures;
    const watchUrl = `${url}/api/v1/namespaces/${NAMESPACE}/pods?watch=true&resourceVersion=999`;
    console.log(`# ${EVENTS} watch events over ${PODS} pods, ${((bytes as number) / 1e6).toFixed(1)} MB of JSON`);

    const agent = new Agent();
    const transport = createNodeTransport();
    const client = createClient({ transport, server: url, namespace: NAMESPACE });
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "bench", server: url, skipTLSVerify: true }],
      users: [{ name: "bench", token: "bench" }],
      contexts: [{ name: "bench", cluster: "bench", user: "bench" }],
      currentContext: "bench",
    });

    const check = (count: number, who: string): void => {
      if (count !== EVENTS) throw new Error(`${who}: expected ${EVENTS} events, got ${count}`);
    };

    /** The limit: the stream's bytes to lines to objects, nothing else. */
    const limit = async (): Promise<void> => {
      const { body } = await request(watchUrl, { dispatcher: agent });
      const decoder = new TextDecoder();
      let pending = "";
      let count = 0;
      for await (const chunk of body) {
        const text = pending + decoder.decode(chunk as Uint8Array, { stream: true });
        const lines = text.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) if (line !== "" && JSON.parse(line) !== null) count++;
      }
      check(count, "split + JSON.parse");
    };

    /** The informer: LIST (empty), then the watch, each event decoded, checked and stored (indexed by namespace). */
    const kubeshift = async (): Promise<void> => {
      const informer = createInformer(client, Pod, {
        watchList: "never",
        stallTimeoutMs: 60_000,
        watchTimeoutSeconds: [600, 600],
      });
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          if (informer.stats.events >= EVENTS) {
            clearInterval(poll);
            resolve();
          } else if (informer.stats.errors > 0) {
            clearInterval(poll);
            reject(informer.stats.lastError);
          }
        }, 1);
      });
      await informer.stop();
      check(informer.stats.events, "kubeshift");
      if (informer.store.size !== PODS) throw new Error(`kubeshift: ${informer.store.size} pods cached`);
    };

    /** client-node's informer on the same stream (its cache and callbacks). */
    const clientNode = async (): Promise<void> => {
      const informer = makeInformer(kc, `/api/v1/namespaces/${NAMESPACE}/pods`, async () => ({
        apiVersion: "v1",
        kind: "PodList",
        metadata: { resourceVersion: "999" },
        items: [],
      }));
      let count = 0;
      const done = new Promise<void>((resolve) => {
        const seen = (): void => {
          if (++count === EVENTS) resolve();
        };
        informer.on("add", seen);
        informer.on("update", seen);
      });
      await informer.start();
      await done;
      await informer.stop();
      check(count, "client-node");
      if (informer.list(NAMESPACE).length !== PODS) throw new Error("client-node: wrong cache size");
    };

    const rounds = { rounds: 9, warmup: 2 };
    return {
      measures: [
        {
          name: "watch: ingest 100,000 watch events into an informer store vs line split + JSON.parse (the limit)",
          goal: 1.25,
          ...rounds,
          baseline: limit,
          candidate: kubeshift,
        },
        {
          name: "watch: ingest 100,000 watch events into an informer store vs @kubernetes/client-node's informer",
          goal: 0.5,
          ...rounds,
          baseline: clientNode,
          candidate: kubeshift,
        },
      ],
      teardown: async () => {
        await agent.close();
        await transport.close();
        server.stop();
      },
    };
  },
});
