/**
 * The view model of one table: every row the informer holds, formatted once per `uid + resourceVersion`, filtered
 * and sorted into an order that is rebuilt only when a change can move a row, and cut down to the visible window.
 * Rendering therefore costs the same for 50 rows as for 50,000; AGE cells are computed for visible rows only, when a
 * frame is drawn. Rows that just changed are flagged for a short highlight; deleted rows stay, flagged, for a short
 * fade before they go.
 *
 * @module
 */
import { humanAge } from "@kubeshift/client";
import type { RowFilter } from "./row-filter.ts";

/** One column of a table. */
export interface ColumnSpec<T> {
  /** Header text (upper-cased when drawn, as kubectl). */
  readonly name: string;
  /** Cell text of an item; for an `age` column, the epoch milliseconds the age counts from (`NaN`: unknown). */
  readonly value: (item: T) => string | number;
  /** The cell is an age, computed when drawn (`5m`, `2d3h`). */
  readonly age?: boolean;
  /** Sort numerically (the leading number of the text). */
  readonly numeric?: boolean;
  /** The column is a status: its cell is coloured. */
  readonly status?: boolean;
}

/** How items are identified and flagged. */
export interface RowIdentity<T> {
  /** Stable identity and version: a row is formatted again only when one of them changes. */
  version(item: T): { uid: string; resourceVersion: string };
  /** Whether the row is finished (a `Completed` pod): drawn dimmed. @default never */
  completed?(item: T): boolean;
}

/** Options of {@link RowTable}. */
export interface RowTableOptions<T> extends RowIdentity<T> {
  /** How long a changed row stays highlighted, in ms. @default 1500 */
  highlightMs?: number;
  /** How long a deleted row stays (dimmed) before it goes, in ms; `0` removes it at once. @default 2000 */
  fadeMs?: number;
}

/** When a row changed. */
export interface RowChange {
  /** The time of the change, in epoch ms. */
  readonly now: number;
  /** Part of an initial list (or the cache a late consumer starts with): not highlighted. @default false */
  readonly initial?: boolean;
}

/** A sort: a column (by name) and a direction. `column: undefined` is the server's order (namespace, name). */
export interface SortOrder {
  readonly column: string | undefined;
  readonly descending: boolean;
}

/** A row as drawn. */
export interface VisibleRow {
  readonly key: string;
  /** Cells of the visible columns, ages computed. */
  readonly cells: readonly string[];
  /** Changed within the highlight period. */
  readonly changed: boolean;
  /** Deleted, fading out. */
  readonly deleted: boolean;
  /** Finished (`Completed`). */
  readonly completed: boolean;
}

/** A drawable snapshot of the table. */
export interface TableWindow {
  /** Header names. */
  readonly headers: readonly string[];
  /** Width of each column (the widest cell among all matching rows, the header included; ages: the visible ones). */
  readonly widths: readonly number[];
  /** Which column is coloured as a status (`-1`: none). */
  readonly statusColumn: number;
  /** Which column the rows are sorted by (`-1`: the server's order). */
  readonly sortColumn: number;
  readonly descending: boolean;
  /** The visible rows. */
  readonly rows: readonly VisibleRow[];
  /** Index (in the matching rows) of the first visible row. */
  readonly offset: number;
  /** Index of the selected row in `rows` (`-1`: none visible). */
  readonly selected: number;
  /** Live rows (deleted ones excluded). */
  readonly total: number;
  /** Live rows that pass the filter. */
  readonly matched: number;
}

interface Entry<T> {
  key: string;
  item: T;
  uid: string;
  rv: string;
  /** Formatted cells; age columns hold their timestamp as text, unused. */
  cells: string[];
  /** Epoch ms of each age column (NaN elsewhere). */
  times: number[];
  /** Lower-cased text the filter searches. */
  text: string;
  completed: boolean;
  /** Sort key for the current sort column. */
  sortKey: string | number;
  matches: boolean;
  changedAt: number;
  deletedAt: number;
  /** The layout generation the cells were formatted for. */
  layout: number;
}

const EMPTY_TIMES: number[] = [];

function leadingNumber(text: string): number {
  const n = Number.parseFloat(text);
  return Number.isNaN(n) ? Number.NEGATIVE_INFINITY : n;
}

/**
 * The rows of one table, kept ready to draw.
 *
 * @example
 * ```ts
 * const table = new RowTable<Row>({ version: (r) => ({ uid: r.uid, resourceVersion: r.rv }) });
 * table.setColumns([{ name: "Name", value: (r) => r.name }]);
 * table.upsert("dev/web", row, { now: Date.now() });
 * const view = table.window({ height: 20, now: Date.now() });
 * ```
 */
export class RowTable<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #identity: RowIdentity<T>;
  readonly #highlightMs: number;
  readonly #fadeMs: number;
  #columns: readonly ColumnSpec<T>[] = [];
  #layout = 0;
  #filter: RowFilter | undefined;
  #sort: SortOrder = { column: undefined, descending: false };
  #sortIndex = -1;
  #order: Entry<T>[] = [];
  #orderDirty = true;
  #widths: number[] = [];
  #widthsDirty = true;
  #live = 0;
  #matched = 0;
  #ghosts = 0;
  #selectedKey: string | undefined;
  #selectedIndex = 0;
  #offset = 0;
  #version = 0;

  /**
   * @param options identity of the items, highlight and fade periods
   * @throws {RangeError} on a negative period
   */
  constructor(options: RowTableOptions<T>) {
    this.#identity = options;
    this.#highlightMs = options.highlightMs ?? 1500;
    this.#fadeMs = options.fadeMs ?? 2000;
    if (!(this.#highlightMs >= 0) || !(this.#fadeMs >= 0)) throw new RangeError("highlightMs and fadeMs must be ≥ 0");
  }

  /** Increases with every change that can alter what is drawn (a cheap "has anything changed" check). */
  get version(): number {
    return this.#version;
  }

  /** Live rows (deleted ones excluded). */
  get size(): number {
    return this.#live;
  }

  /** The columns. */
  get columns(): readonly ColumnSpec<T>[] {
    return this.#columns;
  }

  /** The current sort. */
  get sort(): SortOrder {
    return this.#sort;
  }

  /** The current filter. */
  get filter(): RowFilter | undefined {
    return this.#filter;
  }

  /** The key of the selected row. */
  get selectedKey(): string | undefined {
    this.#ensureOrder();
    return this.#order[this.#selectedIndex]?.key;
  }

  /** The item of the selected row (deleted rows included while they fade). */
  get selectedItem(): T | undefined {
    this.#ensureOrder();
    return this.#order[this.#selectedIndex]?.item;
  }

  /**
   * Replaces the columns (the server sent new definitions, `-o wide` was toggled): every row is formatted again.
   *
   * @param columns the columns, in order
   */
  setColumns(columns: readonly ColumnSpec<T>[]): void {
    this.#columns = columns;
    this.#layout++;
    this.#sortIndex = this.#columnIndex(this.#sort.column);
    for (const entry of this.#entries.values()) this.#format(entry);
    this.#orderDirty = true;
    this.#widthsDirty = true;
    this.#version++;
  }

  /**
   * Adds a row or updates it. A row whose uid and resourceVersion are unchanged is not formatted again.
   *
   * @param key the row's key (`namespace/name`)
   * @param item the item
   * @param change when it changed (epoch ms), and whether it is part of an initial list (then not highlighted)
   */
  upsert(key: string, item: T, change: RowChange): void {
    const { now } = change;
    const initial = change.initial === true;
    const { uid, resourceVersion } = this.#identity.version(item);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = {
        key,
        item,
        uid,
        rv: resourceVersion,
        cells: [],
        times: EMPTY_TIMES,
        text: "",
        completed: false,
        sortKey: "",
        matches: true,
        changedAt: initial ? 0 : now,
        deletedAt: 0,
        layout: -1,
      };
      this.#entries.set(key, entry);
      this.#live++;
      this.#format(entry);
      this.#orderDirty = true;
      this.#grow(entry);
      this.#version++;
      return;
    }
    const wasDeleted = entry.deletedAt !== 0;
    if (wasDeleted) {
      entry.deletedAt = 0;
      this.#ghosts--;
      this.#live++;
      this.#orderDirty = true;
    }
    entry.item = item;
    if (!wasDeleted && entry.uid === uid && entry.rv === resourceVersion && entry.layout === this.#layout) return;
    entry.uid = uid;
    entry.rv = resourceVersion;
    if (!initial) entry.changedAt = now;
    const before = entry.sortKey;
    const matched = entry.matches;
    this.#format(entry);
    if (entry.sortKey !== before || entry.matches !== matched) this.#orderDirty = true;
    // Widths grow at once and shrink only when rows go or the filter or columns change: a column that narrows
    // every time a pod leaves ContainerCreating makes the table jump.
    this.#grow(entry);
    this.#version++;
  }

  /**
   * Marks a row deleted: it fades for `fadeMs`, then goes.
   *
   * @param key the row's key
   * @param now the time of the deletion, in epoch ms
   */
  remove(key: string, now: number): void {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.deletedAt !== 0) return;
    this.#live--;
    if (entry.matches) this.#matched--;
    this.#version++;
    if (this.#fadeMs === 0) {
      this.#entries.delete(key);
      this.#orderDirty = true;
      this.#widthsDirty = true;
      return;
    }
    entry.deletedAt = now;
    this.#ghosts++;
  }

  /** Removes every row (a new namespace, selector or resource). */
  clear(): void {
    this.#entries.clear();
    this.#order = [];
    this.#live = 0;
    this.#ghosts = 0;
    this.#selectedIndex = 0;
    this.#offset = 0;
    this.#orderDirty = true;
    this.#widthsDirty = true;
    this.#version++;
  }

  /**
   * Filters the rows.
   *
   * @param filter the filter, or `undefined` for all rows
   */
  setFilter(filter: RowFilter | undefined): void {
    this.#filter = filter;
    for (const entry of this.#entries.values()) entry.matches = filter === undefined || filter.test(entry.text);
    this.#orderDirty = true;
    this.#widthsDirty = true;
    this.#selectedIndex = 0;
    this.#offset = 0;
    this.#version++;
  }

  /**
   * Sorts the rows.
   *
   * @param sort the column (by name; `undefined` for the server's order) and direction
   */
  setSort(sort: SortOrder): void {
    this.#sort = sort;
    this.#sortIndex = this.#columnIndex(sort.column);
    for (const entry of this.#entries.values()) entry.sortKey = this.#sortKeyOf(entry);
    this.#orderDirty = true;
    this.#version++;
  }

  /**
   * Moves the selection.
   *
   * @param delta rows to move (negative: up); clamped to the rows
   */
  moveSelection(delta: number): void {
    this.#ensureOrder();
    const last = this.#order.length - 1;
    this.#selectedIndex = Math.max(0, Math.min(last, this.#selectedIndex + delta));
    this.#selectedKey = this.#order[this.#selectedIndex]?.key;
    this.#version++;
  }

  /**
   * Selects the first or last row.
   *
   * @param where `first` or `last`
   */
  selectEdge(where: "first" | "last"): void {
    this.#ensureOrder();
    this.#selectedIndex = where === "first" ? 0 : Math.max(0, this.#order.length - 1);
    this.#selectedKey = this.#order[this.#selectedIndex]?.key;
    this.#version++;
  }

  /**
   * The visible part of the table. Drops rows whose fade has ended, rebuilds the order if a change requires it,
   * keeps the selection in view.
   *
   * @param options the number of row lines and the current time
   * @returns what to draw
   */
  window(options: { height: number; now: number }): TableWindow {
    const { now } = options;
    const height = Math.max(1, Math.floor(options.height));
    if (this.#ghosts > 0) this.#expireGhosts(now);
    this.#ensureOrder();
    const order = this.#order;
    const count = order.length;
    if (this.#selectedIndex >= count) this.#selectedIndex = Math.max(0, count - 1);
    if (this.#selectedIndex < this.#offset) this.#offset = this.#selectedIndex;
    if (this.#selectedIndex >= this.#offset + height) this.#offset = this.#selectedIndex - height + 1;
    this.#offset = Math.max(0, Math.min(this.#offset, Math.max(0, count - height)));
    const end = Math.min(count, this.#offset + height);
    const columns = this.#columns;
    if (this.#widthsDirty) this.#computeWidths();
    const widths = this.#widths.slice();
    const rows: VisibleRow[] = [];
    for (let i = this.#offset; i < end; i++) {
      const entry = order[i] as Entry<T>;
      let cells = entry.cells;
      if (entry.times !== EMPTY_TIMES) {
        cells = cells.slice();
        for (let c = 0; c < columns.length; c++) {
          if (columns[c]?.age !== true) continue;
          const at = entry.times[c] as number;
          const text = Number.isNaN(at) ? "<unknown>" : humanAge(now - at);
          cells[c] = text;
          if (text.length > (widths[c] as number)) widths[c] = text.length;
        }
      }
      rows.push({
        key: entry.key,
        cells,
        changed: entry.changedAt !== 0 && now - entry.changedAt < this.#highlightMs,
        deleted: entry.deletedAt !== 0,
        completed: entry.completed,
      });
    }
    return {
      headers: columns.map((c) => c.name.toUpperCase()),
      widths,
      statusColumn: columns.findIndex((c) => c.status === true),
      sortColumn: this.#sortIndex,
      descending: this.#sort.descending,
      rows,
      offset: this.#offset,
      selected:
        this.#selectedIndex >= this.#offset && this.#selectedIndex < end ? this.#selectedIndex - this.#offset : -1,
      total: this.#live,
      matched: this.#matched,
    };
  }

  #columnIndex(name: string | undefined): number {
    if (name === undefined) return -1;
    return this.#columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  }

  #format(entry: Entry<T>): void {
    const columns = this.#columns;
    const cells: string[] = new Array(columns.length);
    let times = EMPTY_TIMES;
    let text = "";
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c] as ColumnSpec<T>;
      const value = column.value(entry.item);
      if (column.age === true) {
        if (times === EMPTY_TIMES) times = new Array<number>(columns.length).fill(Number.NaN);
        times[c] = typeof value === "number" ? value : Number.NaN;
        cells[c] = "";
        continue;
      }
      const cell = typeof value === "string" ? value : String(value);
      cells[c] = cell;
      text = text === "" ? cell : `${text} ${cell}`;
    }
    entry.cells = cells;
    entry.times = times;
    entry.text = text.toLowerCase();
    entry.completed = this.#identity.completed?.(entry.item) ?? false;
    entry.layout = this.#layout;
    entry.matches = this.#filter === undefined || this.#filter.test(entry.text);
    entry.sortKey = this.#sortKeyOf(entry);
  }

  #sortKeyOf(entry: Entry<T>): string | number {
    const index = this.#sortIndex;
    if (index < 0) return entry.key;
    const column = this.#columns[index] as ColumnSpec<T>;
    // Ascending age means youngest first, as in k9s.
    if (column.age === true) {
      const at = entry.times[index] as number;
      return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : -at;
    }
    const cell = entry.cells[index] ?? "";
    return column.numeric === true ? leadingNumber(cell) : cell.toLowerCase();
  }

  #ensureOrder(): void {
    if (!this.#orderDirty) return;
    this.#orderDirty = false;
    const order: Entry<T>[] = [];
    let matched = 0;
    for (const entry of this.#entries.values()) {
      if (!entry.matches) continue;
      order.push(entry);
      if (entry.deletedAt === 0) matched++;
    }
    const sign = this.#sort.descending ? -1 : 1;
    order.sort((a, b) => {
      const x = a.sortKey;
      const y = b.sortKey;
      if (x < y) return -sign;
      if (x > y) return sign;
      return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    });
    this.#order = order;
    this.#matched = matched;
    // The selection follows its row when the order changes.
    if (this.#selectedKey !== undefined) {
      const index = order.findIndex((e) => e.key === this.#selectedKey);
      if (index >= 0) this.#selectedIndex = index;
    }
    this.#selectedKey = order[Math.min(this.#selectedIndex, order.length - 1)]?.key;
  }

  #grow(entry: Entry<T>): void {
    if (this.#widthsDirty || !entry.matches) return;
    const widths = this.#widths;
    const cells = entry.cells;
    for (let c = 0; c < cells.length; c++) {
      const length = (cells[c] as string).length;
      if (length > (widths[c] as number)) widths[c] = length;
    }
  }

  #computeWidths(): void {
    this.#widthsDirty = false;
    const columns = this.#columns;
    const widths = columns.map((c) => (c.age === true ? Math.max(c.name.length, 3) : c.name.length));
    for (const entry of this.#entries.values()) {
      if (!entry.matches) continue;
      const cells = entry.cells;
      for (let c = 0; c < cells.length; c++) {
        const length = (cells[c] as string).length;
        if (length > (widths[c] as number)) widths[c] = length;
      }
    }
    this.#widths = widths;
  }

  #expireGhosts(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.deletedAt === 0 || now - entry.deletedAt < this.#fadeMs) continue;
      this.#entries.delete(key);
      this.#ghosts--;
      this.#orderDirty = true;
      this.#widthsDirty = true;
      this.#version++;
    }
  }
}
