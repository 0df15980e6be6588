/**
 * What `#default-host` resolves to in a browser bundle: no host, so that bundles never pull `node:` modules. The
 * functions that need files or processes then ask the caller for a `host`.
 *
 * @module
 */
import type { AuthHost } from "./auth-host.ts";

/**
 * Fails: a browser has no files, environment or processes to offer.
 *
 * @returns never
 * @throws {TypeError} always, asking for an explicit `host`
 */
export function nodeAuthHost(): AuthHost {
  throw new TypeError(
    "@kubeshift/auth has no default host in this runtime (no file system or processes): pass `host` explicitly, or parse kubeconfig text with parseKubeconfig()",
  );
}
