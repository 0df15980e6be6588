/**
 * A copy of `request` with edited headers. The caller's `Request` is never mutated (it may be reused or logged);
 * the copy takes over the body, so callers that may send the body again clone first.
 */
export function withHeaders(request: Request, edit: (headers: Headers) => void): Request {
  const headers = new Headers(request.headers);
  edit(headers);
  return new Request(request, { headers });
}
