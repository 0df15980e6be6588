// Node only: the built dist/ is the npm package's shape, which Node runs (Deno runs the sources; see tmux.test.ts).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { eventually } from "../test/harness.ts";

const DIST_CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

describe("the built bin (dist/cli.js, without the source condition)", () => {
  it("runs --demo from dist and streams demo pods when piped, then stops on SIGTERM with status 0", async () => {
    if (!existsSync(DIST_CLI))
      throw new Error(`${DIST_CLI} is missing: run "npm run build" first (turbo's test task depends on build)`);
    const child = spawn(process.execPath, [DIST_CLI, "--demo", "-A", "pods"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      err += d;
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      await eventually(() => /^ADDED +\S+ +\S+-\S+ +\d+\/\d+ +\S+/m.test(out), "demo pods", {
        timeoutMs: 45_000,
        last: () => `${out}\n${err}`,
      });
    } finally {
      child.kill("SIGTERM");
    }
    expect(await closed).toBe(0);
    expect(out.split("\n")[0]).toMatch(/^EVENT +NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE$/);
    expect(err).toBe("");
  });
});
