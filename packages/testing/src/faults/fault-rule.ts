/**
 * The shape of a fault: which requests it matches and what goes wrong with them. Rules are added with
 * `cluster.faults.add(rule)`; the watch and client packages use them to test every failure of the informer spec
 * (`shared/reference/watch-tui.md` §8, T1–T32).
 *
 * @module
 */

/** A string that must be equal, or a pattern that must match. */
export type Matcher = string | RegExp;

/** Which requests a rule applies to; every given field must match. */
export interface FaultMatch {
  /** HTTP method(s). */
  readonly method?: string | readonly string[];
  /** URL path (equal, or a pattern). */
  readonly path?: Matcher;
  /** Query parameters: each must be present and match (`true`: only present). */
  readonly query?: Readonly<Record<string, Matcher | true>>;
  /** Kubernetes verb(s): `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`. */
  readonly verb?: string | readonly string[];
  /** Resource (plural), optionally with its subresource (`pods/log`). */
  readonly resource?: string;
  /** Namespace. */
  readonly namespace?: string;
  /** Only websocket upgrades (`true`) or only plain HTTP (`false`). */
  readonly websocket?: boolean;
}

/** An `ERROR` event to inject into a watch. */
export interface InjectedError {
  /** Status code: 410 Expired, 500 InternalError, 504 Timeout (TooLargeResourceVersion), or any other. */
  readonly code: number;
  /** Status reason. @default from the code */
  readonly reason?: string;
  /** Status message. @default the real server's wording for the code */
  readonly message?: string;
  /** Events to let through first. @default 0 */
  readonly afterEvents?: number;
  /** Close the stream after the error, as the real server does. @default true */
  readonly close?: boolean;
}

/** What goes wrong. Several effects may combine (a delay and a drop, say). */
export interface FaultRule {
  /** Which requests. @default every request */
  readonly match?: FaultMatch;
  /** Let this many matching requests through untouched first. @default 0 */
  readonly skip?: number;
  /** Apply to this many requests, then retire. @default unlimited */
  readonly times?: number;
  /** Wait before handling, in ms. */
  readonly delayMs?: number;
  /** Answer with this status (a `metav1.Status` body, optional `Retry-After`) instead of handling the request. */
  readonly respond?: {
    readonly status: number;
    readonly reason?: string;
    readonly message?: string;
    /** Sets `Retry-After` and `details.retryAfterSeconds`. */
    readonly retryAfterSeconds?: number;
    /** Raw body instead of a Status (a string is sent as is). */
    readonly body?: string | object;
    readonly headers?: Readonly<Record<string, string>>;
  };
  /** Destroy the connection once this many response body bytes were written. */
  readonly dropAfterBytes?: number;
  /** Destroy a watch connection after this many events (between events). */
  readonly dropAfterEvents?: number;
  /** Write the first half of event number N+1, then destroy the connection (a truncated JSON line). */
  readonly cutEventAfter?: number;
  /** Send an `ERROR` event carrying a Status. */
  readonly injectError?: InjectedError;
  /** Send a raw line (say, malformed JSON) as if it were an event, after this many events. */
  readonly injectLine?: { readonly line: string; readonly afterEvents?: number };
  /** Send the headers (and this many events), then nothing more, keeping the connection open. */
  readonly stall?: boolean | { readonly afterEvents?: number };
  /** Answer gzip-encoded, one complete gzip member per flush (the 1.37 WatchList `perFlushGzipWriter`). */
  readonly gzip?: boolean;
}
