/**
 * `DecodeError`: the server answered, but what it sent cannot be decoded (broken JSON, a line longer than allowed,
 * a stream cut in the middle of an event, an unexpected content type).
 *
 * @module
 */
import { KubeError, type KubeErrorCode } from "./kube-error.ts";
import { redactSecrets } from "./redact.ts";

/** Options of {@link DecodeError}. */
export interface DecodeErrorOptions {
  /** The parser's own error. */
  cause?: unknown;
  /** A short, redacted excerpt of the bad input. */
  excerpt?: string;
  /** 1-based line of the bad input within a stream, when known. */
  line?: number;
}

/**
 * Undecodable server output. The excerpt is at most 120 characters and passes through secret redaction.
 *
 * @example
 * ```ts
 * import { DecodeError } from "@kubeshift/transport";
 * try { for await (const ev of watch(...)) {} } catch (e) { if (e instanceof DecodeError) console.error(e.line, e.excerpt); }
 * ```
 */
export class DecodeError extends KubeError {
  static override readonly errorCode: KubeErrorCode = "ERR_DECODE";

  /** Excerpt of the bad input. */
  readonly excerpt: string | undefined;
  /** 1-based line within a stream, when known. */
  readonly line: number | undefined;

  /**
   * @param message what could not be decoded and why
   * @param options cause, excerpt, line
   */
  constructor(message: string, options: DecodeErrorOptions = {}) {
    const excerpt = options.excerpt === undefined ? undefined : redactSecrets(options.excerpt.slice(0, 120));
    super(
      "ERR_DECODE",
      excerpt === undefined ? message : `${message}: ${JSON.stringify(excerpt)}`,
      "cause" in options ? { cause: options.cause } : {},
    );
    this.excerpt = excerpt;
    this.line = options.line;
  }
}
