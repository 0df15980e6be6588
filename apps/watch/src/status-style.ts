/**
 * How a STATUS cell looks: the colours operators read at a glance in k9s and `oc status` — green when things run,
 * yellow while they get there, red when they fail, dim while they go away.
 *
 * @module
 */

/** The style of a status. */
export type StatusTone = "ok" | "progress" | "failed" | "terminating" | "neutral";

const OK = new Set([
  "running",
  "completed",
  "succeeded",
  "active",
  "bound",
  "ready",
  "available",
  "complete",
  "true",
  "normal",
  "healthy",
]);
const PROGRESS = new Set([
  "pending",
  "containercreating",
  "podinitializing",
  "waiting",
  "new",
  "scheduled",
  "progressing",
  "suspended",
]);
const FAILED = new Set([
  "crashloopbackoff",
  "error",
  "failed",
  "imagepullbackoff",
  "errimagepull",
  "invalidimagename",
  "createcontainererror",
  "createcontainerconfigerror",
  "runcontainererror",
  "oomkilled",
  "evicted",
  "notready",
  "unknown",
  "lost",
  "warning",
  "backoff",
  "deadlineexceeded",
  "cancelled",
  "false",
]);

/**
 * Classifies a status as the pod printer (and other printers) word it: `Running`, `Init:1/2`, `Init:Error`,
 * `CrashLoopBackOff`, `Terminating`, `Completed`, `Bound`, `Failed`, …
 *
 * @param status the cell
 * @returns its tone
 * @example
 * ```ts
 * statusTone("CrashLoopBackOff"); // "failed"
 * ```
 */
export function statusTone(status: string): StatusTone {
  // Nodes print "Ready,SchedulingDisabled": the first word decides.
  const s = (status.split(",")[0] ?? "").trim().toLowerCase();
  if (s === "") return "neutral";
  if (s === "terminating") return "terminating";
  if (s.startsWith("init:") || s.startsWith("signal:") || s.startsWith("exitcode:")) {
    const rest = s.slice(s.indexOf(":") + 1);
    if (s.startsWith("init:") && /^\d+\/\d+$/.test(rest)) return "progress";
    return "failed";
  }
  if (OK.has(s)) return "ok";
  if (PROGRESS.has(s)) return "progress";
  if (FAILED.has(s)) return "failed";
  return "neutral";
}

/** The Ink colour of a tone (`undefined`: the terminal's default). */
export function toneColor(tone: StatusTone): string | undefined {
  switch (tone) {
    case "ok":
      return "green";
    case "progress":
      return "yellow";
    case "failed":
      return "red";
    case "terminating":
      return "gray";
    default:
      return undefined;
  }
}
