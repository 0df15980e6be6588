/**
 * The serving half of a benchmark in a child process, so that serving is never timed with the client: the child
 * calls {@link announce} with its HTTP server, the parent {@link startServerProcess}, which resolves with the URL and
 * the figures the child announced (sizes of what it serves), and fails instead of hanging when the child dies first.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Server } from "node:http";

/** A running server process. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The numbers the child announced after its port. */
  readonly figures: readonly number[];
  readonly child: ChildProcess;
  /** Ends the child (its stdin first, then a kill). */
  stop(): void;
}

/**
 * Starts `node [...execArgv] <args>` and waits for its announcement line.
 *
 * @param args the script and its arguments
 * @param execArgv Node options for the child (e.g. the parent's `process.execArgv`)
 * @returns the running process
 * @throws {Error} when the child exits or fails to start before announcing
 */
export function startServerProcess(args: readonly string[], execArgv: readonly string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...execArgv, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  const stop = (): void => {
    child.stdin?.end();
    child.kill();
  };
  return new Promise<ServerProcess>((resolve, reject) => {
    let text = "";
    const onData = (data: Buffer): void => {
      text += String(data);
      const end = text.indexOf("\n");
      if (end === -1) return;
      done();
      const [port, ...figures] = text.slice(0, end).trim().split(" ").map(Number);
      resolve({ url: `http://127.0.0.1:${port}`, figures, child, stop });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      done();
      reject(new Error(`bench: server process ${args.join(" ")} ended before it listened (${signal ?? code})`));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const done = (): void => {
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

/**
 * In the child: listens on a random loopback port, announces `<port> <figures…>` on stdout, and exits when the
 * parent closes stdin (or goes away).
 *
 * @param server the HTTP server to listen with
 * @param figures numbers for the parent (sizes of what is served)
 */
export function announce(server: Server, ...figures: number[]): void {
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as { port: number }).port;
    process.stdout.write(`${[port, ...figures].join(" ")}\n`);
  });
  process.on("disconnect", () => process.exit(0));
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}
