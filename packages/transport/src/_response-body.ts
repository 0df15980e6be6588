/** A response with the same status, headers and URL as `response` but another body. */
export function replaceBody(response: Response, body: ReadableStream<Uint8Array> | null): Response {
  const copy = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // `url` cannot be passed to the constructor; callers (error messages, redirects) read it.
  if (response.url !== "") Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

/**
 * Passes a response body through unchanged (pulled only as fast as it is read), calling `settle` once when it ends,
 * fails or is cancelled, and mapping the errors of the source with `mapError`. With a `request`, an abort of its
 * signal errors the body at once with the signal's reason, whether or not the runtime underneath notices the abort
 * promptly; the request is kept alive while the body is (its signal may depend on it, see `_derived-request.ts`).
 */
export function watchBody(
  response: Response,
  settle: () => void,
  mapError: (error: unknown) => unknown = (error) => error,
  request?: Request,
): Response {
  const signal = request?.signal;
  const source = response.body;
  if (source === null) {
    settle();
    return response;
  }
  const reader = source.getReader();
  let settled = false;
  let streamController: ReadableStreamDefaultController<Uint8Array> | undefined;
  // Reads the reason through `request` on purpose: the closures of this scope (the stream's pull and cancel among
  // them) then hold the request, and with it the link from the caller's signal, for as long as the body lives.
  const onAbort = (): void => {
    if (settled) return;
    const reason = request?.signal.reason;
    done();
    streamController?.error(reason);
    reader.cancel(reason).catch(() => {});
  };
  const done = (): void => {
    if (settled) return;
    settled = true;
    signal?.removeEventListener("abort", onAbort);
    settle();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        streamController = controller;
        if (signal?.aborted) onAbort();
        else signal?.addEventListener("abort", onAbort);
      },
      async pull(controller) {
        try {
          const { done: end, value } = await reader.read();
          if (settled) return;
          if (end) {
            done();
            controller.close();
          } else {
            controller.enqueue(value);
          }
        } catch (error) {
          if (settled) return;
          done();
          controller.error(mapError(error));
        }
      },
      cancel(reason) {
        done();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return replaceBody(response, stream);
}
