/**
 * Test support: a fake cluster with a client that logs every request URL (to prove what is sent to the server),
 * pods with the statuses the pod printer knows, frames rendered by ink-testing-library, and polling.
 *
 * @module
 */
import { parseKubeconfig, resolveConnection } from "@kubeshift/auth";
import { type Client, connect, runtimeAdapter } from "@kubeshift/client";
import type { FakeCluster } from "@kubeshift/testing";
import type { Transport } from "@kubeshift/transport";

/** A client of a fake cluster and the URLs it asked for. */
export interface LoggedClient {
  readonly client: Client;
  readonly urls: URL[];
  close(): Promise<void>;
}

/**
 * Connects to a fake cluster through the runtime's adapter, logging request URLs.
 *
 * @param cluster the cluster
 * @param kubeconfig another kubeconfig of it (another user)
 */
export async function loggedClient(cluster: FakeCluster, kubeconfig = cluster.kubeconfig.text): Promise<LoggedClient> {
  const urls: URL[] = [];
  const connection = await resolveConnection(parseKubeconfig(kubeconfig));
  const adapter = await runtimeAdapter();
  const client = await connect({
    connection,
    transport: async (options) => {
      const base = await adapter(options);
      const logged: Transport & { close?: () => Promise<void> } = {
        fetch: (request, init) => {
          urls.push(new URL(request.url));
          return base.fetch(request, init);
        },
        websocket: (url, init) => base.websocket(url, init),
      };
      const close = (base as { close?: () => Promise<void> }).close;
      if (typeof close === "function") logged.close = () => close.call(base);
      return logged;
    },
  });
  return { client, urls, close: () => client.close() };
}

/** Pod statuses as the pod printer shows them. */
export type PodState = "Pending" | "Running" | "CrashLoopBackOff" | "Completed";

function podStatus(state: PodState, restarts: number): Record<string, unknown> {
  const base = { startTime: new Date().toISOString() };
  switch (state) {
    case "Pending":
      return { ...base, phase: "Pending" };
    case "Running":
      return {
        ...base,
        phase: "Running",
        podIP: "10.0.0.7",
        podIPs: [{ ip: "10.0.0.7" }],
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: [
          { name: "c", ready: true, restartCount: restarts, image: "nginx", imageID: "", state: { running: {} } },
        ],
      };
    case "CrashLoopBackOff":
      return {
        ...base,
        phase: "Running",
        containerStatuses: [
          {
            name: "c",
            ready: false,
            restartCount: restarts,
            image: "nginx",
            imageID: "",
            state: { waiting: { reason: "CrashLoopBackOff", message: "back-off" } },
          },
        ],
      };
    case "Completed":
      return {
        ...base,
        phase: "Succeeded",
        containerStatuses: [
          {
            name: "c",
            ready: false,
            restartCount: restarts,
            image: "nginx",
            imageID: "",
            state: { terminated: { reason: "Completed", exitCode: 0 } },
          },
        ],
      };
  }
}

/** Creates a pod (and its namespace if needed) in a given state. */
export function createPod(
  cluster: FakeCluster,
  namespace: string,
  name: string,
  options: { state?: PodState; labels?: Record<string, string>; restarts?: number } = {},
): void {
  ensureNamespace(cluster, namespace);
  const pod = cluster.store.create<Record<string, unknown>>({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: options.labels ?? { app: name.split("-")[0] ?? name } },
    spec: { containers: [{ name: "c", image: "nginx" }] },
  });
  cluster.store.updateStatus({ ...pod, status: podStatus(options.state ?? "Running", options.restarts ?? 0) });
}

/** Changes a pod's state. */
export function setPodState(
  cluster: FakeCluster,
  namespace: string,
  name: string,
  state: PodState,
  restarts = 0,
): void {
  const pod = cluster.store.get<Record<string, unknown>>({ apiVersion: "v1", kind: "Pod" }, name, namespace);
  if (pod === undefined) throw new Error(`no pod ${namespace}/${name}`);
  cluster.store.updateStatus({ ...pod, status: podStatus(state, restarts) });
}

/** Creates a namespace unless it exists. */
export function ensureNamespace(cluster: FakeCluster, name: string): void {
  if (cluster.store.get({ apiVersion: "v1", kind: "Namespace" }, name) !== undefined) return;
  cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
}

/** Records an Event about an object. */
export function createEvent(
  cluster: FakeCluster,
  namespace: string,
  involved: { kind: string; name: string },
  reason: string,
  message: string,
  type = "Normal",
): void {
  const time = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  cluster.store.create({
    apiVersion: "v1",
    kind: "Event",
    metadata: { generateName: `${involved.name}.`, namespace },
    involvedObject: { apiVersion: "v1", kind: involved.kind, name: involved.name, namespace },
    reason,
    message,
    type,
    source: { component: "kubelet" },
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  });
}

/**
 * Polls until a condition holds.
 *
 * @throws {Error} naming what was awaited, with the last value seen
 */
export async function eventually<T>(
  probe: () => T | undefined | false,
  what: string,
  options: { timeoutMs?: number; last?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}${options.last === undefined ? "" : `; last:\n${options.last()}`}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Informer settings that reconnect quickly. */
export const FAST_INFORMER = { backoff: { initialMs: 50, maxMs: 400 } } as const;
