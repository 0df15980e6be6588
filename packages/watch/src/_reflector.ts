/**
 * The list-and-watch loop behind every informer, after client-go's reflector, and the error handling that makes it
 * never stop on its own: it lists (WatchList when the server supports it, else paginated LIST), watches from the
 * list's resourceVersion with bookmarks and a random timeout, resumes the watch after a dropped connection, relists
 * on 410, waits out Retry-After and 504 TooLargeResourceVersion, backs off on every other failure, and aborts a watch
 * that has been silent for too long. Only the caller's abort ends it.
 *
 * @module
 * @internal
 */
import {
  ApiError,
  DecodeError,
  isForbidden,
  isGone,
  isResourceVersionTooLarge,
  isTooManyRequests,
  isUnauthorized,
  TransportError,
} from "@kubeshift/transport";
import { abortable } from "./_abortable.ts";
import type { ItemCodec } from "./_item-codec.ts";
import { errorFromEvent } from "./_status-error.ts";
import { openWatch, type WatchConnection, type WatchTarget } from "./_watch-connection.ts";
import type { Backoff } from "./backoff.ts";
import { type Clock, sleep } from "./clock.ts";
import type { BackoffReason, ErrorContext, InformerHealth, InformerStats } from "./informer-health.ts";
import { type KeyedObject, objectKey, resourceVersionOf } from "./object-key.ts";
import { compareResourceVersions } from "./resource-version.ts";
import { WatchError } from "./watch-error.ts";
import { isInitialEventsEnd, type RawWatchEvent } from "./watch-event.ts";
import { WatchEventDecoder } from "./watch-event-decoder.ts";

/** Counters, mutable inside the package. */
export type MutableStats = { -readonly [K in keyof InformerStats]: InformerStats[K] };

/** Creates zeroed counters. */
export function newStats(): MutableStats {
  return {
    lists: 0,
    relists: 0,
    listRequests: 0,
    watches: 0,
    watchRestarts: 0,
    events: 0,
    bookmarks: 0,
    staleEvents: 0,
    decodeErrors: 0,
    truncatedStreams: 0,
    stalls: 0,
    errors: 0,
    handlerErrors: 0,
    resourceVersionResets: 0,
    watchListFallbacks: 0,
    lastSyncResourceVersion: undefined,
    lastEventAt: undefined,
    lastError: undefined,
    pendingNotifications: 0,
  };
}

/** What the loop does to the cache. */
export interface ReflectorSink {
  /** Replaces the cache with a complete list. */
  replace(items: Map<string, unknown>): void;
  /**
   * Applies one event; returns `false` when it was dropped as a replay. `newer`: the event is known to be newer than
   * everything cached, so no per-object comparison is needed.
   */
  apply(type: "ADDED" | "MODIFIED" | "DELETED", key: string, item: unknown, newer: boolean): boolean;
  /** The informer's state changed. */
  setHealth(health: InformerHealth): void;
  /** A failure (already counted). */
  error(error: unknown, context: ErrorContext): void;
  /** Something the user should know. */
  warn(message: string): void;
}

/** Settings of the loop. */
export interface ReflectorOptions {
  readonly target: WatchTarget;
  readonly codec: ItemCodec;
  /** Label and field selectors, already formatted. */
  readonly selectors: Readonly<Record<string, string | undefined>>;
  readonly transform: ((item: unknown) => unknown) | undefined;
  readonly watchList: "auto" | "always" | "never";
  readonly watchListTimeoutMs: number;
  readonly pageSize: number;
  readonly initialResourceVersion: string;
  readonly watchTimeoutSeconds: readonly [number, number];
  readonly stallTimeoutMs: number;
  readonly listTimeoutMs: number;
  readonly maxRetryAfterMs: number;
  readonly maxInternalErrorRetryMs: number;
  readonly maxLineLength: number;
  readonly backoff: Backoff;
  readonly clock: Clock;
  readonly random: () => number;
  readonly stats: MutableStats;
  readonly sink: ReflectorSink;
}

/** Which clients' servers refused WatchList, per API path: a capability learnt once is reused by other informers. */
const noWatchList = new WeakMap<object, Set<string>>();

const TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK"]);
const SHORT_WATCH_MS = 1000;

/** The watchdog aborted a silent stream. */
class Stalled extends Error {
  readonly initialPhase: boolean;
  constructor(ms: number, initialPhase: boolean) {
    super(`no data for ${ms} ms`);
    this.initialPhase = initialPhase;
  }
}

/** The server does not do WatchList (it ignored the parameters or never sent the end marker). */
class WatchListUnsupported extends Error {}

interface Next {
  readonly step: "sync" | "watch";
  /** An open stream to keep reading (WatchList continues on the stream it synced with). */
  readonly stream?: OpenStream | undefined;
}

/** The loop. */
export class Reflector {
  readonly #o: ReflectorOptions;
  readonly #signal: AbortSignal;
  #lastSyncRV: string | undefined;
  /** The last list or watch at lastSyncRV failed with Expired or TooLarge: list at "" next. */
  #rvUnavailable = false;
  #synced = false;
  #useWatchList: boolean;
  #internalErrorSince: number | undefined;
  /** The watch must not advance lastSyncRV until a non-ADDED event (a watch started at "" or "0"). */
  #holdRvUntilNonAdded = false;

  constructor(options: ReflectorOptions, signal: AbortSignal) {
    this.#o = options;
    this.#signal = signal;
    const apiPath = options.target.descriptor.apiPath;
    this.#useWatchList =
      options.watchList === "always" ||
      (options.watchList === "auto" && !(noWatchList.get(options.target.client)?.has(apiPath) ?? false));
  }

  get lastSyncResourceVersion(): string | undefined {
    return this.#lastSyncRV;
  }

  /** Runs until the signal aborts; never rejects. */
  async run(): Promise<void> {
    let next: Next = { step: "sync" };
    while (!this.#signal.aborted) {
      try {
        if (next.step === "sync") next = await this.#sync();
        else next = await this.#watch(next.stream);
      } catch (error) {
        if (this.#signal.aborted) break;
        try {
          next = await this.#recover(error, next.step);
        } catch {
          // Only an abort interrupts a recovery wait.
          break;
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Listing

  async #sync(): Promise<Next> {
    this.#o.sink.setHealth({ state: "Listing", since: this.#o.clock.now() });
    if (this.#useWatchList) {
      try {
        return await this.#watchListSync();
      } catch (error) {
        if (!this.#watchListRejected(error)) throw error;
        this.#fallBackFromWatchList(error instanceof WatchListUnsupported ? error.message : describe(error));
      }
    }
    await this.#listSync();
    return { step: "watch" };
  }

  #watchListRejected(error: unknown): boolean {
    if (error instanceof WatchListUnsupported) return true;
    if (error instanceof Stalled && error.initialPhase) return true;
    // 400/422: "sendInitialEvents is forbidden…", "resourceVersionMatch is forbidden for watch" (servers < 1.27, or
    // the feature gate off); 501/405 from proxies that do not know the parameters.
    return error instanceof ApiError && [400, 405, 415, 422, 501].includes(error.status);
  }

  #fallBackFromWatchList(why: string): void {
    this.#o.stats.watchListFallbacks++;
    this.#useWatchList = false;
    if (this.#o.watchList === "auto") {
      const client = this.#o.target.client;
      let set = noWatchList.get(client);
      if (set === undefined) {
        set = new Set();
        noWatchList.set(client, set);
      }
      set.add(this.#o.target.descriptor.apiPath);
    }
    this.#o.sink.warn(`WatchList is not available (${why}); listing with LIST + WATCH instead`);
  }

  async #listSync(): Promise<void> {
    const o = this.#o;
    const relistAtRv = this.#lastSyncRV !== undefined && !this.#rvUnavailable;
    const items = new Map<string, unknown>();
    let listRv: string | undefined;
    if (relistAtRv) {
      // client-go: relists at the last synced resourceVersion never go back in time (kubernetes#83520), and without
      // pagination so that the watch cache can serve them.
      const page = await this.#listPage({
        resourceVersion: this.#lastSyncRV,
        resourceVersionMatch: "NotOlderThan",
      });
      this.#collect(page.items, items);
      listRv = page.resourceVersion;
    } else {
      const rv = this.#rvUnavailable || this.#lastSyncRV !== undefined ? "" : o.initialResourceVersion;
      listRv = await this.#paginatedList(rv, items);
    }
    this.#applyList(items, listRv);
  }

  async #paginatedList(rv: string, items: Map<string, unknown>): Promise<string | undefined> {
    let restarts = 0;
    let resourceVersion = rv;
    for (;;) {
      items.clear();
      let token: string | undefined;
      let listRv: string | undefined;
      try {
        do {
          const page = await this.#listPage({
            limit: String(this.#o.pageSize),
            ...(token === undefined
              ? { resourceVersion: resourceVersion === "" ? undefined : resourceVersion }
              : { continue: token }),
          });
          this.#collect(page.items, items);
          listRv ??= page.resourceVersion;
          token = page.continue;
        } while (token !== undefined);
        return listRv;
      } catch (error) {
        // An expired continue token: list again from the start, never with the "inconsistent" token the 410 offers
        // (client-go's pager); the first page at "" is a consistent read.
        if (token === undefined || !isGone(error) || restarts >= 3) throw error;
        restarts++;
        resourceVersion = "";
        this.#o.sink.warn(`A list continuation expired (${describe(error)}); listing again from the start`);
      }
    }
  }

  async #listPage(params: Readonly<Record<string, string | undefined>>): Promise<{
    items: readonly unknown[];
    resourceVersion: string | undefined;
    continue: string | undefined;
  }> {
    const o = this.#o;
    const t = o.target;
    const url = t.client.url(t.descriptor, {
      ...(t.allNamespaces ? { allNamespaces: true } : {}),
      ...(t.namespace === undefined ? {} : { namespace: t.namespace }),
      query: { ...o.selectors, ...o.codec.query(), ...params },
    });
    o.stats.listRequests++;
    // A list that never completes must not hold the informer: the page (headers and body) gets a deadline.
    const controller = this.#child();
    const timer = o.clock.setTimeout(
      () =>
        controller.abort(
          new TransportError("timeout", `No complete list answer within ${o.listTimeoutMs} ms`, {
            method: "GET",
            url: url.pathname + url.search,
          }),
        ),
      o.listTimeoutMs,
    );
    let text: string;
    try {
      const headers = new Headers(t.headers);
      headers.set("accept", o.codec.accept());
      let response: Response;
      try {
        response = await abortable(
          t.client.send(url, { headers, signal: controller.signal }),
          controller.signal,
          (late) => {
            late.body?.cancel().catch(() => undefined);
          },
        );
      } catch (error) {
        if (error instanceof ApiError && error.status === 406 && o.codec.notAcceptable()) return this.#listPage(params);
        throw error;
      }
      try {
        text = await abortable(response.text(), controller.signal);
      } catch (error) {
        if (controller.signal.aborted) throw controller.signal.reason;
        throw new TransportError("reset", "The list answer broke off", { cause: error, method: "GET", url: url.href });
      }
    } finally {
      o.clock.clearTimeout(timer);
      controller.dispose();
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
      return o.codec.page(body);
    } catch (cause) {
      throw new DecodeError(`Cannot decode the list answer of ${url.pathname}`, { cause, excerpt: text.slice(0, 120) });
    }
  }

  #collect(raw: readonly unknown[], into: Map<string, unknown>): void {
    for (const r of raw) {
      const item = this.#item(r, true);
      if (item === undefined) continue;
      into.set(item.key, item.value);
    }
  }

  /** The cache item and key of a list item or event object, or `undefined` (reported) when it has none. */
  #item(raw: unknown, fromList: boolean): { key: string; value: unknown } | undefined {
    const o = this.#o;
    let value = o.codec.item(raw, fromList);
    if (value !== undefined && o.transform !== undefined) {
      try {
        value = o.transform(value);
      } catch (error) {
        o.stats.errors++;
        o.stats.lastError = error;
        // The object stays as the server sent it: a broken transform must not cost the cache an object.
        o.sink.error(error, { phase: "transform", action: "skip", key: keyOf(value) });
      }
    }
    const key = value === undefined ? undefined : keyOf(value);
    if (key === undefined) {
      o.stats.decodeErrors++;
      const error = new DecodeError(
        `A ${fromList ? "list item" : "watch event object"} has no metadata.name; it was left out of the cache`,
        { excerpt: JSON.stringify(raw)?.slice(0, 120) ?? "" },
      );
      o.stats.errors++;
      o.stats.lastError = error;
      o.sink.error(error, { phase: fromList ? "list" : "watch", action: "skip" });
      return undefined;
    }
    return { key, value };
  }

  #applyList(items: Map<string, unknown>, listRv: string | undefined): void {
    const o = this.#o;
    const previous = this.#lastSyncRV;
    if (previous !== undefined && compareResourceVersions(listRv, previous) === -1) {
      o.stats.resourceVersionResets++;
      o.sink.warn(
        `The list resourceVersion ${listRv} is older than ${previous}: the server's storage was restored or replaced; the cache is replaced`,
      );
    }
    o.sink.replace(items);
    o.stats.lists++;
    if (this.#synced) o.stats.relists++;
    this.#synced = true;
    this.#rvUnavailable = false;
    // A list without a resourceVersion (some aggregated servers) leaves a watch from "" that replays the state as
    // synthetic ADDED events: the resourceVersion may only move once a non-ADDED event arrives (client-go).
    this.#lastSyncRV = listRv;
    o.stats.lastSyncResourceVersion = listRv;
    this.#holdRvUntilNonAdded = listRv === undefined;
  }

  #setRv(rv: string | undefined, force: boolean): void {
    if (rv === undefined) return;
    if (!force && compareResourceVersions(rv, this.#lastSyncRV) === -1) return;
    this.#lastSyncRV = rv;
    this.#o.stats.lastSyncResourceVersion = rv;
  }

  async #watchListSync(): Promise<Next> {
    const o = this.#o;
    const controller = this.#child();
    const watchdog = this.#watchdog(controller, o.watchListTimeoutMs, true);
    let connection: WatchConnection;
    try {
      connection = await this.#open(
        {
          sendInitialEvents: "true",
          allowWatchBookmarks: "true",
          resourceVersionMatch: "NotOlderThan",
          resourceVersion: this.#rvUnavailable ? undefined : this.#lastSyncRV,
        },
        controller,
      );
    } catch (error) {
      watchdog.stop();
      controller.dispose();
      throw error;
    }
    const stream: OpenStream = {
      connection,
      decoder: new WatchEventDecoder({ maxLineLength: o.maxLineLength }),
      controller,
      watchdog,
      iterator: connection.chunks[Symbol.asyncIterator](),
      pending: undefined,
    };
    // The initial events go to a separate map: nobody sees a partial cache, and a server that turns out not to do
    // WatchList costs nothing but the request.
    const initial = new Map<string, unknown>();
    try {
      const endRv = await this.#readInitialEvents(stream, initial, watchdog);
      this.#applyList(initial, endRv);
      o.stats.watches++;
      if (o.stats.watches > 1) o.stats.watchRestarts++;
      watchdog.retune(o.stallTimeoutMs, false);
      return { step: "watch", stream };
    } catch (error) {
      watchdog.stop();
      controller.abort();
      controller.dispose();
      throw error;
    }
  }

  /** Reads ADDED events up to the end-of-initial-events bookmark; returns its resourceVersion. */
  async #readInitialEvents(
    stream: OpenStream,
    into: Map<string, unknown>,
    watchdog: Watchdog,
  ): Promise<string | undefined> {
    const { connection, decoder, iterator } = stream;
    for (;;) {
      const result = await iterator.next();
      if (result.done) {
        decoder.end();
        throw new WatchListUnsupported("the stream ended before the end of the initial events");
      }
      watchdog.touch();
      const events = this.#decode(connection, decoder, result.value);
      for (let i = 0; i < events.length; i++) {
        const event = events[i] as RawWatchEvent;
        if (event.type === "ERROR") throw errorFromEvent(event.object, connection.url);
        if (event.type === "BOOKMARK") {
          if (!isInitialEventsEnd(event))
            throw new WatchListUnsupported("a bookmark came before the end of the initial events");
          // Events after the marker in the same chunk belong to the watch that follows.
          if (i + 1 < events.length) stream.pending = events.slice(i + 1);
          return resourceVersionOf(event.object);
        }
        if (event.type !== "ADDED")
          throw new WatchListUnsupported(`a ${event.type} event came before the end of the initial events`);
        const item = this.#item(event.object, false);
        if (item !== undefined) into.set(item.key, item.value);
      }
      this.#checkDecoder(decoder);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Watching

  async #open(
    params: Readonly<Record<string, string | undefined>>,
    controller: ChildController,
  ): Promise<WatchConnection> {
    const o = this.#o;
    const [min, max] = o.watchTimeoutSeconds;
    const timeoutSeconds = Math.floor(min + o.random() * (max - min + 1));
    o.codec.watchStarted();
    const query = {
      ...o.selectors,
      ...o.codec.query(),
      timeoutSeconds: String(Math.min(max, timeoutSeconds)),
      ...params,
    };
    try {
      return await openWatch({ ...o.target, accept: o.codec.accept() }, query, controller.signal);
    } catch (error) {
      // A server or proxy without the Table media types: continue in plain JSON.
      if (!(error instanceof ApiError && error.status === 406 && o.codec.notAcceptable())) throw error;
      return openWatch({ ...o.target, accept: o.codec.accept() }, { ...query, ...o.codec.query() }, controller.signal);
    }
  }

  async #watch(existing: OpenStream | undefined): Promise<Next> {
    const o = this.#o;
    const stream = existing ?? (await this.#openWatch());
    const { connection, decoder, controller, iterator, watchdog } = stream;
    const started = o.clock.now();
    o.sink.setHealth({ state: "Watching", since: started });
    let received = 0;
    try {
      if (stream.pending !== undefined) {
        const pending = stream.pending;
        stream.pending = undefined;
        received += this.#handle(connection, pending);
      }
      for (;;) {
        const result = await iterator.next();
        if (result.done) break;
        watchdog.touch();
        received += this.#handle(connection, this.#decode(connection, decoder, result.value));
        this.#checkDecoder(decoder);
      }
      if (connection.framing === "lines") {
        try {
          decoder.end();
        } catch (error) {
          // client-go closes on io.ErrUnexpectedEOF and watches again from the last complete event.
          o.stats.truncatedStreams++;
          o.stats.errors++;
          this.#report(error, { phase: "watch", action: "rewatch" });
        }
      }
    } catch (error) {
      if (error instanceof TransportError && decoder.hasPartialEvent) o.stats.truncatedStreams++;
      throw error;
    } finally {
      watchdog.stop();
      controller.abort();
      controller.dispose();
    }
    this.#internalErrorSince = undefined;
    if (received === 0 && o.clock.now() - started < SHORT_WATCH_MS)
      throw new WatchError("short-watch", "The server ended the watch in under a second without an event");
    return { step: "watch" };
  }

  async #openWatch(): Promise<OpenStream> {
    const o = this.#o;
    const controller = this.#child();
    const watchdog = this.#watchdog(controller, o.stallTimeoutMs, false);
    try {
      const rv = this.#lastSyncRV;
      const connection = await this.#open({ allowWatchBookmarks: "true", resourceVersion: rv }, controller);
      o.stats.watches++;
      if (o.stats.watches > 1) o.stats.watchRestarts++;
      return {
        connection,
        decoder: new WatchEventDecoder({ maxLineLength: o.maxLineLength }),
        controller,
        watchdog,
        iterator: connection.chunks[Symbol.asyncIterator](),
        pending: undefined,
      };
    } catch (error) {
      watchdog.stop();
      controller.dispose();
      throw error;
    }
  }

  #decode(
    connection: WatchConnection,
    decoder: WatchEventDecoder,
    chunk: Uint8Array | string,
  ): readonly RawWatchEvent[] {
    return connection.framing === "lines" ? decoder.write(chunk) : decoder.writeMessage(chunk);
  }

  /** After the good events of a chunk: a bad line ends the watch (client-go's ClientWatchDecoding error). */
  #checkDecoder(decoder: WatchEventDecoder): void {
    if (!decoder.failed) return;
    this.#o.stats.decodeErrors++;
    decoder.throwIfFailed();
  }

  /** Applies events; returns how many there were. */
  #handle(connection: WatchConnection, events: readonly RawWatchEvent[]): number {
    const o = this.#o;
    if (events.length === 0) return 0;
    o.stats.lastEventAt = o.clock.now();
    for (const event of events) {
      const type = event.type;
      if (type === "ERROR") throw errorFromEvent(event.object, connection.url);
      if (!TYPES.has(type)) {
        o.stats.decodeErrors++;
        throw new DecodeError(`Unknown watch event type ${JSON.stringify(type)}`, {
          excerpt: JSON.stringify(event).slice(0, 120),
        });
      }
      if (type === "BOOKMARK") {
        o.stats.bookmarks++;
        // Bookmarks move the resourceVersion only; the cache does not change.
        if (!this.#holdRvUntilNonAdded) this.#setRv(resourceVersionOf(event.object), false);
        continue;
      }
      const item = this.#item(event.object, false);
      if (item === undefined) continue;
      const rv = resourceVersionOf(item.value);
      if (type !== "ADDED") this.#holdRvUntilNonAdded = false;
      let newer = false;
      if (!this.#holdRvUntilNonAdded) {
        // A watch from lastSyncRV only carries newer events: anything else is a replay (T27).
        const order = compareResourceVersions(rv, this.#lastSyncRV);
        if (order === -1 || order === 0) {
          o.stats.staleEvents++;
          continue;
        }
        newer = order === 1;
      }
      // Newer than lastSyncRV is newer than every cached object; otherwise the cache compares with the object's own.
      if (o.sink.apply(type as "ADDED" | "MODIFIED" | "DELETED", item.key, item.value, newer)) o.stats.events++;
      else o.stats.staleEvents++;
      if (newer) {
        this.#lastSyncRV = rv;
        o.stats.lastSyncResourceVersion = rv;
      } else if (!this.#holdRvUntilNonAdded) this.#setRv(rv, false);
    }
    return events.length;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Failures

  async #recover(error: unknown, failed: "sync" | "watch"): Promise<Next> {
    const o = this.#o;
    if (error instanceof Stalled) {
      // Not an error: HTTP/1.1 has no pings, so silence is the only sign of a dead connection (client-node #596).
      o.stats.stalls++;
      o.sink.warn(
        `The watch was silent for ${o.stallTimeoutMs} ms; watching again from ${this.#lastSyncRV ?? "the start"}`,
      );
      return { step: failed };
    }
    o.stats.errors++;
    const again = failed === "watch" ? "rewatch" : "retry";
    if (error instanceof WatchError && error.reason === "short-watch")
      return this.#wait(error, failed, "short-watch", undefined, again);
    if (isResourceVersionTooLarge(error)) {
      // The server is behind this resourceVersion (a restored etcd, another cluster): wait as told, then list from
      // scratch rather than loop on a version it may never reach.
      this.#rvUnavailable = true;
      const ms = Math.max(1000, (error.retryAfterSeconds ?? 1) * 1000);
      return this.#wait(error, failed, "resource-version-too-large", ms, "relist");
    }
    if (isGone(error)) {
      // Expired on a watch: relist at the last resourceVersion (NotOlderThan). Expired on that list too: at once
      // from a consistent read (""). Expired even then: something is wrong, back off.
      if (failed === "watch" || !this.#rvUnavailable) {
        if (failed === "sync") this.#rvUnavailable = true;
        this.#report(error, { phase: phaseOf(failed), action: "relist" });
        return { step: "sync" };
      }
      return this.#wait(error, failed, "error", undefined, "relist");
    }
    if (isUnauthorized(error)) {
      // The bearer middleware has already asked the credential source for a fresh token once and retried: the
      // server refuses what the source can offer. Surface it and retry with capped backoff (a rotated token file or
      // a re-login will be picked up by the next attempt).
      const ms = o.backoff.next();
      const until = o.clock.now() + ms;
      this.#report(error, { phase: phaseOf(failed), action: again, retryAt: until });
      o.sink.setHealth({ state: "Unauthorized", until, error });
      await sleep(o.clock, ms, this.#signal);
      return { step: failed };
    }
    if (isForbidden(error)) return this.#wait(error, failed, "forbidden", undefined, again);
    if (error instanceof ApiError && (error.status === 429 || error.status >= 500 || isTooManyRequests(error))) {
      const throttled = error.status === 429 || error.reason === "TooManyRequests";
      if (error.retryAfterSeconds !== undefined) {
        // Honour Retry-After (API Priority and Fairness, a server shutting down), capped, plus up to 20 % jitter so
        // that informers throttled together do not come back together.
        const requested = Math.min(error.retryAfterSeconds * 1000, o.maxRetryAfterMs);
        const ms = Math.min(o.maxRetryAfterMs, requested * (1 + 0.2 * o.random()));
        return this.#wait(error, failed, "throttled", ms, again);
      }
      if (throttled) return this.#wait(error, failed, "throttled", undefined, again);
      if (error.status === 500 && failed === "watch") {
        // client-go re-watches on InternalError for a bounded time (MaxInternalErrorRetryDuration), then relists.
        const now = o.clock.now();
        this.#internalErrorSince ??= now;
        if (now - this.#internalErrorSince < o.maxInternalErrorRetryMs)
          return this.#wait(error, failed, "server-error", undefined, "rewatch");
        this.#internalErrorSince = undefined;
      }
      return this.#wait(error, failed, "server-error", undefined, failed === "watch" ? "relist" : "retry");
    }
    // Below HTTP (refused, reset, DNS, TLS): the resourceVersion is still good, so watch again rather than relist.
    if (error instanceof TransportError) return this.#wait(error, failed, "connection", undefined, again);
    if (error instanceof DecodeError) return this.#wait(error, failed, "decode", undefined, again);
    return this.#wait(error, failed, "error", undefined, "relist");
  }

  async #wait(
    error: unknown,
    failed: "sync" | "watch",
    reason: BackoffReason,
    ms: number | undefined,
    action: "rewatch" | "relist" | "retry",
  ): Promise<Next> {
    const o = this.#o;
    const wait = ms ?? o.backoff.next();
    const until = o.clock.now() + wait;
    this.#report(error, { phase: phaseOf(failed), action, retryAt: until });
    o.sink.setHealth({ state: "Backoff", reason, until, error });
    await sleep(o.clock, wait, this.#signal);
    return { step: action === "rewatch" ? "watch" : action === "relist" ? "sync" : failed };
  }

  #report(error: unknown, context: ErrorContext): void {
    this.#o.stats.lastError = error;
    this.#o.sink.error(error, context);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Plumbing

  #child(): ChildController {
    return childController(this.#signal);
  }

  /**
   * Aborts the controller when nothing arrived for `ms`, counting from now: the wait for the response headers counts
   * as silence too. Touching costs one clock read; the timer re-arms lazily.
   */
  #watchdog(controller: ChildController, ms: number, initialPhase: boolean): Watchdog {
    const clock = this.#o.clock;
    let last = clock.now();
    let handle: unknown;
    let stopped = false;
    let limit = ms;
    let initial = initialPhase;
    const arm = (delay: number): void => {
      handle = clock.setTimeout(() => {
        handle = undefined;
        if (stopped) return;
        const idle = clock.now() - last;
        if (idle >= limit) controller.abort(new Stalled(limit, initial));
        else arm(limit - idle);
      }, delay);
    };
    const start = (): void => {
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
      if (Number.isFinite(limit) && limit > 0) arm(limit);
    };
    start();
    return {
      touch() {
        last = clock.now();
      },
      retune(next: number, nextInitial: boolean) {
        limit = next;
        initial = nextInitial;
        last = clock.now();
        start();
      },
      stop() {
        stopped = true;
        if (handle !== undefined) clock.clearTimeout(handle);
        handle = undefined;
      },
    };
  }
}

interface Watchdog {
  touch(): void;
  /** Changes the silence limit (and restarts the count). */
  retune(ms: number, initialPhase: boolean): void;
  stop(): void;
}

/** A watch being read. */
interface OpenStream {
  readonly connection: WatchConnection;
  readonly decoder: WatchEventDecoder;
  readonly controller: ChildController;
  /** Armed before the request was sent. */
  readonly watchdog: Watchdog;
  readonly iterator: AsyncIterator<Uint8Array | string>;
  /** Events decoded but not applied yet (those after the WatchList end marker in its chunk). */
  pending: readonly RawWatchEvent[] | undefined;
}

/** An abort controller that also aborts when a parent signal does, and forgets the parent on dispose. */
interface ChildController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
  dispose(): void;
}

function childController(parent: AbortSignal): ChildController {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    abort: (reason?: unknown) => controller.abort(reason ?? new DOMException("The watch was closed", "AbortError")),
    dispose: () => parent.removeEventListener("abort", onAbort),
  };
}

function phaseOf(step: "sync" | "watch"): "list" | "watch" {
  return step === "sync" ? "list" : "watch";
}

function keyOf(value: unknown): string | undefined {
  return typeof value === "object" && value !== null ? objectKey(value as KeyedObject) : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
