/**
 * Bearer-token middleware: asks a {@link CredentialSource} for a token on every request and websocket upgrade, and
 * after a 401 asks for a fresh one and tries once more.
 *
 * @module
 */

import { canReplay, discard } from "./_replay.ts";
import { withHeaders } from "./_request-headers.ts";
import { isUnauthorized } from "./api-error.ts";
import { registerSecret } from "./redact.ts";
import type { CredentialSource, Middleware, Transport, WebSocketConnection } from "./transport.ts";

/** Options of {@link bearerAuth}. */
export interface BearerAuthOptions {
  /**
   * After a 401 to a token, call `invalidate(token)`, fetch a fresh token and send the request once more (only when
   * the request can be replayed and the fresh token differs).
   * @default true
   */
  retryOnUnauthorized?: boolean;
}

/**
 * Sends `Authorization: Bearer <token>` from a credential source. A request that already carries `Authorization`
 * passes unchanged. Every token sent is registered with `registerSecret()`, so no error message can show it. On a
 * 401 the source is told (`invalidate`, once) and the request is sent once more with the fresh token, when it has no
 * body or its body is replayable. Websocket upgrades get the same header and the same single retry.
 *
 * @param source where tokens come from (`@kubeshift/auth` implements static, file, exec and OAuth sources)
 * @param options whether to retry after a 401
 * @returns the middleware
 * @throws whatever the source's `getToken` rejects with (for example an exec plugin failure)
 * @example
 * ```ts
 * import { bearerAuth, composeTransport } from "@kubeshift/transport";
 * import { createNodeTransport } from "@kubeshift/transport/node";
 * const transport = composeTransport(createNodeTransport(), bearerAuth({ getToken: async () => process.env.TOKEN }));
 * ```
 */
export function bearerAuth(source: CredentialSource, options: BearerAuthOptions = {}): Middleware {
  const retryOnUnauthorized = options.retryOnUnauthorized ?? true;
  const token = async (signal: AbortSignal | undefined): Promise<string | undefined> => {
    const value = await source.getToken(signal);
    if (signal?.aborted) throw signal.reason;
    if (value === undefined || value === "") return undefined;
    registerSecret(value);
    return value;
  };
  // A fresh token after a 401, or undefined when the source has none better to offer.
  const refresh = async (stale: string, signal: AbortSignal | undefined): Promise<string | undefined> => {
    if (!retryOnUnauthorized || source.invalidate === undefined || signal?.aborted) return undefined;
    source.invalidate(stale);
    const fresh = await token(signal);
    return fresh === stale ? undefined : fresh;
  };

  return (next: Transport): Transport => ({
    async fetch(request, fetchOptions) {
      if (request.headers.has("authorization")) return next.fetch(request, fetchOptions);
      const first = await token(request.signal);
      if (first === undefined) return next.fetch(request, fetchOptions);
      const replayable = retryOnUnauthorized && source.invalidate !== undefined && canReplay(request, fetchOptions);
      // A body can be read once: read it once, and give each attempt a copy of the request with the same bytes.
      const body = replayable && request.body !== null ? await request.arrayBuffer() : undefined;
      const response = await next.fetch(
        withHeaders(request, (h) => h.set("authorization", `Bearer ${first}`), body),
        fetchOptions,
      );
      if (response.status !== 401 || !replayable) return response;
      const fresh = await refresh(first, request.signal);
      if (fresh === undefined) return response;
      await discard(response);
      return next.fetch(
        withHeaders(request, (h) => h.set("authorization", `Bearer ${fresh}`), body),
        fetchOptions,
      );
    },

    async websocket(url, wsOptions = {}): Promise<WebSocketConnection> {
      const headers = new Headers(wsOptions.headers);
      if (headers.has("authorization")) return next.websocket(url, wsOptions);
      const first = await token(wsOptions.signal);
      if (first === undefined) return next.websocket(url, wsOptions);
      headers.set("authorization", `Bearer ${first}`);
      try {
        return await next.websocket(url, { ...wsOptions, headers });
      } catch (error) {
        if (!isUnauthorized(error)) throw error;
        const fresh = await refresh(first, wsOptions.signal);
        if (fresh === undefined) throw error;
        const again = new Headers(headers);
        again.set("authorization", `Bearer ${fresh}`);
        return next.websocket(url, { ...wsOptions, headers: again });
      }
    },
  });
}
