/**
 * The one error base of kubeshift: a stable `code`, an `instanceof` that works across copies of the package, and
 * messages that never carry secrets.
 *
 * @module
 */
import { redactSecrets } from "./redact.ts";

/** The stable error codes; switch on `error.code` rather than on the class when several copies may be loaded. */
export type KubeErrorCode =
  | "ERR_API"
  | "ERR_TRANSPORT"
  | "ERR_DECODE"
  | "ERR_AUTH"
  | "ERR_CONFIG"
  | "ERR_WATCH"
  | "ERR_REGISTRY"
  | "ERR_SIGNATURE"
  | (string & {});

const BRAND: unique symbol = Symbol.for("kubeshift.error") as never;

/** Options shared by every kubeshift error. */
export interface KubeErrorOptions {
  /** The underlying error (an undici or ws error, a `SyntaxError`, …). */
  cause?: unknown;
}

/**
 * Base class of every error kubeshift throws on purpose.
 *
 * `instanceof KubeError` (and of each subclass) is answered from a `Symbol.for` brand and the `code`, so it holds
 * even when two copies of `@kubeshift/transport` are loaded (npm and JSR, or two versions).
 *
 * @example
 * ```ts
 * import { KubeError } from "@kubeshift/transport";
 * try { await doSomething(); } catch (e) { if (e instanceof KubeError) console.error(e.code, e.message); }
 * ```
 */
export class KubeError extends Error {
  /** Stable machine-readable code, such as `"ERR_API"`. */
  readonly code: KubeErrorCode;

  /** The code an instance must carry to count as an instance of this class; `undefined` accepts any code. */
  static readonly errorCode: KubeErrorCode | undefined = undefined;

  /**
   * @param code the stable code of the error
   * @param message what failed, then why; secrets in it are redacted
   * @param options the cause
   */
  constructor(code: KubeErrorCode, message: string, options: KubeErrorOptions = {}) {
    super(redactSecrets(message), "cause" in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /** Cross-copy `instanceof`: the brand, and the subclass's code when the subclass declares one. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!isKubeError(value)) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass `instanceof` was asked about
    const want = (this as typeof KubeError).errorCode;
    return want === undefined || value.code === want;
  }
}

/**
 * Tells whether a value is a kubeshift error, from any copy of the package.
 *
 * @param value anything caught
 * @returns `true` for a `KubeError` or one of its subclasses
 * @example
 * ```ts
 * if (isKubeError(e)) console.error(e.code);
 * ```
 */
export function isKubeError(value: unknown): value is KubeError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { code?: unknown }).code === "string"
  );
}
