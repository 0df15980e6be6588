/**
 * The small interfaces through which auth touches the machine: files, environment, processes and the clock. The
 * runtime-neutral code takes an {@link AuthHost}; `@kubeshift/auth/node` implements it with `node:fs` and
 * `node:child_process` (which Deno implements too). Tests and browsers pass their own.
 *
 * @module
 */

/** What `stat` reports about a file. */
export interface FileInfo {
  /** Last modification time, ms since the epoch. */
  mtimeMs: number;
  /** Size in bytes. */
  size: number;
  /** Permission bits, where the runtime knows them. */
  mode?: number;
}

/** File access used by the loader, token files, certificates and `saveKubeconfig`. */
export interface AuthFileSystem {
  /** Reads a whole file. Rejects with an error whose `code` is `"ENOENT"` when the file does not exist. */
  readFile(path: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** Describes a file; `undefined` when it does not exist. */
  stat(path: string): Promise<FileInfo | undefined>;
  /**
   * Replaces a file atomically (a temporary file in the same folder, then a rename), creating missing folders.
   * `mode` applies to a new file; an existing file keeps its mode.
   */
  writeFileAtomic(path: string, data: Uint8Array, options?: { mode?: number }): Promise<void>;
}

/** How a child process ended. */
export interface ProcessResult {
  /** Exit code; `null` when a signal ended it. */
  exitCode: number | null;
  /** Everything written to stdout. */
  stdout: Uint8Array;
}

/** Options of {@link AuthHost.runProcess}. */
export interface RunProcessOptions {
  /** Arguments. */
  args: readonly string[];
  /** The complete environment of the child. */
  env: Readonly<Record<string, string>>;
  /** `inherit` gives the child our stdin (interactive plugins); `ignore` gives it none. */
  stdin: "inherit" | "ignore";
  /** `inherit` passes the child's stderr through to ours; a function receives it instead. */
  stderr: "inherit" | ((chunk: Uint8Array) => void);
  /** Kills the child when aborted; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A clock, injectable so that expiry and reload logic can be tested without waiting. */
export interface WallClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Everything auth needs from the runtime. */
export interface AuthHost {
  /** File access. */
  fs: AuthFileSystem;
  /** The process environment (`KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST`, and what exec plugins inherit). */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home folder (`~/.kube/config`), when known. */
  homeDir: string | undefined;
  /** The working folder, to make relative kubeconfig paths absolute. */
  cwd: string;
  /** Path rules and the `KUBECONFIG` list separator (`:` or `;`). */
  platform: "posix" | "windows";
  /** Whether stdin is a terminal (exec plugins' `interactive`). */
  stdinIsTerminal: boolean;
  /**
   * Runs a program without a shell. Rejects with an error whose `code` is `"ENOENT"` when it cannot be found.
   */
  runProcess(command: string, options: RunProcessOptions): Promise<ProcessResult>;
}

/** The system clock. */
export const systemWallClock: WallClock = { now: () => Date.now() };

let defaultHost: Promise<AuthHost> | undefined;

/**
 * The host of the current runtime: the Node implementation (also right for Deno), loaded on first use through the
 * `#default-host` import, which browser bundles resolve to a stub, so that they never contain `node:` modules.
 *
 * @returns the default host
 * @throws {Error} in a runtime without `node:fs` (a browser): pass `host` explicitly there
 * @example
 * ```ts
 * const host = await getDefaultAuthHost();
 * console.log(host.env.KUBECONFIG);
 * ```
 */
export function getDefaultAuthHost(): Promise<AuthHost> {
  // `#default-host` (package.json "imports") is the Node host, or a stub under the "browser" condition.
  defaultHost ??= import("#default-host").then((m: { nodeAuthHost(): AuthHost }) => m.nodeAuthHost());
  return defaultHost;
}

/**
 * The host to use: the one given, else the default.
 *
 * @param host an explicit host
 * @returns a host
 * @example
 * ```ts
 * const host = await resolveHost(options.host);
 * ```
 */
export function resolveHost(host: AuthHost | undefined): Promise<AuthHost> {
  return host === undefined ? getDefaultAuthHost() : Promise.resolve(host);
}

/**
 * Whether an error means "no such file" (ENOENT, or ENOTDIR when a parent is a file).
 *
 * @param error anything caught
 * @returns `true` for a missing file
 * @example
 * ```ts
 * try { await host.fs.readFile(path); } catch (e) { if (!isFileNotFound(e)) throw e; }
 * ```
 */
export function isFileNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR" || (error as { name?: unknown } | null)?.name === "NotFound";
}
