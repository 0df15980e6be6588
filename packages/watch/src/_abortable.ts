/**
 * Races a promise against an abort signal, for requests whose transport may not react to the signal while it waits
 * (a server that never sends headers, a body that never ends). What arrives after the abort is released.
 *
 * @module
 * @internal
 */

/**
 * Settles with the promise, or rejects with the signal's reason as soon as it aborts.
 *
 * @param promise the operation
 * @param signal aborts the wait
 * @param release disposes of a value that arrives after the abort (cancel a body, close a socket)
 * @returns the value
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal, release?: (late: T) => void): Promise<T> {
  if (signal.aborted) {
    promise.then(
      (v) => release?.(v),
      () => undefined,
    );
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const onAbort = (): void => {
      if (done) return;
      done = true;
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        if (done) release?.(value);
        else {
          done = true;
          resolve(value);
        }
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        if (done) return;
        done = true;
        reject(error);
      },
    );
  });
}
