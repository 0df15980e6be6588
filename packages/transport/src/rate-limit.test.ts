import { describe, expect, it } from "vitest";
import { flushMicrotasks, ManualClock } from "../test/manual-clock.ts";
import { fakeSocket, json, ScriptedTransport } from "../test/scripted-transport.ts";
import { rateLimit } from "./rate-limit.ts";
import { composeTransport } from "./transport.ts";

function okForever(n: number): Response[] {
  return Array.from({ length: n }, () => json(200, {}));
}

describe("rateLimit()", () => {
  it("lets a burst through at once, then one request per 1/qps seconds in arrival order", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport(okForever(6));
    const t = composeTransport(base, rateLimit({ qps: 10, burst: 3, clock }));
    const order: number[] = [];
    const all = Array.from({ length: 6 }, (_, i) =>
      t.fetch(new Request(`https://k.test/api/${i}`)).then(() => order.push(i)),
    );
    await flushMicrotasks();
    expect(base.calls).toHaveLength(3);
    await clock.advance(99);
    expect(base.calls).toHaveLength(3);
    await clock.advance(1);
    expect(base.calls).toHaveLength(4);
    await clock.advance(200);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("refills at qps up to the burst after a quiet period", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport(okForever(10));
    const t = composeTransport(base, rateLimit({ qps: 2, burst: 2, clock }));
    await t.fetch(new Request("https://k.test/a"));
    await t.fetch(new Request("https://k.test/a"));
    await clock.advance(60_000);
    await t.fetch(new Request("https://k.test/a"));
    await t.fetch(new Request("https://k.test/a"));
    const third = t.fetch(new Request("https://k.test/a"));
    await flushMicrotasks();
    expect(base.calls).toHaveLength(4);
    expect(clock.pending()).toEqual([500]);
    await clock.advance(500);
    await third;
    expect(base.calls).toHaveLength(5);
  });

  it("exempts watches, followed logs and websockets", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport(okForever(5), [fakeSocket()]);
    const t = composeTransport(base, rateLimit({ qps: 1, burst: 1, clock }));
    await t.fetch(new Request("https://k.test/api/v1/pods"));
    await t.fetch(new Request("https://k.test/api/v1/pods?watch=true"));
    await t.fetch(new Request("https://k.test/api/v1/namespaces/d/pods/p/log?follow=true"));
    await t.fetch(new Request("https://k.test/api/v1/pods"), { stream: true });
    await t.websocket("wss://k.test/api/v1/pods?watch=1");
    expect(base.calls).toHaveLength(4);
    expect(clock.pending()).toEqual([]);
  });

  it("ends a wait at once with the signal's reason and gives the reserved token back", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport(okForever(3));
    const t = composeTransport(base, rateLimit({ qps: 1, burst: 1, clock }));
    await t.fetch(new Request("https://k.test/a"));
    const controller = new AbortController();
    const reason = new Error("no longer needed");
    const waiting = t.fetch(new Request("https://k.test/b", { signal: controller.signal }));
    await flushMicrotasks();
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await clock.advance(1000);
    // The abandoned reservation was returned: the token that accrued meanwhile serves the next request at once.
    const next = t.fetch(new Request("https://k.test/c"));
    await flushMicrotasks();
    expect(base.calls.map((c) => new URL(c.request.url).pathname)).toEqual(["/a", "/c"]);
    await next;
  });

  it("rejects a non-positive qps or a burst below 1", () => {
    expect(() => rateLimit({ qps: 0 })).toThrow(RangeError);
    expect(() => rateLimit({ qps: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => rateLimit({ burst: 0 })).toThrow(RangeError);
  });
});
