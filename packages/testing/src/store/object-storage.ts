/**
 * The fake cluster's storage: an in-memory MVCC store with one global resourceVersion counter, a bounded event
 * history per resource (the watch-cache window), consistent snapshots at past revisions for paginated lists, and
 * synchronous fan-out of every change to the watchers of that resource.
 *
 * Objects are never mutated once committed; each entry caches its JSON so that a list of 10,000 pods or a watch
 * delivering an event to many watchers serialises every object once.
 *
 * @module
 */
import type { KubeObject } from "../resources/kube-object.ts";

/** The type of a stored change. */
export type StorageEventType = "ADDED" | "MODIFIED" | "DELETED";

/** One committed object version. */
export class StoredEntry {
  /** `<namespace>/<name>`, or `<name>` for cluster-scoped objects: the storage key, in etcd's order. */
  readonly key: string;
  /** Namespace (`""` for cluster-scoped objects). */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** The object as committed; never mutated. */
  readonly object: KubeObject;
  /** Its resourceVersion as a number. */
  readonly rv: number;
  #json: string | undefined;
  #prefixLength = -1;

  constructor(key: string, namespace: string, name: string, object: KubeObject, rv: number) {
    this.key = key;
    this.namespace = namespace;
    this.name = name;
    this.object = object;
    this.rv = rv;
  }

  /** The object as JSON, with `kind` and `apiVersion` first (computed once). */
  json(): string {
    if (this.#json === undefined) this.#json = JSON.stringify(this.object);
    return this.#json;
  }

  /**
   * The object as a list item of a built-in kind: the real server leaves `kind` and `apiVersion` out of the items of
   * typed lists.
   */
  itemJson(): string {
    const json = this.json();
    if (this.#prefixLength < 0) {
      const { kind, apiVersion } = this.object;
      const prefix = `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},`;
      this.#prefixLength = typeof kind === "string" && json.startsWith(prefix) ? prefix.length : 0;
    }
    return this.#prefixLength === 0 ? json : `{${json.slice(this.#prefixLength)}`;
  }
}

/** A committed change, as watchers see it. */
export interface StorageEvent {
  readonly type: StorageEventType;
  /** The new state (for DELETED: the last state, stamped with the deletion's resourceVersion). */
  readonly entry: StoredEntry;
  /** The state before the change (MODIFIED and DELETED). */
  readonly previous: StoredEntry | undefined;
}

/** Receives every change of one resource, synchronously, in commit order. */
export interface StorageSubscriber {
  deliver(event: StorageEvent): void;
  /** The storage dropped this subscriber (close of all watches, restart). */
  terminate(): void;
}

/** A list page. */
export interface StoragePage {
  /** Matching entries in key order. */
  readonly items: readonly StoredEntry[];
  /** The revision the page was read at. */
  readonly rv: number;
  /** Key of the last item when more items follow. */
  readonly continueKey: string | undefined;
  /** Items after this page (without filtering), when more follow. */
  readonly remaining: number;
}

/** Options of {@link ObjectStorage.list}. */
export interface StorageListOptions {
  /** Only this namespace (`undefined`: all). */
  namespace?: string | undefined;
  /** Read at this past revision (`undefined`: now). */
  atRv?: number | undefined;
  /** Start after this key. */
  afterKey?: string | undefined;
  /** At most this many matching items (`0`/`undefined`: all). */
  limit?: number | undefined;
  /** Keeps only the entries it returns `true` for. */
  filter?: ((entry: StoredEntry) => boolean) | undefined;
}

/** Thrown when a revision is no longer in the history window. */
export class RevisionCompactedError extends Error {
  /** The oldest revision still readable (events after it are kept). */
  readonly compactedRv: number;
  constructor(compactedRv: number) {
    super(`revision compacted at ${compactedRv}`);
    this.name = "RevisionCompactedError";
    this.compactedRv = compactedRv;
  }
}

class Bucket {
  readonly entries = new Map<string, StoredEntry>();
  readonly subscribers = new Set<StorageSubscriber>();
  events: StorageEvent[] = [];
  compactedRv = 0;
  #sorted: string[] | undefined;

  sortedKeys(): string[] {
    if (this.#sorted === undefined) this.#sorted = [...this.entries.keys()].sort(compareKeys);
    return this.#sorted;
  }

  keysChanged(): void {
    this.#sorted = undefined;
  }
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First index in `keys` whose key is greater than `key` (keys sorted). */
function upperBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in `keys` whose key is at least `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Options of {@link ObjectStorage}. */
export interface ObjectStorageOptions {
  /** Events kept per resource for watches and past reads. @default 10000 */
  historySize?: number;
  /** The first resourceVersion handed out is this plus one. @default 0 */
  initialRv?: number;
}

/** The MVCC store. One instance per fake cluster. */
export class ObjectStorage {
  readonly #buckets = new Map<string, Bucket>();
  #rv: number;
  #historySize: number;

  constructor(options: ObjectStorageOptions = {}) {
    this.#rv = options.initialRv ?? 0;
    this.#historySize = Math.max(1, options.historySize ?? 10_000);
  }

  /** The current (latest committed) revision. */
  get rv(): number {
    return this.#rv;
  }

  /** Events kept per resource. */
  get historySize(): number {
    return this.#historySize;
  }

  set historySize(size: number) {
    this.#historySize = Math.max(1, Math.floor(size));
    for (const bucket of this.#buckets.values()) this.#trim(bucket);
  }

  #bucket(resource: string): Bucket {
    let bucket = this.#buckets.get(resource);
    if (bucket === undefined) {
      bucket = new Bucket();
      this.#buckets.set(resource, bucket);
    }
    return bucket;
  }

  /** The next revision, reserved for a commit (the caller stamps it into the object first). */
  nextRv(): number {
    return this.#rv + 1;
  }

  /** Reads the current entry of a key. */
  get(resource: string, key: string): StoredEntry | undefined {
    return this.#buckets.get(resource)?.entries.get(key);
  }

  /** Number of objects of a resource. */
  count(resource: string, namespace?: string): number {
    const bucket = this.#buckets.get(resource);
    if (bucket === undefined) return 0;
    if (namespace === undefined) return bucket.entries.size;
    let n = 0;
    for (const e of bucket.entries.values()) if (e.namespace === namespace) n++;
    return n;
  }

  /** Every resource that holds objects or history. */
  resources(): string[] {
    return [...this.#buckets.keys()];
  }

  /**
   * Commits a change. The object must already carry `metadata.resourceVersion` equal to {@link nextRv} (as a
   * string); for a delete, `object` is the last state stamped with the deletion's revision.
   */
  commit(resource: string, type: StorageEventType, key: string, object: KubeObject): StoredEntry {
    const bucket = this.#bucket(resource);
    const rv = ++this.#rv;
    const meta = object.metadata ?? {};
    const entry = new StoredEntry(key, meta.namespace ?? "", meta.name ?? "", object, rv);
    const previous = bucket.entries.get(key);
    if (type === "DELETED") {
      bucket.entries.delete(key);
      bucket.keysChanged();
    } else {
      if (previous === undefined) bucket.keysChanged();
      bucket.entries.set(key, entry);
    }
    const event: StorageEvent = { type, entry, previous };
    bucket.events.push(event);
    this.#trim(bucket);
    for (const subscriber of bucket.subscribers) subscriber.deliver(event);
    return entry;
  }

  #trim(bucket: Bucket): void {
    // Dropping in batches keeps a commit O(1) amortised; compactedRv() already treats the excess as gone.
    const excess = bucket.events.length - this.#historySize;
    if (excess > Math.max(256, this.#historySize >> 2)) this.#drop(bucket, excess);
  }

  #drop(bucket: Bucket, count: number): void {
    const dropped = bucket.events.splice(0, count);
    const last = dropped[dropped.length - 1];
    if (last !== undefined) bucket.compactedRv = Math.max(bucket.compactedRv, last.entry.rv);
  }

  /**
   * The revision at and before which a resource's history is gone: a watch or a past read must start at or after
   * it. Events beyond the configured history size count as gone even while a batch trim has not dropped them yet.
   */
  compactedRv(resource: string): number {
    const bucket = this.#buckets.get(resource);
    if (bucket === undefined) return 0;
    const excess = bucket.events.length - this.#historySize;
    if (excess > 0) return Math.max(bucket.compactedRv, (bucket.events[excess - 1] as StorageEvent).entry.rv);
    return bucket.compactedRv;
  }

  /**
   * Drops history up to a revision for every resource, like an etcd compaction plus a watch-cache window that moved
   * on: watches from older revisions get 410, continue tokens from before it expire.
   *
   * @param rv compact up to this revision (default: the current one)
   */
  compact(rv: number = this.#rv): void {
    for (const bucket of this.#buckets.values()) {
      let n = 0;
      while (n < bucket.events.length && (bucket.events[n] as StorageEvent).entry.rv <= rv) n++;
      if (n > 0) bucket.events.splice(0, n);
      bucket.compactedRv = Math.max(bucket.compactedRv, Math.min(rv, this.#rv));
    }
  }

  /**
   * Events of a resource after a revision, in order.
   *
   * @throws {RevisionCompactedError} when events after `rv` were dropped
   */
  eventsSince(resource: string, rv: number): StorageEvent[] {
    const bucket = this.#buckets.get(resource);
    if (bucket === undefined) return [];
    const compacted = this.compactedRv(resource);
    if (rv < compacted) throw new RevisionCompactedError(compacted);
    const events = bucket.events;
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((events[mid] as StorageEvent).entry.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return events.slice(lo);
  }

  /**
   * Lists entries in key order, now or at a past revision.
   *
   * @throws {RevisionCompactedError} when `atRv` is older than the history window
   */
  list(resource: string, options: StorageListOptions = {}): StoragePage {
    const bucket = this.#buckets.get(resource);
    const atRv = options.atRv;
    if (bucket === undefined) return { items: [], rv: atRv ?? this.#rv, continueKey: undefined, remaining: 0 };
    let keys: readonly string[];
    let lookup: (key: string) => StoredEntry | undefined;
    if (atRv === undefined || atRv >= this.#rv) {
      keys = bucket.sortedKeys();
      lookup = (key) => bucket.entries.get(key);
    } else {
      ({ keys, lookup } = this.#snapshot(bucket, resource, atRv));
    }
    const namespace = options.namespace;
    let start = 0;
    let end = keys.length;
    if (namespace !== undefined) {
      // Namespaced keys sort as "<ns>/<name>": the namespace's keys are one contiguous run.
      start = lowerBound(keys, `${namespace}/`);
      end = lowerBound(keys, `${namespace}0`); // "0" follows "/" in ASCII
    }
    if (options.afterKey !== undefined) start = Math.max(start, upperBound(keys, options.afterKey));
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
    const filter = options.filter;
    const items: StoredEntry[] = [];
    let i = start;
    for (; i < end && items.length < limit; i++) {
      const entry = lookup(keys[i] as string);
      if (entry === undefined) continue;
      if (filter === undefined || filter(entry)) items.push(entry);
    }
    // More matching items may follow only if the loop stopped on the limit.
    let more = false;
    if (items.length >= limit) {
      for (let j = i; j < end; j++) {
        const entry = lookup(keys[j] as string);
        if (entry !== undefined && (filter === undefined || filter(entry))) {
          more = true;
          break;
        }
      }
    }
    const last = items[items.length - 1];
    return {
      items,
      rv: atRv ?? this.#rv,
      continueKey: more && last !== undefined ? last.key : undefined,
      remaining: more ? end - i : 0,
    };
  }

  #snapshot(
    bucket: Bucket,
    resource: string,
    atRv: number,
  ): { keys: readonly string[]; lookup: (key: string) => StoredEntry | undefined } {
    const later = this.eventsSince(resource, atRv);
    if (later.length === 0) return { keys: bucket.sortedKeys(), lookup: (key) => bucket.entries.get(key) };
    // The state at atRv: for each key changed since, its state before the first later change.
    const overrides = new Map<string, StoredEntry | null>();
    for (const event of later) {
      const key = event.entry.key;
      if (!overrides.has(key)) overrides.set(key, event.type === "ADDED" ? null : (event.previous ?? null));
    }
    const keySet = new Set(bucket.entries.keys());
    for (const [key, entry] of overrides) {
      if (entry === null) keySet.delete(key);
      else keySet.add(key);
    }
    const keys = [...keySet].sort(compareKeys);
    return {
      keys,
      lookup: (key) => {
        const o = overrides.get(key);
        return o === undefined ? bucket.entries.get(key) : (o ?? undefined);
      },
    };
  }

  /** Registers a watcher of a resource. */
  subscribe(resource: string, subscriber: StorageSubscriber): void {
    this.#bucket(resource).subscribers.add(subscriber);
  }

  /** Removes a watcher. */
  unsubscribe(resource: string, subscriber: StorageSubscriber): void {
    this.#buckets.get(resource)?.subscribers.delete(subscriber);
  }

  /** Number of open watchers (all resources). */
  subscriberCount(): number {
    let n = 0;
    for (const b of this.#buckets.values()) n += b.subscribers.size;
    return n;
  }

  /** Ends every watcher (they see a clean end of stream). */
  terminateSubscribers(): void {
    for (const bucket of this.#buckets.values()) {
      const subs = [...bucket.subscribers];
      bucket.subscribers.clear();
      for (const s of subs) s.terminate();
    }
  }

  /**
   * Simulates a restored or restarted etcd: every object is stamped again with revisions counting from 1, the
   * counter continues from the highest of them (or `to`, when larger), all history is gone and all watchers end.
   *
   * @returns the new current revision
   */
  resetRevisions(to?: number): number {
    this.terminateSubscribers();
    let rv = 0;
    for (const bucket of this.#buckets.values()) {
      for (const key of bucket.sortedKeys()) {
        const old = bucket.entries.get(key) as StoredEntry;
        rv++;
        const object = { ...old.object, metadata: { ...old.object.metadata, resourceVersion: String(rv) } };
        bucket.entries.set(key, new StoredEntry(key, old.namespace, old.name, object, rv));
      }
    }
    this.#rv = Math.max(rv, to ?? 0);
    for (const bucket of this.#buckets.values()) {
      bucket.events = [];
      bucket.compactedRv = this.#rv;
    }
    return this.#rv;
  }
}
