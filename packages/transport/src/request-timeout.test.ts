import { describe, expect, it } from "vitest";
import { flushMicrotasks, ManualClock } from "../test/manual-clock.ts";
import { fakeSocket, ScriptedTransport } from "../test/scripted-transport.ts";
import { requestTimeout } from "./request-timeout.ts";
import { composeTransport } from "./transport.ts";
import { TransportError } from "./transport-error.ts";

// A response whose headers arrive only when the request is aborted (then it rejects with the signal's reason).
function hang(request: Request): Promise<Response> {
  return new Promise((_, reject) => {
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });
}

// A response whose body yields one chunk, then nothing until the request is aborted.
function slowBody(request: Request): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("first"));
      request.signal.addEventListener("abort", () => controller.error(request.signal.reason), { once: true });
    },
  });
  return new Response(body);
}

describe("requestTimeout()", () => {
  it("fails a request without response headers in time with TransportError kind timeout", async () => {
    const clock = new ManualClock();
    const t = composeTransport(new ScriptedTransport([hang]), requestTimeout({ timeoutMs: 1000, clock }));
    const pending = t.fetch(new Request("https://k.test/api/v1/pods"));
    const settled = pending.catch((e: unknown) => e);
    await clock.advance(999);
    await clock.advance(1);
    const error = await settled;
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe("timeout");
    expect((error as TransportError).message).toContain('Cannot GET "/api/v1/pods"');
  });

  it("covers the body of ordinary requests, and stops the timer once the body is read", async () => {
    const clock = new ManualClock();
    const t = composeTransport(
      new ScriptedTransport([slowBody, () => new Response("all")]),
      requestTimeout({ timeoutMs: 1000, clock }),
    );
    const res = await t.fetch(new Request("https://k.test/api"));
    const reader = res.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe("first");
    const next = reader?.read().catch((e: unknown) => e);
    await clock.advance(1000);
    const error = await next;
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe("timeout");

    const done = await t.fetch(new Request("https://k.test/api"));
    expect(await done.text()).toBe("all");
    expect(clock.pending()).toEqual([]);
  });

  it("covers only the headers of a stream (watch), whose body may go on for longer", async () => {
    const clock = new ManualClock();
    const t = composeTransport(new ScriptedTransport([slowBody]), requestTimeout({ timeoutMs: 1000, clock }));
    const res = await t.fetch(new Request("https://k.test/api/v1/pods?watch=true"));
    expect(clock.pending()).toEqual([]);
    await clock.advance(10_000);
    const reader = res.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe("first");
  });

  it("rejects with the caller's own reason when the caller aborts, not with a timeout", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const reason = new DOMException("user pressed q", "AbortError");
    const t = composeTransport(new ScriptedTransport([hang]), requestTimeout({ timeoutMs: 1000, clock }));
    const pending = t.fetch(new Request("https://k.test/api", { signal: controller.signal }));
    await flushMicrotasks();
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(clock.pending()).toEqual([]);
  });

  it("takes FetchOptions.timeoutMs per request, where 0 disables the limit", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport([hang, () => new Response("late but fine")]);
    const t = composeTransport(base, requestTimeout({ timeoutMs: 1000, clock }));
    const first = t.fetch(new Request("https://k.test/a"), { timeoutMs: 5000 }).catch((e: unknown) => e);
    await clock.advance(4999);
    expect(clock.pending()).toEqual([1]);
    await clock.advance(1);
    expect(await first).toBeInstanceOf(TransportError);
    const second = await t.fetch(new Request("https://k.test/b"), { timeoutMs: 0 });
    expect(await second.text()).toBe("late but fine");
  });

  it("bounds the websocket handshake and leaves an open socket alone", async () => {
    const clock = new ManualClock();
    const base = new ScriptedTransport([], [fakeSocket("x")]);
    const t = composeTransport(base, requestTimeout({ timeoutMs: 1000, clock }));
    const socket = await t.websocket("wss://k.test/api?watch=1");
    expect(socket.protocol).toBe("x");
    expect(clock.pending()).toEqual([]);
    expect(base.sockets[0]?.options.signal?.aborted).toBe(false);
  });

  it("passes a request body through intact", async () => {
    const base = new ScriptedTransport([() => new Response("ok")]);
    const t = composeTransport(base, requestTimeout({ timeoutMs: 1000, clock: new ManualClock() }));
    await (
      await t.fetch(new Request("https://k.test/api/v1/namespaces", { method: "POST", body: '{"kind":"Namespace"}' }))
    ).text();
    expect(base.calls[0]?.body).toBe('{"kind":"Namespace"}');
    expect(base.calls[0]?.request.method).toBe("POST");
  });

  it("rejects a negative limit", () => {
    expect(() => requestTimeout({ timeoutMs: -1 })).toThrow(RangeError);
  });
});
