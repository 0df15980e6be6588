import { describe, expect, it } from "vitest";
import { parseWarningHeader } from "./warning-header.ts";

describe("parseWarningHeader()", () => {
  it("parses the API server's 299 warnings, several per header, with escaped quotes", () => {
    expect(
      parseWarningHeader(
        '299 - "batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+", 299 - "unknown field \\"spec.foo\\""',
      ),
    ).toEqual([
      { code: 299, agent: "-", text: "batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+" },
      { code: 299, agent: "-", text: 'unknown field "spec.foo"' },
    ]);
  });

  it("keeps agent and date when present", () => {
    expect(parseWarningHeader('110 proxy.example:8080 "Response is stale" "Sat, 25 Aug 2012 23:34:45 GMT"')).toEqual([
      { code: 110, agent: "proxy.example:8080", text: "Response is stale", date: "Sat, 25 Aug 2012 23:34:45 GMT" },
    ]);
  });

  it("returns the values before the first malformed one and nothing for garbage", () => {
    expect(parseWarningHeader('299 - "ok", 29 - "bad"')).toEqual([{ code: 299, agent: "-", text: "ok" }]);
    expect(parseWarningHeader('299 - "unterminated')).toEqual([]);
    expect(parseWarningHeader("not a warning")).toEqual([]);
    expect(parseWarningHeader("")).toEqual([]);
    expect(parseWarningHeader('299 - "a" trailing')).toEqual([]);
  });
});
