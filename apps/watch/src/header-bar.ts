/**
 * The header: who and where (context, server, user), what (resource, namespace scope, label selector, filter, sort),
 * the connection health from the informer (watching / reconnecting in Ns / unauthorized) and the counts; a tab line
 * when several resources are watched.
 *
 * @module
 */
import { Box, Text } from "ink";
import type { ReactElement } from "react";
import { h } from "./h.ts";
import { healthLabel } from "./health-label.ts";
import { toneColor } from "./status-style.ts";
import type { WatchSession } from "./watch-session.ts";

/** Props of {@link HeaderBar}. */
export interface HeaderBarProps {
  readonly session: WatchSession;
  /** Rows matching the filter, and the live total, of the active tab. */
  readonly counts: { readonly matched: number; readonly total: number };
  readonly now: number;
  readonly color: boolean;
}

/**
 * How many lines the header takes: two, three with tabs.
 *
 * @param session the session
 * @returns the number of lines
 * @example
 * ```ts
 * const rows = size.rows - headerHeight(session) - 1;
 * ```
 */
export function headerHeight(session: WatchSession): number {
  return session.tabs.length > 1 ? 3 : 2;
}

/**
 * The header.
 *
 * @param props session, counts, time, colours
 * @returns the element
 * @example
 * ```ts
 * h(HeaderBar, { session, counts: { matched: 3, total: 5 }, now: Date.now(), color: true });
 * ```
 */
export function HeaderBar(props: HeaderBarProps): ReactElement {
  const { session, counts, now, color } = props;
  const info = session.info;
  const tab = session.active;
  const health = healthLabel(tab.health, now);
  const scope = session.scope;
  const namespace = !tab.resource.namespaced
    ? "cluster-scoped"
    : scope.namespace === undefined
      ? "all namespaces"
      : `namespace ${scope.namespace}`;
  const table = tab.table;
  const sortColumn = table.sort.column;
  const parts = [
    `${tab.resource.plural}${tab.resource.group === "" ? "" : `.${tab.resource.group}`}`,
    namespace,
    counts.matched === counts.total ? `${counts.total} rows` : `${counts.matched}/${counts.total} rows`,
  ];
  if (scope.labelSelector !== undefined) parts.push(`labels ${scope.labelSelector}`);
  if (scope.fieldSelector !== undefined) parts.push(`fields ${scope.fieldSelector}`);
  if (table.filter !== undefined) parts.push(`filter /${table.filter.source}/`);
  if (sortColumn !== undefined) parts.push(`sort ${sortColumn.toUpperCase()}${table.sort.descending ? "↓" : "↑"}`);
  const lines: ReactElement[] = [
    h(
      Text,
      { key: "who", wrap: "truncate-end" },
      h(Text, { bold: true, ...(color ? { color: "cyan" } : {}) }, "kubeshift-watch"),
      `  context ${info.context}  server ${info.server}  user ${info.user}`,
    ),
    h(
      Text,
      { key: "what", wrap: "truncate-end" },
      h(Text, color ? { color: toneColor(health.tone) ?? "white" } : { bold: true }, `● ${health.text}`),
      `  ${parts.join("  ")}`,
    ),
  ];
  if (session.tabs.length > 1) {
    lines.push(
      h(
        Text,
        { key: "tabs", wrap: "truncate-end" },
        ...session.tabs.map((t, i) =>
          h(
            Text,
            { key: t.resource.plural + i, inverse: i === session.activeIndex },
            ` ${t.resource.plural} (${t.table.size}) `,
          ),
        ),
      ),
    );
  }
  return h(Box, { flexDirection: "column" }, ...lines);
}
