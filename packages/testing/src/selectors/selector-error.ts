/**
 * The error the selector parsers throw: the text of the kube-apiserver's 400 `BadRequest` Status for the same
 * selector, so the fake cluster can answer it without rewording.
 *
 * @module
 */
import type { ApiStatus } from "@kubeshift/transport";

/** Options of {@link SelectorError}. */
export interface SelectorErrorOptions {
  /** The selector text that failed. */
  selector?: string;
  /** 1-based position in the selector where parsing stopped, when it is a syntax error. */
  column?: number;
}

/**
 * A label or field selector the real server refuses with 400 BadRequest. A `SyntaxError` because a selector is
 * text: `line` is always 1 and `column` is where parsing stopped (when known).
 *
 * @example
 * ```ts
 * try { parseLabelSelector("a in (b"); } catch (e) {
 *   if (e instanceof SelectorError) respond(400, e.toStatus()); // "unable to parse requirement: found '', expected: ',' or ')'"
 * }
 * ```
 */
export class SelectorError extends SyntaxError {
  /** Always 400. */
  readonly status: number = 400;
  /** Always `"BadRequest"`. */
  readonly reason: string = "BadRequest";
  /** The selector that failed. */
  readonly selector: string | undefined;
  /** Always 1: selectors are one line. */
  readonly line: number = 1;
  /** 1-based position where parsing stopped, when known. */
  readonly column: number | undefined;

  /**
   * @param message the server's Status message
   * @param options the selector text and the position
   */
  constructor(message: string, options: SelectorErrorOptions = {}) {
    super(message);
    this.name = "SelectorError";
    this.selector = options.selector;
    this.column = options.column;
  }

  /**
   * The `metav1.Status` the server answers.
   *
   * @returns the Status body
   * @example
   * ```ts
   * new SelectorError("found '=', expected: ',' or 'end of string'").toStatus().code; // 400
   * ```
   */
  toStatus(): ApiStatus {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: "BadRequest",
      code: 400,
    };
  }
}
