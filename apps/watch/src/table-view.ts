/**
 * Draws a {@link TableWindow}: a header line and one `<Text>` per visible row (Yoga lays out one node per row, never
 * one per cell), cells padded as kubectl pads them (three spaces apart), the STATUS cell coloured, the selected row
 * inverted, rows that just changed bold, deleted rows dimmed and struck through, finished rows dimmed. Rows are
 * memoised on their text and flags, so an unchanged row costs React nothing.
 *
 * @module
 */
import { Box, Text } from "ink";
import { memo, type ReactElement } from "react";
import { h } from "./h.ts";
import type { TableWindow, VisibleRow } from "./row-table.ts";
import { statusTone, toneColor } from "./status-style.ts";

/** Space between columns, as kubectl's tabwriter. */
export const COLUMN_GAP = "   ";

/** Props of {@link TableView}. */
export interface TableViewProps {
  /** What to draw. */
  readonly window: TableWindow;
  /** Terminal columns: lines are cut to fit. */
  readonly width: number;
  /** Lines for rows (the header excluded); short tables are padded so that the layout does not jump. */
  readonly height: number;
  /** Use colours (false with NO_COLOR). */
  readonly color: boolean;
  /** Text shown when there is no row. */
  readonly empty?: string;
}

/** Where the cells of a row go. */
export interface RowLayout {
  /** Column widths. */
  readonly widths: readonly number[];
  /** The column coloured as a status (`-1`: none). */
  readonly statusColumn: number;
  /** Terminal columns. */
  readonly width: number;
}

/** A row split around its status cell, cut to the terminal width. */
export interface RowText {
  readonly before: string;
  readonly status: string;
  readonly after: string;
}

/**
 * Lays out the cells of a row.
 *
 * @param cells the cells
 * @param layout the column widths, the column coloured as a status (`-1`: none), the terminal width
 * @returns the text before, of, and after the status cell
 * @example
 * ```ts
 * layoutRow(["web", "Running"], { widths: [5, 7], statusColumn: 1, width: 80 });
 * // { before: "web     ", status: "Running", after: "" }
 * ```
 */
export function layoutRow(cells: readonly string[], layout: RowLayout): RowText {
  const { widths, statusColumn, width } = layout;
  let before = "";
  let status = "";
  let after = "";
  const last = cells.length - 1;
  for (let c = 0; c <= last; c++) {
    const cell = cells[c] as string;
    const text = c === last ? cell : cell.padEnd(widths[c] ?? 0) + COLUMN_GAP;
    if (c < statusColumn || statusColumn < 0) before += text;
    else if (c === statusColumn) {
      status = cell;
      after += text.slice(cell.length);
    } else after += text;
  }
  // Cut to the width here: Ink then measures short strings only.
  if (before.length >= width) return { before: before.slice(0, width), status: "", after: "" };
  if (before.length + status.length >= width)
    return { before, status: status.slice(0, width - before.length), after: "" };
  return { before, status, after: after.slice(0, width - before.length - status.length) };
}

interface RowProps {
  readonly before: string;
  readonly status: string;
  readonly after: string;
  readonly selected: boolean;
  readonly changed: boolean;
  readonly deleted: boolean;
  readonly completed: boolean;
  readonly color: boolean;
}

const Row = memo(function Row(props: RowProps): ReactElement {
  const dim = props.deleted || props.completed;
  const statusColor = props.color && !props.selected && !dim ? toneColor(statusTone(props.status)) : undefined;
  return h(
    Text,
    {
      wrap: "truncate-end",
      inverse: props.selected,
      bold: props.changed && !props.deleted,
      dimColor: dim,
      strikethrough: props.deleted,
    },
    props.before,
    statusColor === undefined ? props.status : h(Text, { color: statusColor }, props.status),
    props.after,
  );
});

/**
 * The table.
 *
 * @param props window, size, colours
 * @returns the element
 * @example
 * ```ts
 * h(TableView, { window: tab.table.window({ height, now }), width, height, color: true });
 * ```
 */
export function TableView(props: TableViewProps): ReactElement {
  const { window, width, color } = props;
  const headers = window.headers.map((name, i) =>
    i === window.sortColumn ? `${name}${window.descending ? "↓" : "↑"}` : name,
  );
  const widths = window.widths.map((w, i) => Math.max(w, headers[i]?.length ?? 0));
  const head = layoutRow(headers, { widths, statusColumn: -1, width }).before;
  const lines: ReactElement[] = [h(Text, { key: "\u0000header", bold: true, wrap: "truncate-end" }, head || " ")];
  window.rows.forEach((row: VisibleRow, i) => {
    const text = layoutRow(row.cells, { widths, statusColumn: window.statusColumn, width });
    lines.push(
      h(Row, {
        key: row.key,
        ...text,
        selected: i === window.selected,
        changed: row.changed,
        deleted: row.deleted,
        completed: row.completed,
        color,
      }),
    );
  });
  if (window.rows.length === 0)
    lines.push(h(Text, { key: "\u0000empty", dimColor: true }, props.empty ?? "No resources found."));
  return h(Box, { flexDirection: "column", height: props.height + 1 }, ...lines);
}
