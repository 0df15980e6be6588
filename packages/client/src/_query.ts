/**
 * Query strings of the verbs, built from their options with the API's parameter names.
 *
 * @module
 */
import { formatFieldSelector } from "./field-selector.ts";
import { formatLabelSelector } from "./label-selector.ts";
import type { ListOptions, SelectorOptions, WriteOptions } from "./options.ts";

/** A query value; `undefined` leaves the parameter out. */
export type QueryValue = string | number | boolean | undefined;

/** Builds a query from a record, leaving out `undefined` values. */
export function toQuery(values: Readonly<Record<string, QueryValue>>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) query.set(key, String(value));
  return query;
}

function checkCount(name: string, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  return value;
}

/** The selector parameters. */
export function selectorQuery(options: SelectorOptions): Record<string, QueryValue> {
  return {
    labelSelector: options.labelSelector === undefined ? undefined : formatLabelSelector(options.labelSelector),
    fieldSelector: options.fieldSelector === undefined ? undefined : formatFieldSelector(options.fieldSelector),
  };
}

/** The parameters of a list. */
export function listQuery(options: ListOptions): Record<string, QueryValue> {
  return {
    ...selectorQuery(options),
    limit: checkCount("limit", options.limit, 1),
    continue: options.continue || undefined,
    resourceVersion: options.resourceVersion,
    resourceVersionMatch: options.resourceVersionMatch,
    timeoutSeconds: checkCount("timeoutSeconds", options.timeoutSeconds, 0),
  };
}

/** The parameters of a write. */
export function writeQuery(options: WriteOptions, fieldManager?: string): Record<string, QueryValue> {
  return {
    dryRun: options.dryRun ? "All" : undefined,
    fieldManager: options.fieldManager ?? fieldManager,
    fieldValidation: options.fieldValidation,
  };
}

/** Checks a grace period. */
export function checkGracePeriod(value: number | undefined): number | undefined {
  return checkCount("gracePeriodSeconds", value, 0);
}
