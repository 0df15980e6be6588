import { describe, expect, it } from "vitest";
import { proxyForUrl } from "./_proxy-for-url.ts";

const env = { HTTPS_PROXY: "http://proxy.corp:3128", HTTP_PROXY: "proxy.corp:8080" };

describe("proxyForUrl() follows Go's httpproxy rules", () => {
  it("picks HTTPS_PROXY for https/wss and HTTP_PROXY for http/ws, adding http:// to a bare host:port", () => {
    expect(proxyForUrl(new URL("https://api.example.com:6443/api"), env)).toBe("http://proxy.corp:3128");
    expect(proxyForUrl(new URL("wss://api.example.com/api"), env)).toBe("http://proxy.corp:3128");
    expect(proxyForUrl(new URL("http://api.example.com/api"), env)).toBe("http://proxy.corp:8080");
    expect(proxyForUrl(new URL("https://api.example.com/"), {})).toBeUndefined();
  });

  it("reads the upper-case variable first, then the lower-case one", () => {
    expect(
      proxyForUrl(new URL("https://a.example/"), { https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:1" }),
    ).toBe("http://upper:1");
    expect(proxyForUrl(new URL("https://a.example/"), { https_proxy: "http://lower:1" })).toBe("http://lower:1");
  });

  it("never proxies localhost and loopback addresses", () => {
    for (const u of [
      "https://localhost:6443/",
      "https://127.0.0.1:6443/",
      "https://127.1.2.3/",
      "https://[::1]:6443/",
    ]) {
      expect(proxyForUrl(new URL(u), env)).toBeUndefined();
    }
  });

  it.each([
    ["*", "https://anything.example/", true],
    ["example.com", "https://example.com/", true],
    ["example.com", "https://api.example.com/", true],
    ["example.com", "https://notexample.com/", false],
    [".example.com", "https://example.com/", false],
    [".example.com", "https://api.example.com/", true],
    ["*.example.com", "https://api.example.com/", true],
    ["*.example.com", "https://example.com/", false],
    ["example.com:6443", "https://api.example.com:6443/", true],
    ["example.com:6443", "https://api.example.com:443/", false],
    ["example.com:443", "https://api.example.com/", true],
    ["10.0.0.0/8", "https://10.1.2.3:6443/", true],
    ["10.0.0.0/8", "https://11.1.2.3:6443/", false],
    ["192.168.1.10", "https://192.168.1.10/", true],
    ["192.168.1.10:6443", "https://192.168.1.10:443/", false],
    ["fd00::/8", "https://[fd00::1]/", true],
    ["[fd00::1]:6443", "https://[fd00::1]:6443/", true],
    [" API.Example.COM , other", "https://api.example.com/", true],
  ] as const)("NO_PROXY=%s for %s bypasses the proxy: %s", (noProxy, url, bypass) => {
    const result = proxyForUrl(new URL(url), { ...env, NO_PROXY: noProxy });
    expect(result === undefined).toBe(bypass);
  });

  it("ignores HTTP_PROXY in a CGI environment (httpoxy) but keeps HTTPS_PROXY", () => {
    const cgi = { ...env, REQUEST_METHOD: "GET" };
    expect(proxyForUrl(new URL("http://api.example.com/"), cgi)).toBeUndefined();
    expect(proxyForUrl(new URL("https://api.example.com/"), cgi)).toBe("http://proxy.corp:3128");
  });
});
