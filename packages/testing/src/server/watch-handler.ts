/**
 * WATCH, over a chunked HTTP response or a websocket: where the stream starts (synthetic ADDED events for RV unset
 * or `"0"`, a replay from a specific RV, WatchList's initial events and the `k8s.io/initial-events-end` bookmark),
 * the 410 `ERROR` event for an RV older than the history window, and the encoders for JSON, Table and
 * PartialObjectMetadata events.
 *
 * @module
 */
import type { KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import { RevisionCompactedError, type StoredEntry } from "../store/object-storage.ts";
import type { ResourceContext } from "./handler-context.ts";
import { parseListOptions, parseResourceVersion } from "./list-options.ts";
import type { OutputFormat } from "./media-types.ts";
import { entryJson, includeObjectOf, partialMetadata, tableFor, viewObject } from "./object-output.ts";
import { waitForRevision } from "./read-handlers.ts";
import { type EventSink, errorEventLine } from "./response-sink.ts";
import { type WatchEncoder, WatchSession } from "./watch-session.ts";

/** An event sink that can apply its pre-stream faults. */
export interface StartableSink extends EventSink {
  start(): void;
}

/** Builds the encoder for a watch in a format. */
export function watchEncoder(
  resource: ServedResource,
  format: OutputFormat,
  query: URLSearchParams,
  now: () => number,
): WatchEncoder {
  const bookmarkObject = (kind: string, apiVersion: string, rv: number, end: boolean): string =>
    JSON.stringify({
      kind,
      apiVersion,
      metadata: {
        resourceVersion: String(rv),
        creationTimestamp: null,
        ...(end ? { annotations: { "k8s.io/initial-events-end": "true" } } : {}),
      },
    });
  switch (format.kind) {
    case "table": {
      const includeObject = includeObjectOf(query);
      return {
        encode(entry, _type, first) {
          const object: KubeObject = viewObject(resource, entry.object);
          const table = tableFor(
            resource,
            [object],
            format.version,
            includeObject,
            { resourceVersion: String(entry.rv) },
            now(),
          );
          // Only the first event of a Table watch carries the column definitions.
          if (!first) table.columnDefinitions = null;
          return JSON.stringify(table);
        },
        bookmark: (rv, end) =>
          JSON.stringify({
            kind: "Table",
            apiVersion: `meta.k8s.io/${format.version}`,
            metadata: {
              resourceVersion: String(rv),
              ...(end ? { annotations: { "k8s.io/initial-events-end": "true" } } : {}),
            },
            columnDefinitions: null,
            rows: null,
          }),
      };
    }
    case "partial":
      return {
        encode: (entry) => JSON.stringify(partialMetadata(entry.object, format.version)),
        bookmark: (rv, end) => bookmarkObject("PartialObjectMetadata", `meta.k8s.io/${format.version}`, rv, end),
      };
    default:
      return {
        encode: (entry) => entryJson(resource, entry),
        bookmark: (rv, end) => bookmarkObject(resource.kind, resource.apiVersion, rv, end),
      };
  }
}

/**
 * Serves a watch on `sink` (headers already sent for HTTP).
 *
 * @param ctx the request
 * @param format the negotiated format (JSON, Table, PartialObjectMetadata)
 * @param sink where the events go
 */
export async function serveWatch(ctx: ResourceContext, format: OutputFormat, sink: StartableSink): Promise<void> {
  const settings = ctx.services.settings;
  const pathName = ctx.info.name === "" ? undefined : ctx.info.name;
  const options = parseListOptions(ctx.query, ctx.resource, ctx.namespace, true, pathName, settings.watchList);
  const storage = ctx.services.registry.storage;
  const resource = ctx.resource;
  const key = resource.storageKey;
  const rvText = options.resourceVersion ?? "";
  const timeoutMs =
    options.timeoutSeconds !== undefined && options.timeoutSeconds > 0
      ? options.timeoutSeconds * 1000
      : // The server picks a random timeout in [1800 s, 3600 s) when the client sets none.
        (1800 + Math.random() * 1800) * 1000;
  sink.start();
  if (sink.closed) return;
  const session = new WatchSession({
    storage,
    resource,
    sink,
    encoder: watchEncoder(resource, format, ctx.query, () => ctx.services.clock.now()),
    namespace: resource.namespaced && ctx.namespace !== "" ? ctx.namespace : undefined,
    filter: options.filter,
    bookmarks: options.allowWatchBookmarks,
    bookmarkIntervalMs: settings.bookmarkIntervalMs,
    timeoutMs,
    maxBufferedBytes: settings.maxWatchBufferBytes,
  });
  const untrack = ctx.services.trackWatch(() => session.terminate());
  sink.onClose(untrack);
  const fail = (code: number, requested: string, current: number): void => {
    sink.sendEvents([errorEventLine({ code }, current, requested)]);
    sink.end();
  };
  const matching = (entries: readonly StoredEntry[]): StoredEntry[] => entries as StoredEntry[];
  if (options.sendInitialEvents === true) {
    // WatchList: the state at (at least) the requested revision, then the end-of-initial-events bookmark.
    if (rvText !== "" && rvText !== "0") {
      const rv = parseResourceVersion(rvText);
      if (
        rv > storage.rv &&
        !(await waitForRevision(ctx, rv, settings.tooLargeResourceVersionWaitMs, () => sink.closed))
      ) {
        fail(504, rvText, storage.rv);
        return;
      }
    }
    if (sink.closed) return;
    const snapshot = storage.list(key, {
      namespace: resource.namespaced && ctx.namespace !== "" ? ctx.namespace : undefined,
    });
    storage.subscribe(key, session);
    session.sendInitial(matching(snapshot.items), snapshot.rv, options.allowWatchBookmarks);
  } else if (rvText === "" || rvText === "0") {
    const snapshot = storage.list(key, {
      namespace: resource.namespaced && ctx.namespace !== "" ? ctx.namespace : undefined,
    });
    storage.subscribe(key, session);
    session.sendInitial(matching(snapshot.items), snapshot.rv, false);
  } else {
    const rv = parseResourceVersion(rvText);
    if (rv > storage.rv) {
      // A future resourceVersion: the stream stays open and silent until events pass it (or the timeout).
      session.startAt(rv);
      storage.subscribe(key, session);
    } else {
      let events: ReturnType<typeof storage.eventsSince>;
      try {
        events = storage.eventsSince(key, rv);
      } catch (e) {
        if (e instanceof RevisionCompactedError) {
          untrack();
          fail(410, rvText, e.compactedRv);
          return;
        }
        throw e;
      }
      storage.subscribe(key, session);
      session.replay(events, rv);
    }
  }
  session.startTimers();
  session.flush();
}
