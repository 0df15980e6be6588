/**
 * GET of one object and LIST, with the resourceVersion rules of kube-apiserver (most recent, any, not older than,
 * exact), pagination with continue tokens that expire with the history window (410 with a fresh inconsistent token,
 * like the real server), and the far-future resourceVersion answers the recordings show (504 after a wait from the
 * watch cache, 500 at once from etcd).
 *
 * @module
 */
import { RevisionCompactedError, type StoragePage } from "../store/object-storage.ts";
import type { ResourceContext } from "./handler-context.ts";
import { encodeContinue, type ListOptions, parseListOptions, parseResourceVersion } from "./list-options.ts";
import type { OutputFormat } from "./media-types.ts";
import { type ListMeta, respondList, respondObject } from "./object-output.ts";
import { expired, storageError, tooLargeResourceVersion } from "./status-error.ts";

const CONTINUE_EXPIRED =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/** Waits until the storage reaches a revision (the watch cache catching up), up to `ms` or until `gone()`. */
export async function waitForRevision(
  ctx: ResourceContext,
  rv: number,
  ms: number,
  gone: () => boolean = () => ctx.sink.closed,
): Promise<boolean> {
  const storage = ctx.services.registry.storage;
  const deadline = Date.now() + ms;
  while (storage.rv < rv) {
    if (Date.now() >= deadline || gone()) return false;
    await new Promise((r) => setTimeout(r, Math.min(25, Math.max(1, deadline - Date.now()))));
  }
  return true;
}

/** Answers GET of one object. */
export async function handleGet(ctx: ResourceContext, format: OutputFormat): Promise<void> {
  const rvText = ctx.query.get("resourceVersion") ?? "";
  if (rvText !== "" && rvText !== "0") {
    const rv = parseResourceVersion(rvText);
    const storage = ctx.services.registry.storage;
    if (rv > storage.rv && !(await waitForRevision(ctx, rv, ctx.services.settings.tooLargeResourceVersionWaitMs)))
      throw tooLargeResourceVersion(rvText, storage.rv);
  }
  const entry = ctx.services.registry.get(ctx.resource, ctx.namespace, ctx.info.name);
  respondObject(ctx, ctx.resource, format, 200, entry, entry.object);
}

/** Reads a page (or everything) per the options; shared by LIST and DELETE collection. */
export async function readList(
  ctx: ResourceContext,
  options: ListOptions,
): Promise<{ page: StoragePage; meta: ListMeta }> {
  const storage = ctx.services.registry.storage;
  const key = ctx.resource.storageKey;
  const namespace = ctx.resource.namespaced && ctx.namespace !== "" ? ctx.namespace : undefined;
  const rvText = options.resourceVersion ?? "";
  const match = options.resourceVersionMatch ?? "";
  let atRv: number | undefined;
  let limit = options.limit;
  let afterKey: string | undefined;
  if (options.continueToken !== undefined) {
    const token = options.continueToken;
    afterKey = token.afterKey;
    if (token.rv > 0) {
      if (token.rv < storage.compactedRv(key)) {
        const fresh = encodeContinue(-1, token.afterKey, namespace);
        throw expired(CONTINUE_EXPIRED, { metadata: { continue: fresh } });
      }
      atRv = token.rv;
    }
  } else if (rvText !== "" && rvText !== "0") {
    const rv = parseResourceVersion(rvText);
    const exact = match === "Exact" || (match === "" && limit > 0);
    if (exact) {
      // Exact reads go to etcd: a future revision fails at once, a compacted one is gone.
      if (rv > storage.rv) throw storageError("etcdserver: mvcc: required revision is a future revision");
      if (rv < storage.compactedRv(key)) throw expired("The resourceVersion for the provided list is too old.");
      atRv = rv;
    } else if (rv > storage.rv) {
      if (!(await waitForRevision(ctx, rv, ctx.services.settings.tooLargeResourceVersionWaitMs)))
        throw tooLargeResourceVersion(rvText, storage.rv);
    }
  } else if (rvText === "0" && match !== "Exact") {
    // Served from the watch cache, which ignores limit.
    limit = 0;
  }
  let page: StoragePage;
  try {
    page = storage.list(key, { namespace, atRv, afterKey, limit, filter: options.filter });
  } catch (e) {
    if (e instanceof RevisionCompactedError) {
      if (options.continueToken !== undefined)
        throw expired(CONTINUE_EXPIRED, {
          metadata: { continue: encodeContinue(-1, options.continueToken.afterKey, namespace) },
        });
      throw expired("The resourceVersion for the provided list is too old.");
    }
    throw e;
  }
  const meta: ListMeta = { resourceVersion: String(page.rv) };
  if (page.continueKey !== undefined) {
    meta.continue = encodeContinue(page.rv, page.continueKey, namespace);
    if (!options.hasSelector) meta.remainingItemCount = page.remaining;
  }
  return { page, meta };
}

/** Answers LIST. */
export async function handleList(ctx: ResourceContext, format: OutputFormat): Promise<void> {
  const options = parseListOptions(
    ctx.query,
    ctx.resource,
    ctx.namespace,
    false,
    undefined,
    ctx.services.settings.watchList,
  );
  const { page, meta } = await readList(ctx, options);
  respondList(ctx, ctx.resource, format, page.items, meta);
}
