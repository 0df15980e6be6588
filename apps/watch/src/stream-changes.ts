/**
 * The output without a terminal (piped, CI): an append-only stream like `kubectl get -w --output-watch-events` — the
 * current objects first as `ADDED` lines in the server's order (namespace, name), then one line per change; a header
 * whenever the kind changes (several resources); columns aligned on the first list. `-o json` prints one watch event
 * per line instead (`{"type":"MODIFIED","object":{…}}`, managedFields dropped as kubectl does). No colour.
 *
 * Failures before the first list (401, 403, 404, an unreachable server) end the stream with an explanation and exit
 * status 1, as kubectl does; later ones are reported on stderr while the informer reconnects.
 *
 * @module
 */
import type { Client, DiscoveredResource, TableColumnDefinition } from "@kubeshift/client";
import { ApiError, TransportError } from "@kubeshift/transport";
import {
  createInformer,
  createTableInformer,
  type Informer,
  type InformerEvent,
  objectKey,
  type TableRowItem,
} from "@kubeshift/watch";
import { explainFailure, shortFailure } from "./explain-failure.ts";
import { healthLabel } from "./health-label.ts";
import { scopeOptions, type WatchScope } from "./resource-watch.ts";
import { cellText } from "./table-columns.ts";
import type { ClusterInfo } from "./watch-session.ts";

/** Where text goes. */
export interface TextSink {
  write(text: string): unknown;
}

/** Options of {@link streamChanges}. */
export interface StreamChangesOptions {
  /** Rows (`table`, `wide`) or watch events (`json`). */
  format: "table" | "wide" | "json";
  /** Namespace and selectors. */
  scope: WatchScope;
  /** Lines go here. */
  out: TextSink;
  /** Failures and reconnects go here. */
  err: TextSink;
  /** Ends the stream (exit status 0). */
  signal: AbortSignal;
  /** Who and where, for error messages. */
  info?: ClusterInfo;
  /** Informer settings, for tests. */
  informer?: { backoff?: { initialMs?: number; maxMs?: number } };
}

const GAP = "   ";

type Event = { type: "ADDED" | "MODIFIED" | "DELETED"; key: string; object: unknown };

function watchType(event: InformerEvent<unknown>): Event["type"] {
  return event.type === "add" ? "ADDED" : event.type === "update" ? "MODIFIED" : "DELETED";
}

/** Formats the rows of one resource, aligned on the widths of its first list. */
class RowPrinter {
  readonly #resource: DiscoveredResource;
  readonly #columns: { index: number; name: string }[] = [];
  readonly #namespaceColumn: boolean;
  readonly #prefix: string;
  #widths: number[] = [];
  #measured = 0;
  #nameIndex = 0;

  constructor(
    resource: DiscoveredResource,
    definitions: readonly TableColumnDefinition[],
    options: { wide: boolean; allNamespaces: boolean; prefixNames: boolean },
  ) {
    this.#resource = resource;
    this.#namespaceColumn = options.allNamespaces;
    definitions.forEach((d, index) => {
      if (d.priority > 0 && !options.wide) return;
      if (d.format === "name") this.#nameIndex = index;
      this.#columns.push({ index, name: d.name.toUpperCase() });
    });
    this.#prefix = options.prefixNames
      ? `${resource.singular || resource.kind.toLowerCase()}${resource.group === "" ? "" : `.${resource.group}`}/`
      : "";
  }

  get kind(): string {
    return `${this.#resource.group}/${this.#resource.plural}`;
  }

  #cells(type: string, row: TableRowItem): string[] {
    const cells = [type];
    if (this.#namespaceColumn) cells.push(row.metadata.namespace ?? "");
    for (const { index } of this.#columns) {
      const text = cellText(row.cells[index]);
      cells.push(index === this.#nameIndex ? `${this.#prefix}${text}` : text);
    }
    return cells;
  }

  header(): string[] {
    return ["EVENT", ...(this.#namespaceColumn ? ["NAMESPACE"] : []), ...this.#columns.map((c) => c.name)];
  }

  /** Sets the widths from the header and the first list. */
  measure(rows: readonly TableRowItem[]): void {
    const widths = this.header().map((h, i) => (i === 0 ? "MODIFIED".length : h.length));
    for (const row of rows) {
      const cells = this.#cells("ADDED", row);
      for (let i = 0; i < cells.length; i++) widths[i] = Math.max(widths[i] ?? 0, (cells[i] as string).length);
    }
    this.#widths = widths;
    this.#measured = rows.length;
  }

  /** Whether the widths come from the header alone (the first list was empty). */
  get unmeasured(): boolean {
    return this.#measured === 0;
  }

  #line(cells: readonly string[]): string {
    let line = "";
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as string;
      line += i === cells.length - 1 ? cell : cell.padEnd(this.#widths[i] ?? 0) + GAP;
    }
    return `${line.trimEnd()}\n`;
  }

  headerLine(): string {
    return this.#line(this.header());
  }

  line(type: string, row: TableRowItem): string {
    return this.#line(this.#cells(type, row));
  }
}

/**
 * Streams the changes of some resources until the signal aborts.
 *
 * @param client the client
 * @param resources the resources (from discovery)
 * @param options format, scope, sinks, signal
 * @returns the exit status: 0 when stopped by the signal, 1 after a failure before the first list
 * @example
 * ```ts
 * const code = await streamChanges(client, [pods], { format: "table", scope, out: process.stdout, err: process.stderr, signal });
 * ```
 */
export async function streamChanges(
  client: Client,
  resources: readonly DiscoveredResource[],
  options: StreamChangesOptions,
): Promise<number> {
  const { out, err, signal, scope } = options;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  let failure: unknown;
  let lastKind: string | undefined;
  const informers: Informer<unknown>[] = [];
  const fail = (error: unknown): void => {
    if (failure !== undefined) return;
    failure = error;
    stop.abort();
  };

  const follow = async (resource: DiscoveredResource): Promise<void> => {
    const selected = scopeOptions(resource, scope);
    const allNamespaces = selected.allNamespaces === true;
    let synced = false;
    const common = {
      ...selected,
      initialResourceVersion: "" as const,
      ...(options.informer?.backoff === undefined ? {} : { backoff: options.informer.backoff }),
      signal: stop.signal,
      onError: (error: unknown) => {
        // Before the first list a refusal or an unreachable server ends the command, as kubectl.
        if (!synced && isFatalBeforeSync(error)) fail(error);
        else if (synced) err.write(`kubeshift-watch: ${resource.plural}: ${shortFailure(error)}\n`);
      },
      onHealth: (health: Parameters<typeof healthLabel>[0]) => {
        if (synced && health.state === "Backoff")
          err.write(`kubeshift-watch: ${resource.plural}: ${healthLabel(health, Date.now()).text}\n`);
        if (synced && health.state === "Unauthorized")
          err.write(`kubeshift-watch: ${resource.plural}: the server refuses the credentials; log in again\n`);
      },
    };
    if (options.format === "json") {
      const informer = createInformer(client, resource, { ...common, stripManagedFields: true });
      informers.push(informer as Informer<unknown>);
      await informer.synced;
      synced = true;
      const events = informer.events({ delivery: "ordered" });
      const initial = informer.store
        .keys()
        .sort()
        .map((key) => ({ type: "ADDED" as const, key, object: informer.store.get(key) }));
      for (const e of initial) out.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
      for await (const event of events) {
        if (event.type === "add" && event.isInInitialList) continue;
        out.write(`${JSON.stringify({ type: watchType(event), object: event.object })}\n`);
      }
      return;
    }
    const informer = createTableInformer(client, resource, {
      ...common,
      stripManagedFields: true,
    });
    informers.push(informer as Informer<unknown>);
    await informer.synced;
    synced = true;
    const events = informer.events({ delivery: "ordered" });
    const keys = informer.store.keys().sort();
    const rows = keys.map((k) => informer.store.get(k) as TableRowItem);
    const printer = new RowPrinter(resource, informer.columns, {
      wide: options.format === "wide",
      allNamespaces,
      prefixNames: resources.length > 1,
    });
    printer.measure(rows);
    const print = (type: string, row: TableRowItem): void => {
      if (lastKind !== printer.kind) {
        if (printer.unmeasured) printer.measure([row]);
        if (lastKind !== undefined) out.write("\n");
        out.write(printer.headerLine());
        lastKind = printer.kind;
      }
      out.write(printer.line(type, row));
    };
    if (rows.length === 0)
      err.write(
        allNamespaces || !resource.namespaced
          ? `No ${resource.plural} found.\n`
          : `No ${resource.plural} found in ${scope.namespace} namespace.\n`,
      );
    for (const row of rows) print("ADDED", row);
    for await (const event of events) {
      if (event.type === "add" && event.isInInitialList) continue;
      if (objectKey(event.object) === undefined) continue;
      print(watchType(event), event.object);
    }
  };

  const runs = resources.map((r) =>
    follow(r).catch((error: unknown) => {
      // `synced` rejects with the stop reason when stopped first.
      if (!stop.signal.aborted) fail(error);
    }),
  );
  await new Promise<void>((resolve) => {
    if (stop.signal.aborted) resolve();
    else stop.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await Promise.all(informers.map((i) => i.stop()));
  await Promise.all(runs);
  signal.removeEventListener("abort", onAbort);
  if (failure !== undefined) {
    err.write(`kubeshift-watch: ${explainFailure(failure, options.info)}\n`);
    return 1;
  }
  return 0;
}

function isFatalBeforeSync(error: unknown): boolean {
  if (error instanceof TransportError) return true;
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429;
}
