/**
 * What a server-side printer is (columns and a row function) and the small formatting helpers the kube-apiserver's
 * printers share: AGE, label and label-selector text, container name and image lists.
 *
 * @module
 */
import { labelSelectorText } from "../registry/object-meta.ts";
import { DESCRIPTIONS } from "./_descriptions.ts";
import { humanDuration } from "./_durations.ts";

/** One column of a Table. */
export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** A row condition (`Completed` for finished pods). */
export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The cells of one object, and its row conditions. */
export interface PrintedRow {
  cells: unknown[];
  conditions?: RowCondition[];
}

/** A printer: the columns, and the row of an object at a given time. */
export interface Printer {
  columns: readonly ColumnDefinition[];
  row(object: JsonObject, now: Date): PrintedRow;
}

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** A column; `format` and `priority` default to `""` and 0. */
export function column(
  name: string,
  type: string,
  description: string,
  extra: { format?: string; priority?: number } = {},
): ColumnDefinition {
  return { name, type, format: extra.format ?? "", description, priority: extra.priority ?? 0 };
}

/** The Name column every printer starts with. */
export const NAME_COLUMN: ColumnDefinition = column("Name", "string", DESCRIPTIONS.name, { format: "name" });
/** The Age column. */
export const AGE_COLUMN: ColumnDefinition = column("Age", "string", DESCRIPTIONS.creationTimestamp);

/** An own member at a dotted path, or `undefined`. */
export function get(o: unknown, path: string): unknown {
  let current = o;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, part) ? (current as JsonObject)[part] : undefined;
  }
  return current;
}

/** A string member, `""` when missing (Go's zero value). */
export function str(o: unknown, path: string): string {
  const v = get(o, path);
  return typeof v === "string" ? v : "";
}

/** A number member, 0 when missing. */
export function num(o: unknown, path: string): number {
  const v = get(o, path);
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/** A string entry of a map whose keys may contain dots (annotations, labels), `""` when missing. */
export function entry(map: unknown, key: string): string {
  if (typeof map !== "object" || map === null || !Object.hasOwn(map, key)) return "";
  const v = (map as JsonObject)[key];
  return typeof v === "string" ? v : "";
}

/** An array member, `[]` when missing. */
export function list(o: unknown, path: string): unknown[] {
  const v = get(o, path);
  return Array.isArray(v) ? v : [];
}

/** An object member, `{}` when missing. */
export function obj(o: unknown, path: string): JsonObject {
  const v = get(o, path);
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : {};
}

/** `translateTimestampSince`: the age of an RFC 3339 timestamp, `<unknown>` when unset. */
export function since(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== "string" || timestamp === "") return "<unknown>";
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return "<unknown>";
  return humanDuration(now.getTime() - t);
}

/** The AGE of an object. */
export function age(o: unknown, now: Date): string {
  return since(get(o, "metadata.creationTimestamp"), now);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `labels.FormatLabels`: `a=1,b=2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  if (typeof labels !== "object" || labels === null) return "<none>";
  const entries = Object.entries(labels as Record<string, unknown>).sort(([a], [b]) => compareStrings(a, b));
  if (entries.length === 0) return "<none>";
  return entries.map(([k, v]) => `${k}=${typeof v === "string" ? v : ""}`).join(",");
}

/**
 * A `metav1.LabelSelector` as selector text (`app=web,tier in (a,b)`), requirements sorted by key; `""` for an
 * empty or missing selector, `<error>` for an invalid one.
 */
export function labelSelectorString(selector: unknown): string {
  if (typeof selector !== "object" || selector === null) return "";
  return labelSelectorText(selector) ?? "<error>";
}

/** `metav1.FormatLabelSelector`: the selector text, `<none>` when empty. */
export function formatLabelSelector(selector: unknown): string {
  const s = labelSelectorString(selector);
  return s === "" ? "<none>" : s;
}

/** `layoutContainerCells`: container names and images, comma-separated. */
export function containerCells(containers: unknown[]): [string, string] {
  return [containers.map((c) => str(c, "name")).join(","), containers.map((c) => str(c, "image")).join(",")];
}
