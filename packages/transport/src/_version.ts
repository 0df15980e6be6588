/** The version of this package, for the default user agent; `_version.test.ts` keeps it equal to package.json. */
export const VERSION = "0.1.0";
