/**
 * The columns of a server-printed table, as `kubectl get` shows them: the server's column definitions (priority 0,
 * plus the higher priorities with `-o wide`), a NAMESPACE column first across namespaces, AGE counted from
 * `creationTimestamp` when drawn (the server's text is only true at the moment it printed it), the STATUS column
 * coloured.
 *
 * @module
 */
import type { TableColumnDefinition } from "@kubeshift/client";
import type { TableRowItem } from "@kubeshift/watch";
import type { ColumnSpec, RowIdentity } from "./row-table.ts";

/** Options of {@link tableColumns}. */
export interface TableColumnsOptions {
  /** Prefix a NAMESPACE column (rows from every namespace of a namespaced kind). */
  namespaceColumn: boolean;
  /** Show the columns of priority above 0 (`-o wide`). */
  wide: boolean;
}

/** A Table cell as text, as kubectl prints it (`<none>` for a missing value). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "<none>";
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}

function creationTime(item: TableRowItem): number {
  const ts = item.metadata.creationTimestamp;
  return typeof ts === "string" ? Date.parse(ts) : Number.NaN;
}

/**
 * Builds the columns of a Table informer's rows.
 *
 * @param definitions the server's column definitions
 * @param options NAMESPACE column, wide
 * @returns the columns, in order
 * @example
 * ```ts
 * const columns = tableColumns(informer.columns, { namespaceColumn: true, wide: false });
 * ```
 */
export function tableColumns(
  definitions: readonly TableColumnDefinition[],
  options: TableColumnsOptions,
): ColumnSpec<TableRowItem>[] {
  const columns: ColumnSpec<TableRowItem>[] = [];
  if (options.namespaceColumn) columns.push({ name: "Namespace", value: (item) => item.metadata.namespace ?? "" });
  definitions.forEach((definition, index) => {
    if (definition.priority > 0 && !options.wide) return;
    const name = definition.name;
    const lower = name.toLowerCase();
    if (lower === "age" && definition.type === "string") {
      columns.push({ name, age: true, value: creationTime });
      return;
    }
    columns.push({
      name,
      value: (item) => cellText(item.cells[index]),
      numeric: definition.type === "integer" || definition.type === "number",
      status: lower === "status" || lower === "phase",
    });
  });
  return columns;
}

/** How Table rows are identified: uid and resourceVersion; a `Completed` row condition dims the row. */
export const tableRowIdentity: RowIdentity<TableRowItem> = {
  version: (item) => ({
    uid: item.metadata.uid ?? "",
    resourceVersion: item.metadata.resourceVersion ?? "",
  }),
  completed: (item) => item.conditions?.some((c) => c.type === "Completed" && c.status === "True") === true,
};
