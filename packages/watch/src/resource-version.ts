/**
 * resourceVersion comparison by the rules of the API concepts page: resourceVersions are opaque strings, except that
 * two decimal resourceVersions of one resource type may be ordered (longer is newer, then lexicographic), which
 * KEP-5504 makes a conformance requirement from 1.35. Aggregated API servers may not comply, so anything that is not
 * a canonical decimal is compared for equality only.
 *
 * @module
 */

/** `^[1-9][0-9]*$`, by hand: this runs for every event an informer applies. */
function isDecimal(rv: string): boolean {
  const n = rv.length;
  if (n === 0) return false;
  let c = rv.charCodeAt(0);
  if (c < 0x31 || c > 0x39) return false;
  for (let i = 1; i < n; i++) {
    c = rv.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Tells whether a resourceVersion can be ordered: a canonical decimal (no sign, no leading zero, not `"0"`).
 *
 * @param rv a resourceVersion
 * @returns `true` when {@link compareResourceVersions} can order it against another comparable one
 * @example
 * ```ts
 * isComparableResourceVersion("4711"); // true
 * isComparableResourceVersion("0");    // false ("any version" in requests, never an object's version)
 * ```
 */
export function isComparableResourceVersion(rv: string | undefined): boolean {
  return rv !== undefined && isDecimal(rv);
}

/**
 * Orders two resourceVersions. Decimal strings compare by length, then lexicographically (never through `Number`:
 * etcd revisions may exceed 2^53); anything else compares for equality only.
 *
 * @param a a resourceVersion
 * @param b another resourceVersion
 * @returns `-1`, `0` or `1` when `a` is older than, equal to or newer than `b`; `0` for equal opaque strings;
 *   `undefined` when they differ and cannot be ordered
 * @example
 * ```ts
 * compareResourceVersions("99", "100");   // -1
 * compareResourceVersions("abc", "abc");  // 0
 * compareResourceVersions("abc", "12");   // undefined
 * ```
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): -1 | 0 | 1 | undefined {
  if (a === b) return a === undefined ? undefined : 0;
  if (a === undefined || b === undefined || !isDecimal(a) || !isDecimal(b)) return undefined;
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : 1;
}

/**
 * Tells whether `candidate` is known to be strictly newer than `reference` (both comparable and ordered so).
 *
 * @param candidate a resourceVersion
 * @param reference the resourceVersion to beat
 * @returns `true` only when the order is known and `candidate` is newer
 * @example
 * ```ts
 * isNewerResourceVersion("101", "100"); // true
 * isNewerResourceVersion("x", "100");   // false (unknown order)
 * ```
 */
export function isNewerResourceVersion(candidate: string | undefined, reference: string | undefined): boolean {
  return compareResourceVersions(candidate, reference) === 1;
}
