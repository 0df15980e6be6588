/**
 * The Node.js runtime adapter of `@kubeshift/transport`: HTTP through undici connection pools (TLS, client
 * certificates with rotation, proxies, opt-in HTTP/2) and websockets through `ws`.
 *
 * @example
 * ```ts
 * import { composeTransport, retry } from "@kubeshift/transport";
 * import { createNodeTransport } from "@kubeshift/transport/node";
 * const transport = composeTransport(createNodeTransport({ caPem }), retry());
 * ```
 *
 * @module
 */
export { createNodeTransport, type NodeTransport, type NodeTransportOptions } from "./node-transport.ts";
