import { describe, expect, it } from "vitest";
import { TransportError } from "../transport-error.ts";
import { createDenoTransport } from "./deno-transport.ts";

const onDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;

describe("createDenoTransport()", () => {
  it("on Deno reports what it cannot honour once each and fails after close(); elsewhere throws a TypeError", async () => {
    const warnings: string[] = [];
    const create = () =>
      createDenoTransport({
        insecureSkipTlsVerify: true,
        tlsServerName: "kube.internal",
        onWarning: (m) => warnings.push(m),
      });
    if (!onDeno) {
      expect(create).toThrow(/Deno only; use \/node or \/web/);
      return;
    }
    const t = create();
    t.close();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/insecureSkipTlsVerify cannot be honoured on Deno/);
    expect(warnings[1]).toMatch(/tlsServerName cannot be honoured on Deno/);
    await expect(t.fetch(new Request("http://127.0.0.1:9/"))).rejects.toBeInstanceOf(TransportError);
  });
});
