import { describe, expect, it } from "vitest";
import { parseRowFilter } from "./row-filter.ts";

describe("parseRowFilter()", () => {
  it("matches plain text case-insensitively as a substring", () => {
    const f = parseRowFilter("Web");
    expect(f?.kind).toBe("regex");
    expect(f?.test("shop web-1 running")).toBe(true);
    expect(f?.test("shop api-1 running")).toBe(false);
  });

  it("uses the text as a regular expression when it is one", () => {
    const f = parseRowFilter("^shop .*-[0-9]+ ");
    expect(f?.kind).toBe("regex");
    expect(f?.test("shop web-12 running")).toBe(true);
    expect(f?.test("media shop-1 running")).toBe(false);
  });

  it("falls back to a substring when the text is not a valid regular expression", () => {
    const f = parseRowFilter("[web");
    expect(f?.kind).toBe("text");
    expect(f?.test("x [web y")).toBe(true);
    expect(f?.test("web")).toBe(false);
  });

  it("inverts with a leading !", () => {
    const f = parseRowFilter("!running");
    expect(f?.inverted).toBe(true);
    expect(f?.test("web-1 running")).toBe(false);
    expect(f?.test("web-1 crashloopbackoff")).toBe(true);
  });

  it("filters nothing when empty or a lone !", () => {
    expect(parseRowFilter("")).toBeUndefined();
    expect(parseRowFilter("!")).toBeUndefined();
  });
});
