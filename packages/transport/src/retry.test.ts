import { describe, expect, it } from "vitest";
import { flushMicrotasks, ManualClock } from "../test/manual-clock.ts";
import { json, ScriptedTransport } from "../test/scripted-transport.ts";
import { ApiError } from "./api-error.ts";
import { retry } from "./retry.ts";
import { composeTransport } from "./transport.ts";
import { TransportError, type TransportErrorKind } from "./transport-error.ts";

const refused = (): { reject: TransportError } => ({
  reject: new TransportError("refused", "connection refused", { method: "GET", url: "/api" }),
});

async function settle<T>(promise: Promise<T>, clock: ManualClock, ms = 60_000): Promise<T> {
  let done = false;
  const p = promise.finally(() => {
    done = true;
  });
  while (!done) {
    await clock.advance(ms);
    await flushMicrotasks();
  }
  return p;
}

describe("retry()", () => {
  it("retries 429 and 503 for every verb, resending a replayable body, and waits Retry-After", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport([
      json(429, {}, { "retry-after": "2" }),
      json(503, {}, { "retry-after": "1" }),
      json(201, { created: true }),
    ]);
    const t = composeTransport(base, retry({ clock, random: () => 0.5 }));
    const pending = t.fetch(new Request("https://k.test/api/v1/namespaces/dev/pods", { method: "POST", body: "{}" }), {
      replayable: true,
    });
    await flushMicrotasks();
    expect(base.calls).toHaveLength(1);
    expect(clock.pending()).toEqual([2000]);
    await clock.advance(1999);
    expect(base.calls).toHaveLength(1);
    await clock.advance(1);
    expect(base.calls).toHaveLength(2);
    expect(clock.pending()).toEqual([1000]);
    await clock.advance(1000);
    const res = await pending;
    expect(res.status).toBe(201);
    expect(base.calls.map((c) => [c.request.method, c.body])).toEqual([
      ["POST", "{}"],
      ["POST", "{}"],
      ["POST", "{}"],
    ]);
  });

  it("caps a long Retry-After at maxRetryAfterMs and reads the HTTP-date form", async () => {
    const clock = new ManualClock();
    const date = new Date(Date.now() + 3_600_000).toUTCString();
    const base = new ScriptedTransport([
      json(429, {}, { "retry-after": "600" }),
      json(503, {}, { "retry-after": date }),
      json(200, {}),
    ]);
    const t = composeTransport(base, retry({ clock, maxRetryAfterMs: 5000 }));
    const pending = t.fetch(new Request("https://k.test/api"));
    await flushMicrotasks();
    expect(clock.pending()).toEqual([5000]);
    await clock.advance(5000);
    expect(clock.pending()).toEqual([5000]);
    await clock.advance(5000);
    expect((await pending).status).toBe(200);
  });

  it("retries other 5xx only when they carry Retry-After, and never 4xx", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport([json(500, {}), json(504, {}, { "retry-after": "1" }), json(404, {})]);
    const t = composeTransport(base, retry({ clock }));
    expect((await t.fetch(new Request("https://k.test/a"))).status).toBe(500);
    const second = t.fetch(new Request("https://k.test/b"));
    expect((await settle(second, clock)).status).toBe(404);
    expect(base.calls).toHaveLength(3);
  });

  it("uses full-jitter exponential backoff without Retry-After: random × min(max, base × 2^n)", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport([json(503, {}), json(503, {}), json(503, {}), json(503, {}), json(200, {})]);
    const t = composeTransport(base, retry({ clock, random: () => 0.5, baseDelayMs: 100, maxDelayMs: 300 }));
    const pending = t.fetch(new Request("https://k.test/api"));
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await flushMicrotasks();
      const [next] = clock.pending();
      waits.push(next ?? -1);
      await clock.advance(next ?? 0);
    }
    expect((await pending).status).toBe(200);
    expect(waits).toEqual([50, 100, 150, 150]);
  });

  it.each([
    ["refused", true],
    ["dns", true],
    ["reset", true],
    ["aborted-by-server", true],
    ["tls", false],
    ["timeout", false],
    ["proxy", false],
    ["protocol", false],
    ["unknown", false],
  ] as const)("connection failure of kind %s is retried for a GET: %s", async (kind, retried) => {
    const clock = new ManualClock();
    const error = new TransportError(kind as TransportErrorKind, "failed");
    const base = new ScriptedTransport([{ reject: error }, json(200, {})]);
    const pending = composeTransport(base, retry({ clock })).fetch(new Request("https://k.test/api"));
    if (retried) {
      expect((await settle(pending, clock)).status).toBe(200);
      expect(base.calls).toHaveLength(2);
    } else {
      await expect(pending).rejects.toBe(error);
      expect(base.calls).toHaveLength(1);
    }
  });

  it("does not retry connection failures of non-idempotent requests unless FetchOptions.idempotent says so", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport([refused(), refused(), json(200, {})]);
    const t = composeTransport(base, retry({ clock }));
    const post = () => new Request("https://k.test/api/v1/pods", { method: "POST", body: "{}" });
    await expect(t.fetch(post(), { replayable: true })).rejects.toBeInstanceOf(TransportError);
    expect(base.calls).toHaveLength(1);
    const ok = t.fetch(post(), { replayable: true, idempotent: true });
    expect((await settle(ok, clock)).status).toBe(200);
    expect(base.calls).toHaveLength(3);
  });

  it("never resends a body that is not replayable, and honours noRetry", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport([json(503, {}), json(429, {})]);
    const t = composeTransport(base, retry({ clock }));
    const res = await t.fetch(new Request("https://k.test/api/v1/pods", { method: "POST", body: "{}" }));
    expect(res.status).toBe(503);
    const res2 = await t.fetch(new Request("https://k.test/api"), { noRetry: true });
    expect(res2.status).toBe(429);
    expect(base.calls).toHaveLength(2);
  });

  it("stops after maxRetries and returns the last response", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport([json(503, {}), json(503, {}), json(503, { last: true })]);
    const pending = composeTransport(base, retry({ clock, maxRetries: 2 })).fetch(new Request("https://k.test/api"));
    const res = await settle(pending, clock);
    expect(await res.json()).toEqual({ last: true });
    expect(base.calls).toHaveLength(3);
  });

  it("ends a backoff wait at once with the signal's reason when the caller aborts", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport([json(503, {}, { "retry-after": "30" })]);
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const pending = composeTransport(base, retry({ clock })).fetch(
      new Request("https://k.test/api", { signal: controller.signal }),
    );
    await flushMicrotasks();
    expect(clock.pending()).toEqual([30_000]);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(clock.pending()).toEqual([]);
    expect(base.calls).toHaveLength(1);
  });

  it("does not retry once the caller aborted, whatever the failure", async () => {
    const controller = new AbortController();
    const base = new ScriptedTransport([
      () => {
        controller.abort(new Error("late"));
        return json(503, {});
      },
    ]);
    const res = await composeTransport(base, retry({ clock: new ManualClock() })).fetch(
      new Request("https://k.test/api", { signal: controller.signal }),
    );
    expect(res.status).toBe(503);
    expect(base.calls).toHaveLength(1);
  });

  it("retries a websocket upgrade refused with 429 or a refused connection", async () => {
    const clock = new ManualClock();
    const tooMany = ApiError.fromBody("", 429, { retryAfter: "1" });
    const base = new ScriptedTransport(
      [],
      [
        { reject: tooMany },
        { reject: new TransportError("refused", "no") },
        {
          protocol: "",
          readable: new ReadableStream(),
          send() {},
          close() {},
          closed: new Promise(() => {}),
        },
      ],
    );
    const pending = composeTransport(base, retry({ clock, random: () => 0 })).websocket("wss://k.test/api?watch=1");
    await flushMicrotasks();
    expect(clock.pending()).toEqual([1000]);
    await settle(pending, clock);
    expect(base.sockets).toHaveLength(3);
  });

  it("rejects negative limits", () => {
    expect(() => retry({ maxRetries: -1 })).toThrow(RangeError);
    expect(() => retry({ baseDelayMs: Number.NaN })).toThrow(RangeError);
  });
});
