/**
 * What `#runtime-adapter` resolves to on node: the node transport adapter. `connect()` imports it on demand, and
 * package.json picks the file by export condition, so that a bundle for one runtime never contains another's adapter.
 *
 * @module
 */
export { createNodeTransport as createRuntimeTransport } from "@kubeshift/transport/node";
