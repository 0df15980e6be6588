import { describe, expect, it } from "vitest";
import { json, ScriptedTransport } from "../test/scripted-transport.ts";
import { surfaceWarnings } from "./surface-warnings.ts";
import { composeTransport } from "./transport.ts";
import type { WarningHeader } from "./warning-header.ts";

const deprecated = '299 - "policy/v1beta1 PodSecurityPolicy is deprecated"';

describe("surfaceWarnings()", () => {
  it("hands each warning of every Warning header to onWarning, once per distinct text by default", async () => {
    const seen: Array<[string, WarningHeader]> = [];
    const headers = new Headers();
    headers.append("warning", deprecated);
    headers.append("warning", '299 - "metadata.finalizers: \\"x\\": prefer a domain-qualified finalizer name"');
    const base = new ScriptedTransport([
      new Response("{}", { headers }),
      json(200, {}, { warning: deprecated }),
      json(200, {}),
    ]);
    const t = composeTransport(base, surfaceWarnings({ onWarning: (m, w) => seen.push([m, w]) }));
    for (let i = 0; i < 3; i++) await t.fetch(new Request("https://k.test/apis/policy/v1beta1/podsecuritypolicies"));
    expect(seen.map(([m]) => m)).toEqual([
      "policy/v1beta1 PodSecurityPolicy is deprecated",
      'metadata.finalizers: "x": prefer a domain-qualified finalizer name',
    ]);
    expect(seen[0]?.[1]).toEqual({ code: 299, agent: "-", text: "policy/v1beta1 PodSecurityPolicy is deprecated" });
  });

  it("reports repeats with deduplicate: false", async () => {
    const seen: string[] = [];
    const base = new ScriptedTransport([
      json(200, {}, { warning: deprecated }),
      json(200, {}, { warning: deprecated }),
    ]);
    const t = composeTransport(base, surfaceWarnings({ onWarning: (m) => seen.push(m), deduplicate: false }));
    await t.fetch(new Request("https://k.test/a"));
    await t.fetch(new Request("https://k.test/a"));
    expect(seen).toHaveLength(2);
  });

  it("rejects the request with the error onWarning throws", async () => {
    const boom = new Error("callback failed");
    const base = new ScriptedTransport([json(200, {}, { warning: deprecated })]);
    const t = composeTransport(
      base,
      surfaceWarnings({
        onWarning: () => {
          throw boom;
        },
      }),
    );
    await expect(t.fetch(new Request("https://k.test/a"))).rejects.toBe(boom);
  });
});
