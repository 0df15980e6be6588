/**
 * The error the generator throws for input it cannot read: text that is not JSON or YAML, or a document that is not
 * an OpenAPI v2/v3 spec or a CustomResourceDefinition.
 *
 * @module
 */

/** Where in the input the problem is, when known. */
export interface SpecSyntaxErrorOptions {
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  cause?: unknown;
}

/**
 * Input the generator cannot use, with the file and, for text that does not parse, the line and column.
 *
 * @example
 * ```ts
 * import { SpecSyntaxError } from "./spec-syntax-error.ts";
 * const e = new SpecSyntaxError("Unexpected token", "spec.json", { line: 3, column: 7 });
 * e.message; // "spec.json:3:7: Unexpected token"
 * ```
 */
export class SpecSyntaxError extends SyntaxError {
  /** The file (or URL) that was read. */
  readonly file: string;
  /** 1-based line, when known. */
  readonly line: number | undefined;
  /** 1-based column, when known. */
  readonly column: number | undefined;

  /**
   * @param reason what is wrong
   * @param file the file or URL that was read
   * @param options line, column and cause
   */
  constructor(reason: string, file: string, options: SpecSyntaxErrorOptions = {}) {
    const where = options.line === undefined ? file : `${file}:${options.line}:${options.column ?? 1}`;
    super(`${where}: ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SpecSyntaxError";
    this.file = file;
    this.line = options.line;
    this.column = options.column;
  }
}

/**
 * Parses JSON text, turning the parser's error into a {@link SpecSyntaxError} with line and column.
 *
 * @param text the JSON text
 * @param file the file name for the error
 * @returns the parsed value
 * @throws {SpecSyntaxError} when the text is not JSON
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    if (lineCol?.[1] !== undefined && lineCol[2] !== undefined) {
      throw new SpecSyntaxError(`not valid JSON: ${message}`, file, {
        line: Number(lineCol[1]),
        column: Number(lineCol[2]),
        cause: e,
      });
    }
    if (at?.[1] !== undefined) {
      const offset = Number(at[1]);
      const before = text.slice(0, offset);
      const line = before.split("\n").length;
      const column = offset - before.lastIndexOf("\n");
      throw new SpecSyntaxError(`not valid JSON: ${message}`, file, { line, column, cause: e });
    }
    // V8 reports no position for text that ends too early.
    const lines = text.split("\n");
    throw new SpecSyntaxError(`not valid JSON: ${message}`, file, {
      line: lines.length,
      column: (lines[lines.length - 1]?.length ?? 0) + 1,
      cause: e,
    });
  }
}
