/**
 * Parses `Warning` response headers (RFC 7234 §5.5) the way client-go does: `299 - "text"`, possibly several per
 * header, comma-separated, with quoted-pair escapes.
 *
 * @module
 */

/** The texts of every warning in a `Warning` header value; malformed parts are skipped. */
export function parseWarningHeader(value: string | null): string[] {
  if (value === null || value === "") return [];
  const out: string[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && (value[i] === " " || value[i] === ",")) i++;
    const codeStart = i;
    while (i < n && /[0-9]/.test(value[i] ?? "")) i++;
    const code = value.slice(codeStart, i);
    if (i >= n || value[i] !== " " || code.length !== 3) {
      i = skipToComma(value, i);
      continue;
    }
    i++;
    while (i < n && value[i] !== " ") i++;
    i++;
    if (value[i] !== '"') {
      i = skipToComma(value, i);
      continue;
    }
    i++;
    let text = "";
    let closed = false;
    while (i < n) {
      const c = value[i];
      if (c === "\\" && i + 1 < n) {
        text += value[i + 1];
        i += 2;
      } else if (c === '"') {
        closed = true;
        i++;
        break;
      } else {
        text += c;
        i++;
      }
    }
    if (closed && code === "299") out.push(text);
    // An optional quoted warn-date follows; skip to the next warning.
    i = skipToComma(value, i);
  }
  return out;
}

function skipToComma(value: string, from: number): number {
  let i = from;
  let quoted = false;
  while (i < value.length) {
    const c = value[i];
    if (c === "\\" && quoted) i += 2;
    else {
      if (c === '"') quoted = !quoted;
      else if (c === "," && !quoted) return i + 1;
      i++;
    }
  }
  return i;
}
