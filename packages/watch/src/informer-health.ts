/**
 * Where an informer stands, and what it has done. An informer never stops on its own, so callers watch these
 * instead: the state machine (`Listing → Watching`, `Backoff` after any failure, `Unauthorized` while the credentials
 * are refused, `Stopped` after `stop()`), and counters of relists, watch restarts, decode errors and stalls.
 *
 * @module
 */

/** Why an informer is waiting before its next request. */
export type BackoffReason =
  /** The server could not be reached, or the connection broke. */
  | "connection"
  /** 429 or 5xx with Retry-After (API Priority and Fairness, a restarting server). */
  | "throttled"
  /** 500 InternalError or another server failure. */
  | "server-error"
  /** 403: the credentials are valid but may not list or watch. */
  | "forbidden"
  /** 504 Too large resource version: the server's storage is behind (or was restored); relisting after Retry-After. */
  | "resource-version-too-large"
  /** The stream carried something that is not a watch event. */
  | "decode"
  /** The watch ended in under a second without an event (client-go's VeryShortWatchError). */
  | "short-watch"
  /** Anything else (400, 404, 422, an unexpected exception). */
  | "error";

/** The state of an informer. */
export type InformerHealth =
  /** Reading the collection (LIST pages, or the initial events of a WatchList). */
  | { readonly state: "Listing"; readonly since: number }
  /** Following a watch. */
  | { readonly state: "Watching"; readonly since: number }
  /** Waiting after a failure until `until` (epoch ms of the informer's clock). */
  | { readonly state: "Backoff"; readonly reason: BackoffReason; readonly until: number; readonly error: unknown }
  /** The server refuses the credentials even after a refresh; retrying with capped backoff until `until`. */
  | { readonly state: "Unauthorized"; readonly until: number; readonly error: unknown }
  /** `stop()` was called. */
  | { readonly state: "Stopped"; readonly since: number };

/** Counters of an informer (a snapshot). */
export interface InformerStats {
  /** Complete lists applied to the cache (the initial sync and every relist), by LIST or WatchList. */
  readonly lists: number;
  /** Lists after the first. */
  readonly relists: number;
  /** LIST requests sent (one per page). */
  readonly listRequests: number;
  /** Watch requests opened (WatchList included). */
  readonly watches: number;
  /** Watch requests opened after the first one. */
  readonly watchRestarts: number;
  /** ADDED, MODIFIED and DELETED events applied to the cache. */
  readonly events: number;
  /** BOOKMARK events received. */
  readonly bookmarks: number;
  /** Events dropped because the cache already held that resourceVersion or a newer one (replays). */
  readonly staleEvents: number;
  /** Lines that were not watch events, unknown event types, objects without a name. */
  readonly decodeErrors: number;
  /** Streams that ended in the middle of an event (the partial event is dropped, the watch resumes). */
  readonly truncatedStreams: number;
  /** Watches ended by the inactivity watchdog (no bytes for `stallTimeoutMs`). */
  readonly stalls: number;
  /** Failures of requests or streams (each one reported to `onError`). */
  readonly errors: number;
  /** Exceptions thrown by handlers (caught, reported, the notification skipped). */
  readonly handlerErrors: number;
  /** Lists whose resourceVersion was lower than the last one seen: the server's storage was restored or replaced. */
  readonly resourceVersionResets: number;
  /** WatchList attempts abandoned for LIST + WATCH (rejected, ignored, or no end marker in time). */
  readonly watchListFallbacks: number;
  /** The resourceVersion the cache is synced to (from the last list, event or bookmark). */
  readonly lastSyncResourceVersion: string | undefined;
  /** When the last event or bookmark arrived (epoch ms of the informer's clock). */
  readonly lastEventAt: number | undefined;
  /** The last failure. */
  readonly lastError: unknown;
  /** Notifications waiting for consumers (per key when coalescing): bounded by the number of objects. */
  readonly pendingNotifications: number;
}

/** Where a failure happened and what the informer does next, as reported to `onError`. */
export interface ErrorContext {
  /** `list` (LIST or the initial part of a WatchList), `watch`, `handler`, `transform` or `index`. */
  readonly phase: "list" | "watch" | "handler" | "transform" | "index";
  /** What happens next: watch again from the last resourceVersion, list again, or retry the same request. */
  readonly action?: "rewatch" | "relist" | "retry" | "skip";
  /** When the next attempt starts (epoch ms of the informer's clock); `undefined` for at once. */
  readonly retryAt?: number | undefined;
  /** The store key, for handler, transform and index errors. */
  readonly key?: string | undefined;
}
