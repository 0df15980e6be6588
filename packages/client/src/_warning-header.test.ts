import { describe, expect, it } from "vitest";
import { parseWarningHeader } from "./_warning-header.ts";

describe("parseWarningHeader()", () => {
  it("reads one 299 warning", () => {
    expect(parseWarningHeader('299 - "policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+"')).toEqual([
      "policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+",
    ]);
  });

  it("reads several warnings joined with commas, commas inside quotes included", () => {
    expect(parseWarningHeader('299 - "a, b", 299 - "c"')).toEqual(["a, b", "c"]);
  });

  it("unescapes quoted pairs", () => {
    expect(parseWarningHeader('299 - "unknown field \\"spec.foo\\""')).toEqual(['unknown field "spec.foo"']);
  });

  it("skips codes other than 299 and malformed parts without throwing", () => {
    expect(parseWarningHeader('199 - "misc", garbage, 299 - "kept", 299 - "unterminated')).toEqual(["kept"]);
  });

  it("returns nothing for a missing header", () => {
    expect(parseWarningHeader(null)).toEqual([]);
  });
});
