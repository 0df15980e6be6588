/**
 * `e` on a row: the events of that object, live (an informer on `events` with the field selector of
 * `kubectl events --for`: `involvedObject.kind` and `involvedObject.name`, in the object's namespace), oldest first
 * as `kubectl describe` lists them, Warnings in red.
 *
 * @module
 */
import { Event } from "@kubeshift/types/core/v1";
import { createInformer, objectKey } from "@kubeshift/watch";
import { Box, Text, useInput } from "ink";
import { type ReactElement, useEffect, useMemo, useState } from "react";
import { EVENT_COLUMNS, eventIdentity } from "./event-columns.ts";
import { shortFailure } from "./explain-failure.ts";
import { createFrameScheduler } from "./frame-scheduler.ts";
import { h } from "./h.ts";
import { RowTable } from "./row-table.ts";
import { TableView } from "./table-view.ts";
import type { WatchSession } from "./watch-session.ts";
import type { ObjectTarget } from "./yaml-view.ts";

/** Props of {@link EventsView}. */
export interface EventsViewProps {
  readonly session: WatchSession;
  readonly target: ObjectTarget;
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
  /** The clock. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Shortest interval between redraws, in ms. @default 100 */
  readonly frameIntervalMs?: number | undefined;
  readonly onClose: () => void;
}

/**
 * The field selector of `kubectl events --for kind/name`.
 *
 * @param target the object
 * @returns the selector
 * @example
 * ```ts
 * eventSelector({ resource: pods, name: "web", namespace: "dev" }); // "involvedObject.kind=Pod,involvedObject.name=web"
 * ```
 */
export function eventSelector(target: ObjectTarget): string {
  return `involvedObject.kind=${target.resource.kind},involvedObject.name=${target.name}`;
}

/**
 * The events pane.
 *
 * @param props session, object, size, close
 * @returns the element
 * @example
 * ```ts
 * h(EventsView, { session, target, width, height, color, onClose });
 * ```
 */
export function EventsView(props: EventsViewProps): ReactElement {
  const { session, target } = props;
  const now = props.now ?? Date.now;
  const table = useMemo(() => {
    const t = new RowTable<Event>({ ...eventIdentity, highlightMs: 1500, fadeMs: 0 });
    t.setColumns(EVENT_COLUMNS);
    t.setSort({ column: "Last Seen", descending: true });
    return t;
  }, []);
  const [, setFrame] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    const frames = createFrameScheduler(() => setFrame((n) => n + 1), { intervalMs: props.frameIntervalMs ?? 100 });
    const informer = createInformer(session.client, Event, {
      ...(target.resource.namespaced && target.namespace !== undefined
        ? { namespace: target.namespace }
        : { allNamespaces: true }),
      fieldSelector: eventSelector(target),
      initialResourceVersion: "",
      stripManagedFields: true,
      onError: (e) => {
        setError(shortFailure(e));
        frames.request();
      },
      onHealth: (health) => {
        if (health.state === "Watching") setError(undefined);
      },
      handlers: {
        add: (event, info) => {
          const key = objectKey(event);
          if (key !== undefined) table.upsert(key, event, { now: now(), initial: info.isInInitialList });
          frames.request();
        },
        update: (_old, event) => {
          const key = objectKey(event);
          if (key !== undefined) table.upsert(key, event, { now: now() });
          frames.request();
        },
        delete: (event) => {
          const key = objectKey(event);
          if (key !== undefined) table.remove(key, now());
          frames.request();
        },
      },
    });
    const tick = setInterval(() => frames.request(), 1000);
    return () => {
      clearInterval(tick);
      frames.dispose();
      void informer.stop();
    };
  }, [session, target, table, now, props.frameIntervalMs]);
  useInput((input, key) => {
    if (key.escape || input === "q") props.onClose();
    else if (key.downArrow || input === "j") table.moveSelection(1);
    else if (key.upArrow || input === "k") table.moveSelection(-1);
    else if (input === "G" || key.end) table.selectEdge("last");
    else if (input === "g" || key.home) table.selectEdge("first");
    else return;
    setFrame((n) => n + 1);
  });
  const rowsHeight = Math.max(1, props.height - 2);
  const window = table.window({ height: rowsHeight, now: now() });
  const kind = target.resource.kind;
  const title = `Events of ${kind.toLowerCase()} ${target.namespace === undefined ? "" : `${target.namespace}/`}${target.name}  (${window.total}, Esc back)`;
  return h(
    Box,
    { flexDirection: "column", height: props.height, overflow: "hidden" },
    h(Text, { key: "title", bold: true, wrap: "truncate-end" }, title),
    error === undefined
      ? null
      : h(Text, { key: "error", wrap: "truncate-end", ...(props.color ? { color: "red" } : {}) }, error),
    h(TableView, {
      key: "table",
      window,
      width: props.width,
      height: rowsHeight - (error === undefined ? 0 : 1),
      color: props.color,
      empty: `No events for ${kind.toLowerCase()} ${target.name}.`,
    }),
  );
}
