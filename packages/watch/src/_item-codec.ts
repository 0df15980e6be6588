/**
 * What the informer caches, and how list bodies and event objects turn into cache items: plain objects for ordinary
 * informers, one row per object for Table informers.
 *
 * @module
 * @internal
 */
import type { ResourceDescriptor } from "@kubeshift/types";

/** The items of one list page. */
export interface ListPage {
  readonly items: readonly unknown[];
  readonly resourceVersion: string | undefined;
  readonly continue: string | undefined;
}

/** Turns list bodies and watch event objects into cache items. */
export interface ItemCodec {
  /** `Accept` of lists and watches. */
  accept(): string;
  /** Extra list and watch query parameters. */
  query(): Readonly<Record<string, string | undefined>>;
  /** The raw items of a list body (each still to go through {@link ItemCodec.item}). */
  page(body: unknown): ListPage;
  /** The cache item of a list item or event object; `undefined` when it holds none. */
  item(raw: unknown, fromList: boolean): unknown;
  /** The server answered 406 Not Acceptable: switch to a fallback format. Returns whether there was one. */
  notAcceptable(): boolean;
  /** A new watch stream starts. */
  watchStarted(): void;
}

/** Items are the objects themselves; list items (which carry no apiVersion/kind) get the descriptor's. */
export function objectCodec(descriptor: ResourceDescriptor<unknown, unknown>): ItemCodec {
  return {
    accept: () => "application/json",
    query: () => ({}),
    page(body) {
      const b = body as { items?: unknown; metadata?: { resourceVersion?: unknown; continue?: unknown } } | null;
      if (typeof b !== "object" || b === null || !Array.isArray(b.items))
        throw new TypeError("the list answer has no items array");
      const rv = b.metadata?.resourceVersion;
      const next = b.metadata?.continue;
      return {
        items: b.items,
        resourceVersion: typeof rv === "string" && rv !== "" ? rv : undefined,
        continue: typeof next === "string" && next !== "" ? next : undefined,
      };
    },
    item(raw, fromList) {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
      const o = raw as { apiVersion?: unknown; kind?: unknown };
      if (fromList) {
        if (o.apiVersion === undefined) o.apiVersion = descriptor.apiVersion;
        if (o.kind === undefined) o.kind = descriptor.kind;
      }
      return raw;
    },
    notAcceptable: () => false,
    watchStarted: () => undefined,
  };
}
