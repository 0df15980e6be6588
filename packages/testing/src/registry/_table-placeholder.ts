/**
 * PLACEHOLDER for `src/printers/table.ts` (another engineer's module, not landed yet): the generic Name and
 * Created At table. The server imports `printTable` only from here; this file goes once the printers land.
 *
 * @module
 */

/** A server-side Table. */
export interface TableLike {
  kind: "Table";
  apiVersion: string;
  metadata: Record<string, unknown>;
  columnDefinitions: unknown[];
  rows: { cells: unknown[]; object?: unknown }[];
}

/** Stand-in for `printTable`: the generic Name and Created At columns. */
export function printTable(
  _descriptor: unknown,
  objects: readonly { metadata?: Record<string, unknown> }[],
  options: { includeObject: "None" | "Object" | "Metadata"; tableVersion: "v1" | "v1beta1"; wide?: boolean },
): TableLike {
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${options.tableVersion}`,
    metadata: {},
    columnDefinitions: [
      { name: "Name", type: "string", format: "name", description: "Name of the object", priority: 0 },
      { name: "Created At", type: "date", format: "", description: "Creation time", priority: 0 },
    ],
    rows: objects.map((o) => ({
      cells: [o.metadata?.name ?? "", o.metadata?.creationTimestamp ?? null],
      ...(options.includeObject === "None"
        ? {}
        : {
            object:
              options.includeObject === "Object"
                ? o
                : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata },
          }),
    })),
  };
}
