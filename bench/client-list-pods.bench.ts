/**
 * The client's speed goals (issue 7), each against its baseline in the same run:
 *
 * - a list of 5,000 realistic pods (about 22 MB of JSON: managedFields, probes, env, volumes, status) end to end
 *   through `connect()`'s full stack (Node adapter, user agent, retry, rate limit, bearer token) against plain
 *   `undici.request` + `JSON.parse` (goal ≤ 1.15×) and against `@kubernetes/client-node` 2.x `listNamespacedPod`
 *   (goal ≥ 2× faster, so a ratio ≤ 0.5);
 * - the cold import of a list-pods program (`@kubeshift/client` and `@kubeshift/types/core/v1`, from `dist/`, in a
 *   fresh process) against a fresh process importing nothing: goal at most 40 ms more, written as the ratio that
 *   allows (`(bare + 40) / bare`, with `bare` calibrated first);
 * - the same program up to its first request: `connect()` then loads `@kubeshift/auth` (kubeconfig parsing, YAML) and
 *   the Node adapter (undici) on demand. Held to the same +40 ms, which it does not meet: the figure shows what the
 *   dependencies cost.
 *
 * The pods are served by this same file run as a child process (`--serve`), so that serving is never timed with the
 * client. The esbuild bundle size goal is checked by `packages/client/src/bundle-size.test.ts`.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { createStaticTokenSource } from "@kubeshift/auth";
import { connect } from "@kubeshift/client";
import { createNodeTransport } from "@kubeshift/transport/node";
import { Pod } from "@kubeshift/types/core/v1";
import { Agent, request } from "undici";
import { announce, startServerProcess } from "./child-server.ts";
import { defineBenchmark, quantile } from "./harness.ts";

const PODS = 5000;
const NAMESPACE = "bench";
const TOKEN = "bench-token-0123456789";
const self = fileURLToPath(import.meta.url);

/** A pod as a ReplicaSet creates it and the kubelet reports it: about 4.4 KB of JSON. */
function realisticPod(i: number): unknown {
  const app = `app-${i % 50}`;
  const hash = ((i * 2654435761) >>> 0).toString(36).padEnd(10, "x");
  const rs = `${app}-${hash.slice(0, 9)}`;
  const uid = `${hash.slice(0, 8)}-0000-4000-8000-${String(i).padStart(12, "0")}`;
  const ts = new Date(Date.UTC(2026, 0, 1, 0, 0, i % 3600)).toISOString().replace(".000", "");
  const image = `registry.example.com/team/${app}:1.4.2`;
  const ip = `10.128.${(i >> 8) & 255}.${i & 255}`;
  const token = `kube-api-access-${hash.slice(0, 5)}`;
  return {
    metadata: {
      name: `${rs}-${hash.slice(-5)}`,
      generateName: `${rs}-`,
      namespace: NAMESPACE,
      uid,
      resourceVersion: String(100000 + i),
      creationTimestamp: ts,
      labels: { app, "pod-template-hash": hash.slice(0, 9), tier: i % 2 ? "backend" : "frontend" },
      annotations: {
        "kubectl.kubernetes.io/restartedAt": ts,
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9090",
      },
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: rs,
          uid: `rs-${uid}`,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [
        {
          manager: "kube-controller-manager",
          operation: "Update",
          apiVersion: "v1",
          time: ts,
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:metadata": {
              "f:generateName": {},
              "f:labels": { ".": {}, "f:app": {}, "f:pod-template-hash": {}, "f:tier": {} },
              "f:ownerReferences": { ".": {}, [`k:{"uid":"rs-${uid}"}`]: {} },
            },
            "f:spec": {
              "f:containers": {
                'k:{"name":"main"}': {
                  ".": {},
                  "f:env": {},
                  "f:image": {},
                  "f:name": {},
                  "f:ports": {},
                  "f:resources": {},
                },
              },
              "f:dnsPolicy": {},
              "f:restartPolicy": {},
            },
          },
        },
        {
          manager: "kubelet",
          operation: "Update",
          apiVersion: "v1",
          time: ts,
          fieldsType: "FieldsV1",
          subresource: "status",
          fieldsV1: {
            "f:status": { "f:conditions": {}, "f:containerStatuses": {}, "f:hostIP": {}, "f:phase": {}, "f:podIP": {} },
          },
        },
      ],
    },
    spec: {
      volumes: [
        {
          name: token,
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              {
                downwardAPI: {
                  items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
                },
              },
            ],
            defaultMode: 420,
          },
        },
      ],
      containers: [
        {
          name: "main",
          image,
          ports: [
            { name: "http", containerPort: 8080, protocol: "TCP" },
            { name: "metrics", containerPort: 9090, protocol: "TCP" },
          ],
          env: [
            { name: "LOG_LEVEL", value: "info" },
            { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
            { name: "DB_URL", valueFrom: { secretKeyRef: { name: "db", key: "url" } } },
          ],
          resources: { limits: { cpu: "500m", memory: "512Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
          volumeMounts: [{ name: token, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }],
          livenessProbe: {
            httpGet: { path: "/healthz", port: 8080, scheme: "HTTP" },
            initialDelaySeconds: 10,
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
          readinessProbe: {
            httpGet: { path: "/ready", port: 8080, scheme: "HTTP" },
            timeoutSeconds: 1,
            periodSeconds: 5,
            successThreshold: 1,
            failureThreshold: 3,
          },
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          imagePullPolicy: "IfNotPresent",
        },
      ],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      serviceAccountName: "default",
      serviceAccount: "default",
      nodeName: `node-${i % 20}`,
      securityContext: {},
      schedulerName: "default-scheduler",
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    },
    status: {
      phase: "Running",
      conditions: ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
        type,
        status: "True",
        lastProbeTime: null,
        lastTransitionTime: ts,
      })),
      hostIP: `10.0.${i % 20}.1`,
      podIP: ip,
      podIPs: [{ ip }],
      startTime: ts,
      containerStatuses: [
        {
          name: "main",
          state: { running: { startedAt: ts } },
          lastState: {},
          ready: true,
          restartCount: i % 3,
          image,
          imageID: `registry.example.com/team/${app}@sha256:${hash.padEnd(64, "0")}`,
          containerID: `containerd://${hash.padEnd(64, "a")}`,
          started: true,
        },
      ],
      qosClass: "Burstable",
    },
  };
}

/** Run as `node client-list-pods.bench.ts --serve`: serves the PodList and prints `<port> <bytes>`. */
function serve(): void {
  const items = Array.from({ length: PODS }, (_, i) => realisticPod(i));
  const body = Buffer.from(
    JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "200000" }, items }),
  );
  const path = `/api/v1/namespaces/${NAMESPACE}/pods`;
  const server = createServer((req, res) => {
    const ok = req.url?.split("?")[0] === path && req.headers.authorization === `Bearer ${TOKEN}`;
    const out = ok ? body : Buffer.from('{"kind":"Status","status":"Failure","code":404}');
    res.writeHead(ok ? 200 : 404, { "content-type": "application/json", "content-length": String(out.length) });
    res.end(out);
  });
  server.keepAliveTimeout = 60_000;
  announce(server, body.length);
}

/** Milliseconds a fresh Node process takes to run `code` (an ES module) to completion. */
function timeProcess(code: string): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`cold-import process failed: ${String(r.stderr)}`);
  return ms;
}

const distEntry = fileURLToPath(new URL("../packages/client/dist/index.js", import.meta.url));
const IMPORT_PROGRAM = [
  'import { connect } from "@kubeshift/client";',
  'import { Pod } from "@kubeshift/types/core/v1";',
  "if (typeof connect !== 'function' || Pod.plural !== 'pods') process.exit(1);",
].join("\n");
const connectProgram = (kubeconfig: string): string =>
  [
    'import { connect } from "@kubeshift/client";',
    'import { Pod } from "@kubeshift/types/core/v1";',
    `const client = await connect({ path: ${JSON.stringify(kubeconfig)} });`,
    "if (client.url(Pod).pathname !== '/api/v1/namespaces/bench/pods') process.exit(1);",
    "await client.close();",
  ].join("\n");

if (process.argv[1] === self && process.argv.includes("--serve")) serve();

export default defineBenchmark({
  async setup() {
    const server = await startServerProcess([self, "--serve"]);
    const { url } = server;
    const [bytes] = server.figures;
    console.log(`# ${PODS} pods, ${((bytes as number) / 1e6).toFixed(1)} MB of JSON`);

    const agent = new Agent();
    const client = await connect({
      connection: {
        source: "kubeconfig",
        server: url,
        namespace: NAMESPACE,
        contextName: "bench",
        clusterName: "bench",
        userName: "bench",
        connection: {},
        credentials: createStaticTokenSource(TOKEN),
        basicAuth: undefined,
        impersonation: undefined,
      },
      transport: createNodeTransport,
    });
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "bench", server: url, skipTLSVerify: true }],
      users: [{ name: "bench", token: TOKEN }],
      contexts: [{ name: "bench", cluster: "bench", user: "bench" }],
      currentContext: "bench",
    });
    const clientNode = kc.makeApiClient(CoreV1Api);

    const check = (count: number, who: string): void => {
      if (count !== PODS) throw new Error(`${who}: expected ${PODS} pods, got ${count}`);
    };
    const plain = async (): Promise<void> => {
      const { body } = await request(`${url}/api/v1/namespaces/${NAMESPACE}/pods`, {
        dispatcher: agent,
        headers: { authorization: `Bearer ${TOKEN}`, accept: "application/json" },
      });
      check((JSON.parse(await body.text()) as { items: unknown[] }).items.length, "undici");
    };
    const kubeshift = async (): Promise<void> => {
      check((await client.list(Pod)).items.length, "kubeshift");
    };
    const kubernetesClientNode = async (): Promise<void> => {
      check((await clientNode.listNamespacedPod({ namespace: NAMESPACE })).items.length, "client-node");
    };

    if (!existsSync(distEntry))
      throw new Error(`${distEntry} is missing: the cold-import measure times the built package (npm run build)`);
    const scratch = mkdtempSync(join(tmpdir(), "kubeshift-bench-"));
    const kubeconfig = join(scratch, "kubeconfig");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "current-context: bench",
        "clusters:",
        `- name: bench\n  cluster:\n    server: ${url}`,
        "users:",
        `- name: bench\n  user:\n    token: ${TOKEN}`,
        "contexts:",
        `- name: bench\n  context:\n    cluster: bench\n    user: bench\n    namespace: ${NAMESPACE}`,
        "",
      ].join("\n"),
    );
    const bare = quantile(
      Array.from({ length: 7 }, () => timeProcess("")),
      0.5,
    );
    const importGoal = Math.round(((bare + 40) / bare) * 1000) / 1000;
    console.log(`# cold import: a bare node process takes ${bare.toFixed(1)} ms; goal ≤ ${importGoal} (+40 ms)`);

    return {
      measures: [
        {
          name: "client: list 5,000 realistic pods end to end (connect() stack) vs undici.request + JSON.parse",
          goal: 1.15,
          rounds: 21,
          baseline: plain,
          candidate: kubeshift,
        },
        {
          name: "client: list 5,000 realistic pods vs @kubernetes/client-node 2.x listNamespacedPod (goal: 2× faster)",
          goal: 0.5,
          rounds: 11,
          baseline: kubernetesClientNode,
          candidate: kubeshift,
        },
        {
          name: "client: cold import of a list-pods program (client, core/v1; dist) vs a bare node process (goal: +40 ms)",
          goal: importGoal,
          rounds: 15,
          warmup: 2,
          baseline: async () => timeProcess(""),
          candidate: async () => timeProcess(IMPORT_PROGRAM),
        },
        {
          name: "client: the list-pods program up to its first request (connect(): kubeconfig, auth, Node adapter) vs a bare node process (goal: +40 ms)",
          goal: importGoal,
          rounds: 15,
          warmup: 2,
          baseline: async () => timeProcess(""),
          candidate: async () => timeProcess(connectProgram(kubeconfig)),
        },
      ],
      async teardown() {
        rmSync(scratch, { recursive: true, force: true });
        await client.close();
        await agent.close();
        server.stop();
      },
    };
  },
});
