// Runs on Node (vitest) and on Deno: the web adapter uses only the globals both provide.
import { describe, expect, it } from "vitest";
import { createWebTransport } from "../src/web/index.ts";
import { describeTransportConformance } from "./conformance.ts";

const onDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;

describeTransportConformance({
  name: `@kubeshift/transport/web on ${onDeno ? "Deno" : "Node"}`,
  create: (options) => createWebTransport(options),
  can: {
    customCa: false,
    clientCertificate: false,
    insecure: false,
    tlsServerName: false,
    proxy: false,
    websocketHeaders: false,
    refusedUpgradeBody: false,
    // Deno names the status in its error message; Node's global WebSocket does not.
    refusedUpgradeStatus: onDeno,
    multiMemberGzip: false,
    http2: false,
  },
});

describe("@kubeshift/transport/web websockets", () => {
  it("refuses impersonation headers it cannot send instead of dropping them", async () => {
    const t = createWebTransport();
    await expect(
      t.websocket("ws://127.0.0.1:9/api?watch=1", {
        headers: { authorization: "Bearer abcdefgh", "impersonate-user": "x" },
      }),
    ).rejects.toBeInstanceOf(TypeError);
  });

  it("puts the token in the subprotocol before the caller's protocols, adding one when there is none", async () => {
    const opened: Array<{ url: string; protocols: string[] }> = [];
    class RecordingSocket extends EventTarget {
      readonly protocol = "";
      readonly readyState = 0;
      binaryType = "blob";
      constructor(url: string, protocols?: string | string[]) {
        super();
        opened.push({ url, protocols: [protocols ?? []].flat() });
        queueMicrotask(() => this.dispatchEvent(Object.assign(new Event("close"), { code: 1006, reason: "" })));
      }
      send(): void {}
      close(): void {}
    }
    const t = createWebTransport({ WebSocket: RecordingSocket as unknown as typeof WebSocket });
    const token = "tok/with+chars?";
    await t.websocket("wss://k.test/api?watch=1", { headers: { authorization: `Bearer ${token}` } }).catch(() => {});
    await t
      .websocket("https://k.test/api/v1/namespaces/d/pods/p/exec", {
        headers: { authorization: `Bearer ${token}` },
        protocols: ["v5.channel.k8s.io", "v4.channel.k8s.io"],
      })
      .catch(() => {});
    const encoded = btoa(token).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    expect(opened).toEqual([
      {
        url: "wss://k.test/api?watch=1",
        protocols: [`base64url.bearer.authorization.k8s.io.${encoded}`, "base64.binary.k8s.io"],
      },
      {
        url: "wss://k.test/api/v1/namespaces/d/pods/p/exec",
        protocols: [`base64url.bearer.authorization.k8s.io.${encoded}`, "v5.channel.k8s.io", "v4.channel.k8s.io"],
      },
    ]);
  });
});
