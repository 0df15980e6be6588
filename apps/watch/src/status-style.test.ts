import { describe, expect, it } from "vitest";
import { statusTone, toneColor } from "./status-style.ts";

describe("statusTone()", () => {
  it("colours pod statuses as k9s does: running green, starting yellow, failing red, terminating dim", () => {
    expect(statusTone("Running")).toBe("ok");
    expect(statusTone("Completed")).toBe("ok");
    expect(statusTone("Pending")).toBe("progress");
    expect(statusTone("ContainerCreating")).toBe("progress");
    expect(statusTone("Init:1/2")).toBe("progress");
    expect(statusTone("CrashLoopBackOff")).toBe("failed");
    expect(statusTone("Error")).toBe("failed");
    expect(statusTone("ImagePullBackOff")).toBe("failed");
    expect(statusTone("Init:CrashLoopBackOff")).toBe("failed");
    expect(statusTone("OOMKilled")).toBe("failed");
    expect(statusTone("Terminating")).toBe("terminating");
    expect(statusTone("Ready,SchedulingDisabled")).toBe("ok");
    expect(statusTone("NotReady")).toBe("failed");
    expect(statusTone("something else")).toBe("neutral");
  });

  it("maps tones to Ink colours", () => {
    expect(toneColor("ok")).toBe("green");
    expect(toneColor("progress")).toBe("yellow");
    expect(toneColor("failed")).toBe("red");
    expect(toneColor("terminating")).toBe("gray");
    expect(toneColor("neutral")).toBeUndefined();
  });
});
