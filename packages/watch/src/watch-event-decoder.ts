/**
 * Incremental decoding of watch streams. Over HTTP a watch is a chunked body of JSON values, one per line in practice
 * (the API server writes each event with Go's `json.Encoder`), with chunk boundaries unrelated to events; over a
 * websocket each message is one event. The decoder keeps partial lines across chunks, decodes UTF-8 sequences split
 * across chunks, bounds the length of a line, and reports every line it cannot use as a `DecodeError`: a line is
 * never skipped silently (client-node's watch drops unparseable lines).
 *
 * @module
 */
import { DecodeError } from "@kubeshift/transport";
import type { RawWatchEvent } from "./watch-event.ts";

/** Options of {@link WatchEventDecoder}. */
export interface WatchEventDecoderOptions {
  /**
   * Longest accepted line (or websocket message), in characters; a longer one is a `DecodeError` and the memory
   * held for it is released. @default 16777216 (16 Mi)
   */
  maxLineLength?: number;
}

const DEFAULT_MAX_LINE = 16 * 1024 * 1024;

/**
 * Splits and parses a watch stream into events. Feed it chunks with {@link WatchEventDecoder.write} (HTTP) or whole
 * messages with {@link WatchEventDecoder.writeMessage} (websocket), then call {@link WatchEventDecoder.end} when the
 * stream ends cleanly.
 *
 * @example
 * ```ts
 * const decoder = new WatchEventDecoder();
 * for await (const chunk of response.body) {
 *   for (const ev of decoder.write(chunk)) console.log(ev.type);
 *   decoder.throwIfFailed(); // a bad line: a DecodeError, after the good events before it
 * }
 * decoder.end(); // throws a DecodeError when the stream stopped in the middle of an event
 * ```
 */
export class WatchEventDecoder {
  readonly #maxLine: number;
  readonly #utf8 = new TextDecoder("utf-8", { fatal: true });
  #pending = "";
  #line = 0;
  #events = 0;
  #failure: DecodeError | undefined;

  /**
   * @param options the maximum line length
   * @throws {RangeError} when `maxLineLength` is not a positive integer
   */
  constructor(options: WatchEventDecoderOptions = {}) {
    const max = options.maxLineLength ?? DEFAULT_MAX_LINE;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`maxLineLength must be a positive integer, got ${String(options.maxLineLength)}`);
    this.#maxLine = max;
  }

  /** Lines completed so far (1-based number of the last one). */
  get lines(): number {
    return this.#line;
  }

  /** Events decoded so far. */
  get events(): number {
    return this.#events;
  }

  /** Characters of an incomplete line held until its end arrives. */
  get pendingLength(): number {
    return this.#pending.length;
  }

  /** Whether a line failed to decode (the failure is thrown by {@link WatchEventDecoder.throwIfFailed}). */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /**
   * Throws the failure of an earlier chunk, if any: a chunk returns the events before its first bad line, and the
   * failure comes right after them, so that no good event is lost to a bad neighbour.
   *
   * @throws {DecodeError} the failure
   */
  throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  /**
   * Decodes one chunk of an HTTP watch body.
   *
   * @param chunk bytes (UTF-8, possibly ending inside a character) or text
   * @returns the events completed by this chunk, in order, up to the first line that cannot be decoded
   * @throws {DecodeError} the failure of an earlier chunk (see {@link WatchEventDecoder.throwIfFailed}); invalid
   *   UTF-8, a line that is not a JSON watch event, or a line over the limit fail the decoder for good
   */
  write(chunk: Uint8Array | string): readonly RawWatchEvent[] {
    this.throwIfFailed();
    const out: RawWatchEvent[] = [];
    try {
      this.#write(chunk, out);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.#failure = error;
      this.#pending = "";
    }
    return out;
  }

  #write(chunk: Uint8Array | string, out: RawWatchEvent[]): void {
    const text = typeof chunk === "string" ? chunk : this.#decodeUtf8(chunk, true);
    let nl = text.indexOf("\n");
    if (nl < 0) {
      this.#hold(text);
      return;
    }
    let start = 0;
    if (this.#pending !== "") {
      const first = this.#pending + text.slice(0, nl);
      this.#pending = "";
      this.#checkLength(first.length);
      this.#parseLine(first, out);
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    while (nl >= 0) {
      if (nl - start > this.#maxLine) this.#tooLong(nl - start);
      this.#parseLine(text.slice(start, nl), out);
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    if (start < text.length) this.#hold(start === 0 ? text : text.slice(start));
  }

  /**
   * Decodes one websocket message: a complete event (a trailing newline, or several newline-separated events, are
   * accepted too).
   *
   * @param message a text or binary (UTF-8) message
   * @returns the events of the message, up to the first that cannot be decoded
   * @throws {DecodeError} as {@link WatchEventDecoder.write}
   */
  writeMessage(message: Uint8Array | string): readonly RawWatchEvent[] {
    this.throwIfFailed();
    const out: RawWatchEvent[] = [];
    try {
      const text = typeof message === "string" ? message : this.#decodeUtf8(message, false);
      this.#checkLength(text.length);
      let start = 0;
      let nl = text.indexOf("\n");
      while (nl >= 0) {
        this.#parseLine(text.slice(start, nl), out);
        start = nl + 1;
        nl = text.indexOf("\n", start);
      }
      if (start < text.length) this.#parseLine(start === 0 ? text : text.slice(start), out);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.#failure = error;
    }
    return out;
  }

  /**
   * Declares the end of the stream.
   *
   * @throws {DecodeError} when the stream stopped inside an event (an unexpected EOF: the partial event is dropped),
   *   or the failure of an earlier chunk
   */
  end(): void {
    this.throwIfFailed();
    let tail: string;
    try {
      tail = this.#utf8.decode();
    } catch {
      // An incomplete UTF-8 sequence at the very end is part of a truncated event.
      tail = "\uFFFD";
    }
    const rest = this.#pending + tail;
    this.#pending = "";
    if (rest.trim() === "") return;
    throw new DecodeError(
      `The watch stream ended in the middle of an event (line ${this.#line + 1}, ${rest.length} characters received)`,
      { excerpt: rest, line: this.#line + 1 },
    );
  }

  /** Whether an incomplete event is being held (the stream would be truncated if it ended now). */
  get hasPartialEvent(): boolean {
    return this.#pending.trim() !== "";
  }

  #decodeUtf8(bytes: Uint8Array, stream: boolean): string {
    try {
      return this.#utf8.decode(bytes, { stream });
    } catch (cause) {
      throw new DecodeError(`The watch stream is not valid UTF-8 (after line ${this.#line})`, {
        cause,
        line: this.#line + 1,
      });
    }
  }

  #hold(text: string): void {
    const length = this.#pending.length + text.length;
    this.#checkLength(length);
    this.#pending = this.#pending === "" ? text : this.#pending + text;
  }

  #checkLength(length: number): void {
    if (length > this.#maxLine) this.#tooLong(length);
  }

  #tooLong(length: number): never {
    const excerpt = this.#pending.slice(0, 120);
    this.#pending = "";
    throw new DecodeError(
      `A watch event on line ${this.#line + 1} is longer than the limit of ${this.#maxLine} characters (${length} so far)`,
      { line: this.#line + 1, ...(excerpt === "" ? {} : { excerpt }) },
    );
  }

  #parseLine(line: string, out: RawWatchEvent[]): void {
    const number = ++this.#line;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      if (line.trim() === "") return;
      const values = splitJsonValues(line);
      if (values === undefined)
        throw new DecodeError(`Line ${number} of the watch stream is not valid JSON`, {
          cause,
          excerpt: line,
          line: number,
        });
      for (const v of values) out.push(this.#event(v, line, number));
      return;
    }
    out.push(this.#event(value, line, number));
  }

  #event(value: unknown, line: string, number: number): RawWatchEvent {
    if (
      typeof value !== "object" ||
      value === null ||
      typeof (value as { type?: unknown }).type !== "string" ||
      typeof (value as { object?: unknown }).object !== "object" ||
      (value as { object?: unknown }).object === null ||
      Array.isArray((value as { object?: unknown }).object)
    )
      throw new DecodeError(`Line ${number} of the watch stream is not a watch event ({"type","object"})`, {
        excerpt: line,
        line: number,
      });
    this.#events++;
    return value as RawWatchEvent;
  }
}

/**
 * Splits a line holding several concatenated JSON values (`{…}{…}`): the wire contract is a stream of JSON values,
 * and the API server's newline after each is a habit of Go's encoder, not a promise.
 *
 * @returns the parsed values, or `undefined` when the line is not a sequence of complete JSON objects
 */
function splitJsonValues(line: string): unknown[] | undefined {
  const values: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0) {
        try {
          values.push(JSON.parse(line.slice(start, i + 1)));
        } catch {
          return undefined;
        }
      }
    } else if (depth === 0 && c !== 0x20 && c !== 0x09 && c !== 0x0d) return undefined;
  }
  return depth === 0 && !inString && values.length > 1 ? values : undefined;
}
