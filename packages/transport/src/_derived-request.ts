/**
 * Copies of a `Request` that stay connected to the caller's abort signal.
 *
 * A `Request` built from another (`new Request(parent, init)`, `clone()`) has a signal of its own that follows the
 * parent's. In Node's `Request` (undici) that link goes through a weak reference to an `AbortController` only the
 * parent holds, and `clone()` does not even hold its own (nodejs/undici#3644, #4068): once the caller and the
 * middleware have dropped the intermediate requests — a watch reads its body for hours after `fetch` resolved —
 * garbage collection silently cuts the chain, and aborting the caller's signal no longer stops the exchange. Every
 * copy made here keeps its parent alive for as long as the copy itself lives, and the adapters keep the last copy
 * alive until the exchange ends; middleware never use `clone()`. Deno's and browsers' `Request`s hold their links
 * strongly; there this costs one entry in a weak map.
 */

// Copy → the request it was made from. Weak keys: an entry goes with its copy.
const parents = new WeakMap<Request, Request>();

/**
 * `new Request(parent, init)`, keeping `parent` (and so the link to the caller's signal) alive as long as the copy.
 * Without `init.body` it takes over the parent's body, like the constructor; with one (the bytes of a replayable
 * body, read once) the parent's body is left alone.
 */
export function deriveRequest(parent: Request, init: RequestInit): Request {
  const copy = new Request(parent, init);
  parents.set(copy, parent);
  return copy;
}
