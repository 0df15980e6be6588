/**
 * The events of a watch stream (`metav1.WatchEvent`): the new state of an object for `ADDED` and `MODIFIED`, its
 * last state for `DELETED`, and `BOOKMARK`s that carry only a resourceVersion (and, for WatchList, the
 * `k8s.io/initial-events-end` annotation). `ERROR` never reaches a consumer: it becomes a thrown `ApiError`.
 *
 * @module
 */

/** The annotation that marks the BOOKMARK ending the initial events of a WatchList stream. */
export const INITIAL_EVENTS_END_ANNOTATION = "k8s.io/initial-events-end";

/** What a BOOKMARK carries: an object of the watched kind with only its resourceVersion (and annotations) set. */
export interface WatchBookmark {
  kind?: string;
  apiVersion?: string;
  metadata: {
    resourceVersion: string;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** An event about an object: its new state (`ADDED`, `MODIFIED`) or its state right before deletion (`DELETED`). */
export interface WatchObjectEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: T;
}

/** A BOOKMARK: the stream has reached `object.metadata.resourceVersion`; no object changed. */
export interface WatchBookmarkEvent {
  type: "BOOKMARK";
  object: WatchBookmark;
}

/** One event of a watch stream, typed by the watched kind. */
export type WatchEvent<T> = WatchObjectEvent<T> | WatchBookmarkEvent;

/** The event types a consumer sees (`ERROR` is thrown instead). */
export type WatchEventType = WatchEvent<unknown>["type"];

/** A decoded event before its type is checked: `type` may be `ERROR` or a type newer than this library. */
export interface RawWatchEvent {
  type: string;
  object: Record<string, unknown>;
}

/**
 * Tells whether an event is the BOOKMARK that ends the initial events of a WatchList stream.
 *
 * @param event a watch event
 * @returns `true` for a BOOKMARK annotated `k8s.io/initial-events-end: "true"`
 * @example
 * ```ts
 * for await (const ev of watch(client, Pod, { sendInitialEvents: true })) if (isInitialEventsEnd(ev)) break;
 * ```
 */
export function isInitialEventsEnd(event: { type: string; object: unknown }): boolean {
  if (event.type !== "BOOKMARK") return false;
  const metadata = (event.object as { metadata?: { annotations?: Record<string, unknown> } } | null)?.metadata;
  return metadata?.annotations?.[INITIAL_EVENTS_END_ANNOTATION] === "true";
}
