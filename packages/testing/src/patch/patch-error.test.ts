import { describe, expect, it } from "vitest";
import { CUSTOM_RESOURCE_PATCH_TYPES, PatchError, unsupportedPatchTypeError } from "./patch-error.ts";

describe("PatchError", () => {
  it("carries the Status the server answers, causes included, and keeps the hidden detail as its cause", () => {
    const e = new PatchError(409, "Conflict", 'Apply failed with 1 conflict: conflict with "a": .data.k', {
      causes: [{ reason: "FieldManagerConflict", message: 'conflict with "a"', field: ".data.k" }],
      detail: "internal",
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("PatchError");
    expect((e.cause as Error).message).toBe("internal");
    expect(e.toStatus()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'Apply failed with 1 conflict: conflict with "a": .data.k',
      reason: "Conflict",
      details: { causes: [{ reason: "FieldManagerConflict", message: 'conflict with "a"', field: ".data.k" }] },
      code: 409,
    });
  });

  it("omits the reason of bare server errors (500 without reason)", () => {
    expect(new PatchError(500, "", "boom").toStatus()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "boom",
      details: {},
      code: 500,
    });
  });

  it("words the 415 for a strategic merge patch on a custom resource like the server", () => {
    const e = unsupportedPatchTypeError(CUSTOM_RESOURCE_PATCH_TYPES);
    expect(e.status).toBe(415);
    expect(e.reason).toBe("UnsupportedMediaType");
    expect(e.message).toBe(
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    );
  });
});
