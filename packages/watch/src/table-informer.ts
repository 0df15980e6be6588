/**
 * `createTableInformer()`: an informer for display. It lists and watches with the Table `Accept` of `kubectl get`
 * (`meta.k8s.io` v1, then v1beta1 for OpenShift 3.11, then plain JSON), so every kind, CRDs included, arrives with the
 * columns the server prints for it; each cached item is one row. The column definitions come with the list and with
 * the first event of every watch only, so they are cached and learnt again after each reconnect. A server (or proxy)
 * that answers 406 gets plain JSON instead, shown as kubectl's NAME and AGE columns.
 *
 * @module
 */
import {
  type Client,
  isTable,
  type PartialObjectMetadata,
  TABLE_ACCEPT,
  type Table,
  type TableColumnDefinition,
  type TableRow,
  type TableRowCondition,
  tableFromObjects,
} from "@kubeshift/client";
import type { ResourceDescriptor } from "@kubeshift/types";
import type { ItemCodec } from "./_item-codec.ts";
import { type Informer, InformerCore, type InformerOptions } from "./informer.ts";

/** One row of a Table informer: the row's cells and the metadata of its object. */
export interface TableRowItem {
  /** The object's metadata (`PartialObjectMetadata`): name, namespace, uid, resourceVersion, labels, … */
  metadata: NonNullable<PartialObjectMetadata["metadata"]>;
  /** Cells, in the order of {@link TableInformer.columns}. */
  cells: unknown[];
  /** Row conditions (`Completed` for finished pods: show it dimmed). */
  conditions?: TableRowCondition[];
}

/** Options of {@link createTableInformer}. */
export interface TableInformerOptions extends Omit<InformerOptions<TableRowItem>, "watchList"> {
  /** Called whenever the server sends column definitions: with each list, and with the first event of each watch. */
  onColumns?: (columns: readonly TableColumnDefinition[]) => void;
}

/** A running Table informer. */
export interface TableInformer extends Informer<TableRowItem> {
  /** The column definitions (empty until the first list arrives). */
  readonly columns: readonly TableColumnDefinition[];
  /** Whether the server prints Tables for this kind (`false` after a fallback to plain JSON). */
  readonly serverSideTables: boolean;
}

class TableCodec implements ItemCodec {
  columns: readonly TableColumnDefinition[] = [];
  /** How many times the server sent column definitions. */
  learned = 0;
  serverSide = true;
  #json = false;
  readonly #now: () => number;
  readonly #onColumns: ((columns: readonly TableColumnDefinition[]) => void) | undefined;

  constructor(now: () => number, onColumns: ((columns: readonly TableColumnDefinition[]) => void) | undefined) {
    this.#now = now;
    this.#onColumns = onColumns;
  }

  accept(): string {
    return this.#json ? "application/json" : TABLE_ACCEPT;
  }

  query(): Readonly<Record<string, string | undefined>> {
    return this.#json ? {} : { includeObject: "Metadata" };
  }

  #learn(table: Table): void {
    const defs = table.columnDefinitions as TableColumnDefinition[] | null;
    if (!Array.isArray(defs) || defs.length === 0) return;
    // Keep the array a UI already holds when nothing changed (cheap equality for renderers).
    if (!sameColumns(defs, this.columns)) this.columns = defs;
    this.learned++;
    this.#onColumns?.(this.columns);
  }

  #asTable(body: unknown): Table {
    if (isTable(body)) {
      this.#learn(body);
      return body;
    }
    // A kind without a printer, or a server without Tables: kubectl's NAME and AGE.
    this.serverSide = false;
    const table = tableFromObjects(body, this.#now());
    this.#learn(table);
    return table;
  }

  page(body: unknown) {
    const table = this.#asTable(body);
    const rv = table.metadata?.resourceVersion;
    const next = table.metadata?.continue;
    return {
      items: table.rows ?? [],
      resourceVersion: typeof rv === "string" && rv !== "" ? rv : undefined,
      continue: typeof next === "string" && next !== "" ? next : undefined,
    };
  }

  item(raw: unknown, fromList: boolean): unknown {
    let row: TableRow | undefined;
    if (fromList) row = raw as TableRow;
    else {
      const table = this.#asTable(raw);
      row = table.rows?.[0];
      // The row's object may lack the event's resourceVersion on old servers; the Table's metadata has it.
      if (row?.object && typeof row.object === "object") {
        const metadata = (row.object as PartialObjectMetadata).metadata;
        if (metadata !== undefined && metadata.resourceVersion === undefined && table.metadata?.resourceVersion)
          metadata.resourceVersion = table.metadata.resourceVersion;
      }
    }
    if (typeof row !== "object" || row === null || !Array.isArray(row.cells)) return undefined;
    const metadata = (row.object as PartialObjectMetadata | null | undefined)?.metadata;
    if (metadata === undefined) return undefined;
    const item: TableRowItem = { metadata, cells: row.cells };
    if (row.conditions !== undefined) item.conditions = row.conditions;
    return item;
  }

  notAcceptable(): boolean {
    if (this.#json) return false;
    this.#json = true;
    this.serverSide = false;
    return true;
  }

  watchStarted(): void {
    // The next event's Table carries the column definitions again; #learn picks them up.
  }
}

function sameColumns(a: readonly TableColumnDefinition[], b: readonly TableColumnDefinition[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]?.name && c.priority === b[i]?.priority);
}

class TableInformerImpl extends InformerCore<TableRowItem> implements TableInformer {
  readonly #codec: TableCodec;

  constructor(
    client: Client,
    descriptor: ResourceDescriptor<unknown, unknown>,
    codec: TableCodec,
    options: TableInformerOptions,
  ) {
    super(client, descriptor, codec, { ...options, watchList: "never" });
    this.#codec = codec;
  }

  get columns(): readonly TableColumnDefinition[] {
    return this.#codec.columns;
  }

  get serverSideTables(): boolean {
    return this.#codec.serverSide;
  }
}

/**
 * Starts an informer of server-printed rows (what `kubectl get -w` shows), for terminal and web UIs.
 *
 * @param client the client
 * @param descriptor the resource (any kind, CRDs included: the server chooses the columns)
 * @param options the informer options (WatchList is not used: Tables are listed and watched), and `onColumns`
 * @returns the running informer; its items are rows keyed by `namespace/name`
 * @throws {RangeError} or {TypeError} on bad options, as {@link createInformer}
 * @example
 * ```ts
 * import { createTableInformer } from "@kubeshift/watch";
 * const rows = createTableInformer(client, Pod, { allNamespaces: true, onColumns: (c) => render(c) });
 * await rows.synced;
 * for (const row of rows.store.list()) console.log(row.cells.join("  "));
 * ```
 */
export function createTableInformer<T, L>(
  client: Client,
  descriptor: ResourceDescriptor<T, L>,
  options: TableInformerOptions = {},
): TableInformer {
  const now = options.clock === undefined ? Date.now : () => (options.clock as { now(): number }).now();
  const codec = new TableCodec(now, options.onColumns);
  return new TableInformerImpl(client, descriptor as ResourceDescriptor<unknown, unknown>, codec, options);
}
