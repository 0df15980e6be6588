import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InformerStore } from "./informer-store.ts";

interface Obj {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

const obj = (name: string, namespace?: string, labels?: Record<string, string>): Obj => ({
  metadata: { name, ...(namespace === undefined ? {} : { namespace }), ...(labels === undefined ? {} : { labels }) },
});

describe("InformerStore", () => {
  it("keeps the namespace index and custom indexes in step with every set and delete", () => {
    const store = new InformerStore<Obj>({
      app: (o) => o.metadata.labels?.app,
      tiers: (o) => Object.keys(o.metadata.labels ?? {}),
    });
    store.set("a/x", obj("x", "a", { app: "web" }));
    store.set("b/y", obj("y", "b", { app: "web", db: "1" }));
    store.set("node-1", obj("node-1"));
    expect(store.byIndex("namespace", "a").map((o) => o.metadata.name)).toEqual(["x"]);
    expect(store.indexKeys("app", "web").sort()).toEqual(["a/x", "b/y"]);
    expect(store.indexKeys("tiers", "db")).toEqual(["b/y"]);
    store.set("b/y", obj("y", "b", { app: "api" }));
    expect(store.indexKeys("app", "web")).toEqual(["a/x"]);
    expect(store.indexValues("tiers").sort()).toEqual(["app"]);
    store.delete("a/x");
    expect(store.indexValues("app")).toEqual(["api"]);
    expect(store.indexValues("namespace")).toEqual(["b"]);
    expect(store.size).toBe(2);
  });

  it("reports a throwing index function and indexes the object under no value of that index", () => {
    const errors: string[] = [];
    const store = new InformerStore<Obj>(
      {
        bad: (o) =>
          o.metadata.name === "boom"
            ? (() => {
                throw new Error("bug");
              })()
            : "ok",
      },
      (_e, index, key) => void errors.push(`${index}:${key}`),
    );
    store.set("boom", obj("boom"));
    store.set("fine", obj("fine"));
    expect(errors).toEqual(["bad:boom"]);
    expect(store.indexKeys("bad", "ok")).toEqual(["fine"]);
    expect(store.get("boom")).toBeDefined();
  });

  it("property: after any sequence of sets and deletes, every index equals one recomputed from scratch", () => {
    const op = fc.record({
      del: fc.boolean(),
      ns: fc.constantFrom("a", "b", "c", undefined),
      name: fc.constantFrom("p", "q", "r", "s"),
      app: fc.constantFrom("web", "db", undefined),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const store = new InformerStore<Obj>({ app: (o) => o.metadata.labels?.app });
        const model = new Map<string, Obj>();
        for (const o of ops) {
          const key = o.ns === undefined ? o.name : `${o.ns}/${o.name}`;
          if (o.del) {
            store.delete(key);
            model.delete(key);
          } else {
            const value = obj(o.name, o.ns, o.app === undefined ? undefined : { app: o.app });
            store.set(key, value);
            model.set(key, value);
          }
        }
        expect(new Set(store.keys())).toEqual(new Set(model.keys()));
        for (const ns of ["a", "b", "c"]) {
          const expected = [...model]
            .filter(([, v]) => v.metadata.namespace === ns)
            .map(([k]) => k)
            .sort();
          expect(store.indexKeys("namespace", ns).sort()).toEqual(expected);
        }
        for (const app of ["web", "db"]) {
          const expected = [...model]
            .filter(([, v]) => v.metadata.labels?.app === app)
            .map(([k]) => k)
            .sort();
          expect(store.indexKeys("app", app).sort()).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses to redefine the namespace index and unknown indexes", () => {
    expect(() => new InformerStore<Obj>({ namespace: () => "x" })).toThrow(TypeError);
    expect(() => new InformerStore<Obj>({ x: "nope" as never })).toThrow(TypeError);
    expect(() => new InformerStore<Obj>().byIndex("nope", "x")).toThrow(RangeError);
  });
});
