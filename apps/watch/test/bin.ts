/**
 * Runs the real `kubeshift-watch` bin in a child process, on the runtime running the test: Node (with the
 * `@kubeshift/source` condition, so the sources run without a build) or Deno (`deno run -A`).
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The bin's source. */
export const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

/** The package folder. */
export const APP_DIR = fileURLToPath(new URL("..", import.meta.url));

const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;

/** The command that runs the bin's source with these arguments, on this test's runtime. */
export function binCommand(args: readonly string[]): { command: string; args: string[]; runtime: "node" | "deno" } {
  if (deno !== undefined) return { command: deno.execPath(), args: ["run", "-A", CLI, ...args], runtime: "deno" };
  return { command: process.execPath, args: ["--conditions=@kubeshift/source", CLI, ...args], runtime: "node" };
}

/** A finished run. */
export interface BinResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running bin. */
export interface RunningBin {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly done: Promise<BinResult>;
}

/**
 * Starts the bin with piped stdio (no terminal).
 *
 * @param args its arguments
 * @param env the environment (nothing else is inherited but PATH)
 */
export function startBin(args: readonly string[], env: Record<string, string | undefined>): RunningBin {
  const { command, args: argv } = binCommand(args);
  const child = spawn(command, argv, {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    err += d;
  });
  const done = new Promise<BinResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
  return { child, stdout: () => out, stderr: () => err, done };
}

/**
 * Runs the bin to its end.
 *
 * @throws {Error} when it runs longer than the timeout (it is killed)
 */
export async function runBin(
  args: readonly string[],
  env: Record<string, string | undefined>,
  timeoutMs = 30_000,
): Promise<BinResult> {
  const run = startBin(args, env);
  const timer = setTimeout(() => run.child.kill("SIGKILL"), timeoutMs);
  try {
    const result = await run.done;
    if (result.signal === "SIGKILL")
      throw new Error(`kubeshift-watch ${args.join(" ")} ran over ${timeoutMs} ms; stderr:\n${result.stderr}`);
    return result;
  } finally {
    clearTimeout(timer);
  }
}
