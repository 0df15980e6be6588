// Replays the exact bytes of real API servers (the shared recordings of Kubernetes 1.20.2 and OpenShift 3.11) through
// watch(): every recorded HTTP stream cut into chunks at many offsets, and every recorded websocket's frames.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@kubeshift/client";
import { ApiError, isGone } from "@kubeshift/transport";
import { ConfigMap } from "@kubeshift/types/core/v1";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { cutBytes, replayTransport } from "../test/replay-transport.ts";
import { watch } from "./watch.ts";

interface Exchange {
  request: { method: string; path: string; query: string; headers?: Record<string, string> };
  response: {
    status: number;
    stream?: string[];
    streamEnd?: string;
    websocket?: {
      requestedProtocols?: string[];
      acceptedProtocol?: string;
      frames: { opcode: string; data: string }[];
    };
  };
}

function scenarios(dir: string): { file: string; exchanges: Exchange[] }[] {
  const folder = fixturePath(dir);
  return readdirSync(folder)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({
      file: `${dir}/${f}`,
      exchanges: (JSON.parse(readFileSync(join(folder, f), "utf8")) as { exchanges: Exchange[] }).exchanges,
    }));
}

const all = [
  ...scenarios("kubernetes-v1.20.2/watch"),
  ...scenarios("openshift-v3.11.0/watch"),
  ...scenarios("kubernetes-v1.20.2/errors"),
];
const streams = all.flatMap((s) =>
  s.exchanges
    .map((e, i) => ({ name: `${s.file}#${i}`, exchange: e }))
    .filter((x) => x.exchange.response.status === 200 && Array.isArray(x.exchange.response.stream)),
);
const sockets = all.flatMap((s) =>
  s.exchanges
    .map((e, i) => ({ name: `${s.file}#${i}`, exchange: e }))
    .filter((x) => x.exchange.response.status === 101 && x.exchange.response.websocket !== undefined),
);

async function collect(
  iterable: AsyncIterable<{ type: string; object: unknown }>,
): Promise<{ events: { type: string; object: unknown }[]; error: unknown }> {
  const events: { type: string; object: unknown }[] = [];
  try {
    for await (const e of iterable) events.push(e);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

describe("watch() on recorded streams", () => {
  it("found the recordings", () => {
    expect(streams.length).toBeGreaterThanOrEqual(14);
    expect(sockets.length).toBeGreaterThanOrEqual(5);
  });

  for (const { name, exchange } of streams) {
    it(`yields exactly the recorded events of ${name}, however the bytes are chunked`, async () => {
      const lines = exchange.response.stream as string[];
      const bytes = new TextEncoder().encode(lines.map((l) => `${l}\n`).join(""));
      const parsed = lines.map((l) => JSON.parse(l) as { type: string; object: { code?: number } });
      const errorAt = parsed.findIndex((p) => p.type === "ERROR");
      for (const seed of [1, 2, 3, 7, 42]) {
        for (const max of [1, 7, 64, 4096]) {
          const transport = replayTransport([{ status: 200, chunks: cutBytes(bytes, seed, max) }]);
          const client = createClient({ transport, server: "https://127.0.0.1:6443", namespace: "fx-watch" });
          const { events, error } = await collect(watch(client, ConfigMap, { resourceVersion: "1" }));
          if (errorAt < 0) {
            expect(error).toBeUndefined();
            expect(events).toEqual(parsed);
          } else {
            expect(events).toEqual(parsed.slice(0, errorAt));
            expect(error).toBeInstanceOf(ApiError);
            expect((error as ApiError).status).toBe(parsed[errorAt]?.object.code);
          }
        }
      }
    });
  }

  it("turns the recorded 410 ERROR event into an Expired ApiError with the server's message", async () => {
    const line = streams
      .filter((s) => s.name.includes("compaction-watch-expired"))
      .flatMap((s) => s.exchange.response.stream ?? [])
      .find((l) => l.includes('"ERROR"'));
    expect(line).toBeDefined();
    const transport = replayTransport([{ status: 200, chunks: [new TextEncoder().encode(`${line}\n`)] }]);
    const client = createClient({ transport, server: "https://127.0.0.1:6443" });
    const { error } = await collect(watch(client, ConfigMap, { resourceVersion: "689" }));
    expect(isGone(error)).toBe(true);
    expect((error as ApiError).reason).toBe("Expired");
    expect((error as ApiError).message).toMatch(/too old resource version: 689 \(699\)/);
  });

  for (const { name, exchange } of sockets) {
    it(`yields the recorded websocket frames of ${name} as events, asking with Origin and one subprotocol`, async () => {
      const frames = exchange.response.websocket?.frames ?? [];
      const transport = replayTransport([
        {
          status: 101,
          frames: frames.map((f) =>
            f.opcode === "text" ? f.data : Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0)),
          ),
        },
      ]);
      const client = createClient({ transport, server: "https://127.0.0.1:6443", namespace: "fx-watch" });
      const { events, error } = await collect(watch(client, ConfigMap, { protocol: "websocket" }));
      expect(error).toBeUndefined();
      expect(events).toEqual(frames.map((f) => JSON.parse(f.opcode === "text" ? f.data : atob(f.data))));
      const request = transport.seen[0];
      expect(request?.url.protocol).toBe("wss:");
      expect(request?.headers.get("origin")).toBe("https://127.0.0.1:6443");
      expect(request?.protocols).toEqual(["base64.binary.k8s.io"]);
    });
  }
});
