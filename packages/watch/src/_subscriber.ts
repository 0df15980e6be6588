/**
 * One consumer's queue of notifications, decoupled from the reader. The default mode coalesces per key, DeltaFIFO
 * style: pending memory is one entry per changed key, and a consumer that lags sees the latest state (with the state
 * it saw last as `oldObject`). The opt-in ordered mode (RealFIFO style) delivers every change in order from a bounded
 * buffer; on overflow it falls back to coalescing (with a warning) until it has caught up, because an unbounded
 * buffer is how client-go's `processorListener` grows without limit behind a stalled handler.
 *
 * @module
 * @internal
 */
import type { InformerEvent } from "./informer-event.ts";
import type { StoreReader } from "./informer-store.ts";
import { uidOf } from "./object-key.ts";

/** What changed for one key. */
export interface Change<T> {
  /** The state before the change (what the store held). */
  old: T | undefined;
  /** The state after the change; `undefined` for a deletion. */
  current: T | undefined;
  /** For a deletion: the final state (from the DELETED event) or the last known state (relist). */
  final?: T | undefined;
  /** The deletion was found by a relist. */
  unknown?: boolean;
  /** The change came from a list (Replace). */
  replaced?: boolean;
  /** The change is part of the initial list. */
  initial?: boolean;
  /** A periodic resync (old and current are the same object). */
  sync?: boolean;
}

interface Pending<T> {
  old: T | undefined;
  tombstone: T | undefined;
  unknown: boolean;
  replaced: boolean;
  initial: boolean;
  sync: boolean;
}

interface Mark<T> extends Pending<T> {
  key: string;
  current: T | undefined;
}

/** Options of a subscriber. */
export interface SubscriberOptions {
  /** Deliver every change in order, holding at most this many undelivered changes before coalescing. */
  ordered?: { maxBuffered: number } | undefined;
  /** Called when there is something to take (after having been empty). */
  notify: () => void;
  /** Receives the overflow warning. */
  warn: (message: string) => void;
}

/** A consumer's queue. */
export class Subscriber<T> {
  readonly #store: StoreReader<T>;
  readonly #options: SubscriberOptions;
  readonly #pending = new Map<string, Pending<T>>();
  // One live iterator over #pending: a new one per take() would walk past every slot already taken from the front,
  // which made draining a large queue quadratic. Map iterators stay valid while entries are deleted and appended.
  #cursor: MapIterator<[string, Pending<T>]> | undefined;
  #buffer: Mark<T>[] = [];
  #head = 0;
  #ready: InformerEvent<T>[] = [];
  #coalescing: boolean;
  #closed = false;
  /** Notifications handed out. */
  delivered = 0;

  constructor(store: StoreReader<T>, options: SubscriberOptions) {
    this.#store = store;
    this.#options = options;
    this.#coalescing = options.ordered === undefined;
  }

  /** Undelivered changes (keys in coalescing mode, changes in ordered mode). */
  get backlog(): number {
    return this.#pending.size + (this.#buffer.length - this.#head) + this.#ready.length;
  }

  /** Whether the subscriber is currently coalescing. */
  get coalescing(): boolean {
    return this.#coalescing;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Drops everything and refuses further changes. */
  close(): void {
    this.#closed = true;
    this.#pending.clear();
    this.#cursor = undefined;
    this.#buffer = [];
    this.#head = 0;
    this.#ready = [];
  }

  /** Records a change of one key. */
  change(key: string, change: Change<T>): void {
    if (this.#closed) return;
    const wasEmpty = this.backlog === 0;
    if (this.#coalescing) this.#coalesce(key, change);
    else {
      this.#buffer.push({
        key,
        old: change.old,
        current: change.current,
        tombstone: change.current === undefined ? (change.final ?? change.old) : undefined,
        unknown: change.unknown === true,
        replaced: change.replaced === true,
        initial: change.initial === true,
        sync: change.sync === true,
      });
      const max = this.#options.ordered?.maxBuffered ?? Number.POSITIVE_INFINITY;
      if (this.#buffer.length - this.#head > max) this.#overflow(max);
    }
    if (wasEmpty) this.#options.notify();
  }

  /** Records a periodic resync of every cached key that has nothing pending. */
  resync(): void {
    if (this.#closed) return;
    const busy = new Set<string>(this.#pending.keys());
    for (let i = this.#head; i < this.#buffer.length; i++) busy.add((this.#buffer[i] as Mark<T>).key);
    for (const key of this.#store.keys()) {
      if (busy.has(key)) continue;
      const object = this.#store.get(key);
      this.change(key, { old: object, current: object, sync: true });
    }
  }

  #coalesce(key: string, change: Change<T>): void {
    let p = this.#pending.get(key);
    if (p === undefined) {
      p = { old: change.old, tombstone: undefined, unknown: false, replaced: false, initial: false, sync: false };
      this.#pending.set(key, p);
    } else p.sync = false;
    if (change.current === undefined && p.tombstone === undefined && p.old !== undefined) {
      // The first deletion after the state the consumer saw: its final state is what the consumer must be told.
      p.tombstone = change.final ?? change.old;
      p.unknown = change.unknown === true;
    }
    p.replaced = change.replaced === true;
    if (change.initial === true) p.initial = true;
    if (change.sync === true && p.old === change.current) p.sync = true;
  }

  #overflow(max: number): void {
    const marks = this.#buffer.slice(this.#head);
    this.#buffer = [];
    this.#head = 0;
    this.#coalescing = true;
    for (const m of marks)
      this.#coalesce(m.key, {
        old: m.old,
        current: m.current,
        final: m.tombstone,
        unknown: m.unknown,
        replaced: m.replaced,
        initial: m.initial,
        sync: m.sync,
      });
    this.#options.warn(
      `A consumer fell more than ${max} notifications behind; it now gets the latest state per object (coalesced) until it catches up`,
    );
  }

  /** The next notification, or `undefined` when there is none. */
  take(): InformerEvent<T> | undefined {
    for (;;) {
      const ready = this.#ready.shift();
      if (ready !== undefined) {
        this.delivered++;
        return ready;
      }
      if (this.#closed) return undefined;
      if (this.#coalescing) {
        let next = this.#cursor?.next();
        if (next === undefined || next.done === true) {
          this.#cursor = this.#pending.entries();
          next = this.#cursor.next();
        }
        if (next.done === true) {
          this.#cursor = undefined;
          // Caught up: an ordered consumer goes back to receiving every change.
          if (this.#options.ordered !== undefined) this.#coalescing = false;
          return undefined;
        }
        const [key, p] = next.value;
        this.#pending.delete(key);
        this.#emit(key, p, this.#store.get(key));
      } else {
        if (this.#head >= this.#buffer.length) {
          this.#buffer = [];
          this.#head = 0;
          return undefined;
        }
        const m = this.#buffer[this.#head++] as Mark<T>;
        if (this.#head > 1024 && this.#head * 2 > this.#buffer.length) {
          this.#buffer = this.#buffer.slice(this.#head);
          this.#head = 0;
        }
        this.#emit(m.key, m, m.current);
      }
    }
  }

  #emit(key: string, p: Pending<T>, current: T | undefined): void {
    const { old, tombstone } = p;
    if (old === undefined) {
      if (current !== undefined)
        this.#ready.push({
          type: "add",
          key,
          object: current,
          isInInitialList: p.initial,
          delta: p.replaced ? "Replaced" : "Added",
        });
      return;
    }
    if (current === undefined || tombstone !== undefined || uidOf(old) !== uidOf(current)) {
      const last = tombstone ?? old;
      const unknown = tombstone !== undefined && p.unknown;
      this.#ready.push({
        type: "delete",
        key,
        object: last,
        finalStateUnknown: unknown,
        delta: unknown ? "DeletedFinalStateUnknown" : "Deleted",
      });
      if (current !== undefined)
        this.#ready.push({
          type: "add",
          key,
          object: current,
          isInInitialList: false,
          delta: p.replaced ? "Replaced" : "Added",
        });
      return;
    }
    if (old === current && !p.sync) return;
    this.#ready.push({
      type: "update",
      key,
      oldObject: old,
      object: current,
      delta: p.sync ? "Sync" : p.replaced ? "Replaced" : "Updated",
    });
  }
}
