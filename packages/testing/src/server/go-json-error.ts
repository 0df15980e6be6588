/**
 * The error Go's `encoding/json` reports for a malformed body, worded exactly as the API server passes it on
 * (`invalid character 'o' in literal null (expecting 'u')`, `unexpected end of JSON input`), and the body summary
 * the server appends (`summarizeData`).
 *
 * @module
 */

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

class Scan {
  readonly text: string;
  pos = 0;
  constructor(text: string) {
    this.text = text;
  }
  eof(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] as string;
  }
  ws(): void {
    while (!this.eof() && " \t\r\n".includes(this.peek())) this.pos++;
  }
  fail(context: string): never {
    if (this.eof()) throw new GoJsonError("unexpected end of JSON input");
    throw new GoJsonError(`invalid character ${quoteChar(this.peek())} ${context}`);
  }
  need(): void {
    if (this.eof()) throw new GoJsonError("unexpected end of JSON input");
  }
}

class GoJsonError extends Error {}

function value(s: Scan): void {
  s.ws();
  s.need();
  const c = s.peek();
  if (c === "{") {
    s.pos++;
    s.ws();
    s.need();
    if (s.peek() === "}") {
      s.pos++;
      return;
    }
    for (;;) {
      s.ws();
      s.need();
      if (s.peek() !== '"') s.fail("looking for beginning of object key string");
      string(s);
      s.ws();
      s.need();
      if (s.peek() !== ":") s.fail("after object key");
      s.pos++;
      value(s);
      s.ws();
      s.need();
      if (s.peek() === ",") {
        s.pos++;
        continue;
      }
      if (s.peek() === "}") {
        s.pos++;
        return;
      }
      s.fail("after object key:value pair");
    }
  }
  if (c === "[") {
    s.pos++;
    s.ws();
    s.need();
    if (s.peek() === "]") {
      s.pos++;
      return;
    }
    for (;;) {
      value(s);
      s.ws();
      s.need();
      if (s.peek() === ",") {
        s.pos++;
        continue;
      }
      if (s.peek() === "]") {
        s.pos++;
        return;
      }
      s.fail("after array element");
    }
  }
  if (c === '"') {
    string(s);
    return;
  }
  if (c === "-" || (c >= "0" && c <= "9")) {
    number(s);
    return;
  }
  for (const literal of ["true", "false", "null"]) {
    if (c !== literal[0]) continue;
    s.pos++;
    for (let i = 1; i < literal.length; i++) {
      s.need();
      if (s.peek() !== literal[i]) s.fail(`in literal ${literal} (expecting ${quoteChar(literal[i] as string)})`);
      s.pos++;
    }
    return;
  }
  s.fail("looking for beginning of value");
}

function string(s: Scan): void {
  s.pos++;
  for (;;) {
    s.need();
    const c = s.peek();
    if (c === '"') {
      s.pos++;
      return;
    }
    if (c === "\\") {
      s.pos++;
      s.need();
      const e = s.peek();
      if ('"\\/bfnrt'.includes(e)) s.pos++;
      else if (e === "u") {
        s.pos++;
        for (let i = 0; i < 4; i++) {
          s.need();
          if (!/[0-9a-fA-F]/.test(s.peek())) s.fail("in \\u hexadecimal character escape");
          s.pos++;
        }
      } else s.fail("in string escape code");
      continue;
    }
    if (c.charCodeAt(0) < 0x20) s.fail("in string literal");
    s.pos++;
  }
}

function digits(s: Scan): void {
  while (!s.eof() && s.peek() >= "0" && s.peek() <= "9") s.pos++;
}

function number(s: Scan): void {
  if (s.peek() === "-") {
    s.pos++;
    s.need();
    if (!(s.peek() >= "0" && s.peek() <= "9")) s.fail("in numeric literal");
  }
  if (s.peek() === "0") s.pos++;
  else digits(s);
  if (!s.eof() && s.peek() === ".") {
    s.pos++;
    s.need();
    if (!(s.peek() >= "0" && s.peek() <= "9")) s.fail("after decimal point in numeric literal");
    digits(s);
  }
  if (!s.eof() && (s.peek() === "e" || s.peek() === "E")) {
    s.pos++;
    s.need();
    if (s.peek() === "+" || s.peek() === "-") {
      s.pos++;
      s.need();
    }
    if (!(s.peek() >= "0" && s.peek() <= "9")) s.fail("in exponent of numeric literal");
    digits(s);
  }
}

/**
 * Parses JSON; on failure throws an `Error` whose message is Go's.
 *
 * @param text the body
 * @returns the parsed value
 */
export function parseJsonLikeGo(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const s = new Scan(text);
    try {
      value(s);
      s.ws();
      if (!s.eof()) s.fail("after top-level value");
    } catch (e) {
      if (e instanceof GoJsonError) throw new Error(e.message);
      throw e;
    }
    // JSON.parse and Go disagree (lone surrogates and the like): report generically.
    throw new Error("invalid JSON");
  }
}

/** `summarizeData(body, 30)`: the body start the server appends to decode errors. */
export function summarizeBody(body: Uint8Array): string {
  if (body.length === 0) return "<empty>";
  const max = 30;
  if (body[0] === 0x7b) {
    const text = new TextDecoder().decode(body.length > max ? body.subarray(0, max) : body);
    return body.length > max ? `${text} ...` : text;
  }
  const hex = [...(body.length > max ? body.subarray(0, max) : body)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  return body.length > max ? `${hex} ...` : hex;
}
