import type { FetchOptions } from "./transport.ts";

/** Whether a request may be sent again: no body, or a body its sender declared replayable. */
export function canReplay(request: Request, options: FetchOptions | undefined): boolean {
  return request.body === null || options?.replayable === true;
}

/**
 * Discards a response that will not be handed to the caller, so that its connection can be reused or closed.
 */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // A body that fails while being discarded has nothing left to tell.
  }
}
