/**
 * Test support until `@kubeshift/transport/node` lands: the runtime's global `fetch` with a bearer token, for the
 * plain-HTTP fake cluster. Network failures become `TransportError`s like an adapter's; aborts pass through.
 *
 * @module
 */
import {
  classifyNetworkError,
  type FetchOptions,
  type Transport,
  TransportError,
  type WebSocketConnection,
} from "@kubeshift/transport";

/** A transport over global `fetch` that sends `Authorization: Bearer <token>`. */
export function fetchTransport(
  token: string | undefined,
): Transport & { readonly options: (FetchOptions | undefined)[] } {
  const options: (FetchOptions | undefined)[] = [];
  return {
    options,
    async fetch(request: Request, fetchOptions?: FetchOptions): Promise<Response> {
      options.push(fetchOptions);
      const headers = new Headers(request.headers);
      if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
      const init: RequestInit & { duplex?: string } = {
        method: request.method,
        headers,
        signal: request.signal,
        ...(request.body === null ? {} : { body: await request.arrayBuffer() }),
      };
      try {
        return await fetch(request.url, init);
      } catch (error) {
        if (request.signal.aborted) throw request.signal.reason;
        throw new TransportError(classifyNetworkError(error), "fetch failed", {
          cause: error,
          method: request.method,
          url: request.url,
        });
      }
    },
    websocket(): Promise<WebSocketConnection> {
      return Promise.reject(new Error("fetchTransport has no websockets"));
    },
  };
}
