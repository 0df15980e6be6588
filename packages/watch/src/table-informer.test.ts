// T30: the Table informer against the fake cluster (server-side printing) and against the recorded 1.20 Table watch.
import { readFileSync } from "node:fs";
import { createClient, TABLE_ACCEPT } from "@kubeshift/client";
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { clientFor, countingClock, eventually, readyNamespace, type TestClient, Truth } from "../test/harness.ts";
import { replayTransport } from "../test/replay-transport.ts";
import { createTableInformer, type TableInformer } from "./table-informer.ts";

let cluster: FakeCluster;
let n = 0;
const clients: TestClient[] = [];
const running: TableInformer[] = [];

beforeAll(async () => {
  cluster = await startFakeCluster();
});
afterEach(async () => {
  for (const i of running.splice(0)) await i.stop();
  for (const c of clients.splice(0)) await c.close();
  cluster.faults.clear();
});
afterAll(async () => {
  await cluster?.close();
});

async function setup(): Promise<{ ns: string; truth: Truth; client: TestClient }> {
  const ns = `it-table-${++n}`;
  await readyNamespace(cluster, ns);
  const client = await clientFor(cluster, ns);
  clients.push(client);
  return { ns, truth: new Truth(cluster, ns), client };
}

const fast = { backoff: { initialMs: 20, maxMs: 200 }, watchTimeoutSeconds: [120, 120] as const };

describe("createTableInformer()", () => {
  it("T30: caches the server's rows and columns, updates rows from Table events, and learns the columns again after a reconnect", async () => {
    const { ns, truth, client } = await setup();
    truth.create("a", { one: "1" });
    const learned: string[][] = [];
    const clock = countingClock();
    const rows = createTableInformer(client.client, ConfigMap, {
      ...fast,
      clock,
      onColumns: (c) => void learned.push(c.map((x) => x.name)),
    });
    running.push(rows);
    await rows.synced;
    expect(rows.serverSideTables).toBe(true);
    expect(rows.columns.map((c) => c.name)).toEqual(["Name", "Data", "Age"]);
    expect(learned).toHaveLength(1);
    const row = rows.store.get(`${ns}/a`);
    expect(row?.cells.slice(0, 2)).toEqual(["a", 1]);
    expect(row?.metadata.uid).toBeDefined();
    const list = client.log.lists[0];
    expect(list?.headers.get("accept")).toBe(TABLE_ACCEPT);
    expect(list?.url.searchParams.get("includeObject")).toBe("Metadata");

    truth.update("a", { one: "1", two: "2" });
    await eventually(() => rows.store.get(`${ns}/a`)?.cells[1] === 2, 5000, "the updated row");
    const watch = client.log.watches[0];
    expect(watch?.headers.get("accept")).toBe(TABLE_ACCEPT);
    // The first event of the watch carried the columns again; later ones (NoHeaders) do not.
    expect(learned).toHaveLength(2);
    truth.create("b");
    await eventually(() => rows.store.has(`${ns}/b`), 5000, "row b");
    expect(learned).toHaveLength(2);

    cluster.faults.closeAllWatches();
    await eventually(() => client.log.watches.length >= 2, 5000, "a new watch");
    truth.update("b");
    await eventually(() => learned.length === 3, 5000, "columns learnt again");
    truth.delete("a");
    await eventually(() => !rows.store.has(`${ns}/a`), 5000, "row a deleted");
    await rows.stop();
    expect(clock.live).toBe(0);
  });

  it("T30: falls back to plain JSON and kubectl's NAME/AGE columns when the server answers 406", async () => {
    const { ns, truth, client } = await setup();
    truth.create("z");
    cluster.faults.add({ match: { verb: "list", namespace: ns }, times: 1, respond: { status: 406 } });
    const rows = createTableInformer(client.client, ConfigMap, fast);
    running.push(rows);
    await rows.synced;
    expect(rows.serverSideTables).toBe(false);
    expect(rows.columns.map((c) => c.name)).toEqual(["Name", "Age"]);
    expect(rows.store.get(`${ns}/z`)?.cells[0]).toBe("z");
    const [refused, json] = client.log.lists;
    expect(refused?.status).toBe(406);
    expect(json?.headers.get("accept")).toBe("application/json");
    truth.create("y");
    await eventually(() => rows.store.get(`${ns}/y`)?.cells[0] === "y", 5000, "a JSON watch event as a row");
    expect(client.log.watches[0]?.headers.get("accept")).toBe("application/json");
  });

  it("T30: reads the recorded kubectl Table list and Table watch of Kubernetes 1.20 (columns only on the first event)", async () => {
    const recording = JSON.parse(readFileSync(fixturePath("kubernetes-v1.20.2/watch/watch-table.json"), "utf8")) as {
      exchanges: { response: { body?: unknown; stream?: string[] } }[];
    };
    const [listExchange, watchExchange] = recording.exchanges;
    const encoder = new TextEncoder();
    const transport = replayTransport([
      { status: 200, chunks: [encoder.encode(JSON.stringify(listExchange?.response.body))] },
      { status: 200, chunks: (watchExchange?.response.stream ?? []).map((l) => encoder.encode(`${l}\n`)) },
    ]);
    const client = createClient({ transport, server: "https://127.0.0.1:6443", namespace: "fx-watch" });
    const learned: number[] = [];
    const rows = createTableInformer(client, ConfigMap, {
      ...fast,
      stallTimeoutMs: 60_000,
      onColumns: (c) => void learned.push(c.length),
    });
    running.push(rows);
    await rows.synced;
    // The list's rows, then the recorded stream (an ADDED table-1, then its DELETED) applied on top.
    await eventually(
      () => rows.stats.events >= (watchExchange?.response.stream?.length ?? 0),
      5000,
      "the recorded events",
    );
    const names = rows.store.list().map((r) => r.cells[0]);
    expect(names).not.toContain("table-1");
    expect(rows.columns.map((c) => c.name)).toEqual(["Name", "Data", "Age"]);
    expect(learned.length).toBe(2);
    await rows.stop();
  });
});
