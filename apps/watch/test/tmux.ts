/**
 * A private tmux server (its own socket, no user configuration) to run the real bin in a real terminal: start a
 * session, send keys, read the screen. A missing tmux fails loudly.
 *
 * @module
 */
import { spawnSync } from "node:child_process";

/** A tmux session on a private server. */
export class Tmux {
  readonly socket: string;
  readonly session = "watch";

  constructor(name: string) {
    this.socket = `kubeshift-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const version = spawnSync("tmux", ["-V"], { encoding: "utf8" });
    if (version.error !== undefined || version.status !== 0)
      throw new Error(
        `tmux is required for this test and was not found (${version.error?.message ?? version.stderr}); install it (apt-get install tmux)`,
      );
  }

  #run(args: string[]): string {
    const r = spawnSync("tmux", ["-L", this.socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`tmux ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** Starts the session running a shell command in a terminal of the given size. */
  start(command: string, options: { columns?: number; rows?: number; cwd: string }): void {
    this.#run([
      "new-session",
      "-d",
      "-s",
      this.session,
      "-x",
      String(options.columns ?? 150),
      "-y",
      String(options.rows ?? 30),
      "-c",
      options.cwd,
      command,
    ]);
  }

  /** Types keys (tmux key names: `Enter`, `Escape`, or literal text with `literal`). */
  send(keys: string, literal = false): void {
    this.#run(["send-keys", "-t", this.session, ...(literal ? ["-l"] : []), keys]);
  }

  /** The screen as text (with escape sequences for colours when `escapes`). */
  capture(escapes = false): string {
    return this.#run(["capture-pane", "-p", ...(escapes ? ["-e"] : []), "-t", this.session]);
  }

  /** Ends the session and the private server. */
  kill(): void {
    spawnSync("tmux", ["-L", this.socket, "kill-server"]);
  }
}

/** Quotes a word for sh. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
