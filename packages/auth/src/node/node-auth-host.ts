/**
 * The {@link AuthHost} of Node (and Deno, which implements the same built-ins): `node:fs` for kubeconfig, token and
 * certificate files, `node:child_process` for exec plugins.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, realpath, rename, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import type { AuthFileSystem, AuthHost, FileInfo, ProcessResult, RunProcessOptions } from "../auth-host.ts";

/**
 * Node's file system behind {@link AuthFileSystem}.
 *
 * @example
 * ```ts
 * const bytes = await nodeFileSystem.readFile("/etc/hostname");
 * ```
 */
export const nodeFileSystem: AuthFileSystem = {
  async readFile(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    const data = await readFile(path, signal === undefined ? {} : { signal });
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  },
  async stat(path: string): Promise<FileInfo | undefined> {
    try {
      const s = await stat(path);
      return { mtimeMs: s.mtimeMs, size: s.size, mode: s.mode & 0o7777 };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw error;
    }
  },
  async writeFileAtomic(target: string, data: Uint8Array, options: { mode?: number } = {}): Promise<void> {
    // Write through a symlinked kubeconfig (dotfile managers) instead of replacing the link with a file.
    const path = await realpath(target).catch(() => target);
    const dir = dirname(path);
    await mkdir(dir, { recursive: true, mode: 0o755 });
    let mode = options.mode ?? 0o600;
    try {
      mode = (await stat(path)).mode & 0o7777;
    } catch {
      // A new file: the requested mode.
    }
    const temp = join(dir, `.${randomBytes(6).toString("hex")}.${path.split(/[\\/]/).pop() ?? "tmp"}.tmp`);
    const handle = await open(temp, "wx", mode);
    try {
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(() => {});
      throw error;
    }
    await handle.close();
    try {
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  },
};

/**
 * Runs a program the way client-go runs exec plugins: no shell, the given environment, stdout captured, stderr
 * passed through (or to a callback), stdin only for interactive plugins.
 *
 * @param command the program (a name looked up in `PATH`, or a path)
 * @param options arguments, environment, stdio, abort signal
 * @returns exit code and stdout
 * @throws {Error} with `code: "ENOENT"` when the program does not exist; the signal's reason when aborted
 * @example
 * ```ts
 * const { exitCode, stdout } = await runNodeProcess("kubectl", { args: ["version"], env: {}, stdin: "ignore", stderr: "inherit" });
 * ```
 */
export function runNodeProcess(command: string, options: RunProcessOptions): Promise<ProcessResult> {
  return new Promise<ProcessResult>((resolve, reject) => {
    options.signal?.throwIfAborted();
    // A non-interactive plugin gets its own process group, so that a kill also reaches what it started (a plugin
    // script waiting on a helper). An interactive one must stay in our group to read the terminal.
    const group = options.stdin === "ignore" && process.platform !== "win32";
    const child = spawn(command, [...options.args], {
      env: { ...options.env },
      stdio: [options.stdin, "pipe", options.stderr === "inherit" ? "inherit" : "pipe"],
      shell: false,
      windowsHide: true,
      detached: group,
    });
    const chunks: Uint8Array[] = [];
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      try {
        if (group && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      reject(options.signal?.reason);
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout?.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    const stderr = options.stderr;
    if (typeof stderr === "function") child.stderr?.on("data", (chunk: Uint8Array) => stderr(chunk));
    child.on("error", (error) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    child.on("close", (code) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      const total = chunks.reduce((n, c) => n + c.byteLength, 0);
      const stdout = new Uint8Array(total);
      let offset = 0;
      for (const c of chunks) {
        stdout.set(c, offset);
        offset += c.byteLength;
      }
      resolve({ exitCode: code, stdout });
    });
  });
}

/**
 * The host of the running Node or Deno process: live environment, home folder, working folder and terminal state.
 *
 * @returns a host backed by `node:` built-ins
 * @example
 * ```ts
 * import { loadKubeconfig } from "@kubeshift/auth";
 * import { nodeAuthHost } from "@kubeshift/auth/node";
 * const config = await loadKubeconfig({ host: nodeAuthHost() });
 * ```
 */
export function nodeAuthHost(): AuthHost {
  return {
    fs: nodeFileSystem,
    env: process.env,
    get homeDir(): string | undefined {
      try {
        return homedir() || undefined;
      } catch {
        return undefined;
      }
    },
    get cwd(): string {
      return process.cwd();
    },
    platform: process.platform === "win32" ? "windows" : "posix",
    get stdinIsTerminal(): boolean {
      return process.stdin.isTTY === true;
    },
    runProcess: runNodeProcess,
  };
}
