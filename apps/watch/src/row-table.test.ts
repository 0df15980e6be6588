import { describe, expect, it } from "vitest";
import { parseRowFilter } from "./row-filter.ts";
import { type ColumnSpec, RowTable } from "./row-table.ts";

interface Pod {
  uid: string;
  rv: string;
  ns: string;
  name: string;
  status: string;
  restarts: number;
  created: number;
}

const T0 = Date.parse("2026-01-01T00:00:00Z");

function pod(name: string, over: Partial<Pod> = {}): Pod {
  return { uid: `uid-${name}`, rv: "1", ns: "dev", name, status: "Running", restarts: 0, created: T0, ...over };
}

function table(options: { fadeMs?: number; highlightMs?: number } = {}) {
  const calls = { name: 0, age: 0 };
  const columns: ColumnSpec<Pod>[] = [
    { name: "Namespace", value: (p) => p.ns },
    {
      name: "Name",
      value: (p) => {
        calls.name++;
        return p.name;
      },
    },
    { name: "Status", status: true, value: (p) => p.status },
    { name: "Restarts", numeric: true, value: (p) => String(p.restarts) },
    {
      name: "Age",
      age: true,
      value: (p) => {
        calls.age++;
        return p.created;
      },
    },
  ];
  const t = new RowTable<Pod>({ version: (p) => ({ uid: p.uid, resourceVersion: p.rv }), ...options });
  t.setColumns(columns);
  return { t, calls };
}

const names = (t: RowTable<Pod>, now = T0) => t.window({ height: 100, now }).rows.map((r) => r.cells[1]);

describe("RowTable", () => {
  it("formats a row once per uid and resourceVersion", () => {
    const { t, calls } = table();
    t.upsert("dev/a", pod("a"), { now: T0 });
    expect(calls.name).toBe(1);
    t.upsert("dev/a", pod("a"), { now: T0 }); // the same state again (a relist)
    expect(calls.name).toBe(1);
    t.upsert("dev/a", pod("a", { rv: "2", status: "Error" }), { now: T0 });
    expect(calls.name).toBe(2);
    t.upsert("dev/a", pod("a", { uid: "uid-new", rv: "2" }), { now: T0 }); // re-created under the same name
    expect(calls.name).toBe(3);
  });

  it("keeps the server's order (namespace/name) until a column is chosen, then sorts by it, numbers as numbers", () => {
    const { t } = table();
    t.upsert("dev/c", pod("c", { restarts: 10 }), { now: T0 });
    t.upsert("dev/a", pod("a", { restarts: 9 }), { now: T0 });
    t.upsert("dev/b", pod("b", { restarts: 100 }), { now: T0 });
    expect(names(t)).toEqual(["a", "b", "c"]);
    t.setSort({ column: "Restarts", descending: false });
    expect(names(t)).toEqual(["a", "c", "b"]);
    t.setSort({ column: "Restarts", descending: true });
    expect(names(t)).toEqual(["b", "c", "a"]);
    t.setSort({ column: "status", descending: false });
    t.upsert("dev/c", pod("c", { rv: "2", status: "CrashLoopBackOff" }), { now: T0 });
    expect(names(t)).toEqual(["c", "a", "b"]);
  });

  it("sorts by age youngest first, ascending", () => {
    const { t } = table();
    t.upsert("dev/old", pod("old", { created: T0 - 3_600_000 }), { now: T0 });
    t.upsert("dev/new", pod("new", { created: T0 - 1000 }), { now: T0 });
    t.upsert("dev/mid", pod("mid", { created: T0 - 60_000 }), { now: T0 });
    t.setSort({ column: "Age", descending: false });
    expect(names(t)).toEqual(["new", "mid", "old"]);
  });

  it("filters with text, regex and !, counting matched and total rows", () => {
    const { t } = table();
    t.upsert("dev/web-1", pod("web-1"), { now: T0 });
    t.upsert("dev/web-2", pod("web-2", { status: "CrashLoopBackOff" }), { now: T0 });
    t.upsert("dev/api-1", pod("api-1"), { now: T0 });
    t.setFilter(parseRowFilter("web"));
    expect(names(t)).toEqual(["web-1", "web-2"]);
    t.setFilter(parseRowFilter("^dev api-\\d"));
    expect(names(t)).toEqual(["api-1"]);
    t.setFilter(parseRowFilter("!running"));
    const view = t.window({ height: 10, now: T0 });
    expect(view.rows.map((r) => r.cells[1])).toEqual(["web-2"]);
    expect(view.matched).toBe(1);
    expect(view.total).toBe(3);
    // A change that makes a row match brings it in.
    t.upsert("dev/api-1", pod("api-1", { rv: "2", status: "Error" }), { now: T0 });
    expect(names(t)).toEqual(["api-1", "web-2"]);
    t.setFilter(undefined);
    expect(names(t)).toHaveLength(3);
  });

  it("draws only the visible window and computes AGE for visible rows only, when drawn", () => {
    const { t, calls } = table();
    for (let i = 0; i < 5000; i++)
      t.upsert(
        `dev/p${String(i).padStart(4, "0")}`,
        pod(`p${String(i).padStart(4, "0")}`, { created: T0 - i * 1000 }),
        { now: T0 },
      );
    const view = t.window({ height: 20, now: T0 + 90_000 });
    expect(view.rows).toHaveLength(20);
    expect(view.total).toBe(5000);
    expect(view.rows[0]?.cells[4]).toBe("90s");
    expect(view.rows[5]?.cells[4]).toBe("95s");
    // Later frames tick the age without formatting again.
    const formatted = calls.age;
    const later = t.window({ height: 20, now: T0 + 3_600_000 });
    expect(later.rows[0]?.cells[4]).toBe("60m");
    expect(calls.age).toBe(formatted);
  });

  it("keeps the selection on its row when rows move, and scrolls to keep it visible", () => {
    const { t } = table();
    for (const n of ["a", "b", "c", "d", "e", "f"]) t.upsert(`dev/${n}`, pod(n), { now: T0 });
    t.moveSelection(4); // e
    let view = t.window({ height: 3, now: T0 });
    expect(view.rows[view.selected]?.cells[1]).toBe("e");
    expect(view.offset).toBe(2);
    t.upsert("dev/0", pod("0"), { now: T0 }); // a row before it
    view = t.window({ height: 3, now: T0 });
    expect(view.rows[view.selected]?.cells[1]).toBe("e");
    expect(t.selectedKey).toBe("dev/e");
    t.selectEdge("first");
    expect(t.window({ height: 3, now: T0 }).offset).toBe(0);
    t.selectEdge("last");
    expect(t.selectedKey).toBe("dev/f");
  });

  it("highlights a changed row for a moment, but not rows of the initial list", () => {
    const { t } = table({ highlightMs: 1000 });
    t.upsert("dev/a", pod("a"), { now: T0, initial: true });
    t.upsert("dev/b", pod("b"), { now: T0, initial: true });
    expect(t.window({ height: 5, now: T0 }).rows.map((r) => r.changed)).toEqual([false, false]);
    t.upsert("dev/b", pod("b", { rv: "2" }), { now: T0 + 100 });
    expect(t.window({ height: 5, now: T0 + 500 }).rows.map((r) => r.changed)).toEqual([false, true]);
    expect(t.window({ height: 5, now: T0 + 1200 }).rows.map((r) => r.changed)).toEqual([false, false]);
  });

  it("lets a deleted row fade out, then drops it; a row added back in the meantime stays", () => {
    const { t } = table({ fadeMs: 2000 });
    t.upsert("dev/a", pod("a"), { now: T0 });
    t.upsert("dev/b", pod("b"), { now: T0 });
    t.upsert("dev/c", pod("c"), { now: T0 });
    t.remove("dev/a", T0 + 100);
    t.remove("dev/b", T0 + 100);
    let view = t.window({ height: 5, now: T0 + 1000 });
    expect(view.rows.map((r) => [r.cells[1], r.deleted])).toEqual([
      ["a", true],
      ["b", true],
      ["c", false],
    ]);
    expect(view.total).toBe(1);
    t.upsert("dev/b", pod("b", { uid: "uid-b2", rv: "9" }), { now: T0 + 1500 });
    view = t.window({ height: 5, now: T0 + 2500 });
    expect(view.rows.map((r) => [r.cells[1], r.deleted])).toEqual([
      ["b", false],
      ["c", false],
    ]);
    expect(view.total).toBe(2);
  });

  it("drops deleted rows at once with fadeMs 0, and clear() empties it", () => {
    const { t } = table({ fadeMs: 0 });
    t.upsert("dev/a", pod("a"), { now: T0 });
    t.upsert("dev/b", pod("b"), { now: T0 });
    t.remove("dev/a", T0);
    expect(names(t)).toEqual(["b"]);
    t.clear();
    expect(t.window({ height: 5, now: T0 }).total).toBe(0);
    expect(names(t)).toEqual([]);
  });

  it("sizes columns to the widest cell of every matching row, not only the visible ones", () => {
    const { t } = table();
    t.upsert("dev/a", pod("a"), { now: T0 });
    t.upsert("dev/zzzzzzzzzzzzzzzz", pod("zzzzzzzzzzzzzzzz"), { now: T0 });
    const view = t.window({ height: 1, now: T0 });
    expect(view.rows).toHaveLength(1);
    expect(view.widths[1]).toBe(16);
    expect(view.headers).toEqual(["NAMESPACE", "NAME", "STATUS", "RESTARTS", "AGE"]);
    expect(view.statusColumn).toBe(2);
  });

  it("grows a column at once when a cell gets longer, keeps it when the cell gets shorter, shrinks it when rows go", () => {
    const { t } = table();
    t.upsert("dev/a", pod("a"), { now: T0 });
    expect(t.window({ height: 5, now: T0 }).widths[2]).toBe("Running".length);
    t.upsert("dev/a", pod("a", { rv: "2", status: "CrashLoopBackOff" }), { now: T0 });
    expect(t.window({ height: 5, now: T0 + 10 }).widths[2]).toBe("CrashLoopBackOff".length);
    t.upsert("dev/a", pod("a", { rv: "3", status: "Error" }), { now: T0 });
    expect(t.window({ height: 5, now: T0 + 2000 }).widths[2]).toBe("CrashLoopBackOff".length);
    t.upsert("dev/b", pod("b"), { now: T0 });
    t.remove("dev/b", T0);
    expect(t.window({ height: 5, now: T0 + 5000 }).widths[2]).toBe("STATUS".length);
  });
});
