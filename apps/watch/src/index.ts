/**
 * The terminal watcher `kubeshift-watch`: a live, k9s-like view of a cluster, built on `@kubeshift/watch` — the
 * pieces are exported for embedding and for the benchmark: the Ink {@link App}, the {@link WatchSession} it drives,
 * the {@link RowTable} view model, the non-terminal {@link streamChanges} printer and {@link runCli}.
 *
 * @example
 * ```ts
 * import { runCli } from "@kubeshift/watch-app";
 * process.exitCode = await runCli(["--demo", "-A", "pods"]);
 * ```
 *
 * @module
 */
export { App, type AppProps } from "./app.ts";
export { type DemoClusterOptions, startDemoCluster } from "./demo-cluster.ts";
export { EVENT_COLUMNS, eventIdentity } from "./event-columns.ts";
export { explainFailure, shortFailure } from "./explain-failure.ts";
export { createFrameScheduler, type FrameScheduler, type SchedulerTimers } from "./frame-scheduler.ts";
export { h } from "./h.ts";
export { type HealthLabel, healthLabel } from "./health-label.ts";
export {
  type ConnectionHandle,
  fromConnection,
  type OpenCluster,
  type OpenClusterOptions,
  openCluster,
} from "./open-cluster.ts";
export { type OutputFormat, parseArgs, USAGE, UsageError, type WatchArgs } from "./parse-args.ts";
export { ResourceWatch, type ResourceWatchOptions, type WatchScope } from "./resource-watch.ts";
export { parseRowFilter, type RowFilter } from "./row-filter.ts";
export {
  type ColumnSpec,
  type RowChange,
  type RowIdentity,
  RowTable,
  type RowTableOptions,
  type SortOrder,
  type TableWindow,
  type VisibleRow,
} from "./row-table.ts";
export { type CliIo, type RunCliOptions, runCli } from "./run-cli.ts";
export { type StatusTone, statusTone, toneColor } from "./status-style.ts";
export { type StreamChangesOptions, streamChanges, type TextSink } from "./stream-changes.ts";
export { type TableColumnsOptions, tableColumns, tableRowIdentity } from "./table-columns.ts";
export { COLUMN_GAP, layoutRow, type RowLayout, type RowText, TableView, type TableViewProps } from "./table-view.ts";
export { type ClusterInfo, WatchSession, type WatchSessionOptions } from "./watch-session.ts";
