/**
 * `startDemo()`: churn for a fake cluster, so that a watch UI has something to show. It plays the controllers and
 * kubelets a real cluster has: a few namespaces with deployments, their replica sets and pods, pods that go
 * Pending → ContainerCreating → Running, restart, crash-loop and recover, deployments that scale up and down, pods
 * deleted and replaced, Events for all of it, and log lines from running containers.
 *
 * @module
 */
import { formatTime } from "../clock.ts";
import type { FakeCluster } from "../start-fake-cluster.ts";

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Namespaces to create. @default 3 */
  readonly namespaces?: number;
  /** Deployments per namespace. @default 2 */
  readonly deploymentsPerNamespace?: number;
  /** Milliseconds between churn steps; `0` runs no timer (call `step()` yourself). @default 1000 */
  readonly intervalMs?: number;
  /** Seed of the pseudo-random choices (same seed, same story). @default 1 */
  readonly seed?: number;
  /** Stops the demo. */
  readonly signal?: AbortSignal;
}

/** A running demo. */
export interface Demo {
  /** Steps taken so far. */
  readonly steps: number;
  /** Takes one churn step now. */
  step(): void;
  /** Stops the churn (objects stay). */
  stop(): void;
}

const NAMESPACE_NAMES = ["shop", "payments", "monitoring", "search", "auth", "media", "billing", "edge"];
const APP_NAMES = ["web", "api", "worker", "cache", "gateway", "scheduler"];
const IMAGES: Readonly<Record<string, string>> = {
  web: "nginx:1.27",
  api: "ghcr.io/example/api:2.4.1",
  worker: "ghcr.io/example/worker:2.4.1",
  cache: "redis:7.2",
  gateway: "envoyproxy/envoy:v1.31.0",
  scheduler: "ghcr.io/example/scheduler:0.9.3",
};
const NODES = ["demo-node-1", "demo-node-2", "demo-node-3"];
const HASH_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

type Json = Record<string, unknown>;

interface PodState {
  namespace: string;
  name: string;
  app: string;
  /** Steps spent in the current phase. */
  age: number;
  phase: "Pending" | "ContainerCreating" | "Running" | "CrashLoopBackOff";
  restarts: number;
  node: string;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Starts churning a fake cluster.
 *
 * @param cluster the cluster (its `store` is written directly)
 * @param options sizes, pace, seed
 * @returns the running demo
 * @throws {RangeError} for sizes out of range
 * @example
 * ```ts
 * import { startDemo, startFakeCluster } from "@kubeshift/testing";
 * const cluster = await startFakeCluster();
 * const demo = startDemo(cluster, { intervalMs: 500 });
 * ```
 */
export function startDemo(cluster: FakeCluster, options: DemoOptions = {}): Demo {
  const namespaceCount = options.namespaces ?? 3;
  const perNamespace = options.deploymentsPerNamespace ?? 2;
  if (!Number.isInteger(namespaceCount) || namespaceCount < 1 || namespaceCount > NAMESPACE_NAMES.length)
    throw new RangeError(`namespaces must be 1..${NAMESPACE_NAMES.length}, got ${namespaceCount}`);
  if (!Number.isInteger(perNamespace) || perNamespace < 1 || perNamespace > APP_NAMES.length)
    throw new RangeError(`deploymentsPerNamespace must be 1..${APP_NAMES.length}, got ${perNamespace}`);
  const random = mulberry32(options.seed ?? 1);
  const store = cluster.store;
  const now = (): number => cluster.clock.now();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const pods = new Map<string, PodState>();
  let eventCounter = 0;
  let steps = 0;

  const hash = (): string => {
    let h = "";
    for (let i = 0; i < 10; i++) h += HASH_ALPHABET[Math.floor(random() * HASH_ALPHABET.length)];
    return h;
  };

  const event = (
    namespace: string,
    kind: string,
    name: string,
    type: string,
    reason: string,
    message: string,
  ): void => {
    const time = formatTime(now());
    try {
      store.create({
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: `${name}.${(now() * 1000 + eventCounter++).toString(16)}`, namespace },
        involvedObject: { apiVersion: kind === "Pod" ? "v1" : "apps/v1", kind, name, namespace },
        reason,
        message,
        type,
        source: { component: kind === "Pod" ? "kubelet" : "deployment-controller" },
        firstTimestamp: time,
        lastTimestamp: time,
        eventTime: null,
        count: 1,
        reportingComponent: kind === "Pod" ? "kubelet" : "deployment-controller",
        reportingInstance: "",
      });
    } catch {
      // The namespace is going away: no event.
    }
  };

  for (const name of NODES) {
    if (store.get({ apiVersion: "v1", kind: "Node" }, name) !== undefined) continue;
    store.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux" } },
      spec: {},
    });
    const node = store.get<Json>({ apiVersion: "v1", kind: "Node" }, name) as Json;
    store.updateStatus({
      ...node,
      status: {
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "KubeletReady",
            message: "kubelet is posting ready status",
            lastHeartbeatTime: formatTime(now()),
            lastTransitionTime: formatTime(now()),
          },
        ],
        nodeInfo: {
          kubeletVersion: "v1.34.1",
          osImage: "Debian GNU/Linux 12 (bookworm)",
          kernelVersion: "6.1.0-27-amd64",
          containerRuntimeVersion: "containerd://1.7.22",
          architecture: "amd64",
          operatingSystem: "linux",
        },
        addresses: [
          { type: "InternalIP", address: `10.0.0.${NODES.indexOf(name) + 10}` },
          { type: "Hostname", address: name },
        ],
      },
    });
  }

  const replicaSetName = new Map<string, string>();
  const namespaces = NAMESPACE_NAMES.slice(0, namespaceCount);
  for (const ns of namespaces) {
    if (store.get({ apiVersion: "v1", kind: "Namespace" }, ns) === undefined)
      store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    for (const app of APP_NAMES.slice(0, perNamespace)) {
      if (store.get({ apiVersion: "apps/v1", kind: "Deployment" }, app, ns) !== undefined) continue;
      const deployment = store.create<Json>({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: app, namespace: ns, labels: { app } },
        spec: {
          replicas: 1 + Math.floor(random() * 3),
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: { app } },
            spec: { containers: [{ name: app, image: IMAGES[app] ?? "busybox" }] },
          },
        },
      });
      const rsName = `${app}-${hash()}`;
      replicaSetName.set(`${ns}/${app}`, rsName);
      const meta = deployment.metadata as Json;
      store.create({
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: {
          name: rsName,
          namespace: ns,
          labels: { app, "pod-template-hash": rsName.slice(app.length + 1) },
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: "Deployment",
              name: app,
              uid: meta.uid as string,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: (deployment.spec as Json).replicas,
          selector: { matchLabels: { app, "pod-template-hash": rsName.slice(app.length + 1) } },
          template: {
            metadata: { labels: { app, "pod-template-hash": rsName.slice(app.length + 1) } },
            spec: { containers: [{ name: app, image: IMAGES[app] ?? "busybox" }] },
          },
        },
      });
      event(
        ns,
        "Deployment",
        app,
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${rsName} to ${(deployment.spec as Json).replicas}`,
      );
    }
  }

  const podKey = (ns: string, name: string): string => `${ns}/${name}`;

  const createPod = (ns: string, app: string): void => {
    const rsName = replicaSetName.get(`${ns}/${app}`);
    if (rsName === undefined) return;
    const rs = store.get<Json>({ apiVersion: "apps/v1", kind: "ReplicaSet" }, rsName, ns);
    if (rs === undefined) return;
    const name = `${rsName}-${hash().slice(0, 5)}`;
    const templateHash = rsName.slice(app.length + 1);
    try {
      store.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name,
          generateName: `${rsName}-`,
          namespace: ns,
          labels: { app, "pod-template-hash": templateHash },
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: "ReplicaSet",
              name: rsName,
              uid: (rs.metadata as Json).uid as string,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: { containers: [{ name: app, image: IMAGES[app] ?? "busybox", ports: [{ containerPort: 8080 }] }] },
      });
    } catch {
      return;
    }
    pods.set(podKey(ns, name), { namespace: ns, name, app, age: 0, phase: "Pending", restarts: 0, node: pick(NODES) });
  };

  const podIps = (p: PodState): Json => {
    const ip = `10.244.${NODES.indexOf(p.node) + 1}.${(p.name.charCodeAt(p.name.length - 1) % 250) + 2}`;
    return { podIP: ip, podIPs: [{ ip }] };
  };

  const podStatus = (p: PodState): Json => {
    const start = formatTime(now());
    const image = IMAGES[p.app] ?? "busybox";
    const conditions = (ready: boolean): Json[] => [
      {
        type: "PodReadyToStartContainers",
        status: p.phase === "Pending" ? "False" : "True",
        lastProbeTime: null,
        lastTransitionTime: start,
      },
      { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: start },
      { type: "Ready", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: start },
      { type: "ContainersReady", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: start },
      { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: start },
    ];
    const containerStatus = (state: Json, ready: boolean): Json => ({
      name: p.app,
      image,
      imageID: "",
      ready,
      started: ready,
      restartCount: p.restarts,
      state,
      ...(p.restarts > 0
        ? { lastState: { terminated: { exitCode: 1, reason: "Error", startedAt: start, finishedAt: start } } }
        : {}),
    });
    switch (p.phase) {
      case "Pending":
        return {
          phase: "Pending",
          conditions: [{ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: start }],
          qosClass: "BestEffort",
        };
      case "ContainerCreating":
        return {
          phase: "Pending",
          conditions: conditions(false),
          hostIP: "10.0.0.10",
          startTime: start,
          containerStatuses: [containerStatus({ waiting: { reason: "ContainerCreating" } }, false)],
          qosClass: "BestEffort",
        };
      case "CrashLoopBackOff":
        return {
          phase: "Running",
          conditions: conditions(false),
          hostIP: "10.0.0.10",
          ...podIps(p),
          startTime: start,
          containerStatuses: [
            containerStatus(
              { waiting: { reason: "CrashLoopBackOff", message: `back-off 10s restarting failed container=${p.app}` } },
              false,
            ),
          ],
          qosClass: "BestEffort",
        };
      default:
        return {
          phase: "Running",
          conditions: conditions(true),
          hostIP: "10.0.0.10",
          ...podIps(p),
          startTime: start,
          containerStatuses: [containerStatus({ running: { startedAt: start } }, true)],
          qosClass: "BestEffort",
        };
    }
  };

  const writePod = (p: PodState): void => {
    const pod = store.get<Json>({ apiVersion: "v1", kind: "Pod" }, p.name, p.namespace);
    if (pod === undefined) {
      pods.delete(podKey(p.namespace, p.name));
      return;
    }
    try {
      if ((pod.spec as Json).nodeName === undefined) {
        store.update({
          ...pod,
          spec: { ...(pod.spec as Json), nodeName: p.node },
          metadata: { ...(pod.metadata as Json), resourceVersion: "" },
        });
      }
      const fresh = store.get<Json>({ apiVersion: "v1", kind: "Pod" }, p.name, p.namespace) as Json;
      store.updateStatus({ ...fresh, status: podStatus(p) });
    } catch {
      pods.delete(podKey(p.namespace, p.name));
    }
  };

  const syncDeployment = (ns: string, app: string): void => {
    const deployment = store.get<Json>({ apiVersion: "apps/v1", kind: "Deployment" }, app, ns);
    const rsName = replicaSetName.get(`${ns}/${app}`);
    if (deployment === undefined || rsName === undefined) return;
    const desired = ((deployment.spec as Json).replicas as number | undefined) ?? 1;
    const mine = [...pods.values()].filter((p) => p.namespace === ns && p.app === app);
    for (let i = mine.length; i < desired; i++) createPod(ns, app);
    for (const extra of mine.slice(desired)) {
      try {
        store.delete({ apiVersion: "v1", kind: "Pod" }, extra.name, ns, { gracePeriodSeconds: 0 });
        event(ns, "Pod", extra.name, "Normal", "Killing", `Stopping container ${app}`);
      } catch {
        // Already gone.
      }
      pods.delete(podKey(ns, extra.name));
    }
    const current = [...pods.values()].filter((p) => p.namespace === ns && p.app === app);
    const ready = current.filter((p) => p.phase === "Running").length;
    const status = {
      observedGeneration: (deployment.metadata as Json).generation,
      replicas: current.length,
      updatedReplicas: current.length,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(current.length - ready > 0 ? { unavailableReplicas: current.length - ready } : {}),
      conditions: [
        {
          type: "Available",
          status: ready >= desired ? "True" : "False",
          reason: ready >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
          message:
            ready >= desired
              ? "Deployment has minimum availability."
              : "Deployment does not have minimum availability.",
          lastUpdateTime: formatTime(now()),
          lastTransitionTime: formatTime(now()),
        },
        {
          type: "Progressing",
          status: "True",
          reason: "NewReplicaSetAvailable",
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
          lastUpdateTime: formatTime(now()),
          lastTransitionTime: formatTime(now()),
        },
      ],
    };
    try {
      store.updateStatus({ ...deployment, status });
      const rs = store.get<Json>({ apiVersion: "apps/v1", kind: "ReplicaSet" }, rsName, ns);
      if (rs !== undefined) {
        const withReplicas = store.update({
          ...rs,
          spec: { ...(rs.spec as Json), replicas: desired },
          metadata: { ...(rs.metadata as Json), resourceVersion: "" },
        });
        store.updateStatus({
          ...withReplicas,
          status: {
            replicas: current.length,
            fullyLabeledReplicas: current.length,
            readyReplicas: ready,
            availableReplicas: ready,
            observedGeneration: (withReplicas.metadata as Json).generation,
          },
        });
      }
    } catch {
      // Deleted meanwhile.
    }
  };

  const advance = (p: PodState): void => {
    p.age++;
    switch (p.phase) {
      case "Pending":
        if (p.age >= 1) {
          p.phase = "ContainerCreating";
          p.age = 0;
          event(
            p.namespace,
            "Pod",
            p.name,
            "Normal",
            "Scheduled",
            `Successfully assigned ${p.namespace}/${p.name} to ${p.node}`,
          );
          event(p.namespace, "Pod", p.name, "Normal", "Pulling", `Pulling image "${IMAGES[p.app] ?? "busybox"}"`);
          writePod(p);
        }
        break;
      case "ContainerCreating":
        if (p.age >= 1 + Math.floor(random() * 2)) {
          p.phase = "Running";
          p.age = 0;
          event(p.namespace, "Pod", p.name, "Normal", "Started", `Started container ${p.app}`);
          store.appendLog(
            p.namespace,
            p.name,
            `${new Date(now()).toISOString()} ${p.app} starting, version ${IMAGES[p.app]?.split(":")[1] ?? "1"}`,
            p.app,
          );
          writePod(p);
        }
        break;
      case "CrashLoopBackOff":
        if (p.age >= 2 && random() < 0.5) {
          p.phase = "Running";
          p.age = 0;
          p.restarts++;
          event(p.namespace, "Pod", p.name, "Normal", "Started", `Started container ${p.app}`);
          writePod(p);
        }
        break;
      default: {
        store.appendLog(
          p.namespace,
          p.name,
          `${new Date(now()).toISOString()} ${p.app} handled ${1 + Math.floor(random() * 50)} requests`,
          p.app,
        );
        const r = random();
        if (r < 0.01) {
          p.phase = "CrashLoopBackOff";
          p.age = 0;
          p.restarts++;
          store.restartLog(p.namespace, p.name, p.app);
          event(
            p.namespace,
            "Pod",
            p.name,
            "Warning",
            "BackOff",
            `Back-off restarting failed container ${p.app} in pod ${p.name}`,
          );
          writePod(p);
        } else if (r < 0.02) {
          p.restarts++;
          store.restartLog(p.namespace, p.name, p.app);
          event(
            p.namespace,
            "Pod",
            p.name,
            "Normal",
            "Pulled",
            `Container image "${IMAGES[p.app] ?? "busybox"}" already present on machine`,
          );
          writePod(p);
        }
      }
    }
  };

  const step = (): void => {
    steps++;
    for (const p of [...pods.values()]) advance(p);
    const r = random();
    const ns = pick(namespaces);
    const app = pick(APP_NAMES.slice(0, perNamespace));
    if (r < 0.15) {
      const d = store.get<Json>({ apiVersion: "apps/v1", kind: "Deployment" }, app, ns);
      if (d !== undefined) {
        const replicas = (((d.spec as Json).replicas as number) ?? 1) + (random() < 0.5 ? -1 : 1);
        const next = Math.max(1, Math.min(5, replicas));
        store.update({
          ...d,
          spec: { ...(d.spec as Json), replicas: next },
          metadata: { ...(d.metadata as Json), resourceVersion: "" },
        });
        event(
          ns,
          "Deployment",
          app,
          "Normal",
          "ScalingReplicaSet",
          `Scaled ${next > replicas ? "down" : "up"} replica set ${replicaSetName.get(`${ns}/${app}`)} to ${next}`,
        );
      }
    } else if (r < 0.25) {
      const victims = [...pods.values()].filter((p) => p.namespace === ns && p.app === app);
      const victim = victims[Math.floor(random() * victims.length)];
      if (victim !== undefined) {
        try {
          store.delete({ apiVersion: "v1", kind: "Pod" }, victim.name, ns, { gracePeriodSeconds: 0 });
          event(ns, "Pod", victim.name, "Normal", "Killing", `Stopping container ${app}`);
        } catch {
          // Already gone.
        }
        pods.delete(podKey(ns, victim.name));
      }
    }
    for (const n of namespaces) for (const a of APP_NAMES.slice(0, perNamespace)) syncDeployment(n, a);
  };

  step();
  const interval = options.intervalMs ?? 1000;
  const timer = interval > 0 ? setInterval(step, interval) : undefined;
  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  return {
    get steps() {
      return steps;
    },
    step,
    stop,
  };
}
