/**
 * One watched resource: a Table informer of `@kubeshift/watch` (the rows `kubectl get` prints, kept in step through
 * every reconnect) feeding a {@link RowTable}. Changing the namespace or the selectors starts a new informer (the
 * server filters; nothing is filtered here but the `/` filter).
 *
 * @module
 */
import type { Client, DiscoveredResource } from "@kubeshift/client";
import {
  createTableInformer,
  type InformerHealth,
  objectKey,
  type TableInformer,
  type TableInformerOptions,
  type TableRowItem,
} from "@kubeshift/watch";
import { RowTable } from "./row-table.ts";
import { tableColumns, tableRowIdentity } from "./table-columns.ts";

/** Where to watch: a namespace (or all) and the selectors sent to the server. */
export interface WatchScope {
  /** The namespace; `undefined` for every namespace. Ignored for cluster-scoped kinds. */
  readonly namespace: string | undefined;
  /** Label selector, sent to the server. */
  readonly labelSelector?: string | undefined;
  /** Field selector, sent to the server. */
  readonly fieldSelector?: string | undefined;
}

/** The informer options that select what a scope covers for one resource (namespace, selectors). */
export function scopeOptions(
  resource: DiscoveredResource,
  scope: WatchScope,
): Pick<TableInformerOptions, "namespace" | "allNamespaces" | "labelSelector" | "fieldSelector"> {
  const namespaced = resource.namespaced;
  return {
    ...(namespaced && scope.namespace !== undefined ? { namespace: scope.namespace } : {}),
    allNamespaces: namespaced && scope.namespace === undefined,
    ...(scope.labelSelector === undefined ? {} : { labelSelector: scope.labelSelector }),
    ...(scope.fieldSelector === undefined ? {} : { fieldSelector: scope.fieldSelector }),
  };
}

/** Options of {@link ResourceWatch}. */
export interface ResourceWatchOptions {
  /** The scope to start with. */
  scope: WatchScope;
  /** Show the `-o wide` columns. @default false */
  wide?: boolean;
  /** Called after anything that changes what is drawn (rows, columns, health, errors). */
  onChange: () => void;
  /** The clock of highlights and fades. @default Date.now */
  now?: () => number;
  /** How long a deleted row fades, in ms. @default 2000 */
  fadeMs?: number;
  /** Informer settings (backoff, timeouts), for tests. */
  informer?: Omit<TableInformerOptions, "namespace" | "allNamespaces" | "labelSelector" | "fieldSelector">;
}

/**
 * Watches one resource into a row table.
 *
 * @example
 * ```ts
 * const pods = new ResourceWatch(client, await client.mapper.find("po"), { scope: { namespace: undefined }, onChange });
 * ```
 */
export class ResourceWatch {
  /** The resource, from discovery. */
  readonly resource: DiscoveredResource;
  /** Its rows. */
  readonly table: RowTable<TableRowItem>;
  readonly #client: Client;
  readonly #options: ResourceWatchOptions;
  readonly #now: () => number;
  #informer: TableInformer | undefined;
  #scope: WatchScope;
  #wide: boolean;
  #lastError: unknown;
  #generation = 0;

  /**
   * Starts watching.
   *
   * @param client the client
   * @param resource the resource (from `client.mapper.find()`)
   * @param options scope, wide, change callback
   */
  constructor(client: Client, resource: DiscoveredResource, options: ResourceWatchOptions) {
    this.#client = client;
    this.resource = resource;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#scope = options.scope;
    this.#wide = options.wide === true;
    this.table = new RowTable<TableRowItem>({
      ...tableRowIdentity,
      ...(options.fadeMs === undefined ? {} : { fadeMs: options.fadeMs }),
    });
    this.#start();
  }

  /** The scope being watched. */
  get scope(): WatchScope {
    return this.#scope;
  }

  /** Whether the rows come from every namespace. */
  get allNamespaces(): boolean {
    return this.resource.namespaced && this.#scope.namespace === undefined;
  }

  /** The informer's state (`Listing` before the first one starts). */
  get health(): InformerHealth {
    return this.#informer?.health ?? { state: "Listing", since: this.#now() };
  }

  /** Whether the first list arrived. */
  get synced(): boolean {
    return this.#informer?.hasSynced() === true;
  }

  /** The last failure since the last successful list or watch, for the status line. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** Whether `-o wide` columns are shown. */
  get wide(): boolean {
    return this.#wide;
  }

  /** The running informer (for its stats). */
  get informer(): TableInformer | undefined {
    return this.#informer;
  }

  /**
   * Watches another scope: a new informer, the rows of the old one cleared.
   *
   * @param scope namespace and selectors
   */
  setScope(scope: WatchScope): void {
    this.#scope = scope;
    void this.#informer?.stop();
    this.table.clear();
    this.#lastError = undefined;
    this.#start();
    this.#options.onChange();
  }

  /**
   * Shows or hides the `-o wide` columns.
   *
   * @param wide whether to show them
   */
  setWide(wide: boolean): void {
    if (wide === this.#wide) return;
    this.#wide = wide;
    this.#applyColumns();
    this.#options.onChange();
  }

  /** Stops the informer. */
  async stop(): Promise<void> {
    this.#generation++;
    await this.#informer?.stop();
  }

  #applyColumns(): void {
    const definitions = this.#informer?.columns ?? [];
    this.table.setColumns(tableColumns(definitions, { namespaceColumn: this.allNamespaces, wide: this.#wide }));
  }

  #start(): void {
    const generation = ++this.#generation;
    const scope = this.#scope;
    const table = this.table;
    const onChange = this.#options.onChange;
    // A stopped informer may still deliver what it had queued: only the current one may touch the table.
    const current = (): boolean => generation === this.#generation;
    let columnsSeen: readonly unknown[] | undefined;
    const informer = createTableInformer(this.#client, this.resource, {
      initialResourceVersion: "",
      ...this.#options.informer,
      ...scopeOptions(this.resource, scope),
      // managedFields are half of a row's metadata and never drawn.
      stripManagedFields: true,
      onColumns: (columns) => {
        // The same definitions come with every watch; the rows are formatted again only when they differ.
        if (!current() || columns === columnsSeen) return;
        columnsSeen = columns;
        this.#applyColumns();
        onChange();
      },
      onHealth: (health) => {
        if (!current()) return;
        if (health.state === "Watching") this.#lastError = undefined;
        onChange();
      },
      onError: (error) => {
        if (!current()) return;
        this.#lastError = error;
        onChange();
      },
      handlers: {
        add: (item, info) => {
          if (!current()) return;
          const key = objectKey(item);
          if (key === undefined) return;
          table.upsert(key, item, { now: this.#now(), initial: info.isInInitialList });
          onChange();
        },
        update: (_old, item) => {
          if (!current()) return;
          const key = objectKey(item);
          if (key === undefined) return;
          table.upsert(key, item, { now: this.#now() });
          onChange();
        },
        delete: (item) => {
          if (!current()) return;
          const key = objectKey(item);
          if (key === undefined) return;
          table.remove(key, this.#now());
          onChange();
        },
      },
    });
    this.#informer = informer;
    this.#applyColumns();
  }
}
