/**
 * What the fetch-based adapters (Deno, web) share: runtime errors become `TransportError`s (aborts pass through), also
 * when the body fails while being read, and watches ask for an uncompressed body where the runtime mangles gzip.
 */
import { toTransportError } from "./_network-error.ts";
import { withHeaders } from "./_request-headers.ts";
import { watchBody } from "./_response-body.ts";
import { type FetchOptions, isStreamingRequest } from "./transport.ts";

/**
 * Sends `request` with the runtime's `fetch` and wraps its failures; `settle` is called once the body has ended,
 * failed or been cancelled (at once for a response without a body), not when sending fails.
 */
export async function fetchWrapped(
  request: Request,
  options: FetchOptions | undefined,
  send: (request: Request) => Promise<Response>,
  identityEncoding: "always" | "streams",
  settle: () => void = () => {},
): Promise<Response> {
  const signal = request.signal;
  if (signal.aborted) throw signal.reason;
  const context = { method: request.method, url: request.url };
  // Deno's fetch stops after the first member of a multi-member gzip body, which the API server sends for WatchList
  // streams (denoland/deno, reproduced in shared/reference/watch-tui.md §6): ask for identity there.
  const identity =
    (identityEncoding === "always" || isStreamingRequest(request, options)) && !request.headers.has("accept-encoding");
  const outgoing = identity ? withHeaders(request, (h) => h.set("accept-encoding", "identity")) : request;
  let response: Response;
  try {
    response = await send(outgoing);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw toTransportError(error, context);
  }
  return watchBody(
    response,
    settle,
    (error) => (signal.aborted ? signal.reason : toTransportError(error, { ...context, afterHeaders: true })),
    request,
  );
}
