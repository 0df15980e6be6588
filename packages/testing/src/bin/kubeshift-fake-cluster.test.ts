import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const BIN = fileURLToPath(new URL("./kubeshift-fake-cluster.ts", import.meta.url));

function run(args: string[]): {
  proc: ReturnType<typeof spawn>;
  firstLine: Promise<string>;
  exit: Promise<number | null>;
  stderr: () => string;
} {
  // The bin runs from source on the runtime that runs this test.
  const isDeno = "Deno" in globalThis;
  const command = process.execPath;
  const argv = isDeno ? ["run", "-A", BIN, ...args] : ["--conditions=@kubeshift/source", BIN, ...args];
  const proc = spawn(command, argv, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  proc.stderr?.on("data", (d) => (err += d));
  const firstLine = new Promise<string>((resolve, reject) => {
    proc.stdout?.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.split("\n")[0] as string);
    });
    proc.on("exit", () => reject(new Error(`bin exited before printing: ${err}`)));
  });
  firstLine.catch(() => undefined);
  const exit = new Promise<number | null>((resolve) =>
    proc.on("exit", (code, signal) =>
      // Deno's child_process reports a child it signalled as killed by the signal, even when the child handled it
      // and exited 0; the clean shutdown then shows in its effects (the kubeconfig is removed).
      resolve(code ?? ("Deno" in globalThis && signal === "SIGINT" ? 0 : null)),
    ),
  );
  return { proc, firstLine, exit, stderr: () => err };
}

describe("kubeshift-fake-cluster", () => {
  it("prints the path of a kubeconfig that reaches the running cluster, and stops on SIGINT", async () => {
    const { proc, firstLine, exit, stderr } = run(["--demo", "--demo-interval", "50"]);
    const path = await firstLine;
    expect(existsSync(path)).toBe(true);
    const config = parse(readFileSync(path, "utf8"));
    const server: string = config.clusters[0].cluster.server;
    expect(server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await new Promise((r) => setTimeout(r, 50));
    expect(stderr()).toContain(server);
    proc.kill("SIGINT");
    expect(await exit).toBe(0);
    const deadline = Date.now() + 3000;
    while (existsSync(path) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(path)).toBe(false);
  });

  it("--openshift --image-registry serves the OpenShift surface and names the registry", async () => {
    const { proc, firstLine, exit, stderr } = run(["--openshift", "--image-registry"]);
    const path = await firstLine;
    const config = parse(readFileSync(path, "utf8"));
    const server: string = config.clusters[0].cluster.server;
    const ca = Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64").toString();
    const { request } = await import("node:https");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server}/.well-known/oauth-authorization-server`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(stderr()).toMatch(/image registry https:\/\/127\.0\.0\.1:\d+/);
    proc.kill("SIGINT");
    expect(await exit).toBe(0);
  });

  it("explains its usage and refuses bad arguments with exit code 2", async () => {
    const bad = run(["--port", "nope"]);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toContain("--port needs a port number");
    const unknown = run(["--bogus"]);
    expect(await unknown.exit).toBe(2);
    expect(unknown.stderr()).toContain("Usage: kubeshift-fake-cluster");
  });
});
