/**
 * Container logs as a stream of lines: `GET …/pods/<name>/log` with kubectl's options (`follow`, `container`,
 * `sinceSeconds`, `tailLines`, `timestamps`, …), decoded as UTF-8 and split on newlines.
 *
 * @module
 */
import type { ResourceDescriptor } from "@kubeshift/types";
import { lineSplitter } from "./_line-stream.ts";
import type { QueryValue } from "./_query.ts";
import type { CallOptions, NamespaceOptions } from "./options.ts";

/** Options of `log`. */
export interface LogOptions extends CallOptions, NamespaceOptions {
  /** The container; required by the server when the pod has more than one. */
  container?: string;
  /** Keeps the stream open and delivers new lines as they are written, until the container ends or `signal`. */
  follow?: boolean;
  /** The previous, terminated instance of the container. */
  previous?: boolean;
  /** Only lines newer than this many seconds. Not with `sinceTime`. */
  sinceSeconds?: number;
  /** Only lines newer than this time (RFC 3339). Not with `sinceSeconds`. */
  sinceTime?: string | Date;
  /** Only the last lines. */
  tailLines?: number;
  /** Prefixes each line with its RFC 3339 timestamp. */
  timestamps?: boolean;
  /** Stops after this many bytes (the last line may be cut). */
  limitBytes?: number;
  /** Reads the log even when the kubelet's serving certificate cannot be verified. */
  insecureSkipTLSVerifyBackend?: boolean;
  /**
   * The resource whose `log` subresource to read: pods by default; OpenShift `builds`, `buildconfigs` and
   * `deploymentconfigs` have one too.
   */
  resource?: ResourceDescriptor;
}

function count(name: string, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  return value;
}

/**
 * The query of a log request.
 *
 * @param options the log options
 * @returns the query parameters
 * @throws {TypeError} when both `sinceSeconds` and `sinceTime` are given, or `sinceTime` is not a valid time
 * @throws {RangeError} on a negative or fractional count
 * @example
 * ```ts
 * logQuery({ follow: true, tailLines: 10 }); // { follow: true, tailLines: 10, … }
 * ```
 */
export function logQuery(options: LogOptions): Record<string, QueryValue> {
  if (options.sinceSeconds !== undefined && options.sinceTime !== undefined)
    throw new TypeError("Give sinceSeconds or sinceTime, not both");
  let sinceTime: string | undefined;
  if (options.sinceTime !== undefined) {
    const date = options.sinceTime instanceof Date ? options.sinceTime : new Date(options.sinceTime);
    if (Number.isNaN(date.getTime()))
      throw new TypeError(`sinceTime is not a valid time: ${String(options.sinceTime)}`);
    // The API wants whole seconds in RFC 3339.
    sinceTime = date.toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  return {
    container: options.container,
    follow: options.follow || undefined,
    previous: options.previous || undefined,
    sinceSeconds: count("sinceSeconds", options.sinceSeconds, 1),
    sinceTime,
    tailLines: count("tailLines", options.tailLines, 0),
    timestamps: options.timestamps || undefined,
    limitBytes: count("limitBytes", options.limitBytes, 1),
    insecureSkipTLSVerifyBackend: options.insecureSkipTLSVerifyBackend || undefined,
  };
}

/**
 * Decodes a log body into lines (UTF-8; invalid bytes become U+FFFD, as logs are arbitrary bytes).
 *
 * @param body the response body
 * @returns a stream of lines without their newline; cancelling it cancels the body
 * @example
 * ```ts
 * for await (const line of logLines(response.body)) console.log(line);
 * ```
 */
export function logLines(body: ReadableStream<Uint8Array>): ReadableStream<string> {
  return body
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(lineSplitter());
}
