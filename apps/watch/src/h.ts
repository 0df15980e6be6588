/**
 * `h`: React's `createElement` under the short name JSX compiles to. The UI is written in `.ts` files with `h(...)`
 * instead of `.tsx` so that Node's type stripping runs the sources directly (`npm start` needs no build step).
 *
 * @module
 */
import { createElement } from "react";

/**
 * Creates a React element: `h(Text, { color: "green" }, "Running")`.
 *
 * @example
 * ```ts
 * import { Text } from "ink";
 * const cell = h(Text, { bold: true }, "NAME");
 * ```
 */
export const h: typeof createElement = createElement;
