import { describe, expect, it } from "vitest";
import { decodeStdBase64 } from "./_base64.ts";
import { resolvePlainScalar } from "./_yaml-scalars.ts";

describe("resolvePlainScalar follows go-yaml v2 (checked against kubectl)", () => {
  it.each([
    ["yes", "bool"],
    ["n", "bool"],
    ["Off", "bool"],
    ["TRUE", "bool"],
    ["~", "null"],
    ["", "null"],
    ["NULL", "null"],
    ["0123", "int"],
    ["0o17", "int"],
    ["0x_1", "int"],
    ["1_000", "int"],
    ["+5", "int"],
    ["-0b11", "int"],
    ["18446744073709551615", "int"],
    ["09", "float"],
    [".5", "float"],
    ["1.", "float"],
    ["1.e5", "float"],
    ["18446744073709551616", "float"],
    ["+.inf", "float"],
    [".nan", "float"],
    ["1e400", "string"],
    ["._5", "string"],
    ["0x", "string"],
    ["0b", "string"],
    ["1:20", "string"],
    [".iNf", "string"],
    ["tRUE", "string"],
    ["oN", "string"],
    ["nULL", "string"],
    ["+", "string"],
    [".", "string"],
    ["0x1p-2", "string"],
    ["2001-12-14", "string"],
    ["Infinity", "string"],
    ["<<", "string"],
  ])("%s is a %s", (source, type) => {
    expect(resolvePlainScalar(source).type).toBe(type);
  });

  it("gives octal and hexadecimal integers their value", () => {
    expect(resolvePlainScalar("0123")).toEqual({ type: "int", value: 83 });
    expect(resolvePlainScalar("0x10")).toEqual({ type: "int", value: 16 });
  });
});

describe("decodeStdBase64 behaves like Go's base64.StdEncoding", () => {
  it("skips line breaks and tolerates stray bits", () => {
    expect(decodeStdBase64("QUJD\nREVG\r\nR0g=")).toEqual(new TextEncoder().encode("ABCDEFGH"));
    expect(decodeStdBase64("AB==")).toEqual(Uint8Array.of(0));
  });

  it("reports the offset of the first bad byte", () => {
    expect(decodeStdBase64("not*base64")).toBe(3);
    expect(decodeStdBase64("QUJ")).toBe(3);
    expect(decodeStdBase64("Q===")).toBe(1);
  });
});
