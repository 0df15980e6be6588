/**
 * Lets one caller stop waiting for a shared operation (one token-file read, one exec-plugin run serving several
 * requests) without cancelling it for the others.
 *
 * @module
 */

/**
 * Resolves like `promise`, or rejects with the signal's reason as soon as it aborts.
 *
 * @param promise the shared operation
 * @param signal this caller's signal
 * @returns the operation's result
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    // The shared operation may still fail later; nobody else may be listening.
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
