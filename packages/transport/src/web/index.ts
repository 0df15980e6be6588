/**
 * The web runtime adapter of `@kubeshift/transport`: the global `fetch` and `WebSocket`, with websocket
 * authentication through the API server's bearer-token subprotocol.
 *
 * @example
 * ```ts
 * import { createWebTransport } from "@kubeshift/transport/web";
 * const transport = createWebTransport();
 * ```
 *
 * @module
 */
export {
  BEARER_PROTOCOL_PREFIX,
  createWebTransport,
  DEFAULT_WEBSOCKET_PROTOCOL,
  type WebTransportOptions,
} from "./web-transport.ts";
