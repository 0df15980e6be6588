/**
 * The version of this package, for the default user agent. `user-agent.test.ts` keeps it equal to package.json, and
 * `tools/sync-deno-versions.mjs` (run by `npm run version-packages` after `changeset version`) writes it.
 */
export const VERSION = "0.1.0";
