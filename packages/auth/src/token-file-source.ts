/**
 * `createTokenFileSource`: a bearer token read from a file that may rotate (kubeconfig `tokenFile`, projected
 * service-account tokens), re-read when it changes and at least every minute.
 *
 * @module
 */
import { type CredentialSource, KubeError, registerSecret } from "@kubeshift/transport";
import { raceSignal } from "./_abortable.ts";
import {
  type AuthFileSystem,
  type AuthHost,
  isFileNotFound,
  resolveHost,
  systemWallClock,
  type WallClock,
} from "./auth-host.ts";

/** Options of {@link createTokenFileSource}. */
export interface TokenFileSourceOptions {
  /** Runtime access (files). @default the Node/Deno host */
  host?: AuthHost;
  /** Time source for the reload schedule. @default the system clock */
  clock?: WallClock;
  /** Re-reads the file when the cached token is this old, whatever its modification time. @default 60000 */
  maxAgeMs?: number;
  /** Looks at the file's modification time at most this often. @default 1000 */
  statIntervalMs?: number;
  /** Served when the file cannot be read (kubeconfig `token` beside `tokenFile`, as client-go does). */
  fallbackToken?: string;
  /** Told when a re-read fails and the previous token is served instead. */
  onWarning?: (message: string) => void;
}

interface Cached {
  token: string;
  readAt: number;
  mtimeMs: number | undefined;
  size: number | undefined;
}

/**
 * A credential source backed by a token file. The token (trimmed) is cached; the file's modification time is
 * checked at most every `statIntervalMs`, and the file is re-read when it changed, when the token is older than
 * `maxAgeMs`, or after `invalidate()` (a 401). When a re-read fails, the previous token keeps being served (with a
 * warning) unless it was invalidated. Tokens are registered for redaction; errors name the file, never its content.
 *
 * @param path absolute path of the token file
 * @param options host, clock, intervals, fallback token, warnings
 * @returns a credential source with `invalidate`
 * @throws {TypeError} when the path is empty
 * @example
 * ```ts
 * const credentials = createTokenFileSource("/var/run/secrets/kubernetes.io/serviceaccount/token");
 * const token = await credentials.getToken();
 * ```
 */
export function createTokenFileSource(path: string, options: TokenFileSourceOptions = {}): CredentialSource {
  if (typeof path !== "string" || path === "") throw new TypeError("A token file path must be a non-empty string");
  const clock = options.clock ?? systemWallClock;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const statIntervalMs = options.statIntervalMs ?? 1_000;
  if (options.fallbackToken !== undefined) registerSecret(options.fallbackToken);
  let cached: Cached | undefined;
  let stale = false;
  let lastStat = Number.NEGATIVE_INFINITY;
  let pending: Promise<string | undefined> | undefined;

  const read = async (fs: AuthFileSystem): Promise<string | undefined> => {
    const info = await fs.stat(path).catch(() => undefined);
    let text: string;
    try {
      text = new TextDecoder().decode(await fs.readFile(path));
    } catch (error) {
      const why = isFileNotFound(error) ? "the file does not exist" : (error as Error).message;
      if (cached !== undefined && !stale) {
        options.onWarning?.(`Cannot re-read token file ${JSON.stringify(path)} (${why}); using the previous token`);
        cached.readAt = clock.now();
        return cached.token;
      }
      if (options.fallbackToken !== undefined) return options.fallbackToken;
      throw new KubeError("ERR_AUTH", `Cannot read token file ${JSON.stringify(path)}: ${why}`, { cause: error });
    }
    const token = text.trim();
    if (token === "") {
      if (options.fallbackToken !== undefined) return options.fallbackToken;
      throw new KubeError("ERR_AUTH", `Token file ${JSON.stringify(path)} is empty`);
    }
    registerSecret(token);
    cached = { token, readAt: clock.now(), mtimeMs: info?.mtimeMs, size: info?.size };
    stale = false;
    lastStat = clock.now();
    return token;
  };

  const needsRead = async (fs: AuthFileSystem): Promise<boolean> => {
    if (cached === undefined || stale) return true;
    const now = clock.now();
    if (now - cached.readAt >= maxAgeMs) return true;
    if (now - lastStat < statIntervalMs) return false;
    lastStat = now;
    const info = await fs.stat(path).catch(() => undefined);
    return info === undefined || info.mtimeMs !== cached.mtimeMs || info.size !== cached.size;
  };

  return {
    async getToken(signal?: AbortSignal): Promise<string | undefined> {
      signal?.throwIfAborted();
      const fs = options.host?.fs ?? (await resolveHost(undefined)).fs;
      if (!(await needsRead(fs))) return cached?.token;
      // Concurrent callers share one read; each may stop waiting on its own signal.
      pending ??= read(fs).finally(() => {
        pending = undefined;
      });
      return raceSignal(pending, signal);
    },
    invalidate(token: string): void {
      if (cached !== undefined && cached.token === token) stale = true;
    },
  };
}
