/**
 * `KubeconfigError`: a kubeconfig that cannot be used, because its text does not parse (file, line, column) or
 * because a reference is broken (a context naming a cluster that does not exist).
 *
 * @module
 */
import { redactSecrets } from "@kubeshift/transport";

/** What a broken reference points at. */
export interface MissingKubeconfigItem {
  /** The kind of entry that is missing. */
  kind: "cluster" | "user" | "context";
  /** Its name (`""` when the reference itself is empty). */
  name: string;
}

/** Options of {@link KubeconfigError}. */
export interface KubeconfigErrorOptions {
  /** The file, when known. */
  file?: string | undefined;
  /** 1-based line of the problem. */
  line?: number | undefined;
  /** 1-based column of the problem. */
  column?: number | undefined;
  /** The entry a reference names but the config lacks. */
  missing?: MissingKubeconfigItem | undefined;
  /** The underlying error (YAML parser, file system). */
  cause?: unknown;
}

// The brand of transport's KubeError: lets `instanceof KubeError` and `isKubeError` accept this SyntaxError too, so
// callers can switch on `code === "ERR_CONFIG"` whatever the class.
const KUBE_ERROR_BRAND = Symbol.for("kubeshift.error");

/**
 * A kubeconfig that does not parse or whose references are broken. A `SyntaxError` (the text is wrong), also
 * recognised as a `KubeError` with code `ERR_CONFIG`. The message names the file and position and never contains a
 * token, password or key.
 *
 * @example
 * ```ts
 * import { KubeconfigError, parseKubeconfig } from "@kubeshift/auth";
 * try { parseKubeconfig("clusters: {}", { path: "/tmp/kc" }); }
 * catch (e) { if (e instanceof KubeconfigError) console.error(e.file, e.line, e.column); }
 * ```
 */
export class KubeconfigError extends SyntaxError {
  /** Stable error code shared with `KubeError`. */
  readonly code: "ERR_CONFIG" = "ERR_CONFIG";
  /** The file, when known. */
  readonly file: string | undefined;
  /** 1-based line, for text errors. */
  readonly line: number | undefined;
  /** 1-based column, for text errors. */
  readonly column: number | undefined;
  /** The entry a broken reference names. */
  readonly missing: MissingKubeconfigItem | undefined;

  /**
   * @param message what is wrong (the position is appended)
   * @param options file, position, missing item, cause
   */
  constructor(message: string, options: KubeconfigErrorOptions = {}) {
    const where = [
      options.file === undefined ? undefined : JSON.stringify(options.file),
      options.line === undefined ? undefined : `line ${options.line}`,
      options.column === undefined ? undefined : `column ${options.column}`,
    ].filter((p) => p !== undefined);
    super(
      redactSecrets(where.length === 0 ? message : `${message} (${where.join(", ")})`),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "KubeconfigError";
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.missing = options.missing;
    Object.defineProperty(this, KUBE_ERROR_BRAND, { value: true, enumerable: false });
  }

  /** Also true for copies of this class from another copy of the package (the shared brand and code). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[KUBE_ERROR_BRAND] === true &&
      (value as { code?: unknown }).code === "ERR_CONFIG" &&
      (value as { name?: unknown }).name === "KubeconfigError"
    );
  }
}
