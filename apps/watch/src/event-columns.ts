/**
 * The columns of the events pane, as `kubectl events --for` and `kubectl describe` show them: LAST SEEN (counted
 * from the event's last occurrence when drawn), TYPE (Warning in red), REASON, FROM, COUNT, MESSAGE.
 *
 * @module
 */
import type { Event } from "@kubeshift/types/core/v1";
import type { ColumnSpec, RowIdentity } from "./row-table.ts";

function lastSeen(event: Event): number {
  const text =
    event.series?.lastObservedTime ??
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata?.creationTimestamp;
  return typeof text === "string" && text !== "" ? Date.parse(text) : Number.NaN;
}

/** The columns of the events pane. */
export const EVENT_COLUMNS: readonly ColumnSpec<Event>[] = [
  { name: "Last Seen", age: true, value: lastSeen },
  { name: "Type", status: true, value: (e) => e.type ?? "" },
  { name: "Reason", value: (e) => e.reason ?? "" },
  {
    name: "From",
    value: (e) => e.source?.component ?? e.reportingComponent ?? "",
  },
  { name: "Count", numeric: true, value: (e) => String(e.count ?? 1) },
  { name: "Message", value: (e) => (e.message ?? "").replace(/\s*\n\s*/g, " ") },
];

/** How events are identified: uid and resourceVersion. */
export const eventIdentity: RowIdentity<Event> = {
  version: (e) => ({ uid: e.metadata?.uid ?? "", resourceVersion: e.metadata?.resourceVersion ?? "" }),
};
