/**
 * Test support: a small HTTP(S) client for the fake cluster built on `node:http`/`node:https` (which take a CA and a
 * client certificate on Node and on Deno alike), with helpers to read a streamed response line by line.
 *
 * @module
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { FakeCluster } from "./start-fake-cluster.ts";
import type { CertificatePem } from "./tls/certificate-authority.ts";

/** Options of a test request. */
export interface CallOptions {
  /** Extra headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Body (objects are sent as JSON). */
  readonly body?: string | object;
  /** Bearer token; `null` sends none. @default the cluster's admin token */
  readonly token?: string | null;
  /** Client certificate. */
  readonly cert?: CertificatePem;
  /** Skip the CA (for TLS failure tests). */
  readonly ca?: string | null;
}

/** A complete response. */
export interface CallResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  json(): any;
}

function open(cluster: FakeCluster, method: string, path: string, options: CallOptions): Promise<IncomingMessage> {
  const url = new URL(path, cluster.url);
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? cluster.token : options.token;
  if (token !== null && token !== "") headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["Content-Type"] ??= "application/json";
    // Node's client sends DELETE bodies unframed unless the length is given.
    headers["Content-Length"] = String(Buffer.byteLength(body));
  }
  const tls = url.protocol === "https:";
  const requestOptions = {
    method,
    host: "127.0.0.1",
    port: url.port,
    path: url.pathname + url.search,
    headers,
    agent: false as const,
    ...(tls
      ? {
          ...(options.ca === null ? { rejectUnauthorized: true } : { ca: options.ca ?? cluster.caPem }),
          ...(options.cert === undefined ? {} : { cert: options.cert.certPem, key: options.cert.keyPem }),
        }
      : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (tls ? httpsRequest : httpRequest)(requestOptions, resolve);
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Sends a request and reads the whole response.
 *
 * @returns status, headers, body
 */
export async function call(
  cluster: FakeCluster,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const res = await open(cluster, method, path, options);
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  const text = body.toString("utf8");
  return { status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) };
}

/** A streamed response read line by line. */
export interface LineStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Lines received so far. */
  readonly lines: string[];
  /** Waits until at least `n` lines arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<string[]>;
  /** Settles when the server ends the response (`"end"`) or the connection breaks (`"error"`). */
  readonly ended: Promise<"end" | "error">;
  /** The raw bytes received. */
  raw(): Buffer;
  /** Closes the connection. */
  close(): void;
}

/**
 * Opens a streamed GET (a watch or `follow` log).
 *
 * @returns the stream once the response headers arrived
 */
export async function stream(cluster: FakeCluster, path: string, options: CallOptions = {}): Promise<LineStream> {
  const res = await open(cluster, "GET", path, options);
  const lines: string[] = [];
  const chunks: Buffer[] = [];
  let partial = "";
  const waiters: (() => void)[] = [];
  const notify = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const ended = new Promise<"end" | "error">((resolve) => {
    res.on("data", (c: Buffer) => {
      chunks.push(c);
      if (res.headers["content-encoding"] === "gzip") return;
      partial += c.toString("utf8");
      const parts = partial.split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts);
      notify();
    });
    res.on("end", () => {
      notify();
      resolve("end");
    });
    res.on("error", () => {
      notify();
      resolve("error");
    });
    res.on("aborted", () => resolve("error"));
    res.on("close", () => {
      notify();
      resolve(res.complete ? "end" : "error");
    });
  });
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    lines,
    async waitFor(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (lines.length < n) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${n} lines, got ${lines.length}: ${JSON.stringify(lines)}`);
        await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 50)), ended]);
      }
      return lines;
    },
    ended,
    raw: () => Buffer.concat(chunks),
    close: () => res.destroy(),
  };
}

/** Decodes a body made of several concatenated gzip members (one per flush). */
export function gunzipMembers(data: Buffer): string {
  return gunzipSync(data).toString("utf8");
}

/** Parses watch event lines. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
export function events(lines: readonly string[]): { type: string; object: any }[] {
  return lines.filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

/** The path of a required command-line tool; a missing tool fails the test that needs it, with this message. */
export function requireTool(name: string): string {
  try {
    return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(`${name} is not on PATH: the interop tests need it (CI installs it, see .ci/run)`);
  }
}

/** `kubectl.<version>`, installed beside the `kubectl` on PATH. */
export function kubectlPath(version: string): string {
  const onPath = requireTool("kubectl");
  const path = join(dirname(realpathSync(onPath)), `kubectl.${version}`);
  if (!existsSync(path))
    throw new Error(`kubectl ${version} is missing: looked for ${path} (beside ${realpathSync(onPath)})`);
  return path;
}

/** What a tool run printed. */
export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool to completion (killed after `timeoutMs`). */
export function runTool(
  path: string,
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, [...args], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += String(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += String(d);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A tool that exits without reading its input closes the pipe: EPIPE then says nothing its exit code does not.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}
