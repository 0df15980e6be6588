import { describe, expect, it } from "vitest";
import { formatLabelSelector, LabelSelector, labels } from "./label-selector.ts";

describe("labels()", () => {
  it("builds every requirement form of the API's selector syntax", () => {
    const sel = labels({ app: "web" })
      .ne("tier", "db")
      .in("env", ["prod", "staging"])
      .notIn("zone", ["a"])
      .exists("example.com/owner")
      .notExists("canary");
    expect(String(sel)).toBe("app=web,tier!=db,env in (prod,staging),zone notin (a),example.com/owner,!canary");
  });

  it("is immutable: adding a requirement leaves the original unchanged", () => {
    const base = labels({ app: "web" });
    const more = base.exists("x");
    expect(base.toString()).toBe("app=web");
    expect(more.toString()).toBe("app=web,x");
  });

  it("selects everything when empty", () => {
    expect(labels().toString()).toBe("");
  });

  it.each([
    ["a key with a space", () => labels({ "bad key": "v" })],
    ["a value with a comma (selector injection)", () => labels().eq("app", "a,b=c")],
    ["a value longer than 63 characters", () => labels().eq("app", "x".repeat(64))],
    ["an empty set for in", () => labels().in("env", [])],
    ["an upper-case prefix", () => labels().exists("Example.com/x")],
    ["an empty key", () => labels().exists("")],
  ])("rejects %s with a TypeError", (_name, build) => {
    expect(build).toThrow(TypeError);
  });

  it("accepts an empty value, which the API allows", () => {
    expect(labels().eq("app", "").toString()).toBe("app=");
  });
});

describe("formatLabelSelector()", () => {
  it("sends a string as is", () => {
    expect(formatLabelSelector("app in (a, b)")).toBe("app in (a, b)");
  });

  it("turns a metav1.LabelSelector into the string form", () => {
    expect(
      formatLabelSelector({
        matchLabels: { app: "web" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["a", "b"] },
          { key: "env", operator: "NotIn", values: ["dev"] },
          { key: "owner", operator: "Exists" },
          { key: "canary", operator: "DoesNotExist" },
        ],
      }),
    ).toBe("app=web,tier in (a,b),env notin (dev),owner,!canary");
  });

  it("accepts a builder", () => {
    expect(formatLabelSelector(LabelSelector.of({ a: "1" }))).toBe("a=1");
  });

  it("rejects an unknown operator", () => {
    expect(() => formatLabelSelector({ matchExpressions: [{ key: "a", operator: "Gt" }] })).toThrow(
      /Unknown label selector operator "Gt"/,
    );
  });

  it("accepts null matchLabels and matchExpressions as sent by servers", () => {
    expect(formatLabelSelector({ matchLabels: null, matchExpressions: null })).toBe("");
  });
});
