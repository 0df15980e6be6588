import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { APP_DIR, binCommand } from "../test/bin.ts";
import { createPod, eventually, setPodState } from "../test/harness.ts";
import { shellQuote, Tmux } from "../test/tmux.ts";

let cluster: FakeCluster;
let dir: string;
let kubeconfig: string;
const sessions: Tmux[] = [];
const REPO = fileURLToPath(new URL("../../../", import.meta.url));

beforeAll(async () => {
  cluster = await startFakeCluster();
  dir = await mkdtemp(join(tmpdir(), "kubeshift-watch-tmux-"));
  kubeconfig = join(dir, "kubeconfig");
  await writeFile(kubeconfig, cluster.kubeconfig.text, { mode: 0o600 });
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});
afterAll(async () => {
  await cluster?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Runs the bin in tmux; when it ends the pane shows its exit status and stays. */
function runInTmux(args: string[], env: Record<string, string> = {}): Tmux {
  const tmux = new Tmux("watch");
  sessions.push(tmux);
  const { command, args: argv } = binCommand(args);
  const vars = Object.entries({ KUBECONFIG: kubeconfig, HOME: dir, DENO_NO_UPDATE_CHECK: "1", ...env })
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(" ");
  // The colour settings of the test's own environment (the gate sets FORCE_COLOR=0, CI sets CI, which turns colour
  // detection off) must not reach the bin: it runs as in a user's terminal.
  const line = `env -u FORCE_COLOR -u NO_COLOR -u CI ${vars} ${[command, ...argv].map(shellQuote).join(" ")}; echo "kubeshift-watch exited with $?"; sleep 60`;
  tmux.start(line, { cwd: APP_DIR, columns: 150, rows: 30 });
  return tmux;
}

const screen = (tmux: Tmux) => () => tmux.capture();

describe("kubeshift-watch in a real terminal (tmux)", () => {
  it("shows pods appear, change and disappear, filters with /, and quits cleanly with q", async () => {
    createPod(cluster, "tmux", "web-1");
    createPod(cluster, "tmux", "api-1", { state: "Pending" });
    const tmux = runInTmux(["pods", "-n", "tmux"]);
    const wait = (what: string, test: (s: string) => boolean, timeoutMs = 20_000) =>
      eventually(() => test(tmux.capture()), what, { timeoutMs, last: screen(tmux) });
    await wait(
      "the pods",
      (s) => /web-1 +1\/1 +Running/.test(s) && /api-1 +0\/1 +Pending/.test(s) && s.includes("● watching"),
    );
    expect(tmux.capture()).toContain("context kubeshift-fake-cluster");
    createPod(cluster, "tmux", "web-2");
    await wait("a new pod appears", (s) => /web-2 +1\/1 +Running/.test(s) && s.includes("3 rows"));
    setPodState(cluster, "tmux", "web-1", "CrashLoopBackOff", 5);
    await wait("a pod changes", (s) => /web-1 +0\/1 +CrashLoopBackOff +5/.test(s));
    cluster.store.delete({ apiVersion: "v1", kind: "Pod" }, "api-1", "tmux");
    await wait("a pod disappears", (s) => !s.includes("api-1") && s.includes("2 rows"));
    tmux.send("/");
    tmux.send("web-2", true);
    tmux.send("Enter");
    await wait("filtered", (s) => s.includes("filter /web-2/") && s.includes("1/2 rows") && !s.includes("web-1"));
    tmux.send("j");
    tmux.send("q", true);
    await wait("exited", (s) => s.includes("kubeshift-watch exited with 0"));
    // The alternate screen is gone: the table no longer shows.
    expect(tmux.capture()).not.toContain("● watching");
  });

  it("colours statuses on a terminal, and not with NO_COLOR", async () => {
    createPod(cluster, "tmux-colors", "web-1");
    createPod(cluster, "tmux-colors", "db-1", { state: "CrashLoopBackOff" });
    const coloured = runInTmux(["pods", "-n", "tmux-colors"]);
    const plain = runInTmux(["pods", "-n", "tmux-colors"], { NO_COLOR: "1" });
    for (const t of [coloured, plain])
      await eventually(() => /db-1 .*CrashLoopBackOff/.test(t.capture()) && t.capture().includes("watching"), "pods", {
        timeoutMs: 45_000,
        last: screen(t),
      });
    // db-1 is selected first (inverted, not coloured): select web-1.
    coloured.send("j", true);
    await eventually(() => coloured.capture(true).includes("\u001B[31mCrashLoopBackOff"), "red CrashLoopBackOff", {
      last: () => coloured.capture(true),
    });
    expect(coloured.capture(true)).toContain("\u001B[32m● watching");
    // No SGR foreground colour (30–37, 90–97) at all.
    expect(plain.capture(true)).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[(?:3[0-7]|9[0-7])m`));
    coloured.send("q", true);
    plain.send("q", true);
  });

  it("npm start runs the demo cluster and shows its pods within a few seconds", async () => {
    const tmux = new Tmux("npm-start");
    sessions.push(tmux);
    const started = Date.now();
    // CI set on purpose: the live view must not turn into Ink's one-frame-at-exit CI mode in a terminal.
    tmux.start(`CI=true npm start; echo "npm start exited with $?"; sleep 60`, { cwd: REPO, columns: 160, rows: 32 });
    const text = await eventually(
      () => {
        const s = tmux.capture();
        return /context kubeshift-demo/.test(s) && / Running /.test(s) && s.includes("● watching") ? s : undefined;
      },
      "demo pods",
      { timeoutMs: 45_000, last: screen(tmux) },
    );
    const seconds = (Date.now() - started) / 1000;
    expect(text).toMatch(/NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE/);
    expect(text).toMatch(/ pods \(\d+\) +deployments \(\d+\)/);
    // The figure goes into the test output; the time itself is not asserted here (speed is for benchmarks).
    console.log(`npm start: demo pods on screen after ${seconds.toFixed(1)} s`);
    tmux.send("q", true);
    await eventually(() => tmux.capture().includes("npm start exited with 0"), "npm start exits", {
      timeoutMs: 20_000,
      last: screen(tmux),
    });
  });
});
