/**
 * What `#runtime-adapter` resolves to on web: the web transport adapter. `connect()` imports it on demand, and
 * package.json picks the file by export condition, so that a bundle for one runtime never contains another's adapter.
 *
 * @module
 */
export { createWebTransport as createRuntimeTransport } from "@kubeshift/transport/web";
