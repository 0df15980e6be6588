import { deriveRequest } from "./_derived-request.ts";

/**
 * A copy of `request` with edited headers. The caller's `Request` is never mutated (it may be reused or logged).
 * Without `body` the copy takes over the request's body; callers that may send it again read it once and pass its
 * bytes to every copy.
 */
export function withHeaders(request: Request, edit: (headers: Headers) => void, body?: ArrayBuffer): Request {
  const headers = new Headers(request.headers);
  edit(headers);
  return deriveRequest(request, body === undefined ? { headers } : { headers, body });
}
