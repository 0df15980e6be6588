/**
 * Pagination over `limit`/`continue`, with client-go's answer to an expired continue token (410 after etcd
 * compaction): start the listing again without the token rather than use the inconsistent one the server offers.
 *
 * @module
 */
import { isGone } from "@kubeshift/transport";
import type { KubeList, KubeObject } from "./kube-object.ts";
import type { IterateOptions } from "./options.ts";

/** One page request. */
export interface PageRequest {
  limit: number;
  continue: string | undefined;
}

/** Reads one page. */
export type FetchPage = (page: PageRequest) => Promise<unknown>;

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_MAX_RESTARTS = 3;

function settings(options: IterateOptions): { limit: number; restart: boolean; maxRestarts: number } {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be an integer ≥ 1, got ${limit}`);
  const maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  if (!Number.isSafeInteger(maxRestarts) || maxRestarts < 0)
    throw new RangeError(`maxRestarts must be an integer ≥ 0, got ${maxRestarts}`);
  const onExpired = options.onExpired ?? "restart";
  if (onExpired !== "restart" && onExpired !== "throw")
    throw new TypeError(`onExpired must be "restart" or "throw", got ${JSON.stringify(onExpired)}`);
  return { limit, restart: onExpired === "restart", maxRestarts };
}

function keyOf(obj: unknown): string | undefined {
  const metadata = (obj as KubeObject | undefined)?.metadata;
  if (metadata === undefined) return undefined;
  if (typeof metadata.uid === "string" && metadata.uid !== "") return metadata.uid;
  return typeof metadata.name === "string" ? `${metadata.namespace ?? ""}/${metadata.name}` : undefined;
}

function asList(page: unknown): KubeList<unknown> {
  const list = page as Partial<KubeList<unknown>> | undefined;
  return { ...list, metadata: list?.metadata ?? {}, items: Array.isArray(list?.items) ? list.items : [] };
}

/** Yields every object of every page; after a restart, skips the objects already yielded. */
export async function* iterateObjects<T>(fetchPage: FetchPage, options: IterateOptions): AsyncGenerator<T> {
  const { limit, restart, maxRestarts } = settings(options);
  const seen = new Set<string>();
  let token: string | undefined;
  let restarts = 0;
  let afterRestart = false;
  for (;;) {
    let page: KubeList<unknown>;
    try {
      page = asList(await fetchPage({ limit, continue: token }));
    } catch (error) {
      if (token === undefined || !isGone(error) || !restart || restarts >= maxRestarts) throw error;
      restarts++;
      afterRestart = true;
      token = undefined;
      continue;
    }
    for (const item of page.items) {
      const key = keyOf(item);
      if (afterRestart && key !== undefined && seen.has(key)) continue;
      if (key !== undefined) seen.add(key);
      yield item as T;
    }
    token = page.metadata.continue || undefined;
    if (token === undefined) return;
  }
}

/** Collects every page into one list; an expired token discards what was read and starts again. */
export async function listAllPages(fetchPage: FetchPage, options: IterateOptions): Promise<KubeList<unknown>> {
  const { limit, restart, maxRestarts } = settings(options);
  let restarts = 0;
  for (;;) {
    const items: unknown[] = [];
    let first: KubeList<unknown> | undefined;
    let token: string | undefined;
    try {
      do {
        const page = asList(await fetchPage({ limit, continue: token }));
        first ??= page;
        for (const item of page.items) items.push(item);
        token = page.metadata.continue || undefined;
      } while (token !== undefined);
    } catch (error) {
      if (token === undefined || !isGone(error) || !restart || restarts >= maxRestarts) throw error;
      restarts++;
      continue;
    }
    const { continue: _continue, remainingItemCount: _remaining, ...metadata } = first?.metadata ?? {};
    return { ...(first ?? {}), metadata, items };
  }
}
