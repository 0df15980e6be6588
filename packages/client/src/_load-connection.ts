/**
 * `connect()`'s on-demand link to `@kubeshift/auth`: a static named import here lets bundlers keep only what
 * `loadConnection` needs, while `connect()` imports this module dynamically, so that a program that never reads a
 * kubeconfig never loads the parser and its YAML library.
 *
 * @module
 */
export { loadConnection } from "@kubeshift/auth";
