/**
 * `ListOptions` from the query string, validated the way the API server validates them (`ValidateListOptions`):
 * label and field selectors, `limit`/`continue` with the real server's continue-token format, `resourceVersion` and
 * `resourceVersionMatch`, `timeoutSeconds`, `allowWatchBookmarks`, `sendInitialEvents`.
 *
 * @module
 */

import type { ServedResource } from "../resources/served-resource.ts";
import { fieldsForObject, parseFieldSelector, selectableFieldSpec } from "../selectors/field-selector.ts";
import { parseLabelSelector } from "../selectors/label-selector.ts";
import { SelectorError } from "../selectors/selector-error.ts";
import type { StoredEntry } from "../store/object-storage.ts";
import { parseBool } from "./request-info.ts";
import { badRequest, type FieldError, invalidOptions } from "./status-error.ts";

/**
 * How the server treats WatchList: `enabled` serves it; `disabled` refuses `sendInitialEvents` (a 1.27+ server with
 * the feature gate off); `ignored` does not know `sendInitialEvents` (1.19–1.26: the watch starts from the
 * resourceVersion as usual, `resourceVersionMatch` on a watch is refused); `ignored-legacy` knows neither parameter
 * (before 1.19, such as OpenShift 3.11: both are ignored on watches and lists).
 */
export type WatchListMode = "enabled" | "disabled" | "ignored" | "ignored-legacy";

/** Parsed list/watch options. */
export interface ListOptions {
  readonly watch: boolean;
  readonly labelSelector: string;
  readonly fieldSelector: string;
  /** Entry filter from both selectors, `undefined` when there are none. */
  readonly filter: ((entry: StoredEntry) => boolean) | undefined;
  /** Whether a selector is present (the server then leaves `remainingItemCount` out). */
  readonly hasSelector: boolean;
  readonly limit: number;
  readonly continueToken: ContinueToken | undefined;
  readonly resourceVersion: string | undefined;
  readonly resourceVersionMatch: string | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly allowWatchBookmarks: boolean;
  readonly sendInitialEvents: boolean | undefined;
  /** Name fixed by the path (a watch on `/watch/.../name`) or by `fieldSelector=metadata.name=`. */
  readonly name: string | undefined;
}

/** A decoded continue token. */
export interface ContinueToken {
  /** Revision of the first page (negative: an "inconsistent" token, read at the current revision). */
  readonly rv: number;
  /** Storage key to start after. */
  readonly afterKey: string;
}

function base64UrlEncode(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function base64UrlDecode(token: string): string {
  const b64 = token.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/**
 * Encodes a continue token in the real server's format (`{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`,
 * base64url without padding).
 *
 * @param rv revision of the list (`-1` for an inconsistent continuation)
 * @param lastKey storage key of the last item sent
 * @param namespace the namespace of a namespaced list (keys are relative to it)
 */
export function encodeContinue(rv: number, lastKey: string, namespace: string | undefined): string {
  const relative = namespace !== undefined && namespace !== "" ? lastKey.slice(namespace.length + 1) : lastKey;
  return base64UrlEncode(JSON.stringify({ v: "meta.k8s.io/v1", rv, start: `${relative}\u0000` }));
}

function decodeContinue(token: string, namespace: string | undefined): ContinueToken {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(base64UrlDecode(token)) as typeof parsed;
  } catch (e) {
    throw badRequest(`invalid continue token: continue key is not valid: ${(e as Error).message}`);
  }
  if (parsed.v !== "meta.k8s.io/v1")
    throw badRequest("invalid continue token: continue key is not valid: server does not recognize this encoded key");
  if (typeof parsed.rv !== "number" || parsed.rv === 0)
    throw badRequest(
      "invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
    );
  if (typeof parsed.start !== "string" || parsed.start === "")
    throw badRequest("invalid continue token: continue key is not valid: encoded start key empty");
  const start = parsed.start.endsWith("\u0000") ? parsed.start.slice(0, -1) : parsed.start;
  if (start.includes("..") || start.startsWith("/"))
    throw badRequest("invalid continue token: continue key is not valid: key path contains invalid components");
  const afterKey = namespace !== undefined && namespace !== "" ? `${namespace}/${start}` : start;
  return { rv: parsed.rv, afterKey };
}

/**
 * Reads and validates list options.
 *
 * @param query the query string
 * @param resource the resource (for the supported field selectors)
 * @param namespace the namespace of the request (continue keys are relative to it)
 * @param watch whether the request is a watch
 * @param pathName a name fixed by the path
 * @throws {StatusError} 400 for a bad selector or token, 422 for invalid options
 */
export function parseListOptions(
  query: URLSearchParams,
  resource: ServedResource,
  namespace: string | undefined,
  watch: boolean,
  pathName?: string,
  watchList: WatchListMode = "enabled",
): ListOptions {
  const labelSelector = query.get("labelSelector") ?? "";
  const fieldSelector = query.get("fieldSelector") ?? "";
  let labelMatch: ((labels: Record<string, string>) => boolean) | undefined;
  let fieldMatch: ((fields: Record<string, string>) => boolean) | undefined;
  try {
    if (labelSelector.trim() !== "") {
      const s = parseLabelSelector(labelSelector);
      labelMatch = (l) => s.matches(l);
    }
    if (fieldSelector.trim() !== "") {
      const spec = selectableFieldSpec(resource.kind, resource.group);
      const s = parseFieldSelector(fieldSelector, {
        supportedFields: spec.supportedFields,
        resource: resource.plural,
        wording: spec.wording,
        ...(spec.aliases === undefined ? {} : { aliases: spec.aliases }),
      });
      fieldMatch = (f) => s.matches(f);
    }
  } catch (e) {
    if (e instanceof SelectorError) throw badRequest(e.message);
    throw e;
  }
  let name = pathName;
  const nameFromSelector = /^metadata\.name==?([^,]*)$/.exec(fieldSelector.trim());
  if (name === undefined && nameFromSelector !== null) name = nameFromSelector[1];
  const fixedName = pathName;
  const filter =
    labelMatch === undefined && fieldMatch === undefined && fixedName === undefined
      ? undefined
      : (entry: StoredEntry): boolean => {
          if (fixedName !== undefined && entry.name !== fixedName) return false;
          if (labelMatch !== undefined && !labelMatch(entry.object.metadata?.labels ?? {})) return false;
          if (fieldMatch !== undefined && !fieldMatch(fieldsForObject(resource.kind, resource.group, entry.object)))
            return false;
          return true;
        };
  const limitText = query.get("limit");
  let limit = 0;
  if (limitText !== null && limitText !== "") {
    limit = Number(limitText);
    if (!Number.isInteger(limit)) throw badRequest(`invalid limit: ${JSON.stringify(limitText)}`);
    if (limit < 0) limit = 0;
  }
  // Servers decode ListOptions into the struct of their version: a parameter it does not have is ignored. Before
  // 1.27 that is sendInitialEvents; before 1.19 resourceVersionMatch too.
  const legacy = watchList === "ignored-legacy";
  const knowsSendInitialEvents = watchList === "enabled" || watchList === "disabled";
  const resourceVersion = query.get("resourceVersion") ?? undefined;
  const resourceVersionMatch = legacy ? undefined : (query.get("resourceVersionMatch") ?? undefined);
  const continueText = query.get("continue") ?? "";
  const sendInitialEventsText = knowsSendInitialEvents ? query.get("sendInitialEvents") : null;
  const sendInitialEvents = sendInitialEventsText === null ? undefined : parseBool(sendInitialEventsText);
  const errors: FieldError[] = [];
  const rvm = resourceVersionMatch ?? "";
  if (watch && !knowsSendInitialEvents) {
    if (rvm !== "") {
      errors.push({
        reason: "FieldValueForbidden",
        field: "resourceVersionMatch",
        detail: "resourceVersionMatch is forbidden for watch",
      });
      if ((resourceVersion ?? "") === "")
        errors.push({
          reason: "FieldValueForbidden",
          field: "resourceVersionMatch",
          detail: "resourceVersionMatch is forbidden unless resourceVersion is provided",
        });
    }
  } else if (watch) {
    if (sendInitialEvents !== undefined && rvm !== "NotOlderThan")
      errors.push({
        reason: "FieldValueForbidden",
        field: "resourceVersionMatch",
        detail: "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
      });
    if (sendInitialEvents !== undefined && watchList === "disabled")
      errors.push({
        reason: "FieldValueForbidden",
        field: "sendInitialEvents",
        detail: "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
      });
    if (rvm !== "") {
      if (sendInitialEvents === undefined)
        errors.push({
          reason: "FieldValueForbidden",
          field: "resourceVersionMatch",
          detail: "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
        });
      if (rvm !== "NotOlderThan")
        errors.push({
          reason: "FieldValueNotSupported",
          field: "resourceVersionMatch",
          value: rvm,
          detail: 'supported values: "NotOlderThan"',
        });
      if (continueText !== "")
        errors.push({
          reason: "FieldValueForbidden",
          field: "resourceVersionMatch",
          detail: "resourceVersionMatch is forbidden when continue is provided",
        });
    }
  } else {
    if (rvm !== "") {
      if ((resourceVersion ?? "") === "")
        errors.push({
          reason: "FieldValueForbidden",
          field: "resourceVersionMatch",
          detail: "resourceVersionMatch is forbidden unless resourceVersion is provided",
        });
      if (continueText !== "")
        errors.push({
          reason: "FieldValueForbidden",
          field: "resourceVersionMatch",
          detail: "resourceVersionMatch is forbidden when continue is provided",
        });
      if (rvm !== "Exact" && rvm !== "NotOlderThan")
        errors.push({
          reason: "FieldValueNotSupported",
          field: "resourceVersionMatch",
          value: rvm,
          detail: 'supported values: "Exact", "NotOlderThan", ""',
        });
      if (rvm === "Exact" && resourceVersion === "0")
        errors.push({
          reason: "FieldValueForbidden",
          field: "resourceVersionMatch",
          detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        });
    }
    if (sendInitialEvents !== undefined)
      errors.push({
        reason: "FieldValueForbidden",
        field: "sendInitialEvents",
        detail: "sendInitialEvents is forbidden for list",
      });
  }
  if (errors.length > 0) throw invalidOptions("ListOptions", errors);
  let continueToken: ContinueToken | undefined;
  if (continueText !== "") {
    continueToken = decodeContinue(continueText, namespace);
    if (resourceVersion !== undefined && resourceVersion !== "" && resourceVersion !== "0")
      throw badRequest("specifying resource version is not allowed when using continue");
  }
  const timeoutText = query.get("timeoutSeconds");
  const timeoutSeconds = timeoutText === null || timeoutText === "" ? undefined : Number(timeoutText);
  if (timeoutSeconds !== undefined && !Number.isFinite(timeoutSeconds))
    throw badRequest(`invalid timeoutSeconds: ${JSON.stringify(timeoutText)}`);
  return {
    watch,
    labelSelector,
    fieldSelector,
    filter,
    hasSelector: labelMatch !== undefined || fieldMatch !== undefined,
    limit,
    continueToken,
    resourceVersion,
    resourceVersionMatch,
    timeoutSeconds,
    allowWatchBookmarks: parseBool(query.get("allowWatchBookmarks")) === true,
    sendInitialEvents,
    name,
  };
}

/**
 * Parses a resourceVersion as the storage does.
 *
 * @throws {StatusError} 400 for a value that is not a non-negative integer
 */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw badRequest(`Invalid value: "${rv}": strconv.ParseUint: parsing "${rv}": invalid syntax`);
  return Number(rv);
}
