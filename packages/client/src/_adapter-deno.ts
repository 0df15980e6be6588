/**
 * What `#runtime-adapter` resolves to on deno: the deno transport adapter. `connect()` imports it on demand, and
 * package.json picks the file by export condition, so that a bundle for one runtime never contains another's adapter.
 *
 * @module
 */
export { createDenoTransport as createRuntimeTransport } from "@kubeshift/transport/deno";
