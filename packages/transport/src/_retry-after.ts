/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds, or an HTTP-date relative to the wall clock.
 * `undefined` when the header is missing or unreadable.
 */
export function retryAfterMs(header: string | null, wallClockNow: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - wallClockNow);
}
