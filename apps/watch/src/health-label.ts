/**
 * The connection health shown in the header, from the informer's state machine: `watching`, `listing…`,
 * `reconnecting in 4s` (with why), `unauthorized`.
 *
 * @module
 */
import type { InformerHealth } from "@kubeshift/watch";
import type { StatusTone } from "./status-style.ts";

/** What the header shows. */
export interface HealthLabel {
  /** `watching`, `listing…`, `reconnecting in 4s`, `unauthorized`, `stopped`. */
  readonly text: string;
  /** Its colour. */
  readonly tone: StatusTone;
}

const REASONS: Readonly<Record<string, string>> = {
  connection: "connection lost",
  throttled: "throttled by the server",
  "server-error": "server error",
  forbidden: "forbidden",
  "resource-version-too-large": "server storage behind",
  decode: "unreadable stream",
  "short-watch": "watch ended at once",
  error: "error",
};

/**
 * Describes an informer's health for the header.
 *
 * @param health the informer's state
 * @param now the current time in epoch ms (the countdown of a backoff)
 * @returns text and tone
 * @example
 * ```ts
 * healthLabel({ state: "Backoff", reason: "connection", until: now + 3200, error }, now).text;
 * // "reconnecting in 4s (connection lost)"
 * ```
 */
export function healthLabel(health: InformerHealth, now: number): HealthLabel {
  switch (health.state) {
    case "Watching":
      return { text: "watching", tone: "ok" };
    case "Listing":
      return { text: "listing…", tone: "progress" };
    case "Backoff": {
      const seconds = Math.max(0, Math.ceil((health.until - now) / 1000));
      const why = REASONS[health.reason] ?? health.reason;
      return {
        text: seconds > 0 ? `reconnecting in ${seconds}s (${why})` : `reconnecting (${why})`,
        tone: health.reason === "forbidden" ? "failed" : "progress",
      };
    }
    case "Unauthorized":
      return { text: "unauthorized: log in again", tone: "failed" };
    case "Stopped":
      return { text: "stopped", tone: "terminating" };
  }
}
