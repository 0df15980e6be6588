import { describe, expect, it } from "vitest";
import { healthLabel } from "./health-label.ts";

describe("healthLabel()", () => {
  const now = 1_000_000;
  it("says watching, listing, unauthorized, stopped", () => {
    expect(healthLabel({ state: "Watching", since: now }, now)).toEqual({ text: "watching", tone: "ok" });
    expect(healthLabel({ state: "Listing", since: now }, now).text).toBe("listing…");
    expect(healthLabel({ state: "Unauthorized", until: now + 5000, error: undefined }, now)).toEqual({
      text: "unauthorized: log in again",
      tone: "failed",
    });
    expect(healthLabel({ state: "Stopped", since: now }, now).text).toBe("stopped");
  });

  it("counts down a backoff in whole seconds, with the reason; forbidden is red", () => {
    const label = healthLabel({ state: "Backoff", reason: "connection", until: now + 3200, error: undefined }, now);
    expect(label).toEqual({ text: "reconnecting in 4s (connection lost)", tone: "progress" });
    expect(healthLabel({ state: "Backoff", reason: "connection", until: now - 5, error: undefined }, now).text).toBe(
      "reconnecting (connection lost)",
    );
    expect(healthLabel({ state: "Backoff", reason: "forbidden", until: now + 1000, error: undefined }, now)).toEqual({
      text: "reconnecting in 1s (forbidden)",
      tone: "failed",
    });
  });
});
