/**
 * Parser of the HTTP `Warning` header (RFC 7234 §5.5), which the API server uses for deprecation notices and
 * admission warnings: `299 - "v1beta1 CronJob is deprecated in v1.21+"`.
 *
 * @module
 */

/** One warning value of a `Warning` header. */
export interface WarningHeader {
  /** The three-digit warn-code; the API server always sends 299 ("miscellaneous persistent warning"). */
  code: number;
  /** The warn-agent: a host[:port], a pseudonym, or `-` (the API server sends `-`). */
  agent: string;
  /** The warning text, unquoted and unescaped. */
  text: string;
  /** The optional warn-date, as sent (an HTTP-date). */
  date?: string;
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t";
}

/**
 * Parses a `Warning` header value (several values separated by commas, as `Headers.get()` joins them). Parsing stops
 * at the first malformed value; the values before it are returned (client-go does the same per header line).
 *
 * @param value the header value
 * @returns the warnings, in order
 * @example
 * ```ts
 * parseWarningHeader('299 - "v1beta1 CronJob is deprecated", 299 - "unknown field \\"spec.foo\\""');
 * // [{ code: 299, agent: "-", text: "v1beta1 CronJob is deprecated" }, { code: 299, agent: "-", text: 'unknown field "spec.foo"' }]
 * ```
 */
export function parseWarningHeader(value: string): WarningHeader[] {
  const out: WarningHeader[] = [];
  let i = 0;
  const n = value.length;
  const quoted = (): string | undefined => {
    if (value[i] !== '"') return undefined;
    i++;
    let text = "";
    while (i < n) {
      const c = value[i];
      if (c === "\\" && i + 1 < n) {
        text += value[i + 1];
        i += 2;
        continue;
      }
      if (c === '"') {
        i++;
        return text;
      }
      text += c;
      i++;
    }
    return undefined;
  };
  while (i < n) {
    while (i < n && (isSpace(value[i]) || value[i] === ",")) i++;
    if (i >= n) break;
    const code = value.slice(i, i + 3);
    if (!/^\d{3}$/.test(code) || value[i + 3] !== " ") break;
    i += 4;
    const agentStart = i;
    while (i < n && !isSpace(value[i])) i++;
    const agent = value.slice(agentStart, i);
    if (agent === "" || !isSpace(value[i])) break;
    while (isSpace(value[i])) i++;
    const text = quoted();
    if (text === undefined) break;
    const warning: WarningHeader = { code: Number(code), agent, text };
    let j = i;
    while (isSpace(value[j])) j++;
    if (value[j] === '"') {
      i = j;
      const date = quoted();
      if (date === undefined) break;
      warning.date = date;
    }
    while (isSpace(value[i])) i++;
    if (i < n && value[i] !== ",") break;
    out.push(warning);
  }
  return out;
}
