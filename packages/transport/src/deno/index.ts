/**
 * The Deno runtime adapter of `@kubeshift/transport`: Deno's `fetch` and `WebSocket` with a `Deno.HttpClient` for
 * TLS, client certificates and proxies.
 *
 * @example
 * ```ts
 * import { composeTransport, retry } from "@kubeshift/transport";
 * import { createDenoTransport } from "@kubeshift/transport/deno";
 * const transport = composeTransport(createDenoTransport({ caPem }), retry());
 * ```
 *
 * @module
 */
export { createDenoTransport, type DenoTransport, type DenoTransportOptions } from "./deno-transport.ts";
