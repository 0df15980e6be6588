import type { ResolvedConnection } from "@kubeshift/auth";
import { createStaticTokenSource } from "@kubeshift/auth";
import type { ConnectionOptions } from "@kubeshift/transport";
import { Pod } from "@kubeshift/types/core/v1";
import { describe, expect, it } from "vitest";
import { scriptedTransport } from "../test/replay-transport.ts";
import { connect, runtimeAdapter } from "./connect.ts";

function resolved(overrides: Partial<ResolvedConnection> = {}): ResolvedConnection {
  return {
    source: "kubeconfig",
    server: "https://api.example.com:6443",
    namespace: "team-a",
    contextName: "ctx",
    clusterName: "c",
    userName: "u",
    connection: { caPem: "-----BEGIN CERTIFICATE-----\n…" },
    credentials: undefined,
    basicAuth: undefined,
    impersonation: undefined,
    ...overrides,
  };
}

describe("connect()", () => {
  it("hands the connection options to the adapter and composes credentials, impersonation and user agent", async () => {
    const seenConnections: ConnectionOptions[] = [];
    const base = scriptedTransport(() => Response.json({ kind: "PodList", metadata: {}, items: [] }));
    const client = await connect({
      connection: resolved({
        credentials: createStaticTokenSource("token-0123456789"),
        impersonation: { user: "jane", groups: ["devs"] },
      }),
      transport: (connection) => {
        seenConnections.push(connection);
        return base;
      },
      userAgent: "my-tool/1.0",
    });
    expect(client.namespace).toBe("team-a");
    expect(client.server.href).toBe("https://api.example.com:6443/");
    await client.list(Pod);
    expect(seenConnections).toEqual([{ caPem: "-----BEGIN CERTIFICATE-----\n…" }]);
    const headers = base.seen[0]?.headers;
    expect(headers?.get("authorization")).toBe("Bearer token-0123456789");
    expect(headers?.get("impersonate-user")).toBe("jane");
    expect(headers?.get("impersonate-group")).toBe("devs");
    expect(headers?.get("user-agent")).toBe("my-tool/1.0");
    expect(base.seen[0]?.url.pathname).toBe("/api/v1/namespaces/team-a/pods");
  });

  it("sends basic credentials from the kubeconfig's username and password", async () => {
    const base = scriptedTransport(() => Response.json({ items: [] }));
    const client = await connect({
      connection: resolved({ basicAuth: { username: "admin", password: "s3cret!" } }),
      transport: () => base,
    });
    await client.list(Pod);
    expect(base.seen[0]?.headers.get("authorization")).toBe(`Basic ${btoa("admin:s3cret!")}`);
  });

  it("uses a complete Transport as is (no middleware added) and applies the namespace option", async () => {
    const transport = scriptedTransport(() => Response.json({ items: [] }));
    const client = await connect({ connection: resolved(), transport, namespace: "other" });
    await client.list(Pod);
    expect(transport.seen[0]?.headers.has("user-agent")).toBe(false);
    expect(transport.seen[0]?.url.pathname).toBe("/api/v1/namespaces/other/pods");
  });

  it("close() closes the adapter it created", async () => {
    let closed = 0;
    const base = { ...scriptedTransport(() => Response.json({})), close: async () => void closed++ };
    const client = await connect({ connection: resolved(), transport: () => base });
    await client.close();
    expect(closed).toBe(1);
  });

  it("keeps an adapter's prototype methods when no middleware is added, and still closes it", async () => {
    // Like the runtime adapters: fetch, websocket and close live on a class, not on the object.
    class Adapter {
      closed = 0;
      readonly inner = scriptedTransport(() => Response.json({ items: [] }));
      fetch(request: Request): Promise<Response> {
        return this.inner.fetch(request);
      }
      websocket(): never {
        throw new Error("no websockets here");
      }
      async close(): Promise<void> {
        this.closed++;
      }
    }
    const adapter = new Adapter();
    const client = await connect({
      connection: resolved({ credentials: undefined }),
      transport: () => adapter,
      userAgent: false,
      retry: false,
      rateLimit: false,
    });
    expect((await client.list(Pod)).items).toEqual([]);
    await client.close();
    expect(adapter.closed).toBe(1);
  });

  it("reads the kubeconfig given by path through @kubeshift/auth", async () => {
    const error = await connect({ path: "/nonexistent/kubeconfig" }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/nonexistent\/kubeconfig/);
  });
});

describe("runtimeAdapter()", () => {
  it("picks the adapter of the running runtime", async () => {
    const adapter = await runtimeAdapter();
    const expected =
      "Deno" in globalThis
        ? (await import("@kubeshift/transport/deno")).createDenoTransport
        : (await import("@kubeshift/transport/node")).createNodeTransport;
    expect(adapter).toBe(expected);
  });
});
