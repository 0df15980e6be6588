import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareResourceVersions, isComparableResourceVersion, isNewerResourceVersion } from "./resource-version.ts";

describe("compareResourceVersions()", () => {
  it("T31: orders decimal resourceVersions by length, then lexicographically (api-concepts examples)", () => {
    expect(compareResourceVersions("99", "100")).toBe(-1);
    expect(compareResourceVersions("100", "99")).toBe(1);
    expect(compareResourceVersions("123", "124")).toBe(-1);
    expect(compareResourceVersions("42", "42")).toBe(0);
  });

  it("T31: orders 40-digit values beyond 2^53 exactly", () => {
    const a = "1234567890123456789012345678901234567890";
    const b = "1234567890123456789012345678901234567891";
    expect(compareResourceVersions(a, b)).toBe(-1);
    expect(compareResourceVersions(b, a)).toBe(1);
    // Number() would call these equal.
    expect(Number("9007199254740993")).toBe(Number("9007199254740992"));
    expect(compareResourceVersions("9007199254740993", "9007199254740992")).toBe(1);
  });

  it("T31: compares non-decimal or non-canonical values for equality only", () => {
    expect(compareResourceVersions("abc", "abc")).toBe(0);
    expect(compareResourceVersions("abc", "abd")).toBeUndefined();
    expect(compareResourceVersions("abc", "12")).toBeUndefined();
    expect(compareResourceVersions("012", "12")).toBeUndefined();
    expect(compareResourceVersions("0", "1")).toBeUndefined();
    expect(compareResourceVersions("-1", "1")).toBeUndefined();
    expect(compareResourceVersions("1.5", "2")).toBeUndefined();
    expect(compareResourceVersions(undefined, "2")).toBeUndefined();
    expect(compareResourceVersions(undefined, undefined)).toBeUndefined();
  });

  it("T31 property: on canonical decimals it agrees with BigInt order, and is antisymmetric", () => {
    const decimal = fc.bigInt({ min: 1n, max: 10n ** 45n }).map((n) => n.toString());
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const expected = BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
        expect(compareResourceVersions(a, b)).toBe(expected);
        expect(compareResourceVersions(b, a)).toBe(-expected === 0 ? 0 : -expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("T31 property: a value that is not a canonical decimal is only ever equal or unordered", () => {
    const other = fc.string().filter((s) => !/^[1-9][0-9]*$/.test(s));
    fc.assert(
      fc.property(other, fc.oneof(other, fc.bigInt({ min: 1n }).map(String)), (a, b) => {
        const result = compareResourceVersions(a, b);
        expect(result).toBe(a === b ? 0 : undefined);
        expect(isComparableResourceVersion(a)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("isNewerResourceVersion() is true only for a known, strictly newer version", () => {
    expect(isNewerResourceVersion("101", "100")).toBe(true);
    expect(isNewerResourceVersion("100", "100")).toBe(false);
    expect(isNewerResourceVersion("x", "100")).toBe(false);
  });
});
