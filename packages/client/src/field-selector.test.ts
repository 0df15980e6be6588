import { describe, expect, it } from "vitest";
import { formatFieldSelector } from "./field-selector.ts";

describe("formatFieldSelector()", () => {
  it("joins equalities in order", () => {
    expect(formatFieldSelector({ "metadata.name": "web", "status.phase": "Running" })).toBe(
      "metadata.name=web,status.phase=Running",
    );
  });

  it("escapes the characters that would split a requirement, as fields.EscapeValue does", () => {
    expect(formatFieldSelector({ "metadata.name": "a,b=c\\d" })).toBe("metadata.name=a\\,b\\=c\\\\d");
  });

  it("sends a string as is", () => {
    expect(formatFieldSelector("metadata.name!=web")).toBe("metadata.name!=web");
  });

  it("rejects a non-string value", () => {
    expect(() => formatFieldSelector({ a: 1 as unknown as string })).toThrow(TypeError);
  });
});
