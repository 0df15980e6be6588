import { describe, expect, it } from "vitest";
import { KubeError } from "./kube-error.ts";
import { classifyNetworkError, TransportError } from "./transport-error.ts";

describe("TransportError", () => {
  it("names method and URL in the message and redacts credentials in both message and url", () => {
    const error = new TransportError("refused", "connection refused", {
      method: "GET",
      url: "https://k.test/oauth/token/display?access_token=sha256~abcdefghijklmnop",
    });
    expect(error.message).toMatch(/^Cannot GET "https:\/\/k\.test\/oauth\/token\/display\?access_token=<redacted>": /);
    expect(error.url).not.toContain("sha256~abcdefghijklmnop");
    expect(error).toBeInstanceOf(KubeError);
    expect(error.code).toBe("ERR_TRANSPORT");
  });

  it("classifyNetworkError() reads codes through the cause chain, then messages", () => {
    expect(
      classifyNetworkError(
        new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) }),
      ),
    ).toBe("refused");
    expect(classifyNetworkError(Object.assign(new Error("x"), { code: "UND_ERR_SOCKET" }))).toBe("reset");
    expect(classifyNetworkError(new Error("invalid peer certificate: UnknownIssuer"))).toBe("tls");
    expect(classifyNetworkError(new Error("dns error: failed to lookup address information"))).toBe("dns");
    expect(classifyNetworkError("???")).toBe("unknown");
  });
});
