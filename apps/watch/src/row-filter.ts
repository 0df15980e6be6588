/**
 * The `/` filter, as k9s reads it: the text is a case-insensitive regular expression when it is one (`web-\d+`,
 * `^shop`), else a plain substring (`[oops`); a leading `!` keeps the rows that do not match.
 *
 * @module
 */

/** A parsed filter. */
export interface RowFilter {
  /** The text as typed (with its `!`). */
  readonly source: string;
  /** `regex` when the text compiled as a regular expression, else `text`. */
  readonly kind: "regex" | "text";
  /** Whether `!` inverted it. */
  readonly inverted: boolean;
  /**
   * Whether a row is kept.
   *
   * @param text the row's searchable text, lower-cased
   */
  test(text: string): boolean;
}

/**
 * Parses the text of the `/` filter.
 *
 * @param text what the user typed
 * @returns the filter, or `undefined` when it filters nothing (empty, or a lone `!`)
 * @example
 * ```ts
 * parseRowFilter("!Running")?.test("web-1 1/1 running"); // false
 * ```
 */
export function parseRowFilter(text: string): RowFilter | undefined {
  const inverted = text.startsWith("!");
  const body = inverted ? text.slice(1) : text;
  if (body === "") return undefined;
  let kind: "regex" | "text" = "text";
  let match: (s: string) => boolean;
  const needle = body.toLowerCase();
  try {
    const regex = new RegExp(body, "i");
    kind = "regex";
    match = (s) => regex.test(s);
  } catch {
    match = (s) => s.includes(needle);
  }
  // A plain word is a regex too; substring search is the same answer, faster.
  if (kind === "regex" && !/[\\^$.*+?()[\]{}|]/.test(body)) match = (s) => s.includes(needle);
  return {
    source: text,
    kind,
    inverted,
    test: inverted ? (s) => !match(s) : match,
  };
}
