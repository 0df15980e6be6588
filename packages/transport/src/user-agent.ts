/**
 * User-Agent middleware and the default `kubeshift/<version> (<runtime>)` value.
 *
 * @module
 */

import { withHeaders } from "./_request-headers.ts";
import { VERSION } from "./_version.ts";
import type { Middleware, Transport } from "./transport.ts";

interface RuntimeGlobals {
  Deno?: { version?: { deno?: string }; build?: { os?: string; arch?: string } };
  Bun?: { version?: string };
  process?: { versions?: { node?: string }; platform?: string; arch?: string };
}

function runtime(): string {
  const g = globalThis as RuntimeGlobals;
  if (g.Deno?.version?.deno !== undefined)
    return `deno/${g.Deno.version.deno}; ${g.Deno.build?.os}/${g.Deno.build?.arch}`;
  if (g.Bun?.version !== undefined) return `bun/${g.Bun.version}; ${g.process?.platform}/${g.process?.arch}`;
  if (g.process?.versions?.node !== undefined)
    return `node/${g.process.versions.node}; ${g.process.platform}/${g.process.arch}`;
  return "web";
}

/**
 * The default user agent: `kubeshift/<version> (<runtime>/<version>; <os>/<arch>)`, the shape client-go uses
 * (`kubectl/v1.34.0 (linux/amd64) kubernetes/…`), so that API server audit logs tell kubeshift clients apart.
 *
 * @returns for example `kubeshift/0.1.0 (node/24.21.0; linux/x64)`
 * @example
 * ```ts
 * userAgent(`my-operator/2.1 ${defaultUserAgent()}`);
 * ```
 */
export function defaultUserAgent(): string {
  return `kubeshift/${VERSION} (${runtime()})`;
}

/**
 * Sets `User-Agent` on requests and websocket upgrades that carry none. Browsers do not let scripts set it and keep
 * their own.
 *
 * @param value the user agent; defaults to {@link defaultUserAgent}
 * @returns the middleware
 * @throws {TypeError} when the value is empty or not a valid header value
 * @example
 * ```ts
 * import { composeTransport, userAgent } from "@kubeshift/transport";
 * const transport = composeTransport(base, userAgent("my-operator/2.1"));
 * ```
 */
export function userAgent(value: string = defaultUserAgent()): Middleware {
  if (value.trim() === "") throw new TypeError("userAgent(): the value must not be empty");
  new Headers({ "user-agent": value });
  return (next: Transport): Transport => ({
    fetch(request, options) {
      if (request.headers.has("user-agent")) return next.fetch(request, options);
      return next.fetch(
        withHeaders(request, (h) => h.set("user-agent", value)),
        options,
      );
    },
    websocket(url, options = {}) {
      const headers = new Headers(options.headers);
      if (!headers.has("user-agent")) headers.set("user-agent", value);
      return next.websocket(url, { ...options, headers });
    },
  });
}
