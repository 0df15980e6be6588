// `kubectl get pods` in a few lines: the pods of the current namespace (or all, with --all-namespaces) as the
// server prints them (server-side Table), falling back to names when the server has no printer.
// Run: node --conditions=@kubeshift/source examples/list-pods.ts [--all-namespaces]   (or deno run -A …)
import { connect } from "@kubeshift/client";
import { Pod } from "@kubeshift/types/core/v1";

const allNamespaces =
  (globalThis as { process?: { argv: string[] } }).process?.argv.includes("--all-namespaces") ?? false;
const client = await connect();
try {
  const table = await client.table(Pod, { allNamespaces });
  const columns = table.columnDefinitions.filter((c) => c.priority === 0);
  const indexes = columns.map((c) => table.columnDefinitions.indexOf(c));
  const rows = table.rows.map((r) => indexes.map((i) => String(r.cells[i] ?? "")));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("   ")
      .trimEnd();
  console.log(line(columns.map((c) => c.name.toUpperCase())));
  for (const row of rows) console.log(line(row));
} finally {
  await client.close();
}
