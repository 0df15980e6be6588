import { readFileSync } from "node:fs";
import { defineResource } from "@kubeshift/types";
import { Pod } from "@kubeshift/types/core/v1";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { type Fixture, replayTransport, scriptedTransport } from "../test/replay-transport.ts";
import { createClient } from "./client.ts";
import { humanAge, isTable, TABLE_ACCEPT, tableFromObjects } from "./table.ts";

const fixture = (p: string): Fixture => JSON.parse(readFileSync(fixturePath(`${p}.json`), "utf8")) as Fixture;

describe("client.table()", () => {
  it("asks with kubectl's Accept list and returns the server's Table (Kubernetes 1.20, meta.k8s.io/v1)", async () => {
    const transport = replayTransport(fixture("kubernetes-v1.20.2/table/pods").exchanges, { matchAccept: true });
    const client = createClient({ transport, server: "https://127.0.0.1:16443", namespace: "fx-table" });
    const table = await client.table(Pod, { name: "fx-pod" });
    expect(transport.seen[0]?.headers.get("accept")).toBe(TABLE_ACCEPT);
    expect(table.apiVersion).toBe("meta.k8s.io/v1");
    expect(table.columnDefinitions.map((c) => c.name).slice(0, 5)).toEqual([
      "Name",
      "Ready",
      "Status",
      "Restarts",
      "Age",
    ]);
    expect(table.rows[0]?.cells[0]).toBe("fx-pod");
  });

  it("gets the v1beta1 Table OpenShift 3.11 serves for legacy /oapi/v1 routes, with its own columns", async () => {
    const LegacyRoute = defineResource({
      group: "",
      version: "v1",
      kind: "Route",
      plural: "routes",
      namespaced: true,
      apiPath: "/oapi/v1",
    });
    const transport = replayTransport(fixture("openshift-v3.11.0/table/routes").exchanges, { matchAccept: true });
    const client = createClient({ transport, server: "https://127.0.0.1:18443", namespace: "fx-res" });
    const table = await client.table(LegacyRoute);
    expect(table.apiVersion).toBe("meta.k8s.io/v1beta1");
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      "NAME",
      "HOST/PORT",
      "PATH",
      "SERVICES",
      "PORT",
      "TERMINATION",
      "WILDCARD",
    ]);
    expect(table.rows.length).toBeGreaterThan(0);
  });

  it("sends includeObject and the list options", async () => {
    const transport = scriptedTransport(() =>
      Response.json({ kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: {}, columnDefinitions: [], rows: [] }),
    );
    const client = createClient({ transport, server: "https://k" });
    await client.table(Pod, { includeObject: "Object", labelSelector: "app=web", limit: 50 });
    expect(Object.fromEntries(transport.seen[0]?.url.searchParams ?? [])).toEqual({
      labelSelector: "app=web",
      limit: "50",
      includeObject: "Object",
    });
  });

  it("builds kubectl's NAME/AGE table when the server answers a plain list", async () => {
    const now = Date.parse("2026-01-01T00:10:00Z");
    const transport = scriptedTransport(() =>
      Response.json({
        kind: "WidgetList",
        metadata: { resourceVersion: "9" },
        items: [{ metadata: { name: "w1", creationTimestamp: "2026-01-01T00:00:00Z" } }],
      }),
    );
    const client = createClient({ transport, server: "https://k", now: () => now });
    const Widget = defineResource({
      group: "example.com",
      version: "v1",
      kind: "Widget",
      plural: "widgets",
      namespaced: true,
    });
    const table = await client.table(Widget);
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(["Name", "Age"]);
    expect(table.rows[0]?.cells).toEqual(["w1", "10m"]);
    expect(table.metadata).toEqual({ resourceVersion: "9" });
  });
});

describe("humanAge()", () => {
  it.each([
    [0, "0s"],
    [-500, "0s"],
    [-5000, "<invalid>"],
    [119_000, "119s"],
    [150_000, "2m30s"],
    [600_000, "10m"],
    [3 * 3600_000 + 5 * 60_000, "3h5m"],
    [30 * 3600_000, "30h"],
    [3 * 86400_000 + 4 * 3600_000, "3d4h"],
    [100 * 86400_000, "100d"],
    [3 * 365 * 86400_000 + 10 * 86400_000, "3y10d"],
    [9 * 365 * 86400_000, "9y"],
  ])("formats %d ms as %s, as kubectl's HumanDuration", (ms, text) => {
    expect(humanAge(ms)).toBe(text);
  });
});

describe("isTable() and tableFromObjects()", () => {
  it("tells Tables from lists", () => {
    expect(isTable({ kind: "Table", rows: [] })).toBe(true);
    expect(isTable({ kind: "PodList", items: [] })).toBe(false);
    expect(isTable(null)).toBe(false);
  });

  it("builds a one-row table from a single object and marks an unknown age", () => {
    const t = tableFromObjects({ metadata: { name: "x" } }, 0);
    expect(t.rows).toEqual([{ cells: ["x", "<unknown>"], object: { metadata: { name: "x" } } }]);
  });
});
