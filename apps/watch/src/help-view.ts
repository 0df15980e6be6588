/**
 * `?`: the keys.
 *
 * @module
 */
import type { ReactElement } from "react";
import { h } from "./h.ts";
import { ScrollView } from "./scroll-view.ts";

/** The help text, one line each. */
export const HELP_LINES: readonly string[] = [
  "Move         j/k or ↓/↑   PgDn/PgUp or space   g/G first/last",
  "Filter       /  text or regular expression, case-insensitive; !text keeps rows that do not match;",
  "                Enter keeps it, Esc restores the previous one; Esc in the table clears it",
  "Labels       l  label selector sent to the server (app=web,tier!=db); empty clears it",
  "Sort         s  next column (after the last: the server's order)   S  reverse",
  "Namespace    n  pick a namespace, or all namespaces",
  "Resource     :  watch another resource (po, deploy, svc, routes, bc, is, dc, …)",
  "YAML         Enter  the selected object as YAML (read again when it changes)",
  "Events       e  the events of the selected object, live",
  "Wide         w  show or hide the -o wide columns",
  "Tabs         Tab or ]  next resource   [  previous",
  "Help         ?  this page",
  "Quit         q or Ctrl-C",
  "",
  "Header: context, server, user; the resource, namespace scope, rows shown/total, selectors, filter and sort;",
  "● watching (green), reconnecting in Ns (yellow, red when forbidden), unauthorized: log in again (red).",
  "Rows: STATUS green when running, yellow while starting, red when failing, grey while terminating;",
  "bold for a moment after a change; struck through while a deleted row fades out.",
];

/** Props of {@link HelpView}. */
export interface HelpViewProps {
  readonly height: number;
  readonly onClose: () => void;
}

/**
 * The help page.
 *
 * @param props height, close
 * @returns the element
 * @example
 * ```ts
 * h(HelpView, { height: 20, onClose });
 * ```
 */
export function HelpView(props: HelpViewProps): ReactElement {
  return h(ScrollView, {
    title: "kubeshift-watch keys",
    lines: HELP_LINES,
    height: props.height,
    onClose: props.onClose,
    onKey: (input) => {
      if (input !== "?") return false;
      props.onClose();
      return true;
    },
  });
}
