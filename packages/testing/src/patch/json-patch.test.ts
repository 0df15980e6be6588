import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from "./json-patch.ts";
import { INVALID_REQUEST_MESSAGE, PatchError } from "./patch-error.ts";

function failure(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error("expected a PatchError");
}

describe("applyJsonPatch", () => {
  it("applies add, replace and remove like the recorded configmap patch", () => {
    const doc = { data: { k1: "v1-replaced", k3: "v3" } };
    const out = applyJsonPatch(doc, [
      { op: "add", path: "/data/k4", value: "v4" },
      { op: "replace", path: "/data/k1", value: "v1-json" },
      { op: "remove", path: "/data/k3" },
    ]);
    expect(out).toEqual({ data: { k1: "v1-json", k4: "v4" } });
  });

  it("inserts into arrays by index, appends with '-', and counts negative indices from the end", () => {
    const doc = { a: [1, 2, 3] };
    expect(applyJsonPatch(doc, [{ op: "add", path: "/a/1", value: 9 }])).toEqual({ a: [1, 9, 2, 3] });
    expect(applyJsonPatch(doc, [{ op: "add", path: "/a/-", value: 9 }])).toEqual({ a: [1, 2, 3, 9] });
    expect(applyJsonPatch(doc, [{ op: "add", path: "/a/3", value: 9 }])).toEqual({ a: [1, 2, 3, 9] });
    expect(applyJsonPatch(doc, [{ op: "remove", path: "/a/-1" }])).toEqual({ a: [1, 2] });
    expect(failure(() => applyJsonPatch(doc, [{ op: "add", path: "/a/5", value: 9 }])).status).toBe(422);
    expect(failure(() => applyJsonPatch(doc, [{ op: "remove", path: "/a/x" }])).status).toBe(422);
  });

  it("decodes ~1 and ~0 in pointers (annotation keys with slashes)", () => {
    const doc = { metadata: { annotations: { "example.com/a~b": "1" } } };
    const out = applyJsonPatch(doc, [
      { op: "replace", path: "/metadata/annotations/example.com~1a~0b", value: "2" },
      { op: "add", path: "/metadata/annotations/x~1y", value: "3" },
    ]);
    expect(out).toEqual({ metadata: { annotations: { "example.com/a~b": "2", "x/y": "3" } } });
  });

  it("moves and copies values, copies being independent of their source", () => {
    const doc = { a: { x: { deep: 1 } }, b: {} };
    const copied = applyJsonPatch(doc, [
      { op: "copy", from: "/a/x", path: "/b/y" },
      { op: "replace", path: "/a/x/deep", value: 2 },
    ]);
    expect(copied).toEqual({ a: { x: { deep: 2 } }, b: { y: { deep: 1 } } });
    expect(applyJsonPatch(doc, [{ op: "move", from: "/a/x", path: "/b/x" }])).toEqual({ a: {}, b: { x: { deep: 1 } } });
  });

  it("passes a matching test and fails a mismatching one with the server's generic 422", () => {
    const doc = { data: { k1: "v1-json" }, list: [{ a: 1, b: [true, null] }] };
    expect(applyJsonPatch(doc, [{ op: "test", path: "/data/k1", value: "v1-json" }])).toEqual(doc);
    expect(applyJsonPatch(doc, [{ op: "test", path: "/list/0", value: { b: [true, null], a: 1 } }])).toEqual(doc);
    const e = failure(() => applyJsonPatch(doc, [{ op: "test", path: "/data/k1", value: "wrong" }]));
    expect(e.status).toBe(422);
    expect(e.reason).toBe("Invalid");
    expect(e.message).toBe(INVALID_REQUEST_MESSAGE);
    expect(String((e.cause as Error).message)).toBe("testing value /data/k1 failed");
    expect(e.toStatus()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: INVALID_REQUEST_MESSAGE,
      reason: "Invalid",
      details: {},
      code: 422,
    });
  });

  it("refuses remove of a missing key, an unknown op, a path without any slash and a missing parent with 422", () => {
    const doc = { data: { k: "v" } };
    for (const op of [
      { op: "remove", path: "/data/missing" },
      { op: "frobnicate", path: "/data/k" },
      { op: "add", path: "k", value: 1 },
      { op: "add", path: "", value: 1 },
      { op: "add", path: "/nope/deeper", value: 1 },
      { path: "/data/k" },
    ]) {
      const e = failure(() => applyJsonPatch(doc, [op]));
      expect(e.status, JSON.stringify(op)).toBe(422);
      expect(e.message).toBe(INVALID_REQUEST_MESSAGE);
    }
  });

  it("replaces a missing object key as an add, like the server's json-patch library", () => {
    expect(applyJsonPatch({ data: {} }, [{ op: "replace", path: "/data/k", value: "v" }])).toEqual({
      data: { k: "v" },
    });
  });

  it("answers 400 with Go's decode error for a patch that is not an array of objects", () => {
    const notArray = failure(() => applyJsonPatch({}, { op: "add" }));
    expect(notArray.status).toBe(400);
    expect(notArray.reason).toBe("BadRequest");
    expect(notArray.message).toBe("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    const badOp = failure(() => applyJsonPatch({}, ["add"]));
    expect(badOp.message).toBe("json: cannot unmarshal string into Go value of type jsonpatch.Operation");
    expect(failure(() => applyJsonPatch({}, 3)).message).toBe(
      "json: cannot unmarshal number into Go value of type jsonpatch.Patch",
    );
  });

  it("keeps a __proto__ key an own member instead of changing the prototype", () => {
    const out = applyJsonPatch({}, [{ op: "add", path: "/__proto__", value: { polluted: true } }]) as Record<
      string,
      unknown
    >;
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it("answers 413 above the operation limit", () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: "test", path: "/a", value: 1 }));
    const e = failure(() => applyJsonPatch({ a: 1 }, ops));
    expect(e.status).toBe(413);
    expect(e.message).toBe("The allowed maximum operations in a JSON patch is 10000, got 10001");
  });

  it("json patch never mutates its input (document or patch), whatever the operations", () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const pathInto = fc.array(fc.oneof(fc.constantFrom("a", "b", "0", "1", "-"), fc.string({ maxLength: 3 })), {
      minLength: 1,
      maxLength: 3,
    });
    const op = fc.record({
      op: fc.constantFrom("add", "remove", "replace", "move", "copy", "test"),
      path: pathInto.map((p) => `/${p.join("/")}`),
      from: pathInto.map((p) => `/${p.join("/")}`),
      value: json,
    });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("a", "b", "c"), json), fc.array(op, { maxLength: 4 }), (doc, patch) => {
        const docCopy = structuredClone(doc);
        const patchCopy = structuredClone(patch);
        let out: unknown;
        try {
          out = applyJsonPatch(doc, patch);
        } catch (e) {
          if (!(e instanceof PatchError)) throw e;
        }
        expect(doc).toEqual(docCopy);
        expect(patch).toEqual(patchCopy);
        if (out !== undefined && out !== doc) {
          // The result shares no mutable structure with the input.
          (out as Record<string, unknown>).__probe = 1;
          expect(Object.hasOwn(doc, "__probe")).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("json patch: adding a key then removing it gives back the document", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })),
        fc.string({ minLength: 1, maxLength: 6 }),
        fc.jsonValue({ maxDepth: 2 }),
        (doc, key, value) => {
          fc.pre(!Object.hasOwn(doc, key));
          const pointer = `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
          const out = applyJsonPatch(doc, [
            { op: "add", path: pointer, value },
            { op: "test", path: pointer, value },
            { op: "remove", path: pointer },
          ]);
          expect(out).toEqual(doc);
        },
      ),
    );
  });
});
