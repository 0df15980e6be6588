/**
 * Server-side printing: the `meta.k8s.io` Table that `kubectl get` shows, with the columns the server chose for the
 * kind (OpenShift routes: NAME, HOST/PORT, PATH, SERVICES, …).
 *
 * @module
 */
import type { KubeObject, ListMeta } from "./kube-object.ts";
import type { ListOptions } from "./options.ts";

/**
 * The `Accept` that asks for a Table, v1 then v1beta1 (OpenShift 3.11 serves only v1beta1), with plain JSON as the
 * fallback for servers and kinds without printers; the same list kubectl sends.
 */
export const TABLE_ACCEPT: string =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

/** One column of a Table. */
export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type of the cells: `string`, `integer`, `number`, `boolean`, `date`. */
  type: string;
  /** OpenAPI format (`name` marks the object name column). */
  format: string;
  description: string;
  /** `0` for the columns `kubectl get` shows, higher for `-o wide`. */
  priority: number;
}

/** A condition of a row (`Completed` for finished pods). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** `PartialObjectMetadata`, what `includeObject=Metadata` embeds. */
export interface PartialObjectMetadata {
  kind?: "PartialObjectMetadata";
  apiVersion?: string;
  metadata?: KubeObject["metadata"];
}

/** One row: cells in column order, and the object as asked by `includeObject`. */
export interface TableRow<T = KubeObject> {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: T | PartialObjectMetadata | null;
}

/** A Table (`meta.k8s.io/v1` or `v1beta1`). Watch events after the first carry `columnDefinitions: null`. */
export interface Table<T = KubeObject> {
  kind: "Table";
  apiVersion: string;
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow<T>[];
}

/** Options of `table`. */
export interface TableOptions extends ListOptions {
  /** One object instead of the collection. */
  name?: string;
  /** What each row embeds: nothing, its metadata, or the whole object. @default "Metadata" (the server's default) */
  includeObject?: "None" | "Metadata" | "Object";
}

/**
 * Tells whether a parsed response is a Table.
 *
 * @param value parsed JSON
 * @returns `true` for a `Table` of `meta.k8s.io`
 * @example
 * ```ts
 * if (isTable(body)) console.log(body.columnDefinitions.map((c) => c.name));
 * ```
 */
export function isTable(value: unknown): value is Table {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "Table" &&
    Array.isArray((value as { rows?: unknown }).rows)
  );
}

const NAME_COLUMN: TableColumnDefinition = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name of the object",
  priority: 0,
};
const AGE_COLUMN: TableColumnDefinition = {
  name: "Age",
  type: "string",
  format: "",
  description: "Time since the object was created",
  priority: 0,
};

/**
 * Formats an age the way kubectl does (`45s`, `12m`, `5h3m`, `3d`, `2y41d`).
 *
 * @param ms elapsed milliseconds
 * @returns the short human duration (`<invalid>` when more than a second in the future)
 * @example
 * ```ts
 * humanAge(90_000); // "90s"
 * ```
 */
export function humanAge(ms: number): string {
  if (!Number.isFinite(ms)) return "<unknown>";
  const s = Math.trunc(ms / 1000);
  // A little clock skew between client and server reads as "0s", more as invalid (kubectl's HumanDuration).
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (y < 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

/**
 * Builds the Table kubectl prints for kinds the server has no printer for (NAME, AGE) from a list or one object.
 *
 * @param body a list (`items`) or a single object
 * @param now the current time in milliseconds
 * @returns the Table, rows embedding the objects
 * @example
 * ```ts
 * const table = tableFromObjects({ items: [{ metadata: { name: "a" } }] }, Date.now());
 * ```
 */
export function tableFromObjects(body: unknown, now: number): Table {
  const b = body as { items?: unknown; metadata?: ListMeta; apiVersion?: string };
  const items = (Array.isArray(b?.items) ? b.items : [body]) as KubeObject[];
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: Array.isArray(b?.items) ? { ...(b.metadata ?? {}) } : {},
    columnDefinitions: [NAME_COLUMN, AGE_COLUMN],
    rows: items.map((o) => {
      const created = Date.parse(String(o?.metadata?.creationTimestamp ?? ""));
      return {
        cells: [o?.metadata?.name ?? "", Number.isNaN(created) ? "<unknown>" : humanAge(now - created)],
        object: o,
      };
    }),
  };
}
