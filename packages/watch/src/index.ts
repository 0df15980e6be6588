/**
 * Watch streams and an informer that never stops silently: `watch()` yields the typed events of one watch request
 * (chunked HTTP or websocket); `createInformer()` keeps a cache of a collection in step with the server through
 * every failure (WatchList or paginated list, bookmarks, relist on 410, backoff, a stall watchdog), with indexes and
 * notifications that a slow consumer cannot turn into unbounded memory; `createTableInformer()` does the same with
 * the server's printed rows, for display.
 *
 * @example
 * ```ts
 * import { createInformer, watch } from "@kubeshift/watch";
 * import { Pod } from "@kubeshift/types/core/v1";
 * const pods = createInformer(client, Pod, { allNamespaces: true });
 * for await (const event of pods.events()) console.log(event.type, event.key);
 * ```
 *
 * @module
 */

export { type Backoff, type BackoffOptions, createBackoff } from "./backoff.ts";
export { type Clock, systemClock } from "./clock.ts";
export {
  createInformer,
  type DeliveryOptions,
  type Informer,
  type InformerHandlers,
  type InformerOptions,
} from "./informer.ts";
export type {
  DeltaType,
  InformerAddEvent,
  InformerDeleteEvent,
  InformerEvent,
  InformerUpdateEvent,
} from "./informer-event.ts";
export type { BackoffReason, ErrorContext, InformerHealth, InformerStats } from "./informer-health.ts";
export {
  type IndexErrorHandler,
  type IndexFunction,
  InformerStore,
  NAMESPACE_INDEX,
  type StoreReader,
} from "./informer-store.ts";
export { type KeyedObject, keyOf, objectKey } from "./object-key.ts";
export {
  compareResourceVersions,
  isComparableResourceVersion,
  isNewerResourceVersion,
} from "./resource-version.ts";
export { stripManagedFields } from "./strip-managed-fields.ts";
export {
  createTableInformer,
  type TableInformer,
  type TableInformerOptions,
  type TableRowItem,
} from "./table-informer.ts";
export { type WatchOptions, type WatchProtocol, watch } from "./watch.ts";
export { WatchError, type WatchErrorReason } from "./watch-error.ts";
export {
  INITIAL_EVENTS_END_ANNOTATION,
  isInitialEventsEnd,
  type RawWatchEvent,
  type WatchBookmark,
  type WatchBookmarkEvent,
  type WatchEvent,
  type WatchEventType,
  type WatchObjectEvent,
} from "./watch-event.ts";
export { WatchEventDecoder, type WatchEventDecoderOptions } from "./watch-event-decoder.ts";
