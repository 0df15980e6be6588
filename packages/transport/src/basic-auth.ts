/**
 * HTTP basic authentication middleware (kubeconfig `username`/`password`, OpenShift OAuth's challenging client).
 *
 * @module
 */

import { withHeaders } from "./_request-headers.ts";
import { registerSecret } from "./redact.ts";
import type { Middleware, Transport } from "./transport.ts";

/** Options of {@link basicAuth}. */
export interface BasicAuthOptions {
  /** The user name; must not contain `:`. */
  username: string;
  /** The password; registered as a secret so that it never appears in error messages. */
  password: string;
}

/**
 * Sends `Authorization: Basic base64(username:password)` (UTF-8) on requests and websocket upgrades that carry no
 * `Authorization` yet.
 *
 * @param credentials user name and password
 * @returns the middleware
 * @throws {TypeError} when the user name contains `:` (RFC 7617 forbids it)
 * @example
 * ```ts
 * import { basicAuth, composeTransport } from "@kubeshift/transport";
 * const transport = composeTransport(base, basicAuth({ username: "admin", password: "s3cret!" }));
 * ```
 */
export function basicAuth(credentials: BasicAuthOptions): Middleware {
  if (credentials.username.includes(":")) throw new TypeError("basicAuth(): the user name must not contain ':'");
  const bytes = new TextEncoder().encode(`${credentials.username}:${credentials.password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const encoded = btoa(binary);
  registerSecret(credentials.password);
  registerSecret(encoded);
  const value = `Basic ${encoded}`;

  return (next: Transport): Transport => ({
    fetch(request, options) {
      if (request.headers.has("authorization")) return next.fetch(request, options);
      return next.fetch(
        withHeaders(request, (h) => h.set("authorization", value)),
        options,
      );
    },
    websocket(url, options = {}) {
      const headers = new Headers(options.headers);
      if (!headers.has("authorization")) headers.set("authorization", value);
      return next.websocket(url, { ...options, headers });
    },
  });
}
