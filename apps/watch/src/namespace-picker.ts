/**
 * `n`: pick the namespace to watch — the cluster's namespaces (listed when the picker opens; a user who may not list
 * them can still type one), filtered as you type, "all namespaces" first.
 *
 * @module
 */
import { Namespace } from "@kubeshift/types/core/v1";
import { Box, Text, useInput } from "ink";
import { type ReactElement, useEffect, useState } from "react";
import { shortFailure } from "./explain-failure.ts";
import { h } from "./h.ts";
import type { WatchSession } from "./watch-session.ts";

/** The entry that stands for every namespace. */
export const ALL_NAMESPACES = "(all namespaces)";

/** Props of {@link NamespacePicker}. */
export interface NamespacePickerProps {
  readonly session: WatchSession;
  readonly height: number;
  readonly color: boolean;
  /** Called with the namespace picked (`undefined`: all). */
  readonly onPick: (namespace: string | undefined) => void;
  readonly onCancel: () => void;
}

/**
 * The namespace picker.
 *
 * @param props session, height, callbacks
 * @returns the element
 * @example
 * ```ts
 * h(NamespacePicker, { session, height: 20, color: true, onPick: (ns) => session.setNamespace(ns), onCancel });
 * ```
 */
export function NamespacePicker(props: NamespacePickerProps): ReactElement {
  const { session } = props;
  const [names, setNames] = useState<string[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [text, setText] = useState("");
  const [index, setIndex] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    session.client.list(Namespace, { signal: abort.signal }).then(
      (list) =>
        setNames(
          list.items
            .map((n) => n.metadata?.name ?? "")
            .filter((n) => n !== "")
            .sort(),
        ),
      (e: unknown) => {
        if (abort.signal.aborted) return;
        setNames([]);
        setError(`${shortFailure(e)}; type a namespace`);
      },
    );
    return () => abort.abort();
  }, [session]);
  const needle = text.toLowerCase();
  const choices = [ALL_NAMESPACES, ...(names ?? [])].filter((n) => needle === "" || n.toLowerCase().includes(needle));
  // What was typed is a choice too, even when it is not listed.
  if (text !== "" && !choices.includes(text)) choices.push(text);
  const selected = Math.min(index, choices.length - 1);
  useInput((input, key) => {
    if (key.escape) props.onCancel();
    else if (key.return) {
      const choice = choices[selected];
      if (choice !== undefined) props.onPick(choice === ALL_NAMESPACES ? undefined : choice);
    } else if (key.downArrow) setIndex(Math.min(choices.length - 1, selected + 1));
    else if (key.upArrow) setIndex(Math.max(0, selected - 1));
    else if (key.backspace || key.delete) {
      setText(text.slice(0, -1));
      setIndex(0);
    } else if (input !== "" && !key.ctrl && !key.meta && !key.tab) {
      setText(text + input);
      setIndex(0);
    }
  });
  const room = Math.max(1, props.height - (error === undefined ? 1 : 2));
  const first = Math.max(0, Math.min(selected - room + 1, choices.length - room));
  const visible = choices.slice(Math.max(0, first), Math.max(0, first) + room);
  return h(
    Box,
    { flexDirection: "column", height: props.height, overflow: "hidden" },
    h(
      Text,
      { key: "title", bold: true, wrap: "truncate-end" },
      `Namespace: ${text}█  ${names === undefined ? "(loading…)" : ""}(↑/↓, Enter, Esc)`,
    ),
    error === undefined
      ? null
      : h(Text, { key: "error", wrap: "truncate-end", ...(props.color ? { color: "red" } : {}) }, error),
    ...visible.map((name) =>
      h(Text, { key: name, inverse: choices[selected] === name, wrap: "truncate-end" }, ` ${name}`),
    ),
  );
}
