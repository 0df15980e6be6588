/**
 * Impersonation middleware: act as another user (`kubectl --as`, `--as-group`, `--as-uid`, `--as-user-extra`).
 *
 * @module
 */
import { withHeaders } from "./_request-headers.ts";
import type { Middleware, Transport } from "./transport.ts";

/** Who to act as. */
export interface ImpersonateOptions {
  /** The user name (`Impersonate-User`), such as `system:serviceaccount:dev:builder`. */
  user: string;
  /** The user's UID (`Impersonate-Uid`). */
  uid?: string;
  /** Groups (`Impersonate-Group`, one header each). */
  groups?: readonly string[];
  /** Extra fields (`Impersonate-Extra-<key>`, one header per value); keys are percent-encoded like client-go. */
  extra?: Readonly<Record<string, readonly string[]>>;
}

// RFC 7230 tchar, minus "%" which client-go always escapes so that the server can unescape unambiguously.
const TCHAR = /^[!#$&'*+\-.^_`|~0-9A-Za-z]$/;

function escapeExtraKey(key: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(key)) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && TCHAR.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Adds the impersonation headers to every request and websocket upgrade. A request that already carries
 * `Impersonate-User` passes unchanged (like client-go's impersonating round tripper).
 *
 * @param options the user, and optionally uid, groups and extra fields
 * @returns the middleware
 * @throws {TypeError} when the user is empty, or a group, uid, extra key or value is empty
 * @example
 * ```ts
 * import { composeTransport, impersonate } from "@kubeshift/transport";
 * const asBuilder = composeTransport(base, impersonate({ user: "jane", groups: ["developers"] }));
 * ```
 */
export function impersonate(options: ImpersonateOptions): Middleware {
  if (options.user === "") throw new TypeError("impersonate(): user must not be empty");
  const pairs: Array<[string, string]> = [["impersonate-user", options.user]];
  if (options.uid !== undefined) {
    if (options.uid === "") throw new TypeError("impersonate(): uid must not be empty");
    pairs.push(["impersonate-uid", options.uid]);
  }
  for (const group of options.groups ?? []) {
    if (group === "") throw new TypeError("impersonate(): groups must not contain an empty name");
    pairs.push(["impersonate-group", group]);
  }
  for (const [key, values] of Object.entries(options.extra ?? {})) {
    if (key === "") throw new TypeError("impersonate(): extra keys must not be empty");
    for (const value of values) pairs.push([`impersonate-extra-${escapeExtraKey(key)}`, value]);
  }
  // Fails now, with the header at fault, rather than on the first request.
  const check = new Headers();
  for (const [name, value] of pairs) {
    try {
      check.append(name, value);
    } catch (cause) {
      throw new TypeError(`impersonate(): ${JSON.stringify(value)} is not a valid value for ${name}`, { cause });
    }
  }
  const apply = (headers: Headers): void => {
    for (const [name, value] of pairs) headers.append(name, value);
  };

  return (next: Transport): Transport => ({
    fetch(request, fetchOptions) {
      if (request.headers.has("impersonate-user")) return next.fetch(request, fetchOptions);
      return next.fetch(withHeaders(request, apply), fetchOptions);
    },
    websocket(url, wsOptions = {}) {
      const headers = new Headers(wsOptions.headers);
      if (!headers.has("impersonate-user")) apply(headers);
      return next.websocket(url, { ...wsOptions, headers });
    },
  });
}
