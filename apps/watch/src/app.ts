/**
 * The terminal UI of `kubeshift-watch`: the header, the table of the active resource (or the YAML, events, help and
 * namespace panes), and a status line that is also the prompt of `/`, `l` and `:`. Informer changes only ask for a
 * frame; frames are drawn at most every `frameIntervalMs` (10 a second by default), plus one a second for AGE and
 * the reconnect countdown.
 *
 * @module
 */
import { keyOf } from "@kubeshift/watch";
import { Box, type Key, Text, useApp, useInput, useWindowSize } from "ink";
import { type ReactElement, useEffect, useState } from "react";
import { EventsView } from "./events-view.ts";
import { shortFailure } from "./explain-failure.ts";
import { createFrameScheduler } from "./frame-scheduler.ts";
import { h } from "./h.ts";
import { HeaderBar, headerHeight } from "./header-bar.ts";
import { HelpView } from "./help-view.ts";
import { NamespacePicker } from "./namespace-picker.ts";
import { parseRowFilter } from "./row-filter.ts";
import { TableView } from "./table-view.ts";
import type { WatchSession } from "./watch-session.ts";
import { type ObjectTarget, YamlView } from "./yaml-view.ts";

/** Props of {@link App}. */
export interface AppProps {
  /** What to show. */
  readonly session: WatchSession;
  /** Use colours. @default true (the CLI passes false under NO_COLOR) */
  readonly color?: boolean;
  /** The terminal size. @default the terminal's (resizes followed) */
  readonly size?: { readonly columns: number; readonly rows: number };
  /** Shortest interval between two frames, in ms. @default 100 */
  readonly frameIntervalMs?: number;
  /** The clock of AGE, highlights and countdowns. @default Date.now */
  readonly now?: () => number;
  /** Called when the user quits (after Ink is told to exit). */
  readonly onQuit?: () => void;
}

type PromptKind = "filter" | "label" | "resource";

/** The parts of Ink's `Key` the UI reads. */
type KeyPress = Pick<
  Key,
  | "return"
  | "escape"
  | "backspace"
  | "delete"
  | "ctrl"
  | "meta"
  | "tab"
  | "upArrow"
  | "downArrow"
  | "pageUp"
  | "pageDown"
  | "home"
  | "end"
>;

const NO_KEY: KeyPress = {
  return: false,
  escape: false,
  backspace: false,
  delete: false,
  ctrl: false,
  meta: false,
  tab: false,
  upArrow: false,
  downArrow: false,
  pageUp: false,
  pageDown: false,
  home: false,
  end: false,
};

/** The key of one character of a chunk of typed text. */
function charKey(char: string): KeyPress {
  if (char === "\r" || char === "\n") return { ...NO_KEY, return: true };
  if (char === "\u007F" || char === "\b") return { ...NO_KEY, backspace: true };
  if (char === "\t") return { ...NO_KEY, tab: true };
  return NO_KEY;
}

type Mode =
  | { readonly kind: "table" }
  | { readonly kind: "prompt"; readonly prompt: PromptKind; readonly text: string; readonly previous: string }
  | { readonly kind: "yaml"; readonly target: ObjectTarget }
  | { readonly kind: "events"; readonly target: ObjectTarget }
  | { readonly kind: "help" }
  | { readonly kind: "namespaces" };

const TABLE: Mode = { kind: "table" };

const HINTS = "? help  / filter  l labels  s sort  n namespace  : resource  Enter yaml  e events  w wide  q quit";

/**
 * The watcher UI.
 *
 * @param props session, colours, size, clock
 * @returns the element
 * @example
 * ```ts
 * import { render } from "ink";
 * render(h(App, { session }), { alternateScreen: true, maxFps: 10 });
 * ```
 */
export function App(props: AppProps): ReactElement {
  const { session } = props;
  const color = props.color ?? true;
  const now = props.now ?? Date.now;
  const { exit } = useApp();
  const terminal = useWindowSize();
  const size = props.size ?? terminal;
  const [, setFrame] = useState(0);
  const [mode, setMode] = useState<Mode>({ kind: "table" });
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>(undefined);
  const [resourceNames, setResourceNames] = useState<readonly string[]>([]);

  useEffect(() => {
    const frames = createFrameScheduler(() => setFrame((n) => n + 1), { intervalMs: props.frameIntervalMs ?? 100 });
    const off = session.subscribe(() => frames.request());
    // AGE, highlights, fades and the reconnect countdown move on their own.
    const tick = setInterval(() => frames.request(), 1000);
    return () => {
      off();
      clearInterval(tick);
      frames.dispose();
    };
  }, [session, props.frameIntervalMs]);

  const tab = session.active;
  const table = tab.table;
  const head = headerHeight(session);
  const bodyHeight = Math.max(3, size.rows - head - 1);
  const rowsHeight = bodyHeight - 1;
  const redraw = (): void => setFrame((n) => n + 1);

  const selectedTarget = (): ObjectTarget | undefined => {
    const item = table.selectedItem;
    if (item === undefined) return undefined;
    return { resource: tab.resource, name: item.metadata.name ?? "", namespace: item.metadata.namespace };
  };

  const quit = (): void => {
    exit();
    props.onQuit?.();
  };

  const cycleSort = (): void => {
    const columns = table.columns;
    const current = columns.findIndex((c) => c.name === table.sort.column);
    const next = columns[current + 1];
    table.setSort({ column: next?.name, descending: false });
  };

  const loadResourceNames = (): void => {
    session.client.mapper.serverResources().then(
      (all) => {
        const names = new Set<string>();
        for (const r of all.resources) {
          if (!r.preferred || !r.verbs.includes("watch")) continue;
          names.add(r.plural);
          for (const s of r.shortNames ?? []) names.add(s);
        }
        setResourceNames([...names].sort());
      },
      () => setResourceNames([]),
    );
  };

  const submitPrompt = (prompt: PromptKind, text: string): void => {
    if (prompt === "filter") return;
    if (prompt === "label") {
      session.setLabelSelector(text);
      return;
    }
    if (text.trim() === "") return;
    session.switchResource(text.trim()).then(
      () => setMessage(undefined),
      (error: unknown) => setMessage({ text: shortFailure(error), error: true }),
    );
  };

  /** One key in a mode; returns the next mode. */
  const press = (input: string, key: KeyPress, current: Mode): Mode => {
    if (current.kind === "prompt") {
      if (key.return) {
        submitPrompt(current.prompt, current.text);
        return TABLE;
      }
      if (key.escape) {
        if (current.prompt === "filter") table.setFilter(parseRowFilter(current.previous));
        return TABLE;
      }
      let text = current.text;
      if (key.backspace || key.delete) text = text.slice(0, -1);
      else if (input !== "" && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) text += input;
      else return current;
      if (current.prompt === "filter") table.setFilter(parseRowFilter(text));
      return { ...current, text };
    }
    if (current.kind !== "table") return current;
    if (input === "q") quit();
    else if (key.downArrow || input === "j") table.moveSelection(1);
    else if (key.upArrow || input === "k") table.moveSelection(-1);
    else if (key.pageDown || input === " ") table.moveSelection(rowsHeight);
    else if (key.pageUp) table.moveSelection(-rowsHeight);
    else if (input === "g" || key.home) table.selectEdge("first");
    else if (input === "G" || key.end) table.selectEdge("last");
    else if (input === "/") {
      const text = table.filter?.source ?? "";
      return { kind: "prompt", prompt: "filter", text, previous: text };
    } else if (input === "l") {
      const text = session.scope.labelSelector ?? "";
      return { kind: "prompt", prompt: "label", text, previous: text };
    } else if (input === ":") {
      loadResourceNames();
      return { kind: "prompt", prompt: "resource", text: "", previous: "" };
    } else if (input === "n") return { kind: "namespaces" };
    else if (input === "s") cycleSort();
    else if (input === "S") table.setSort({ column: table.sort.column, descending: !table.sort.descending });
    else if (input === "w") session.setWide(!session.wide);
    else if (key.tab || input === "]") session.cycleTab(1);
    else if (input === "[") session.cycleTab(-1);
    else if (input === "?") return { kind: "help" };
    else if (key.return || input === "y" || input === "e") {
      const target = selectedTarget();
      if (target !== undefined) return { kind: input === "e" ? "events" : "yaml", target };
      setMessage({ text: "No row selected", error: true });
    } else if (key.escape && table.filter !== undefined) table.setFilter(undefined);
    return current;
  };

  useInput(
    (input, key) => {
      if (mode.kind === "table") setMessage(undefined);
      let next: Mode = mode;
      // Keys typed quickly (or pasted) can arrive as one chunk: "/web\r". Each character is a key press.
      if (input.length > 1 && !key.ctrl && !key.meta && !input.startsWith("\u001B"))
        for (const char of input) next = press(char === "\r" ? "" : char, charKey(char), next);
      else next = press(input, key, mode);
      if (next !== mode) setMode(next);
      redraw();
    },
    { isActive: mode.kind === "table" || mode.kind === "prompt" },
  );

  const back = (): void => setMode(TABLE);
  const time = now();
  const window = table.window({ height: rowsHeight, now: time });
  let body: ReactElement;
  switch (mode.kind) {
    case "yaml": {
      const key = keyOf(mode.target.name, mode.target.namespace);
      const row = tab.resource === mode.target.resource ? tab.informer?.store.get(key) : undefined;
      body = h(YamlView, {
        session,
        target: mode.target,
        resourceVersion: row?.metadata.resourceVersion,
        height: bodyHeight,
        color,
        onClose: back,
      });
      break;
    }
    case "events":
      body = h(EventsView, {
        session,
        target: mode.target,
        width: size.columns,
        height: bodyHeight,
        color,
        now,
        frameIntervalMs: props.frameIntervalMs,
        onClose: back,
      });
      break;
    case "help":
      body = h(HelpView, { height: bodyHeight, onClose: back });
      break;
    case "namespaces":
      body = h(NamespacePicker, {
        session,
        height: bodyHeight,
        color,
        onPick: (namespace) => {
          session.setNamespace(namespace);
          back();
        },
        onCancel: back,
      });
      break;
    default:
      body = h(TableView, {
        window,
        width: size.columns,
        height: rowsHeight,
        color,
        empty: tab.synced ? "No resources found." : "Loading…",
      });
  }
  return h(
    Box,
    { flexDirection: "column", width: size.columns, height: size.rows },
    h(HeaderBar, { session, counts: { matched: window.matched, total: window.total }, now: time, color }),
    h(Box, { height: bodyHeight, flexDirection: "column" }, body),
    statusLine(mode, message, tab.lastError, resourceNames, color),
  );
}

function statusLine(
  mode: Mode,
  message: { text: string; error: boolean } | undefined,
  lastError: unknown,
  resourceNames: readonly string[],
  color: boolean,
): ReactElement {
  const red = color ? { color: "red" } : { bold: true };
  if (mode.kind === "prompt") {
    if (mode.prompt === "filter") {
      const hint = mode.text === "" ? "  (text or regex; !text inverts; Enter keeps, Esc restores)" : "";
      return h(Text, { wrap: "truncate-end" }, `/${mode.text}█${hint}`);
    }
    if (mode.prompt === "label") return h(Text, { wrap: "truncate-end" }, `labels: ${mode.text}█  (app=web,tier!=db)`);
    const matches = resourceNames.filter((n) => mode.text !== "" && n.startsWith(mode.text.toLowerCase()));
    return h(Text, { wrap: "truncate-end" }, `:${mode.text}█  ${matches.slice(0, 12).join(" ")}`);
  }
  if (message !== undefined) return h(Text, { wrap: "truncate-end", ...(message.error ? red : {}) }, message.text);
  if (lastError !== undefined && mode.kind === "table")
    return h(Text, { wrap: "truncate-end", ...red }, shortFailure(lastError));
  return h(Text, { wrap: "truncate-end", dimColor: true }, HINTS);
}
