import { describe, expect, it } from "vitest";
import { collectGarbage } from "../test/collect-garbage.ts";
import { deriveRequest } from "./_derived-request.ts";

// Built in a function of its own so that only the returned request is still referenced afterwards.
function chainOfCopies(signal: AbortSignal): Request {
  const first = new Request("https://k.test/api/v1/pods?watch=1", { method: "POST", body: "{}", signal });
  const withHeader = deriveRequest(first, { headers: { "x-step": "1" } });
  const withBody = deriveRequest(withHeader, { body: new TextEncoder().encode("{}").buffer });
  return deriveRequest(withBody, { signal: AbortSignal.any([withBody.signal, new AbortController().signal]) });
}

describe("deriveRequest()", () => {
  it("the last copy still follows the caller's signal after the requests between them became garbage", async () => {
    const controller = new AbortController();
    const last = chainOfCopies(controller.signal);
    await collectGarbage();
    const reason = new Error("stopped");
    controller.abort(reason);
    expect(last.signal.aborted).toBe(true);
    expect(last.signal.reason).toBe(reason);
  });

  it("with the bytes of a body, copies carry them and leave the original's body alone", async () => {
    const original = new Request("https://k.test/api/v1/namespaces/dev/configmaps", {
      method: "POST",
      body: '{"kind":"ConfigMap"}',
      headers: { "content-type": "application/json" },
    });
    const bytes = await original.clone().arrayBuffer();
    const copies = [deriveRequest(original, { body: bytes }), deriveRequest(original, { body: bytes })];
    for (const copy of copies) {
      expect([copy.method, copy.url, copy.headers.get("content-type")]).toEqual([
        "POST",
        "https://k.test/api/v1/namespaces/dev/configmaps",
        "application/json",
      ]);
      expect(await copy.text()).toBe('{"kind":"ConfigMap"}');
    }
    expect(await original.text()).toBe('{"kind":"ConfigMap"}');
  });
});
