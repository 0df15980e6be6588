/**
 * Forces garbage collection in a test, on Node and on Deno, without a command-line flag: V8's `--expose-gc` is set at
 * run time and `gc` taken from a fresh context. A runtime where that is impossible fails the test, it never skips it.
 *
 * @module
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

/** Runs two full collections with a turn of the event loop between them (finalizers and weak references settle). */
export async function collectGarbage(): Promise<void> {
  if (gc === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === "function") gc = exposed;
    else {
      setFlagsFromString("--expose-gc");
      const fromContext: unknown = runInNewContext("gc");
      if (typeof fromContext !== "function") throw new Error("collectGarbage(): this runtime cannot expose gc()");
      gc = fromContext as () => void;
    }
  }
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
