import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Subscriber } from "./_subscriber.ts";
import type { InformerEvent } from "./informer-event.ts";
import { InformerStore } from "./informer-store.ts";

interface Obj {
  metadata: { name: string; uid: string; resourceVersion: string };
}

let rv = 0;
const o = (name: string, uid = `${name}-1`): Obj => ({ metadata: { name, uid, resourceVersion: String(++rv) } });

function harness(ordered?: number) {
  const store = new InformerStore<Obj>();
  const warnings: string[] = [];
  const sub = new Subscriber<Obj>(store, {
    ordered: ordered === undefined ? undefined : { maxBuffered: ordered },
    notify: () => undefined,
    warn: (w) => void warnings.push(w),
  });
  const set = (key: string, value: Obj): void => sub.change(key, { old: store.set(key, value), current: value });
  const del = (key: string, final?: Obj): void => {
    const old = store.delete(key);
    sub.change(key, { old, current: undefined, final: final ?? old });
  };
  const drain = (): InformerEvent<Obj>[] => {
    const out: InformerEvent<Obj>[] = [];
    for (let e = sub.take(); e !== undefined; e = sub.take()) out.push(e);
    return out;
  };
  return { store, sub, set, del, drain, warnings };
}

const show = (e: InformerEvent<Obj>): string =>
  e.type === "update"
    ? `update ${e.oldObject.metadata.resourceVersion}->${e.object.metadata.resourceVersion}`
    : `${e.type} ${e.object.metadata.uid}@${e.object.metadata.resourceVersion}`;

describe("Subscriber (coalescing)", () => {
  it("drains keys in the order they were first queued, also when changes arrive between takes", () => {
    const h = harness();
    for (let i = 0; i < 20_000; i++) h.set(`k${i}`, o(`k${i}`));
    const first = h.sub.take();
    // A key taken and changed again goes to the back; an untaken one keeps its place.
    h.set("k0", o("k0"));
    h.set("k5", o("k5"));
    const rest = h.drain();
    const names = [first, ...rest].map((e) => e?.object.metadata.name);
    expect(names.slice(0, 6)).toEqual(["k0", "k1", "k2", "k3", "k4", "k5"]);
    expect(names.length).toBe(20_001);
    expect(names.at(-1)).toBe("k0");
    expect(h.sub.take()).toBeUndefined();
    h.set("late", o("late"));
    expect(h.drain().map((e) => e.object.metadata.name)).toEqual(["late"]);
  });

  it("delivers the latest state per key with the state the consumer saw last as old", () => {
    const h = harness();
    const a1 = o("a");
    h.set("a", a1);
    expect(h.drain().map(show)).toEqual([`add a-1@${a1.metadata.resourceVersion}`]);
    h.set("a", o("a"));
    h.set("a", o("a"));
    const a3 = h.store.get("a") as Obj;
    const [update] = h.drain();
    expect(update?.type === "update" && update.oldObject).toBe(a1);
    expect(update?.object).toBe(a3);
  });

  it("holds one entry per key however many changes arrive (bounded memory)", () => {
    const h = harness();
    for (let i = 0; i < 10_000; i++) h.set(`k${i % 50}`, o(`k${i % 50}`));
    expect(h.sub.backlog).toBe(50);
    expect(h.drain()).toHaveLength(50);
  });

  it("turns a delete and a re-create under the same name into delete(old final state) then add(new)", () => {
    const h = harness();
    h.set("a", o("a", "uid-1"));
    h.drain();
    h.set("a", o("a", "uid-1"));
    const final = o("a", "uid-1");
    h.del("a", final);
    h.set("a", o("a", "uid-2"));
    const events = h.drain();
    expect(events.map((e) => e.type)).toEqual(["delete", "add"]);
    expect(events[0]?.object).toBe(final);
    expect(events[1]?.object.metadata.uid).toBe("uid-2");
  });

  it("says nothing about an object that came and went between two deliveries", () => {
    const h = harness();
    h.set("a", o("a"));
    h.del("a");
    expect(h.drain()).toEqual([]);
  });

  it("marks tombstones from relists as final state unknown", () => {
    const h = harness();
    h.set("a", o("a"));
    h.drain();
    const old = h.store.delete("a");
    h.sub.change("a", { old, current: undefined, final: old, unknown: true, replaced: true });
    expect(h.drain()).toMatchObject([{ type: "delete", finalStateUnknown: true, delta: "DeletedFinalStateUnknown" }]);
  });

  it("resync re-delivers idle keys as Sync updates and leaves pending keys alone", () => {
    const h = harness();
    h.set("a", o("a"));
    h.set("b", o("b"));
    h.drain();
    h.set("b", o("b"));
    h.sub.resync();
    const events = h.drain();
    expect(events.map((e) => `${e.key}:${e.type}:${e.delta}`)).toEqual(["b:update:Updated", "a:update:Sync"]);
  });
});

describe("Subscriber (ordered)", () => {
  it("delivers every change in order while within its buffer", () => {
    const h = harness(100);
    h.set("a", o("a"));
    h.set("a", o("a"));
    h.set("b", o("b"));
    h.del("a");
    expect(h.drain().map((e) => `${e.key}:${e.type}`)).toEqual(["a:add", "a:update", "b:add", "a:delete"]);
  });

  it("falls back to coalescing with a warning when the buffer overflows, then returns to order once caught up", () => {
    const h = harness(10);
    for (let i = 0; i < 100; i++) h.set(`k${i % 5}`, o(`k${i % 5}`));
    expect(h.warnings).toHaveLength(1);
    expect(h.sub.coalescing).toBe(true);
    expect(h.sub.backlog).toBeLessThanOrEqual(5);
    const events = h.drain();
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.object === h.store.get(e.key))).toBe(true);
    expect(h.sub.coalescing).toBe(false);
    h.set("k0", o("k0"));
    h.set("k0", o("k0"));
    expect(h.drain()).toHaveLength(2);
  });

  it("property: whatever the mode and the buffer, per key the delivered states are a subsequence of the states set, ending at the last", () => {
    const op = fc.record({
      key: fc.constantFrom("a", "b", "c"),
      del: fc.boolean(),
      newUid: fc.boolean(),
      take: fc.nat(3),
    });
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 80 }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        (ops, max) => {
          const h = harness(max);
          const truth = new Map<string, string[]>();
          const seen = new Map<string, string[]>();
          const uids = new Map<string, number>();
          const push = (m: Map<string, string[]>, k: string, v: string): void =>
            void (m.get(k) ?? m.set(k, []).get(k))?.push(v);
          const record = (events: InformerEvent<Obj>[]): void => {
            for (const e of events)
              push(
                seen,
                e.key,
                e.type === "delete"
                  ? `x:${e.object.metadata.uid}`
                  : `${e.object.metadata.uid}@${e.object.metadata.resourceVersion}`,
              );
          };
          for (const step of ops) {
            if (step.del) {
              const old = h.store.get(step.key);
              if (old !== undefined) {
                h.del(step.key);
                push(truth, step.key, `x:${old.metadata.uid}`);
              }
            } else {
              if (step.newUid || !h.store.has(step.key)) uids.set(step.key, (uids.get(step.key) ?? 0) + 1);
              const value = o(step.key, `${step.key}-${uids.get(step.key)}`);
              if (h.store.has(step.key) && step.newUid) {
                const old = h.store.get(step.key) as Obj;
                h.del(step.key);
                push(truth, step.key, `x:${old.metadata.uid}`);
              }
              h.set(step.key, value);
              push(truth, step.key, `${value.metadata.uid}@${value.metadata.resourceVersion}`);
            }
            for (let i = 0; i < step.take; i++) {
              const e = h.sub.take();
              if (e !== undefined) record([e]);
            }
          }
          record(h.drain());
          for (const [key, states] of seen) {
            const real = truth.get(key) ?? [];
            let i = 0;
            for (const s of real) if (i < states.length && states[i] === s) i++;
            expect(i, `${key}: ${JSON.stringify(states)} ⊄ ${JSON.stringify(real)}`).toBe(states.length);
            const now = h.store.get(key);
            const last = states[states.length - 1];
            expect(last).toBe(
              now === undefined
                ? last?.startsWith("x:")
                  ? last
                  : "deleted"
                : `${now.metadata.uid}@${now.metadata.resourceVersion}`,
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
