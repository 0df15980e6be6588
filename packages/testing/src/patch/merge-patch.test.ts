import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyMergePatch, createMergePatch } from "./merge-patch.ts";
import { PatchError } from "./patch-error.ts";

describe("applyMergePatch", () => {
  it("passes the RFC 7386 appendix A examples", () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: "b" }, { a: "c" }, { a: "c" }],
      [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
      [{ a: "b" }, { a: null }, {}],
      [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
      [{ a: ["b"] }, { a: "c" }, { a: "c" }],
      [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
      [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
      [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
      [
        ["a", "b"],
        ["c", "d"],
        ["c", "d"],
      ],
      [{ a: "b" }, ["c"], ["c"]],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: "b", c: null }, { a: "b" }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [doc, patch, want] of cases) expect(applyMergePatch(doc, patch), JSON.stringify(patch)).toEqual(want);
  });

  it("merges the recorded configmap patch: a null deletes, a new key is added", () => {
    const doc = { metadata: { labels: { app: "fx", tier: "a" } }, data: { k1: "v1-replaced", k2: "v2" } };
    const out = applyMergePatch(doc, { metadata: { labels: { patched: "merge" } }, data: { k3: "v3", k2: null } });
    expect(out).toEqual({
      metadata: { labels: { app: "fx", tier: "a", patched: "merge" } },
      data: { k1: "v1-replaced", k3: "v3" },
    });
  });

  it("drops nulls inside new values, also inside arrays of objects, as the server's library does", () => {
    expect(applyMergePatch({}, { a: { b: null, c: [{ d: null, e: 1 }, null] } })).toEqual({
      a: { c: [{ e: 1 }, null] },
    });
    // A non-object value replacing an object is kept verbatim.
    expect(applyMergePatch({ a: { x: 1 } }, { a: [{ d: null }] })).toEqual({ a: [{ d: null }] });
  });

  it("keeps a __proto__ key of a parsed patch an own member instead of changing the prototype", () => {
    const out = applyMergePatch({ a: {} }, JSON.parse('{"a":{"__proto__":{"polluted":true}}}')) as {
      a: Record<string, unknown>;
    };
    expect(Object.hasOwn(out.a, "__proto__")).toBe(true);
    expect((out.a as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("answers 400 'Invalid JSON Patch' for a null, string, number or boolean patch", () => {
    for (const patch of [null, "x", 1, true]) {
      try {
        applyMergePatch({ a: 1 }, patch);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(PatchError);
        expect((e as PatchError).status).toBe(400);
        expect((e as PatchError).reason).toBe("BadRequest");
        expect((e as PatchError).message).toBe("Invalid JSON Patch");
      }
    }
  });

  it("merge patch never mutates its inputs", () => {
    fc.assert(
      fc.property(fc.object({ maxDepth: 3 }), fc.object({ maxDepth: 3, withNullPrototype: false }), (doc, patch) => {
        const d = structuredClone(doc);
        const p = structuredClone(patch);
        applyMergePatch(doc, patch);
        expect(doc).toEqual(d);
        expect(patch).toEqual(p);
      }),
    );
  });

  it("merge patch: applying the diff of a and b to a yields b", () => {
    // Merge patches cannot express a null member, so b is drawn without nulls.
    const value = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: "small" },
        fc.oneof(fc.string(), fc.integer(), fc.boolean()),
        fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 3 }), tie("tree"), { maxKeys: 3 }),
      ),
    })).tree;
    const obj = fc.dictionary(fc.string({ maxLength: 3 }), value, { maxKeys: 4 });
    fc.assert(
      fc.property(obj, obj, (a, b) => {
        expect(applyMergePatch(a, createMergePatch(a, b))).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });

  it("merge patch is idempotent (for patches whose arrays hold no null members): applying it twice changes nothing more", () => {
    // An array replacing an object keeps its nulls verbatim in the library, and loses them the second time.
    const nullInArray = (v: unknown, inArray = false): boolean =>
      v === null
        ? inArray
        : Array.isArray(v)
          ? v.some((x) => nullInArray(x, true))
          : typeof v === "object"
            ? Object.values(v as object).some((x) => nullInArray(x, inArray))
            : false;
    fc.assert(
      fc.property(fc.object({ maxDepth: 3 }), fc.object({ maxDepth: 3 }), (doc, patch) => {
        fc.pre(!nullInArray(patch));
        const once = applyMergePatch(doc, patch);
        expect(applyMergePatch(once, patch)).toEqual(once);
      }),
    );
  });
});
