// Colours need chalk's colour level, read when ink is first imported: FORCE_COLOR is set before importing it here.
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPod,
  ensureNamespace,
  eventually,
  FAST_INFORMER,
  type LoggedClient,
  loggedClient,
} from "../test/harness.ts";

process.env.FORCE_COLOR = "1";
const { render } = await import("ink-testing-library");
const { App } = await import("./app.ts");
const { h } = await import("./h.ts");
const { WatchSession } = await import("./watch-session.ts");

let cluster: FakeCluster;
let logged: LoggedClient;

beforeAll(async () => {
  cluster = await startFakeCluster();
  logged = await loggedClient(cluster);
  ensureNamespace(cluster, "colors");
  createPod(cluster, "colors", "web-1");
  createPod(cluster, "colors", "db-1", { state: "CrashLoopBackOff", restarts: 3 });
  createPod(cluster, "colors", "api-1", { state: "Pending" });
});
afterAll(async () => {
  await logged?.close();
  await cluster?.close();
});

// SGR foreground colours: 30–37, 90–97, 38;…
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[(?:3[0-8]|9[0-7])(?:;\\d+)*m`);
const GREEN = "\u001B[32m";
const RED = "\u001B[31m";
const YELLOW = "\u001B[33m";

async function frameWith(color: boolean): Promise<string> {
  const session = new WatchSession(
    logged.client,
    { context: "c", server: cluster.url, user: "admin", namespace: "colors" },
    [await logged.client.mapper.find("pods")],
    { scope: { namespace: "colors" }, informer: FAST_INFORMER },
  );
  const ui = render(h(App, { session, size: { columns: 140, rows: 12 }, color, frameIntervalMs: 10 }));
  try {
    // The selected (inverted) first row is not coloured: move the selection off the rows checked.
    return await eventually(
      () => {
        const f = ui.lastFrame() ?? "";
        return f.includes("3 rows") && f.includes("watching") && f.includes("CrashLoopBackOff") ? f : undefined;
      },
      "three pods",
      { last: () => ui.lastFrame() ?? "" },
    );
  } finally {
    ui.unmount();
    await session.stop();
  }
}

describe("App colours", () => {
  it("colours STATUS cells: Running green, CrashLoopBackOff red, Pending yellow; the health dot green", async () => {
    const frame = await frameWith(true);
    expect(frame).toContain(`${RED}CrashLoopBackOff`);
    expect(frame).toContain(`${GREEN}Running`);
    expect(frame).toContain(`${GREEN}● watching`);
    // api-1 is the selected row (inverted, uncoloured); its Pending is not coloured.
    expect(frame).not.toContain(`${YELLOW}Pending`);
  });

  it("uses no colour at all with color: false (what NO_COLOR selects)", async () => {
    const frame = await frameWith(false);
    expect(frame).toContain("CrashLoopBackOff");
    expect(frame).not.toMatch(COLOUR);
  });
});
