/**
 * One open watch: replays history or synthesises ADDED events, then follows the storage's events for its resource,
 * filtered by namespace, name and selectors (with the watch cache's ADDED/DELETED transitions when an object starts
 * or stops matching), encoded as JSON, a Table or PartialObjectMetadata, coalesced into one write per flush, with
 * bookmarks and the timeout.
 *
 * @module
 */
import type { KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import { type ObjectStorage, type StorageEvent, type StorageSubscriber, StoredEntry } from "../store/object-storage.ts";
import type { EventSink } from "./response-sink.ts";

/** How objects are encoded in events. */
export interface WatchEncoder {
  /** The object JSON of an entry (`undefined` entry: a bookmark at `rv`). */
  encode(entry: StoredEntry, type: string, first: boolean): string;
  /** A bookmark object at a revision. */
  bookmark(rv: number, initialEventsEnd: boolean): string;
}

/** Options of a watch session. */
export interface WatchSessionOptions {
  readonly storage: ObjectStorage;
  readonly resource: ServedResource;
  readonly sink: EventSink;
  readonly encoder: WatchEncoder;
  /** Only this namespace. */
  readonly namespace: string | undefined;
  /** Keeps only entries it returns `true` for (name, label and field selectors). */
  readonly filter: ((entry: StoredEntry) => boolean) | undefined;
  /** Send BOOKMARK events. */
  readonly bookmarks: boolean;
  /** Bookmark period in ms. */
  readonly bookmarkIntervalMs: number;
  /** End the watch after this many ms. */
  readonly timeoutMs: number;
  /** Drop a watcher whose unsent events exceed this many bytes (the real cache closes unresponsive watchers). */
  readonly maxBufferedBytes: number;
}

/** A running watch. */
export class WatchSession implements StorageSubscriber {
  readonly #o: WatchSessionOptions;
  #pending: string[] = [];
  #pendingBytes = 0;
  #flushScheduled = false;
  #first = true;
  #lastRv = 0;
  /** Events up to this revision were already sent (replay and initial state). */
  #startRv = 0;
  #timers: ReturnType<typeof setTimeout>[] = [];
  #interval: ReturnType<typeof setInterval> | undefined;
  #ended = false;
  readonly #openRv: number;

  constructor(options: WatchSessionOptions) {
    this.#o = options;
    this.#openRv = options.storage.rv;
    options.sink.onClose(() => this.#cleanup());
  }

  /** Whether the session ended. */
  get ended(): boolean {
    return this.#ended;
  }

  #matches(entry: StoredEntry | undefined): boolean {
    if (entry === undefined) return false;
    const ns = this.#o.namespace;
    if (ns !== undefined && ns !== "" && entry.namespace !== ns) return false;
    return this.#o.filter === undefined || this.#o.filter(entry);
  }

  #line(type: string, object: string): string {
    return `{"type":"${type}","object":${object}}\n`;
  }

  #push(line: string, rv: number): void {
    this.#pending.push(line);
    this.#pendingBytes += line.length;
    if (rv > this.#lastRv) this.#lastRv = rv;
    if (this.#pendingBytes + this.#o.sink.bufferedBytes > this.#o.maxBufferedBytes) {
      // The client does not keep up: end the watch, as the watch cache does ("unresponsive watcher").
      this.#pending = [];
      this.#pendingBytes = 0;
      this.end();
      return;
    }
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends the pending events now. */
  flush(): void {
    this.#flushScheduled = false;
    if (this.#pending.length === 0 || this.#ended) return;
    const lines = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#o.sink.sendEvents(lines);
    if (this.#o.sink.closed) this.#cleanup();
  }

  #emit(type: string, entry: StoredEntry): void {
    const object = this.#o.encoder.encode(entry, type, this.#first);
    this.#first = false;
    this.#push(this.#line(type, object), entry.rv);
  }

  /** Sends synthetic ADDED events for `entries`, then optionally the initial-events-end bookmark at `rv`. */
  sendInitial(entries: readonly StoredEntry[], rv: number, initialEventsEnd: boolean): void {
    for (const e of entries) if (this.#matches(e)) this.#emit("ADDED", e);
    this.#startRv = rv;
    if (initialEventsEnd) this.#push(this.#line("BOOKMARK", this.#o.encoder.bookmark(rv, true)), rv);
    if (this.#lastRv < rv) this.#lastRv = rv;
  }

  /** Replays stored events (already after the watch's revision). */
  replay(events: readonly StorageEvent[], startRv: number): void {
    for (const e of events) this.deliver(e);
    this.#startRv = Math.max(startRv, this.#startRv);
  }

  /** Sets the revision the watch starts from (events up to it are filtered out). */
  startAt(rv: number): void {
    this.#startRv = rv;
  }

  deliver(event: StorageEvent): void {
    if (this.#ended || event.entry.rv <= this.#startRv) return;
    const now = this.#matches(event.entry);
    const before = event.previous !== undefined && this.#matches(event.previous);
    switch (event.type) {
      case "ADDED":
        if (now) this.#emit("ADDED", event.entry);
        break;
      case "MODIFIED":
        if (now && before) this.#emit("MODIFIED", event.entry);
        else if (now) this.#emit("ADDED", event.entry);
        else if (before) this.#emit("DELETED", withRv(event.previous as StoredEntry, event.entry));
        break;
      case "DELETED":
        if (now || before) this.#emit("DELETED", event.entry);
        break;
    }
  }

  /** Starts the bookmark and timeout timers. */
  startTimers(): void {
    const { bookmarks, bookmarkIntervalMs, timeoutMs } = this.#o;
    if (bookmarks && bookmarkIntervalMs > 0) this.#interval = setInterval(() => this.#bookmark(), bookmarkIntervalMs);
    if (bookmarks && timeoutMs > 2000)
      // The watch cache sends a bookmark shortly before the deadline so that the client can resume from it.
      this.#timers.push(setTimeout(() => this.#bookmark(), timeoutMs - 2000));
    if (timeoutMs > 0 && Number.isFinite(timeoutMs))
      this.#timers.push(
        setTimeout(() => {
          this.flush();
          this.end();
        }, timeoutMs),
      );
  }

  #bookmark(): void {
    if (this.#ended) return;
    const current = this.#o.storage.rv;
    // Nothing happened since the watch opened (or it waits for a future revision): there is nothing to bookmark.
    if (current <= this.#openRv || current < this.#startRv) return;
    const rv = Math.max(current, this.#lastRv);
    // Never bookmark below what the client may already have seen.
    this.#push(this.#line("BOOKMARK", this.#o.encoder.bookmark(rv, false)), rv);
  }

  terminate(): void {
    this.flush();
    this.end();
  }

  /** Ends the stream cleanly. */
  end(): void {
    if (this.#ended) return;
    this.#o.sink.end();
    this.#cleanup();
  }

  #cleanup(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
    if (this.#interval !== undefined) clearInterval(this.#interval);
    this.#o.storage.unsubscribe(this.#o.resource.storageKey, this);
  }
}

/** The previous state of an object, stamped with the revision of the change that made it stop matching. */
function withRv(previous: StoredEntry, current: StoredEntry): StoredEntry {
  const object: KubeObject = {
    ...previous.object,
    metadata: { ...previous.object.metadata, resourceVersion: String(current.rv) },
  };
  return new StoredEntry(previous.key, previous.namespace, previous.name, object, current.rv);
}
