/**
 * A scrollable page of text (the YAML of an object, the help): a title line, the visible lines only, and the keys
 * of a pager (j/k, arrows, PgUp/PgDn, g/G, Esc or q to go back).
 *
 * @module
 */
import { Box, Text, useInput } from "ink";
import { type ReactElement, useState } from "react";
import { h } from "./h.ts";

/** Props of {@link ScrollView}. */
export interface ScrollViewProps {
  /** The title line. */
  readonly title: string;
  /** The text, one entry per line. */
  readonly lines: readonly string[];
  /** Lines available (the title included). */
  readonly height: number;
  /** Colours a line (a YAML key, …); `undefined` draws it plainly. */
  readonly paint?: ((line: string) => ReactElement | undefined) | undefined;
  /** Called on Esc or q. */
  readonly onClose: () => void;
  /** Extra keys, tried first; return `true` when handled. */
  readonly onKey?: ((input: string) => boolean) | undefined;
}

/**
 * The pager.
 *
 * @param props title, lines, height, close
 * @returns the element
 * @example
 * ```ts
 * h(ScrollView, { title: "pod web (YAML)", lines: yaml.split("\n"), height: 30, onClose });
 * ```
 */
export function ScrollView(props: ScrollViewProps): ReactElement {
  const [offset, setOffset] = useState(0);
  const page = Math.max(1, props.height - 1);
  const max = Math.max(0, props.lines.length - page);
  const top = Math.min(offset, max);
  useInput((input, key) => {
    if (props.onKey?.(input) === true) return;
    if (key.escape || input === "q") props.onClose();
    else if (key.downArrow || input === "j") setOffset(Math.min(max, top + 1));
    else if (key.upArrow || input === "k") setOffset(Math.max(0, top - 1));
    else if (key.pageDown || input === " " || (key.ctrl && input === "f")) setOffset(Math.min(max, top + page));
    else if (key.pageUp || (key.ctrl && input === "b")) setOffset(Math.max(0, top - page));
    else if (input === "g" || key.home) setOffset(0);
    else if (input === "G" || key.end) setOffset(max);
  });
  const visible = props.lines.slice(top, top + page);
  const position = props.lines.length <= page ? "all" : `${top + 1}-${top + visible.length}/${props.lines.length}`;
  return h(
    Box,
    { flexDirection: "column", height: props.height, overflow: "hidden" },
    h(Text, { key: "\u0000title", bold: true, wrap: "truncate-end" }, `${props.title}  (${position}, Esc back)`),
    ...visible.map((line, i) =>
      h(Text, { key: top + i, wrap: "truncate-end" }, props.paint?.(line) ?? (line === "" ? " " : line)),
    ),
  );
}
