/**
 * `watch()`: one watch request as an async iterable of typed events, over chunked HTTP or a websocket. It is the
 * raw stream, with no retries: for a cache that survives errors, use {@link createInformer}.
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
import { DecodeError } from "@kubeshift/transport";
import type { ResourceDescriptor } from "@kubeshift/types";
import { errorFromEvent } from "./_status-error.ts";
import { isDeno, openWatch } from "./_watch-connection.ts";
import type { WatchEvent } from "./watch-event.ts";
import { WatchEventDecoder } from "./watch-event-decoder.ts";

/** How a watch travels: a chunked HTTP response, or a websocket (one event per message). */
export type WatchProtocol = "http" | "websocket";

/** Options of {@link watch}. */
export interface WatchOptions {
  /** Namespace of a namespaced kind. @default the client's namespace */
  namespace?: string;
  /** Watch a namespaced kind in every namespace. @default false */
  allNamespaces?: boolean;
  /** Label selector: the API's string, a `labels()` builder, or a `metav1.LabelSelector`. */
  labelSelector?: LabelSelectorInput;
  /** Field selector: the API's string or `{ "metadata.name": "web" }`. */
  fieldSelector?: FieldSelectorInput;
  /**
   * Where the stream starts: a resourceVersion from a list or an earlier event (only later changes), `"0"` (the
   * current state as synthetic ADDED events, possibly stale, then changes) or unset (the same from a consistent read).
   */
  resourceVersion?: string;
  /** How `resourceVersion` applies; only meaningful with `sendInitialEvents` (set to `NotOlderThan` then). */
  resourceVersionMatch?: "NotOlderThan" | "Exact";
  /** Ask for BOOKMARK events (servers ≥ 1.15; older ones ignore it). @default false */
  allowWatchBookmarks?: boolean;
  /** The server ends the stream after this many seconds. @default the server's choice (30–60 min) */
  timeoutSeconds?: number;
  /**
   * WatchList (1.27+ with the feature on): the current state as ADDED events, then a BOOKMARK annotated
   * `k8s.io/initial-events-end`, then changes. Implies `allowWatchBookmarks` and `resourceVersionMatch: NotOlderThan`.
   */
  sendInitialEvents?: boolean;
  /** Chunked HTTP, or a websocket (`Origin` set, one subprotocol). @default "http" */
  protocol?: WatchProtocol;
  /** `Accept` of the request (a Table watch sends the Table media types). @default "application/json" */
  accept?: string;
  /**
   * `Accept-Encoding` of HTTP watches. On Deno the default is `identity`: Deno's fetch stops after the first member of
   * the multi-member gzip bodies that 1.37 API servers send for WatchList. @default the runtime's (identity on Deno)
   */
  acceptEncoding?: string;
  /** Extra request headers. */
  headers?: HeadersInit;
  /** Longest accepted event, in characters. @default 16777216 */
  maxLineLength?: number;
  /** Ends the stream: the iteration rejects with the signal's reason. */
  signal?: AbortSignal;
}

const TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK"]);

/**
 * The watch query of a set of options.
 *
 * @internal
 */
export function watchQuery(options: WatchOptions): Record<string, string | undefined> {
  const timeout = options.timeoutSeconds;
  if (timeout !== undefined && (!Number.isSafeInteger(timeout) || timeout < 0))
    throw new RangeError(`timeoutSeconds must be a non-negative integer, got ${String(timeout)}`);
  const initial = options.sendInitialEvents === true;
  return {
    labelSelector: options.labelSelector === undefined ? undefined : formatLabelSelector(options.labelSelector),
    fieldSelector: options.fieldSelector === undefined ? undefined : formatFieldSelector(options.fieldSelector),
    resourceVersion: options.resourceVersion === "" ? undefined : options.resourceVersion,
    resourceVersionMatch: options.resourceVersionMatch ?? (initial ? "NotOlderThan" : undefined),
    allowWatchBookmarks: options.allowWatchBookmarks === true || initial ? "true" : undefined,
    sendInitialEvents: initial ? "true" : undefined,
    timeoutSeconds: timeout === undefined ? undefined : String(timeout),
  };
}

/**
 * Watches a collection: yields every event of one watch request until the server ends it (timeout, restart) or
 * the signal aborts. `ERROR` events are thrown as `ApiError` (410 Expired: the resourceVersion is too old; 504 with
 * cause `ResourceVersionTooLarge`). Nothing is retried: the iteration ends when the stream does.
 *
 * @param client the client (its transport carries credentials, TLS and websockets)
 * @param descriptor the resource, such as `Pod`
 * @param options namespace, selectors, resourceVersion, bookmarks, timeout, WatchList, protocol, signal
 * @returns the events, typed by the descriptor
 * @throws {ApiError} when the server refuses the watch (before or after it started)
 * @throws {TransportError} when the server cannot be reached or the connection breaks
 * @throws {DecodeError} on a line that is not a JSON watch event, an unknown event type, a line over the limit,
 *   or a stream cut in the middle of an event
 * @throws {RangeError} on a bad `timeoutSeconds` or `maxLineLength`
 * @example
 * ```ts
 * import { watch } from "@kubeshift/watch";
 * import { Pod } from "@kubeshift/types/core/v1";
 * for await (const event of watch(client, Pod, { namespace: "dev", resourceVersion: list.metadata.resourceVersion }))
 *   console.log(event.type, event.object.metadata?.name);
 * ```
 */
export async function* watch<T, L>(
  client: Client,
  descriptor: ResourceDescriptor<T, L>,
  options: WatchOptions = {},
): AsyncGenerator<WatchEvent<ObjectResult<T>>, void, undefined> {
  const query = watchQuery(options);
  const decoder = new WatchEventDecoder(
    options.maxLineLength === undefined ? {} : { maxLineLength: options.maxLineLength },
  );
  options.signal?.throwIfAborted();
  const controller = new AbortController();
  const outer = options.signal;
  const onAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onAbort, { once: true });
  try {
    const connection = await openWatch(
      {
        client,
        descriptor,
        namespace: options.namespace,
        allNamespaces: options.allNamespaces === true,
        protocol: options.protocol ?? "http",
        accept: options.accept ?? "application/json",
        acceptEncoding: options.acceptEncoding ?? (isDeno() ? "identity" : undefined),
        headers: options.headers,
      },
      query,
      controller.signal,
    );
    const lines = connection.framing === "lines";
    for await (const chunk of connection.chunks) {
      const events = lines ? decoder.write(chunk) : decoder.writeMessage(chunk);
      for (const event of events) {
        if (event.type === "ERROR") throw errorFromEvent(event.object, connection.url);
        if (!TYPES.has(event.type))
          throw new DecodeError(`Unknown watch event type ${JSON.stringify(event.type)} on line ${decoder.lines}`, {
            line: decoder.lines,
          });
        yield event as unknown as WatchEvent<ObjectResult<T>>;
      }
      decoder.throwIfFailed();
    }
    if (lines) decoder.end();
  } finally {
    outer?.removeEventListener("abort", onAbort);
    controller.abort(new DOMException("The watch was closed", "AbortError"));
  }
}
