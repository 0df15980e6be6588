/**
 * Test support for the fault tests: the truth (every state the server gave each key, recorded as the test writes
 * them), a consumer that records what it was told, the client-go invariant (final cache = the server's objects; per
 * key, the delivered states are a subsequence of the true states), a clock that counts live timers, and polling.
 *
 * It never imports `@kubeshift/testing` (only test files may): the fake cluster is passed in, typed by the little
 * of it used here.
 *
 * @module
 */
import { type Client, createClient } from "@kubeshift/client";
import type { ConfigMap } from "@kubeshift/types/core/v1";
import type { Clock } from "../src/clock.ts";
import type { Informer, InformerHandlers, InformerOptions } from "../src/informer.ts";
import type { InformerEvent } from "../src/informer-event.ts";
import { RequestLog, runtimeTransport, type TestCredentials, testCredentials } from "./test-transport.ts";

/** The objects the tests write. */
export type Cm = ConfigMap;

/** The part of a fake cluster the harness uses. */
export interface ClusterLike {
  readonly url: string;
  readonly token: string;
  readonly caPem: string | undefined;
  readonly store: {
    create<T extends object>(object: T): T;
    update<T extends object>(object: T): T;
    delete<T>(type: { apiVersion: string; kind: string }, name: string, namespace?: string): T;
    get<T>(type: { apiVersion: string; kind: string }, name: string, namespace?: string): T | undefined;
    list<T>(type: { apiVersion: string; kind: string }, options?: { namespace?: string }): T[];
    readonly resourceVersion: string;
  };
}

const CM = { apiVersion: "v1", kind: "ConfigMap" } as const;

/** The token of a state: `uid@rv`, or `deleted:uid`. */
function token(object: Cm): string {
  return `${object.metadata?.uid}@${object.metadata?.resourceVersion}`;
}

/** Every state the server gave each key of one namespace. */
export class Truth {
  readonly #cluster: ClusterLike;
  readonly namespace: string;
  readonly states = new Map<string, string[]>();
  #counter = 0;

  constructor(cluster: ClusterLike, namespace: string) {
    this.#cluster = cluster;
    this.namespace = namespace;
    for (const o of cluster.store.list<Cm>(CM, { namespace })) this.#push(o.metadata?.name ?? "", token(o));
  }

  #push(name: string, state: string): void {
    const key = `${this.namespace}/${name}`;
    let list = this.states.get(key);
    if (list === undefined) {
      list = [];
      this.states.set(key, list);
    }
    list.push(state);
  }

  create(name: string, data: Record<string, string> = { v: "0" }): Cm {
    const o = this.#cluster.store.create<Cm>({ ...CM, metadata: { name, namespace: this.namespace }, data });
    this.#push(name, token(o));
    return o;
  }

  update(name: string, data?: Record<string, string>): Cm {
    const current = this.#cluster.store.get<Cm>(CM, name, this.namespace);
    if (current === undefined) throw new Error(`no ConfigMap ${name}`);
    const { resourceVersion: _, ...metadata } = current.metadata ?? {};
    const o = this.#cluster.store.update<Cm>({ ...current, metadata, data: data ?? { v: String(++this.#counter) } });
    this.#push(name, token(o));
    return o;
  }

  delete(name: string): void {
    const o = this.#cluster.store.delete<Cm>(CM, name, this.namespace);
    this.#push(name, `deleted:${o.metadata?.uid}`);
  }

  /** Records the server's current state of every key as a true state (after the server restamped objects). */
  resync(): void {
    for (const [key, state] of this.current()) {
      const list = this.states.get(key);
      if (list?.[list.length - 1] !== state) this.#push(key.slice(this.namespace.length + 1), state);
    }
  }

  /** The server's objects now, by key, as `uid@rv`. */
  current(): Map<string, string> {
    return new Map(
      this.#cluster.store
        .list<Cm>(CM, { namespace: this.namespace })
        .map((o) => [`${this.namespace}/${o.metadata?.name}`, token(o)]),
    );
  }
}

/** What one consumer was told, per key, as state tokens. */
export class Delivered {
  readonly states = new Map<string, string[]>();
  readonly events: InformerEvent<Cm>[] = [];

  record(event: InformerEvent<Cm>): void {
    this.events.push(event);
    let list = this.states.get(event.key);
    if (list === undefined) {
      list = [];
      this.states.set(event.key, list);
    }
    list.push(event.type === "delete" ? `deleted:${event.object.metadata?.uid}` : token(event.object));
  }

  /** Handlers that record every notification. */
  handlers(): InformerHandlers<Cm> {
    const key = (o: Cm): string => `${o.metadata?.namespace}/${o.metadata?.name}`;
    return {
      add: (object, info) =>
        this.record({ type: "add", key: key(object), object, isInInitialList: info.isInInitialList, delta: "Added" }),
      update: (oldObject, object) =>
        this.record({ type: "update", key: key(object), object, oldObject, delta: "Updated" }),
      delete: (object, info) =>
        this.record({
          type: "delete",
          key: key(object),
          object,
          finalStateUnknown: info.finalStateUnknown,
          delta: info.finalStateUnknown ? "DeletedFinalStateUnknown" : "Deleted",
        }),
    };
  }

  /** Count of events of a type (and optionally a key). */
  count(type: InformerEvent<Cm>["type"], key?: string): number {
    return this.events.filter((e) => e.type === type && (key === undefined || e.key === key)).length;
  }
}

/** Whether `sub` is a subsequence of `seq`. */
export function isSubsequence(sub: readonly string[], seq: readonly string[]): boolean {
  let i = 0;
  for (const s of seq) if (i < sub.length && sub[i] === s) i++;
  return i === sub.length;
}

/**
 * The client-go contract: the informer's cache equals the server's objects, and what each consumer was told about
 * each key is a subsequence of the states the server gave it; a consumer that has caught up was last told the
 * current state.
 */
export function checkInvariant(informer: Informer<Cm>, truth: Truth, consumers: readonly Delivered[]): void {
  const cache = new Map(informer.store.list().map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, token(o)]));
  const server = truth.current();
  if (JSON.stringify([...cache].sort()) !== JSON.stringify([...server].sort()))
    throw new Error(
      `cache ≠ server\n cache:  ${JSON.stringify([...cache].sort())}\n server: ${JSON.stringify([...server].sort())}`,
    );
  for (const consumer of consumers) {
    for (const [key, states] of consumer.states) {
      const real = truth.states.get(key) ?? [];
      if (!isSubsequence(states, real))
        throw new Error(`${key}: delivered ${JSON.stringify(states)} is not a subsequence of ${JSON.stringify(real)}`);
      const last = states[states.length - 1];
      const now = server.get(key);
      if (now === undefined ? !last?.startsWith("deleted:") : last !== now)
        throw new Error(`${key}: last delivered ${last}, server has ${now ?? "nothing"}`);
    }
    for (const key of server.keys())
      if (!consumer.states.has(key)) throw new Error(`${key}: exists on the server but was never delivered`);
  }
}

/** Polls until `check` stops throwing (or returns true), or fails with its last error. */
export async function eventually(check: () => unknown, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const r = check();
      if (r !== false) return;
      last = new Error(`${what} not met`);
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}: ${last instanceof Error ? last.message : String(last)}`,
      );
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A system clock that counts the timers it has armed and not yet fired or cleared. */
export interface CountingClock extends Clock {
  readonly live: number;
}

export function countingClock(): CountingClock {
  const live = new Set<unknown>();
  return {
    get live() {
      return live.size;
    },
    now: () => Date.now(),
    setTimeout(callback, ms) {
      const handle = setTimeout(() => {
        live.delete(handle);
        callback();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

/** A client of the cluster through the runtime's adapter, with the bearer middleware and a request log. */
export interface TestClient {
  readonly client: Client;
  readonly log: RequestLog;
  readonly credentials: TestCredentials;
  /** Closes the adapter's connections. */
  close(): Promise<void>;
}

/** A client on the cluster. */
export async function clientFor(cluster: ClusterLike, namespace: string): Promise<TestClient> {
  const credentials = testCredentials(cluster.token);
  const log = new RequestLog();
  const { transport, close } = await runtimeTransport(cluster.caPem, credentials, log);
  const client = createClient({ transport, server: cluster.url, namespace });
  return { client, log, credentials, close };
}

/** Informer settings for tests: quick backoff and watchdogs, so that failures resolve in milliseconds. */
export function fastOptions(clock: Clock, overrides: InformerOptions<Cm> = {}): InformerOptions<Cm> {
  return {
    backoff: { initialMs: 20, maxMs: 200 },
    stallTimeoutMs: 5_000,
    watchListTimeoutMs: 1_000,
    watchTimeoutSeconds: [120, 120],
    maxInternalErrorRetryMs: 500,
    clock,
    ...overrides,
  };
}

/**
 * Creates a namespace and waits for its controllers (default service account, and the root CA ConfigMap on TLS
 * clusters, made in the same step), so that the test's truth starts complete.
 */
export async function readyNamespace(cluster: ClusterLike, namespace: string): Promise<void> {
  cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
  const sa = { apiVersion: "v1", kind: "ServiceAccount" };
  await eventually(() => cluster.store.get(sa, "default", namespace) !== undefined, 5000, "the namespace controllers");
}
