/**
 * The duration formats the printers use: apimachinery's `duration.HumanDuration` (AGE: `5m`, `3h2m`, `2d`),
 * docker/go-units' `HumanDuration` (OpenShift 3.11's "STARTED 2 minutes ago"), and Go's `time.Duration.String()`.
 *
 * @module
 */

/** apimachinery `duration.HumanDuration`: about two significant figures, from seconds to years. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** docker/go-units `HumanDuration`: "Less than a second", "About a minute", "3 hours", "2 weeks". */
export function dockerHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

function trimFraction(whole: number, frac: number, digits: number): string {
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(digits, "0").replace(/0+$/, "")}`;
}

/** Go's `time.Duration.String()` of a number of nanoseconds: `1h2m3.5s`, `1.5ms`, `0s`. */
export function goDurationString(nanoseconds: number): string {
  if (nanoseconds === 0) return "0s";
  const negative = nanoseconds < 0;
  const ns = Math.abs(Math.trunc(nanoseconds));
  let out: string;
  if (ns < 1000) out = `${ns}ns`;
  else if (ns < 1_000_000) out = `${trimFraction(Math.trunc(ns / 1000), ns % 1000, 3)}µs`;
  else if (ns < 1_000_000_000) out = `${trimFraction(Math.trunc(ns / 1_000_000), ns % 1_000_000, 6)}ms`;
  else {
    const totalSeconds = Math.trunc(ns / 1_000_000_000);
    const frac = ns % 1_000_000_000;
    const h = Math.trunc(totalSeconds / 3600);
    const m = Math.trunc((totalSeconds % 3600) / 60);
    const s = totalSeconds % 60;
    out = `${trimFraction(s, frac, 9)}s`;
    if (h > 0) out = `${h}h${m}m${out}`;
    else if (m > 0) out = `${m}m${out}`;
  }
  return negative ? `-${out}` : out;
}
