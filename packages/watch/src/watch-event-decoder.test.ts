import { DecodeError } from "@kubeshift/transport";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RawWatchEvent } from "./watch-event.ts";
import { WatchEventDecoder } from "./watch-event-decoder.ts";

const encoder = new TextEncoder();

function event(i: number, name: string): string {
  return JSON.stringify({
    type: i % 3 === 0 ? "ADDED" : i % 3 === 1 ? "MODIFIED" : "DELETED",
    object: {
      kind: "ConfigMap",
      metadata: { name, namespace: "ns", resourceVersion: String(100 + i) },
      data: { i: String(i) },
    },
  });
}

const NAMES = ["plain", "ünïcödé", "日本語の名前", "emoji-🚀-🧪", "mixed-ä日🚀"];

function stream(count: number): { text: string; bytes: Uint8Array; lines: string[] } {
  const lines = Array.from({ length: count }, (_, i) => event(i, `${NAMES[i % NAMES.length]}-${i}`));
  const text = `${lines.join("\n")}\n`;
  return { text, bytes: encoder.encode(text), lines };
}

function decodeChunks(chunks: readonly Uint8Array[]): RawWatchEvent[] {
  const decoder = new WatchEventDecoder();
  const out: RawWatchEvent[] = [];
  for (const c of chunks) {
    out.push(...decoder.write(c));
    decoder.throwIfFailed();
  }
  decoder.end();
  return out;
}

/** Writes and then throws the deferred failure, as a consumer does after each chunk. */
function writeAll(decoder: WatchEventDecoder, chunk: string | Uint8Array): readonly RawWatchEvent[] {
  const events = decoder.write(chunk);
  decoder.throwIfFailed();
  return events;
}

describe("WatchEventDecoder", () => {
  it("decodes the same events whatever byte offset the stream is split at (T2: every offset, multi-byte names)", () => {
    const { bytes, lines } = stream(6);
    const expected = lines.map((l) => JSON.parse(l));
    for (let cut = 0; cut <= bytes.length; cut++) {
      const events = decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(events).toEqual(expected);
    }
  });

  it("decodes the same events for any chunking, with 2–50 events per chunk and UTF-8 split anywhere (T2 property)", () => {
    const { bytes, lines } = stream(120);
    const expected = lines.map((l) => JSON.parse(l));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
        const sorted = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let start = 0;
        for (const c of sorted) {
          chunks.push(bytes.subarray(start, c));
          start = c;
        }
        chunks.push(bytes.subarray(start));
        expect(decodeChunks(chunks)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    // Whole events grouped 2..50 per chunk, as the API server flushes bursts.
    for (const per of [2, 7, 50]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < lines.length; i += per)
        chunks.push(encoder.encode(`${lines.slice(i, i + per).join("\n")}\n`));
      expect(decodeChunks(chunks)).toEqual(expected);
    }
  });

  it("decodes a stream fed one byte at a time", () => {
    const { bytes, lines } = stream(10);
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    expect(decodeChunks(chunks)).toEqual(lines.map((l) => JSON.parse(l)));
  });

  it("skips empty and whitespace-only lines, and tolerates CRLF", () => {
    const decoder = new WatchEventDecoder();
    const events = decoder.write(`\n  \n${event(1, "a")}\r\n\n${event(2, "b")}\n`);
    expect(events.map((e) => e.object.metadata)).toEqual([
      { name: "a", namespace: "ns", resourceVersion: "101" },
      { name: "b", namespace: "ns", resourceVersion: "102" },
    ]);
  });

  it("splits several JSON values written on one line (the contract is a stream of values)", () => {
    const decoder = new WatchEventDecoder();
    const events = decoder.write(`${event(1, "a")}${event(2, "b")} ${event(3, "c")}\n`);
    expect(events.map((e) => (e.object.metadata as { name: string }).name)).toEqual(["a", "b", "c"]);
  });

  it("returns the good events before a malformed line, then fails with its line number, never skipping it (T5)", () => {
    const decoder = new WatchEventDecoder();
    decoder.write(`${event(0, "a")}\n`);
    const events = decoder.write(`${event(1, "b")}\n{"type":"MODIFIED","object":{\n${event(2, "c")}\n`);
    expect(events.map((e) => (e.object.metadata as { name: string }).name)).toEqual(["b"]);
    expect(decoder.failed).toBe(true);
    let error: unknown;
    try {
      decoder.throwIfFailed();
    } catch (e) {
      error = e;
    }
    // The decoder stays failed: every later call throws the same error.
    expect(() => decoder.write(`${event(3, "d")}\n`)).toThrow(error as Error);
    expect(() => decoder.end()).toThrow(error as Error);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).line).toBe(3);
    expect((error as DecodeError).excerpt).toBe('{"type":"MODIFIED","object":{');
    expect((error as DecodeError).message).toMatch(/Line 3 of the watch stream is not valid JSON/);
  });

  it("rejects JSON that is not a watch event", () => {
    for (const line of [
      '{"kind":"Pod"}',
      '{"type":"ADDED","object":null}',
      '{"type":1,"object":{}}',
      "[1,2]",
      '"x"',
      '{"type":"ADDED","object":[]}',
    ]) {
      expect(() => writeAll(new WatchEventDecoder(), `${line}\n`)).toThrow(DecodeError);
    }
  });

  it("reports an event cut off by the end of the stream as a truncation (T4), and keeps the complete ones", () => {
    const decoder = new WatchEventDecoder();
    const first = decoder.write(`${event(0, "a")}\n${event(1, "b").slice(0, 30)}`);
    expect(first).toHaveLength(1);
    expect(decoder.hasPartialEvent).toBe(true);
    expect(() => decoder.end()).toThrow(/ended in the middle of an event \(line 2/);
  });

  it("reports a multi-byte character cut off by the end of the stream as a truncation", () => {
    const decoder = new WatchEventDecoder();
    const bytes = encoder.encode(`${event(0, "a")}\n🚀`);
    decoder.write(bytes.subarray(0, bytes.length - 2));
    expect(() => decoder.end()).toThrow(DecodeError);
  });

  it("throws a DecodeError for invalid UTF-8 instead of inventing replacement characters", () => {
    const decoder = new WatchEventDecoder();
    expect(() => writeAll(decoder, Uint8Array.of(0x7b, 0xff, 0xfe, 0x0a))).toThrow(/not valid UTF-8/);
  });

  it("enforces the maximum line length, within a chunk and across chunks", () => {
    const long = event(0, "x".repeat(200));
    expect(() => writeAll(new WatchEventDecoder({ maxLineLength: 100 }), `${long}\n`)).toThrow(
      /longer than the limit of 100/,
    );
    const decoder = new WatchEventDecoder({ maxLineLength: 100 });
    decoder.write(long.slice(0, 60));
    expect(() => writeAll(decoder, long.slice(60, 120))).toThrow(/longer than the limit/);
    expect(decoder.pendingLength).toBe(0);
    expect(() => new WatchEventDecoder({ maxLineLength: 0 })).toThrow(RangeError);
  });

  it("decodes websocket messages as whole events, with or without a trailing newline", () => {
    const decoder = new WatchEventDecoder();
    expect(decoder.writeMessage(event(0, "a"))).toHaveLength(1);
    expect(decoder.writeMessage(`${event(1, "b")}\n`)).toHaveLength(1);
    expect(decoder.writeMessage(encoder.encode(event(2, "日本")))).toHaveLength(1);
    expect(decoder.writeMessage('{"type":"ADDED","object":{')).toEqual([]);
    expect(() => decoder.throwIfFailed()).toThrow(DecodeError);
  });

  it("does not hold on to text it has parsed", () => {
    const decoder = new WatchEventDecoder();
    decoder.write(`${event(0, "a")}\n${event(1, "b")}\n`);
    expect(decoder.pendingLength).toBe(0);
    expect(decoder.events).toBe(2);
    expect(decoder.lines).toBe(2);
  });
});
