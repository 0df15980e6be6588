/**
 * `createInformer()`: a cache of one collection that follows the server through every failure, after client-go's
 * shared informer: list (WatchList when the server supports it) then watch, relists and backoff that never stop, a
 * store keyed by `namespace/name` with indexes, and notifications delivered apart from the reading so that a slow
 * consumer can neither stall the stream nor grow memory without bound.
 *
 * @module
 */
import {
  type Client,
  type FieldSelectorInput,
  formatFieldSelector,
  formatLabelSelector,
  type LabelSelectorInput,
  type ObjectResult,
} from "@kubeshift/client";
import type { ResourceDescriptor } from "@kubeshift/types";
import { type ItemCodec, objectCodec } from "./_item-codec.ts";
import { type MutableStats, newStats, Reflector } from "./_reflector.ts";
import { Subscriber } from "./_subscriber.ts";
import { isDeno } from "./_watch-connection.ts";
import { type BackoffOptions, createBackoff } from "./backoff.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { InformerEvent } from "./informer-event.ts";
import type { ErrorContext, InformerHealth, InformerStats } from "./informer-health.ts";
import { type IndexFunction, InformerStore, type StoreReader } from "./informer-store.ts";
import { resourceVersionOf, uidOf } from "./object-key.ts";
import { compareResourceVersions } from "./resource-version.ts";
import { stripManagedFields } from "./strip-managed-fields.ts";
import type { WatchProtocol } from "./watch.ts";

/** Callbacks for an informer's notifications; each may return a promise, awaited before the next notification. */
export interface InformerHandlers<T> {
  /** An object appeared (or the consumer starts and the object is cached: `isInInitialList`). */
  add?(object: T, info: { isInInitialList: boolean }): void | Promise<void>;
  /** An object changed from `oldObject` (what this consumer saw last) to `object`. */
  update?(oldObject: T, object: T): void | Promise<void>;
  /** An object went away; `finalStateUnknown` when a relist found it missing (a tombstone). */
  delete?(object: T, info: { finalStateUnknown: boolean }): void | Promise<void>;
}

/** How one consumer receives notifications. */
export interface DeliveryOptions {
  /**
   * `coalesce` (default): per key, the latest state since the consumer's last notification; memory grows with the
   * number of objects, never with the number of events. `ordered`: every change in order, from a buffer of at most
   * `maxBuffered` changes; beyond it the consumer falls back to coalescing (with a warning) until it catches up.
   * @default "coalesce"
   */
  delivery?: "coalesce" | "ordered";
  /** Buffer of the ordered mode. @default 10000 */
  maxBuffered?: number;
}

/** Options of {@link createInformer}. */
export interface InformerOptions<T> extends DeliveryOptions {
  /** Namespace of a namespaced kind. @default the client's namespace */
  namespace?: string;
  /** Follow a namespaced kind in every namespace. @default false */
  allNamespaces?: boolean;
  /** Label selector of the list and the watch. */
  labelSelector?: LabelSelectorInput;
  /** Field selector of the list and the watch. */
  fieldSelector?: FieldSelectorInput;
  /** Chunked HTTP, or websockets. @default "http" */
  protocol?: WatchProtocol;
  /**
   * WatchList (the initial state as a stream, KEP-3157): `auto` tries it and falls back to LIST + WATCH when the
   * server refuses or ignores it, remembering that for the client (other informers on it list directly); `always`
   * tries it even when another informer found it refused; `never` always lists. @default "auto"
   */
  watchList?: "auto" | "always" | "never";
  /** A WatchList that sends nothing for this long before its end marker is given up for LIST + WATCH. @default 10000 */
  watchListTimeoutMs?: number;
  /** Page size of LIST requests. @default 500 (client-go's pager) */
  pageSize?: number;
  /**
   * resourceVersion of the first list: `"0"` (from the watch cache, possibly stale; client-go's choice) or `""` (a
   * consistent read, cheap on 1.31+ servers: better for what a human looks at). @default "0"
   */
  initialResourceVersion?: "0" | "";
  /** Each watch asks the server to end it after a random number of seconds in this range. @default [300, 600] */
  watchTimeoutSeconds?: readonly [number, number];
  /**
   * A watch that sends no byte for this long (response headers included) is dropped and started again (not an
   * error). Keep it above the server's bookmark period (about a minute). @default 300000
   */
  stallTimeoutMs?: number;
  /** A LIST page (headers and body) that takes longer is abandoned and retried with backoff, in ms. @default 60000 */
  listTimeoutMs?: number;
  /** Longest honoured Retry-After, in ms. @default 60000 */
  maxRetryAfterMs?: number;
  /** How long 500 InternalError events are answered by watching again before relisting, in ms. @default 30000 */
  maxInternalErrorRetryMs?: number;
  /** Backoff after failures. @default 0.8 s doubling to 30 s, jitter 1.0, reset after 2 min without failure */
  backoff?: Omit<BackoffOptions, "random" | "clock">;
  /** Index functions by name (`namespace` is built in). */
  indexers?: Readonly<Record<string, IndexFunction<T>>>;
  /**
   * Runs on every object before it is cached and delivered; may change it in place; must be idempotent. An exception
   * is reported to `onError` and the object is cached as received.
   */
  transform?: (object: T) => T;
  /** Drop `metadata.managedFields` before caching (often half of an object's size). @default false */
  stripManagedFields?: boolean;
  /** Handlers registered before the first request (so they see the initial list as adds). */
  handlers?: InformerHandlers<T>;
  /** Re-deliver every cached object as an update with delta `Sync` this often (≥ 1000 ms); not a relist. */
  resyncPeriodMs?: number;
  /** Longest accepted watch event, in characters. @default 16777216 */
  maxLineLength?: number;
  /** `Accept-Encoding` of watch requests. @default the runtime's (`identity` on Deno: its fetch truncates multi-member gzip) */
  acceptEncoding?: string;
  /** Extra headers of every request. */
  headers?: HeadersInit;
  /** Receives every failure, with what happens next. The informer keeps going whatever this does. */
  onError?: (error: unknown, context: ErrorContext) => void;
  /** Receives warnings (a WatchList fallback, a resourceVersion reset, a consumer falling behind, a stall). */
  onWarning?: (message: string) => void;
  /** Receives every change of {@link Informer.health}. */
  onHealth?: (health: InformerHealth) => void;
  /** Stops the informer when it aborts. */
  signal?: AbortSignal;
  /** Time source of backoff, watchdogs and timestamps. @default the system clock */
  clock?: Clock;
  /** Random numbers in [0, 1) (jitter, watch timeouts). @default Math.random */
  random?: () => number;
}

/** A running informer. */
export interface Informer<T> extends AsyncDisposable {
  /** The cache. Objects are shared with the consumers: treat them as read-only. */
  readonly store: StoreReader<T>;
  /** Resolves once the first complete list is in the cache; rejects (AbortError) if stopped before. */
  readonly synced: Promise<void>;
  /** Whether the first complete list is in the cache. */
  hasSynced(): boolean;
  /** The current state. */
  readonly health: InformerHealth;
  /** Counters (a snapshot). */
  readonly stats: InformerStats;
  /** The resourceVersion the cache is synced to. */
  readonly lastSyncResourceVersion: string | undefined;
  /**
   * Registers handlers. Objects already cached are delivered as adds with `isInInitialList`.
   *
   * @returns a function that unregisters them
   */
  addHandlers(handlers: InformerHandlers<T>, options?: DeliveryOptions): () => void;
  /**
   * The notifications as an async iterator (the cache's current objects first, as adds with `isInInitialList`).
   * Ends when the informer stops or the loop is left.
   */
  events(options?: DeliveryOptions): AsyncIterableIterator<InformerEvent<T>>;
  /** Stops everything: requests, streams, timers, deliveries. Resolves when nothing is left running. */
  stop(): Promise<void>;
}

const MIN_RESYNC_MS = 1000;

function checkPositive(name: string, value: number | undefined, integer = false): void {
  if (value === undefined) return;
  if (!(Number.isFinite(value) && value > 0) || (integer && !Number.isInteger(value)))
    throw new RangeError(`${name} must be a positive ${integer ? "integer" : "number"}, got ${String(value)}`);
}

/**
 * Starts an informer on a collection.
 *
 * @param client the client (its transport carries credentials, TLS, retries and websockets)
 * @param descriptor the resource, such as `Pod`
 * @param options namespace and selectors, WatchList, backoff, watchdog, indexers, transform, handlers, delivery,
 *   callbacks, signal, clock
 * @returns the running informer; it never stops on its own
 * @throws {RangeError} on a bad page size, timeout range, period or limit
 * @throws {TypeError} on a malformed selector or indexer
 * @example
 * ```ts
 * import { createInformer } from "@kubeshift/watch";
 * import { Pod } from "@kubeshift/types/core/v1";
 * const pods = createInformer(client, Pod, {
 *   allNamespaces: true,
 *   stripManagedFields: true,
 *   indexers: { byNode: (p) => p.spec?.nodeName },
 *   handlers: { update: (old, pod) => console.log(pod.metadata?.name, pod.status?.phase) },
 *   onHealth: (h) => console.error(h.state),
 * });
 * await pods.synced;
 * console.log(pods.store.byIndex("byNode", "node-1").length);
 * ```
 */
export function createInformer<T, L>(
  client: Client,
  descriptor: ResourceDescriptor<T, L>,
  options: InformerOptions<ObjectResult<T>> = {},
): Informer<ObjectResult<T>> {
  return new InformerCore<ObjectResult<T>>(
    client,
    descriptor as ResourceDescriptor<unknown, unknown>,
    objectCodec(descriptor as ResourceDescriptor<unknown, unknown>),
    options,
  );
}

/**
 * The informer implementation (object and Table informers differ only in their codec).
 *
 * @internal
 */
export class InformerCore<T> implements Informer<T> {
  readonly #store: InformerStore<T>;
  readonly #subscribers = new Set<Subscriber<T>>();
  readonly #controller = new AbortController();
  readonly #stats: MutableStats = newStats();
  readonly #options: InformerOptions<T>;
  readonly #clock: Clock;
  readonly #reflector: Reflector;
  readonly #running: Promise<void>;
  readonly #synced: Promise<void>;
  #resolveSynced!: () => void;
  #rejectSynced!: (reason: unknown) => void;
  #hasSynced = false;
  #health: InformerHealth;
  #resyncTimer: unknown;
  #stopped = false;
  #pumps = new Set<Promise<void>>();
  readonly #onAbort: () => void;

  /**
   * @param client the client
   * @param descriptor the resource
   * @param codec how list bodies and events become cache items
   * @param options the informer options
   */
  constructor(
    client: Client,
    descriptor: ResourceDescriptor<unknown, unknown>,
    codec: ItemCodec,
    options: InformerOptions<T>,
  ) {
    checkPositive("pageSize", options.pageSize, true);
    checkPositive("watchListTimeoutMs", options.watchListTimeoutMs);
    checkPositive("stallTimeoutMs", options.stallTimeoutMs);
    checkPositive("listTimeoutMs", options.listTimeoutMs);
    checkPositive("maxRetryAfterMs", options.maxRetryAfterMs);
    checkPositive("maxBuffered", options.maxBuffered, true);
    if (options.maxInternalErrorRetryMs !== undefined && !(options.maxInternalErrorRetryMs >= 0))
      throw new RangeError(`maxInternalErrorRetryMs must be ≥ 0, got ${String(options.maxInternalErrorRetryMs)}`);
    const range = options.watchTimeoutSeconds ?? [300, 600];
    if (!(Number.isInteger(range[0]) && Number.isInteger(range[1]) && range[0] >= 1 && range[1] >= range[0]))
      throw new RangeError(
        `watchTimeoutSeconds must be [min, max] whole seconds with 1 ≤ min ≤ max, got ${String(range)}`,
      );
    if (options.resyncPeriodMs !== undefined && !(options.resyncPeriodMs >= MIN_RESYNC_MS))
      throw new RangeError(`resyncPeriodMs must be at least ${MIN_RESYNC_MS}, got ${String(options.resyncPeriodMs)}`);
    if (options.delivery !== undefined && options.delivery !== "coalesce" && options.delivery !== "ordered")
      throw new TypeError(`delivery must be "coalesce" or "ordered", got ${JSON.stringify(options.delivery)}`);
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    this.#store = new InformerStore<T>(options.indexers ?? {}, (error, _index, key) => {
      this.#stats.errors++;
      this.#stats.lastError = error;
      this.#options.onError?.(error, { phase: "index", action: "skip", key });
    });
    this.#health = { state: "Listing", since: this.#clock.now() };
    this.#synced = new Promise<void>((resolve, reject) => {
      this.#resolveSynced = resolve;
      this.#rejectSynced = reject;
    });
    // Callers that never await `synced` must not see an unhandled rejection when they stop early.
    this.#synced.catch(() => undefined);
    const transforms: ((item: T) => T)[] = [];
    if (options.stripManagedFields === true) transforms.push(stripManagedFields as (item: T) => T);
    if (options.transform !== undefined) transforms.push(options.transform);
    const selectors = {
      labelSelector: options.labelSelector === undefined ? undefined : formatLabelSelector(options.labelSelector),
      fieldSelector: options.fieldSelector === undefined ? undefined : formatFieldSelector(options.fieldSelector),
    };
    this.#reflector = new Reflector(
      {
        target: {
          client,
          descriptor,
          namespace: options.namespace,
          allNamespaces: options.allNamespaces === true,
          protocol: options.protocol ?? "http",
          accept: codec.accept(),
          acceptEncoding: options.acceptEncoding ?? (isDeno() ? "identity" : undefined),
          headers: options.headers,
        },
        codec,
        selectors,
        transform:
          transforms.length === 0
            ? undefined
            : (item) => {
                let value = item as T;
                for (const t of transforms) value = t(value);
                return value;
              },
        watchList: options.watchList ?? "auto",
        watchListTimeoutMs: options.watchListTimeoutMs ?? 10_000,
        pageSize: options.pageSize ?? 500,
        initialResourceVersion: options.initialResourceVersion ?? "0",
        watchTimeoutSeconds: range,
        stallTimeoutMs: options.stallTimeoutMs ?? 300_000,
        listTimeoutMs: options.listTimeoutMs ?? 60_000,
        maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
        maxInternalErrorRetryMs: options.maxInternalErrorRetryMs ?? 30_000,
        maxLineLength: options.maxLineLength ?? 16 * 1024 * 1024,
        backoff: createBackoff({ ...options.backoff, random, clock: this.#clock }),
        clock: this.#clock,
        random,
        stats: this.#stats,
        sink: {
          replace: (items) => this.#replace(items),
          apply: (type, key, item, newer) => this.#apply(type, key, item, newer),
          setHealth: (health) => this.#setHealth(health),
          error: (error, context) => this.#error(error, context),
          warn: (message) => this.#warn(message),
        },
      },
      this.#controller.signal,
    );
    if (options.handlers !== undefined) this.addHandlers(options.handlers, options);
    this.#onAbort = () => void this.stop();
    if (options.signal?.aborted === true) {
      this.#running = Promise.resolve();
      void this.stop();
      return;
    }
    options.signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (options.resyncPeriodMs !== undefined) this.#armResync(options.resyncPeriodMs);
    this.#running = this.#reflector.run();
  }

  get store(): StoreReader<T> {
    return this.#store;
  }

  get synced(): Promise<void> {
    return this.#synced;
  }

  hasSynced(): boolean {
    return this.#hasSynced;
  }

  get health(): InformerHealth {
    return this.#health;
  }

  get stats(): InformerStats {
    let pending = 0;
    for (const s of this.#subscribers) pending += s.backlog;
    return { ...this.#stats, pendingNotifications: pending };
  }

  get lastSyncResourceVersion(): string | undefined {
    return this.#reflector.lastSyncResourceVersion;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Consumers

  #subscribe(options: DeliveryOptions, notify: () => void): Subscriber<T> {
    const ordered = (options.delivery ?? this.#options.delivery) === "ordered";
    const subscriber = new Subscriber<T>(this.#store, {
      ordered: ordered ? { maxBuffered: options.maxBuffered ?? this.#options.maxBuffered ?? 10_000 } : undefined,
      notify,
      warn: (message) => this.#warn(message),
    });
    // A consumer that joins late starts with what is cached (client-go's late handlers get synthetic adds).
    for (const [key, object] of this.#store.entries())
      subscriber.change(key, { old: undefined, current: object, initial: true });
    if (!this.#stopped) this.#subscribers.add(subscriber);
    else subscriber.close();
    return subscriber;
  }

  addHandlers(handlers: InformerHandlers<T>, options: DeliveryOptions = {}): () => void {
    if (typeof handlers !== "object" || handlers === null) throw new TypeError("addHandlers() needs a handlers object");
    let pumping = false;
    const pump = async (subscriber: Subscriber<T>): Promise<void> => {
      for (;;) {
        if (this.#stopped || subscriber.closed) return;
        const event = subscriber.take();
        if (event === undefined) return;
        try {
          const result = dispatch(handlers, event);
          if (result !== undefined) await result;
        } catch (error) {
          // A failing handler loses this notification, never the informer (client-go skips it too).
          this.#stats.handlerErrors++;
          this.#stats.errors++;
          this.#stats.lastError = error;
          this.#options.onError?.(error, { phase: "handler", action: "skip", key: event.key });
        }
      }
    };
    const schedule = (): void => {
      if (pumping || this.#stopped) return;
      pumping = true;
      // After the current chunk: the reader never runs a handler.
      const run = Promise.resolve()
        .then(() => pump(subscriber))
        .finally(() => {
          pumping = false;
          this.#pumps.delete(run);
          if (subscriber.backlog > 0 && !subscriber.closed) schedule();
        });
      this.#pumps.add(run);
    };
    const subscriber = this.#subscribe(options, schedule);
    if (subscriber.backlog > 0) schedule();
    return () => {
      subscriber.close();
      this.#subscribers.delete(subscriber);
    };
  }

  events(options: DeliveryOptions = {}): AsyncIterableIterator<InformerEvent<T>> {
    let wake: (() => void) | undefined;
    const subscriber = this.#subscribe(options, () => {
      const w = wake;
      wake = undefined;
      w?.();
    });
    const stop = this.#controller.signal;
    const onStop = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    stop.addEventListener("abort", onStop);
    const close = (): void => {
      subscriber.close();
      this.#subscribers.delete(subscriber);
      stop.removeEventListener("abort", onStop);
      onStop();
    };
    const iterator: AsyncIterableIterator<InformerEvent<T>> = {
      next: async (): Promise<IteratorResult<InformerEvent<T>>> => {
        for (;;) {
          if (subscriber.closed || this.#stopped) {
            close();
            return { done: true, value: undefined };
          }
          const event = subscriber.take();
          if (event !== undefined) return { done: false, value: event };
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      },
      return: async (): Promise<IteratorResult<InformerEvent<T>>> => {
        close();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  #armResync(period: number): void {
    this.#resyncTimer = this.#clock.setTimeout(() => {
      this.#resyncTimer = undefined;
      if (this.#stopped) return;
      if (this.#hasSynced) for (const s of this.#subscribers) s.resync();
      this.#armResync(period);
    }, period);
  }

  // -------------------------------------------------------------------------------------------------------------
  // What the reflector does to the cache

  #replace(items: Map<string, unknown>): void {
    const store = this.#store;
    const initial = !this.#hasSynced;
    const subscribers = this.#subscribers;
    for (const [key, value] of items as Map<string, T>) {
      const old = store.get(key);
      // Unchanged objects stay silent (and keep their identity); changed ones, new ones and re-created ones notify.
      if (old !== undefined && resourceVersionOf(old) === resourceVersionOf(value) && uidOf(old) === uidOf(value))
        continue;
      store.set(key, value);
      for (const s of subscribers) s.change(key, { old, current: value, replaced: true, initial });
    }
    if (store.size > items.size) {
      for (const key of store.keys()) {
        if (items.has(key)) continue;
        const old = store.delete(key);
        // Deleted while we were not watching: a tombstone with the last state we knew.
        for (const s of subscribers)
          s.change(key, { old, current: undefined, final: old, unknown: true, replaced: true });
      }
    }
    if (!this.#hasSynced) {
      this.#hasSynced = true;
      this.#resolveSynced();
    }
  }

  #apply(type: "ADDED" | "MODIFIED" | "DELETED", key: string, item: unknown, newer: boolean): boolean {
    const store = this.#store;
    const old = store.get(key);
    if (old !== undefined && !newer) {
      // A replay of a state the cache already holds (or an older one) is dropped (T27).
      const order = compareResourceVersions(resourceVersionOf(item), resourceVersionOf(old));
      if ((order === -1 || order === 0) && uidOf(item) === uidOf(old)) return false;
    }
    if (type === "DELETED") {
      if (old === undefined) return true;
      store.delete(key);
      for (const s of this.#subscribers) s.change(key, { old, current: undefined, final: item as T });
      return true;
    }
    store.set(key, item as T);
    if (this.#subscribers.size > 0) for (const s of this.#subscribers) s.change(key, { old, current: item as T });
    return true;
  }

  #setHealth(health: InformerHealth): void {
    if (this.#stopped) return;
    this.#health = health;
    this.#options.onHealth?.(health);
  }

  #error(error: unknown, context: ErrorContext): void {
    if (this.#stopped) return;
    this.#options.onError?.(error, context);
  }

  #warn(message: string): void {
    if (this.#stopped) return;
    this.#options.onWarning?.(message);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Stopping

  async stop(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      this.#options.signal?.removeEventListener("abort", this.#onAbort);
      if (this.#resyncTimer !== undefined) this.#clock.clearTimeout(this.#resyncTimer);
      this.#resyncTimer = undefined;
      this.#controller.abort(new DOMException("The informer was stopped", "AbortError"));
      for (const s of this.#subscribers) s.close();
      this.#subscribers.clear();
      if (!this.#hasSynced)
        this.#rejectSynced(new DOMException("The informer was stopped before it synced", "AbortError"));
      this.#health = { state: "Stopped", since: this.#clock.now() };
      this.#options.onHealth?.(this.#health);
    }
    await this.#running;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

function dispatch<T>(handlers: InformerHandlers<T>, event: InformerEvent<T>): void | Promise<void> {
  switch (event.type) {
    case "add":
      return handlers.add?.(event.object, { isInInitialList: event.isInInitialList });
    case "update":
      return handlers.update?.(event.oldObject, event.object);
    case "delete":
      return handlers.delete?.(event.object, { finalStateUnknown: event.finalStateUnknown });
  }
}
