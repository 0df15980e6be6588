/**
 * Middleware that hands the API server's `Warning` headers (deprecated APIs, admission warnings, unknown fields) to a
 * callback, the way kubectl prints `Warning: …`.
 *
 * @module
 */

import type { Middleware, Transport } from "./transport.ts";
import { parseWarningHeader, type WarningHeader } from "./warning-header.ts";

/** Options of {@link surfaceWarnings}. */
export interface SurfaceWarningsOptions {
  /**
   * Receives each warning: its text, and the parsed value. An exception thrown here rejects the request that
   * carried the warning (its body is discarded first).
   */
  onWarning: (message: string, warning: WarningHeader) => void;
  /** Report each distinct warning once per middleware instance (kubectl does); the newest 256 are remembered.
   * @default true */
  deduplicate?: boolean;
}

const REMEMBERED = 256;

/**
 * Calls `onWarning` for every warning in a response's `Warning` headers.
 *
 * @param options the callback and deduplication
 * @returns the middleware
 * @example
 * ```ts
 * import { composeTransport, surfaceWarnings } from "@kubeshift/transport";
 * const transport = composeTransport(base, surfaceWarnings({ onWarning: (m) => process.stderr.write(`Warning: ${m}\n`) }));
 * ```
 */
export function surfaceWarnings(options: SurfaceWarningsOptions): Middleware {
  const deduplicate = options.deduplicate ?? true;
  const seen = new Set<string>();
  const report = (header: string | null): void => {
    if (header === null) return;
    for (const warning of parseWarningHeader(header)) {
      if (deduplicate) {
        const key = `${warning.code} ${warning.agent} ${warning.text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (seen.size > REMEMBERED) seen.delete(seen.values().next().value as string);
      }
      options.onWarning(warning.text, warning);
    }
  };
  return (next: Transport): Transport => ({
    async fetch(request, fetchOptions) {
      const response = await next.fetch(request, fetchOptions);
      try {
        report(response.headers.get("warning"));
      } catch (error) {
        await response.body?.cancel().catch(() => {});
        throw error;
      }
      return response;
    },
    websocket: (url, wsOptions) => next.websocket(url, wsOptions),
  });
}
