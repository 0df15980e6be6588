import { stripVTControlCharacters } from "node:util";
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { render } from "ink-testing-library";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createEvent,
  createPod,
  ensureNamespace,
  eventually,
  FAST_INFORMER,
  type LoggedClient,
  loggedClient,
  setPodState,
} from "../test/harness.ts";
import { App } from "./app.ts";
import { h } from "./h.ts";
import { WatchSession } from "./watch-session.ts";

let cluster: FakeCluster;
let logged: LoggedClient;
let n = 0;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  cluster = await startFakeCluster();
  logged = await loggedClient(cluster);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await logged?.close();
  await cluster?.close();
});

const ENTER = "\r";
const ESC = "\u001B";
const DOWN = "\u001B[B";

async function show(
  resources: string[],
  options: { namespace?: string | undefined; rows?: number; allNamespaces?: boolean } = {},
) {
  const ns = options.namespace ?? `frames-${++n}`;
  ensureNamespace(cluster, ns);
  const found = [];
  for (const r of resources) found.push(await logged.client.mapper.find(r));
  const session = new WatchSession(
    logged.client,
    { context: "test-context", server: cluster.url, user: "admin", namespace: ns },
    found,
    { scope: { namespace: options.allNamespaces === true ? undefined : ns }, informer: FAST_INFORMER, fadeMs: 300 },
  );
  const ui = render(
    h(App, { session, size: { columns: 160, rows: options.rows ?? 24 }, color: false, frameIntervalMs: 10 }),
  );
  cleanups.push(async () => {
    ui.unmount();
    await session.stop();
  });
  // Deno's colour detection differs from Node's: compare text without styles.
  const frame = (): string => stripVTControlCharacters(ui.lastFrame() ?? "");
  const until = (what: string, test: (f: string) => boolean, timeoutMs?: number) =>
    eventually(() => test(frame()), what, { last: frame, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      ui.stdin.write(k);
      // Ink reads keys one event at a time; a lone ESC is flushed after 20 ms.
      await new Promise((r) => setTimeout(r, k === ESC ? 40 : 5));
    }
  };
  return { ns, session, ui, frame, until, press };
}

/** The NAME cells of the table rows of a frame, in order. */
function names(frame: string, ns: string): string[] {
  return frame
    .split("\n")
    .filter((l) => l.startsWith("web") || l.startsWith("api") || l.startsWith("db") || l.startsWith(`${ns} `))
    .map((l) =>
      l.startsWith(`${ns} `) ? (l.slice(ns.length).trim().split(/\s+/)[0] ?? "") : (l.split(/\s+/)[0] ?? ""),
    );
}

describe("App (frames against the fake cluster)", () => {
  it("shows kubectl's pod columns, the header with context, server, user, scope, health and counts; pods appear, change and go", async () => {
    const ns = `frames-${++n}`;
    createPod(cluster, ns, "web-1");
    createPod(cluster, ns, "api-1", { state: "Pending" });
    const { frame, until } = await show(["po"], { namespace: ns });
    await until("two pods, watching", (f) => f.includes("web-1") && f.includes("api-1") && f.includes("● watching"));
    const text = frame();
    expect(text).toContain("kubeshift-watch  context test-context");
    expect(text).toContain(`server ${cluster.url}  user admin`);
    expect(text).toMatch(/● watching {2}pods {2}namespace frames-\d+ {2}2 rows/);
    expect(text).toMatch(/NAME +READY +STATUS +RESTARTS +AGE/);
    expect(text).toMatch(/web-1 +1\/1 +Running +0 +\d+s/);
    expect(text).toMatch(/api-1 +0\/1 +Pending +0/);
    createPod(cluster, ns, "db-1", { state: "CrashLoopBackOff", restarts: 4 });
    await until("db-1 crash-looping", (f) => /db-1 +0\/1 +CrashLoopBackOff +4/.test(f) && f.includes("3 rows"));
    setPodState(cluster, ns, "api-1", "Running");
    await until("api-1 running", (f) => /api-1 +1\/1 +Running/.test(f));
    cluster.store.delete({ apiVersion: "v1", kind: "Pod" }, "web-1", ns);
    await until("web-1 gone after its fade", (f) => !f.includes("web-1") && f.includes("2 rows"));
  });

  it("/ filters rows by text, by regular expression, and inverted with !; Esc restores the previous filter", async () => {
    const ns = `frames-${++n}`;
    for (const name of ["web-1", "web-2", "api-1", "db-1"]) createPod(cluster, ns, name);
    setPodState(cluster, ns, "db-1", "CrashLoopBackOff", 2);
    const { frame, until, press } = await show(["pods"], { namespace: ns });
    await until("four pods", (f) => f.includes("4 rows"));
    await press("/", "w", "e", "b");
    await until("filtered to web", (f) => f.includes("2/4 rows") && f.includes("/web█"));
    expect(names(frame(), ns)).toEqual(["web-1", "web-2"]);
    await press(ENTER);
    await until("filter kept", (f) => f.includes("filter /web/") && !f.includes("█"));
    await press("/", "\u007f", "\u007f", "\u007f", "^", "(", "a", "|", "d", ")", ENTER);
    await until("regex filter", (f) => f.includes("filter /^(a|d)/"));
    expect(names(frame(), ns)).toEqual(["api-1", "db-1"]);
    await press(
      "/",
      "\u007f",
      "\u007f",
      "\u007f",
      "\u007f",
      "\u007f",
      "\u007f",
      "!",
      "r",
      "u",
      "n",
      "n",
      "i",
      "n",
      "g",
      ENTER,
    );
    await until("inverted filter", (f) => f.includes("filter /!running/"));
    expect(names(frame(), ns)).toEqual(["db-1"]);
    expect(frame()).toContain("1/4 rows");
    // The prompt starts with the current filter, to be edited.
    await press("/");
    await until("prompt with the filter", (f) => f.includes("/!running█"));
    await press(...Array(8).fill("\u007f"), "x", "y", "z");
    await until("no match while typing", (f) => f.includes("0/4 rows") && f.includes("/xyz█"));
    await press(ESC);
    await until("previous filter restored", (f) => f.includes("filter /!running/") && f.includes("1/4 rows"));
    await press(ESC);
    await until("filter cleared", (f) => f.includes("4 rows") && !f.includes("filter /"));
  });

  it("keys typed in one chunk (fast typing, a paste) act one after the other: /api-1 then Enter", async () => {
    const ns = `frames-${++n}`;
    for (const name of ["web-1", "api-1"]) createPod(cluster, ns, name);
    const { frame, until, press } = await show(["pods"], { namespace: ns });
    await until("two pods", (f) => f.includes("2 rows"));
    await press("/api-1\r");
    await until("filtered and kept", (f) => f.includes("filter /api-1/") && f.includes("1/2 rows") && !f.includes("█"));
    expect(names(frame(), ns)).toEqual(["api-1"]);
  });

  it("l sends the label selector to the server and watches only the matching pods", async () => {
    const ns = `frames-${++n}`;
    createPod(cluster, ns, "web-1", { labels: { app: "web", tier: "front" } });
    createPod(cluster, ns, "web-2", { labels: { app: "web", tier: "back" } });
    createPod(cluster, ns, "api-1", { labels: { app: "api" } });
    const { frame, until, press } = await show(["pods"], { namespace: ns });
    await until("three pods", (f) => f.includes("3 rows"));
    const before = logged.urls.length;
    await press("l", ..."app=web,tier!=back", ENTER);
    await until("selected pods", (f) => f.includes("labels app=web,tier!=back") && f.includes("1 rows"));
    expect(names(frame(), ns)).toEqual(["web-1"]);
    const sent = logged.urls
      .slice(before)
      .filter((u) => u.pathname === `/api/v1/namespaces/${ns}/pods`)
      .map((u) => u.searchParams.get("labelSelector"));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((s) => s === "app=web,tier!=back")).toBe(true);
    // Pods that start matching on the server arrive.
    createPod(cluster, ns, "web-3", { labels: { app: "web", tier: "front" } });
    await until("a new matching pod", (f) => f.includes("web-3") && f.includes("2 rows"));
    await press("l", ...Array(18).fill("\u007f"), ENTER);
    await until("selector cleared", (f) => f.includes("4 rows") && !f.includes("labels app"));
  });

  it("s sorts by the next column and S reverses; the header marks the sort column", async () => {
    const ns = `frames-${++n}`;
    createPod(cluster, ns, "web-1", { restarts: 3 });
    createPod(cluster, ns, "api-1", { restarts: 12 });
    createPod(cluster, ns, "db-1", { restarts: 0 });
    const { frame, until, press } = await show(["pods"], { namespace: ns });
    await until("three pods", (f) => f.includes("3 rows"));
    expect(names(frame(), ns)).toEqual(["api-1", "db-1", "web-1"]);
    await press("s");
    await until("sorted by name", (f) => f.includes("sort NAME↑") && f.includes("NAME↑"));
    await press("S");
    await until("name reversed", (f) => f.includes("sort NAME↓"));
    expect(names(frame(), ns)).toEqual(["web-1", "db-1", "api-1"]);
    await press("s", "s", "s");
    await until("sorted by restarts", (f) => f.includes("sort RESTARTS↑"));
    expect(names(frame(), ns)).toEqual(["db-1", "web-1", "api-1"]);
    await press("S");
    await until("restarts reversed", (f) => f.includes("sort RESTARTS↓"));
    expect(names(frame(), ns)).toEqual(["api-1", "web-1", "db-1"]);
  });

  it("n switches the namespace (and to all namespaces, with a NAMESPACE column)", async () => {
    const a = `frames-${++n}`;
    const b = `frames-${++n}`;
    createPod(cluster, a, "web-a");
    createPod(cluster, b, "web-b");
    const { frame, until, press } = await show(["pods"], { namespace: a });
    await until("namespace a", (f) => f.includes("web-a") && f.includes(`namespace ${a}`));
    await press("n");
    await until(
      "the picker lists namespaces",
      (f) => f.includes("Namespace: █") && f.includes(b) && f.includes("(all namespaces)"),
    );
    await press(...b, ENTER);
    await until("namespace b", (f) => f.includes("web-b") && f.includes(`namespace ${b}`) && !f.includes("web-a"));
    await press("n");
    await until("picker again", (f) => f.includes("(all namespaces)"));
    await press(ENTER);
    await until("all namespaces", (f) => f.includes("all namespaces") && f.includes("web-a") && f.includes("web-b"));
    expect(frame()).toMatch(/NAMESPACE +NAME +READY/);
    expect(frame()).toMatch(new RegExp(`${a} +web-a +1/1 +Running`));
  });

  it(": switches the resource by any name the server knows; an unknown one says what is served", async () => {
    const ns = `frames-${++n}`;
    createPod(cluster, ns, "web-1");
    cluster.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: ns },
      data: { a: "1" },
    });
    const { frame, until, press } = await show(["po"], { namespace: ns });
    await until("pods", (f) => f.includes("web-1"));
    await press(":", "c", "m");
    await until("suggestions", (f) => f.includes(":cm█") && f.includes("cm"));
    await press(ENTER);
    await until("config maps", (f) => f.includes("configmaps") && f.includes("settings") && /NAME +DATA +AGE/.test(f));
    expect(frame()).not.toContain("web-1");
    await press(":", ..."nosuchthing", ENTER);
    await until("unknown resource", (f) =>
      f.includes('the server doesn\'t have a resource type "nosuchthing"; it serves:'),
    );
    expect(frame()).toContain("configmaps");
  });

  it("Enter shows the selected pod as YAML (managedFields hidden) and Esc goes back", async () => {
    const ns = `frames-${++n}`;
    createPod(cluster, ns, "api-1");
    createPod(cluster, ns, "web-1", { labels: { app: "web", team: "blue" } });
    const { frame, until, press } = await show(["pods"], { namespace: ns, rows: 40 });
    await until("two pods", (f) => f.includes("2 rows"));
    await press(DOWN, ENTER);
    await until("yaml", (f) => f.includes(`pod ${ns}/web-1 (YAML)`) && f.includes("kind: Pod"));
    const text = frame();
    expect(text).toContain("  name: web-1");
    expect(text).toContain("    team: blue");
    expect(text).toContain("apiVersion: v1");
    expect(text).not.toContain("managedFields");
    await press(ESC);
    await until("back to the table", (f) => f.includes("2 rows") && !f.includes("(YAML)"));
  });

  it("e shows the events of the selected pod, live, and only its own", async () => {
    const ns = `frames-${++n}`;
    createPod(cluster, ns, "web-1");
    createPod(cluster, ns, "web-2");
    createEvent(cluster, ns, { kind: "Pod", name: "web-1" }, "Scheduled", "Successfully assigned to node-1");
    createEvent(cluster, ns, { kind: "Pod", name: "web-2" }, "Pulled", "an event of another pod");
    const { frame, until, press } = await show(["pods"], { namespace: ns });
    await until("pods", (f) => f.includes("2 rows"));
    await press("e");
    await until("events of web-1", (f) => f.includes(`Events of pod ${ns}/web-1`) && f.includes("Scheduled"));
    // Oldest first, as kubectl describe lists them.
    expect(frame()).toMatch(/LAST SEEN↓ +TYPE +REASON +FROM +COUNT +MESSAGE/);
    expect(frame()).toMatch(/\d+s +Normal +Scheduled +kubelet +1 +Successfully assigned to node-1/);
    expect(frame()).not.toContain("another pod");
    createEvent(
      cluster,
      ns,
      { kind: "Pod", name: "web-1" },
      "BackOff",
      "Back-off restarting failed container",
      "Warning",
    );
    await until("a new warning", (f) => /Warning +BackOff +kubelet +1 +Back-off restarting failed container/.test(f));
    await press(ESC);
    await until("back", (f) => f.includes("2 rows") && !f.includes("Events of"));
  });

  it("? shows the keys and ? or Esc closes them", async () => {
    const { until, press } = await show(["pods"], { rows: 30 });
    await until("table", (f) => f.includes("watching"));
    await press("?");
    await until("help", (f) => f.includes("kubeshift-watch keys") && f.includes("label selector sent to the server"));
    await press("?");
    await until("closed", (f) => !f.includes("kubeshift-watch keys") && f.includes("? help"));
  });

  it("watches several resources as tabs with their counts; Tab switches", async () => {
    const ns = `frames-${++n}`;
    createPod(cluster, ns, "web-1");
    cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: ns } });
    const { until, press } = await show(["po", "cm"], { namespace: ns });
    await until("tabs", (f) => f.includes(" pods (1) ") && / configmaps \(\d\)/.test(f) && f.includes("web-1"));
    await press("\t");
    await until("configmaps tab", (f) => f.includes("settings") && !f.includes("web-1"));
    await press("[");
    await until("pods tab again", (f) => f.includes("web-1"));
  });

  it("w shows the -o wide columns", async () => {
    const ns = `frames-${++n}`;
    createPod(cluster, ns, "web-1");
    const { frame, until, press } = await show(["pods"], { namespace: ns });
    await until("pod", (f) => f.includes("web-1"));
    expect(frame()).not.toMatch(/ IP +NODE/);
    await press("w");
    await until("wide", (f) => /AGE +IP +NODE +NOMINATED NODE +READINESS GATES/.test(f));
    expect(frame()).toMatch(/web-1 .* 10\.0\.0\.7/);
  });

  it("draws only the rows that fit: 300 pods in a 20-line terminal make a 20-line frame", async () => {
    const ns = `frames-${++n}`;
    for (let i = 0; i < 300; i++) createPod(cluster, ns, `web-${String(i).padStart(3, "0")}`);
    const { frame, until, press } = await show(["pods"], { namespace: ns, rows: 20 });
    await until("300 pods", (f) => f.includes("300 rows"));
    expect(frame().split("\n")).toHaveLength(20);
    expect(frame()).toContain("web-000");
    expect(frame()).not.toContain("web-020");
    await press("G");
    await until("the end", (f) => f.includes("web-299") && !f.includes("web-000"));
  });
});
