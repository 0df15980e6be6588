import { readFileSync } from "node:fs";
import { type ApiError, isGone } from "@kubeshift/transport";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { type Fixture, recordedResponse, replayTransport, scriptedTransport } from "../test/replay-transport.ts";
import { createClient } from "./client.ts";

const k8s = (p: string): Fixture =>
  JSON.parse(readFileSync(fixturePath(`kubernetes-v1.20.2/${p}.json`), "utf8")) as Fixture;
const SERVER = "https://127.0.0.1:16443";

/** The compaction recording: page 1 with a continue token, 410 Expired on that token, then the current state. */
function compactionTransport() {
  const [page1, expired, , current] = k8s("errors/compaction-continue-expired").exchanges;
  let listings = 0;
  return scriptedTransport((_request, seen) => {
    if (seen.url.searchParams.has("continue")) return recordedResponse(expired?.response ?? { status: 500 });
    // The first listing gets page 1; the restarted one the current state (one page, no continue).
    listings++;
    return recordedResponse((listings === 1 ? page1 : current)?.response ?? { status: 500 });
  });
}

describe("iterate() and listAll()", () => {
  it("follow continue tokens page by page, as recorded (limit=2, three pages)", async () => {
    const transport = replayTransport(k8s("crud/list-pagination").exchanges);
    const client = createClient({ transport, server: SERVER, namespace: "fx-crud" });
    const names: string[] = [];
    for await (const cm of client.iterate(ConfigMap, { limit: 2 })) names.push(cm.metadata?.name ?? "");
    expect(names.slice(0, 4)).toEqual(["cm1", "cm2", "cm3", "cm4"]);
    expect(names).toHaveLength(6);
    expect(transport.seen.map((s) => s.url.searchParams.get("limit"))).toEqual(["2", "2", "2"]);
    expect(transport.seen[1]?.url.searchParams.get("continue")).toMatch(/^eyJ/);
  });

  it("listAll() returns one list with every item, the snapshot's resourceVersion and no continue token", async () => {
    const transport = replayTransport(k8s("crud/list-pagination").exchanges);
    const client = createClient({ transport, server: SERVER, namespace: "fx-crud" });
    const all = await client.listAll(ConfigMap, { limit: 2 });
    expect(all.items).toHaveLength(6);
    expect(all.kind).toBe("ConfigMapList");
    expect(all.metadata).toEqual({ resourceVersion: "347" });
  });

  it("iterate() restarts without the inconsistent token after 410 Expired, and yields each object once", async () => {
    const transport = compactionTransport();
    const client = createClient({ transport, server: SERVER, namespace: "fx-compact" });
    const names: string[] = [];
    for await (const cm of client.iterate(ConfigMap, { limit: 2 })) names.push(cm.metadata?.name ?? "");
    // c1, c2 from page 1; after the restart the current state minus what was already yielded.
    expect(names).toEqual(["c1", "c2", "c3", "kube-root-ca.crt", "c4", "c5"]);
    expect(new Set(names).size).toBe(names.length);
    expect(transport.seen.map((s) => s.url.searchParams.get("continue") === null)).toEqual([true, false, true]);
  });

  it("listAll() discards the partial pages after 410 Expired and returns the fresh snapshot", async () => {
    const client = createClient({ transport: compactionTransport(), server: SERVER, namespace: "fx-compact" });
    const all = await client.listAll(ConfigMap, { limit: 2 });
    expect(all.items.map((i) => i.metadata?.name)).toEqual(["c3", "kube-root-ca.crt", "c2", "c1", "c4", "c5"]);
    expect(all.metadata?.resourceVersion).toBe("699");
  });

  it("onExpired: 'throw' rejects with the 410 Expired ApiError", async () => {
    const client = createClient({ transport: compactionTransport(), server: SERVER, namespace: "fx-compact" });
    const error = await client.listAll(ConfigMap, { limit: 2, onExpired: "throw" }).catch((e: unknown) => e);
    expect(isGone(error)).toBe(true);
    expect((error as ApiError).reason).toBe("Expired");
  });

  it("gives up with the ApiError after maxRestarts restarts", async () => {
    const [page1, expired] = k8s("errors/compaction-continue-expired").exchanges;
    const transport = scriptedTransport((_r, seen) =>
      recordedResponse((seen.url.searchParams.has("continue") ? expired : page1)?.response ?? { status: 500 }),
    );
    const client = createClient({ transport, server: SERVER });
    const error = await client.listAll(ConfigMap, { limit: 2, maxRestarts: 2 }).catch((e: unknown) => e);
    expect(isGone(error)).toBe(true);
    expect(transport.seen).toHaveLength(6);
  });

  it("a 410 on the first page (no continue token) is not retried", async () => {
    const expired = k8s("errors/compaction-continue-expired").exchanges[2];
    const transport = scriptedTransport(() => recordedResponse(expired?.response ?? { status: 500 }));
    const client = createClient({ transport, server: SERVER });
    const error = await client
      .listAll(ConfigMap, { resourceVersion: "689", resourceVersionMatch: "Exact" })
      .catch((e: unknown) => e);
    expect(isGone(error)).toBe(true);
    expect(transport.seen).toHaveLength(1);
  });

  it("rejects a bad page size or onExpired before sending anything", async () => {
    const transport = scriptedTransport(() => Response.json({ items: [] }));
    const client = createClient({ transport, server: SERVER });
    await expect(client.listAll(ConfigMap, { limit: 0 }).catch((e: unknown) => e)).resolves.toBeInstanceOf(RangeError);
    const it = client.iterate(ConfigMap, { onExpired: "ignore" as never });
    expect(await it.next().catch((e: unknown) => e)).toBeInstanceOf(TypeError);
    expect(transport.seen).toHaveLength(0);
  });
});
