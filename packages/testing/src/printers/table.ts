/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the `Table` the kube-apiserver
 * answers for a list or an object, with kubectl's columns for the built-in kinds, origin 3.11's for the OpenShift
 * kinds, and the server's generic Name / Created At table for everything else.
 *
 * @module
 */
import type { ResourceDescriptor } from "@kubeshift/types";
import type { ListMeta, TableColumnDefinition, TableRowCondition } from "@kubeshift/types/meta/v1";
import { DESCRIPTIONS } from "./_descriptions.ts";
import { KUBERNETES_PRINTERS } from "./_kubernetes-printers.ts";
import { LEGACY_OPENSHIFT_GROUPS, OPENSHIFT_PRINTERS } from "./_openshift-printers.ts";
import { type JsonObject, type Printer, str } from "./_printer.ts";

/** One row of a printed Table. */
export interface PrintedTableRow {
  /** One cell per column: strings, integers, booleans. */
  cells: unknown[];
  /** `Completed` for finished pods. */
  conditions?: TableRowCondition[];
  /** The object (`includeObject=Object`), its `PartialObjectMetadata` (`Metadata`), or `null` (`None`). */
  object: Record<string, unknown> | null;
}

/** The `Table` the server answers. */
export interface PrintedTable {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1" | "meta.k8s.io/v1beta1";
  /** Empty: `resourceVersion` (and `continue`) are the caller's to set. */
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: PrintedTableRow[];
}

/** Options of {@link printTable}. */
export interface PrintTableOptions {
  /** `?includeObject=`: the whole object, its metadata (the server's default), or nothing. */
  includeObject: "None" | "Object" | "Metadata";
  /** The Table version the client asked for (`v=v1` or `v=v1beta1` in the Accept header). */
  tableVersion: "v1" | "v1beta1";
  /** The time ages are computed against. @default the current time */
  now?: Date;
}

/** The descriptor fields the printer needs. */
export type PrintableDescriptor = Pick<ResourceDescriptor, "group" | "kind" | "apiVersion"> &
  Partial<Pick<ResourceDescriptor, "apiPath">>;

/** `rest.NewDefaultTableConvertor`: what the server prints for kinds without a printer. */
const GENERIC: Printer = {
  columns: [
    { name: "Name", type: "string", format: "name", description: DESCRIPTIONS.name, priority: 0 },
    { name: "Created At", type: "date", format: "", description: DESCRIPTIONS.creationTimestamp, priority: 0 },
  ],
  row: (o) => {
    const created = Date.parse(str(o, "metadata.creationTimestamp"));
    // A zero time.Time formats as year 1 in RFC 3339.
    const text = Number.isNaN(created)
      ? "0001-01-01T00:00:00Z"
      : new Date(created).toISOString().replace(/\.\d{3}Z$/, "Z");
    return { cells: [str(o, "metadata.name"), text] };
  },
};

/**
 * The printer the server uses for a kind (`undefined` for the generic Name / Created At table).
 *
 * @param descriptor the kind's descriptor
 * @returns whether a dedicated printer exists
 * @example
 * ```ts
 * hasPrinter({ group: "", kind: "Pod", apiVersion: "v1" }); // true
 * ```
 */
export function hasPrinter(descriptor: PrintableDescriptor): boolean {
  return printerFor(descriptor) !== GENERIC;
}

function printerFor(descriptor: PrintableDescriptor): Printer {
  const key = `${descriptor.group}/${descriptor.kind}`;
  const direct = KUBERNETES_PRINTERS[key] ?? OPENSHIFT_PRINTERS[key];
  if (direct !== undefined) return direct;
  const legacy = descriptor.group === "" ? LEGACY_OPENSHIFT_GROUPS[descriptor.kind] : undefined;
  if (legacy !== undefined) return OPENSHIFT_PRINTERS[`${legacy}/${descriptor.kind}`] ?? GENERIC;
  return GENERIC;
}

function rowObject(
  o: JsonObject,
  descriptor: PrintableDescriptor,
  options: PrintTableOptions,
): Record<string, unknown> | null {
  switch (options.includeObject) {
    case "None":
      return null;
    case "Object":
      return o.kind === undefined || o.apiVersion === undefined
        ? { kind: descriptor.kind, apiVersion: descriptor.apiVersion, ...o }
        : o;
    default:
      return {
        kind: "PartialObjectMetadata",
        apiVersion: `meta.k8s.io/${options.tableVersion}`,
        metadata: typeof o.metadata === "object" && o.metadata !== null ? o.metadata : {},
      };
  }
}

/**
 * Prints objects as the server's `Table`: kubectl's columns and cells (AGE as `5m`, `3h2m`, `2d`; READY `1/1`; pod
 * STATUS with `CrashLoopBackOff`, `ContainerCreating`, `Init:0/1`, `Completed`, `Terminating`), wide columns at
 * priority 1, and each row's object as `includeObject` asks.
 *
 * @param descriptor the kind being printed (its group and kind pick the printer)
 * @param objects the objects, in list order
 * @param options `includeObject`, the Table version, and the time ages are computed against
 * @returns the Table, `metadata` empty for the caller to fill
 * @throws {TypeError} when an object is not a JSON object
 * @example
 * ```ts
 * import { Pod } from "@kubeshift/types/core/v1";
 * const table = printTable(Pod, pods, { includeObject: "Metadata", tableVersion: "v1" });
 * table.rows[0]?.cells; // ["web-1", "1/1", "Running", 0, "5m", "10.0.0.7", "node-a", "<none>", "<none>"]
 * ```
 */
export function printTable(
  descriptor: PrintableDescriptor,
  objects: readonly object[],
  options: PrintTableOptions,
): PrintedTable {
  const printer = printerFor(descriptor);
  const now = options.now ?? new Date();
  const rows: PrintedTableRow[] = objects.map((item) => {
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw new TypeError("printTable expects JSON objects");
    const o = item as JsonObject;
    const printed = printer.row(o, now);
    const row: PrintedTableRow = { cells: printed.cells, object: rowObject(o, descriptor, options) };
    if (printed.conditions !== undefined) {
      return { cells: row.cells, conditions: printed.conditions.map((c) => ({ ...c })), object: row.object };
    }
    return row;
  });
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${options.tableVersion}`,
    metadata: {},
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
