/**
 * Encoding objects and lists for the response: plain JSON (from each entry's cached JSON), YAML, a `meta.k8s.io`
 * Table (server-side printing, `includeObject`), or PartialObjectMetadata, with the apiVersion of the version the
 * request went through.
 *
 * @module
 */

import { printTable } from "../printers/table.ts";
import type { KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import type { StoredEntry } from "../store/object-storage.ts";
import { type HandlerContext, respondJson, respondYaml } from "./handler-context.ts";
import type { OutputFormat } from "./media-types.ts";

/** The object JSON of an entry as seen through `resource` (another served version gets its apiVersion). */
export function entryJson(resource: ServedResource, entry: StoredEntry): string {
  if (entry.object.apiVersion === resource.apiVersion) return entry.json();
  return JSON.stringify({ ...entry.object, apiVersion: resource.apiVersion });
}

/** The list-item JSON of an entry (built-in lists leave kind and apiVersion out). */
export function itemJson(resource: ServedResource, entry: StoredEntry): string {
  if (!resource.builtin) return entryJson(resource, entry);
  return entry.object.apiVersion === resource.apiVersion
    ? entry.itemJson()
    : entryJson(resource, entry).replace(/^\{"kind":"[^"]*","apiVersion":"[^"]*",/, "{");
}

/** An object as seen through `resource`. */
export function viewObject(resource: ServedResource, object: KubeObject): KubeObject {
  return object.apiVersion === resource.apiVersion ? object : { ...object, apiVersion: resource.apiVersion };
}

/** `includeObject` of a Table request. */
export function includeObjectOf(query: URLSearchParams): "None" | "Object" | "Metadata" {
  const v = query.get("includeObject");
  return v === "None" || v === "Object" ? v : "Metadata";
}

/** A Table for objects of a resource. */
export function tableFor(
  resource: ServedResource,
  objects: readonly KubeObject[],
  version: "v1" | "v1beta1",
  includeObject: "None" | "Object" | "Metadata",
  listMeta: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  const table = printTable(resource.descriptor, objects, {
    includeObject,
    tableVersion: version,
    now: new Date(now),
  }) as unknown as Record<string, unknown>;
  return { ...table, kind: "Table", apiVersion: `meta.k8s.io/${version}`, metadata: listMeta };
}

/** PartialObjectMetadata of an object. */
export function partialMetadata(object: KubeObject, version: "v1" | "v1beta1"): Record<string, unknown> {
  return { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: object.metadata ?? {} };
}

/** Answers one object in the negotiated format. */
export function respondObject(
  ctx: HandlerContext,
  resource: ServedResource,
  format: OutputFormat,
  status: number,
  entry: StoredEntry | undefined,
  object: KubeObject,
): void {
  switch (format.kind) {
    case "table": {
      const table = tableFor(
        resource,
        [viewObject(resource, object)],
        format.version,
        includeObjectOf(ctx.query),
        { resourceVersion: object.metadata?.resourceVersion ?? "" },
        ctx.services.clock.now(),
      );
      respondJson(ctx, status, JSON.stringify(table));
      return;
    }
    case "partial":
      respondJson(ctx, status, JSON.stringify(partialMetadata(object, format.version)));
      return;
    case "yaml":
      respondYaml(
        ctx,
        status,
        entry === undefined ? JSON.stringify(viewObject(resource, object)) : entryJson(resource, entry),
      );
      return;
    default:
      respondJson(
        ctx,
        status,
        entry === undefined ? JSON.stringify(viewObject(resource, object)) : entryJson(resource, entry),
      );
      return;
  }
}

/** List metadata (`resourceVersion`, `continue`, `remainingItemCount`). */
export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Answers a list in the negotiated format. */
export function respondList(
  ctx: HandlerContext,
  resource: ServedResource,
  format: OutputFormat,
  entries: readonly StoredEntry[],
  meta: ListMeta,
): void {
  switch (format.kind) {
    case "table": {
      const table = tableFor(
        resource,
        entries.map((e) => viewObject(resource, e.object)),
        format.version,
        includeObjectOf(ctx.query),
        { ...meta },
        ctx.services.clock.now(),
      );
      respondJson(ctx, 200, JSON.stringify(table));
      return;
    }
    case "partial": {
      const list = {
        kind: "PartialObjectMetadataList",
        apiVersion: `meta.k8s.io/${format.version}`,
        metadata: meta,
        items: entries.map((e) => partialMetadata(e.object, format.version)),
      };
      respondJson(ctx, 200, JSON.stringify(list));
      return;
    }
    default: {
      const parts: string[] = new Array(entries.length);
      for (let i = 0; i < entries.length; i++) parts[i] = itemJson(resource, entries[i] as StoredEntry);
      const json = `{"kind":${JSON.stringify(resource.listKind)},"apiVersion":${JSON.stringify(resource.apiVersion)},"metadata":${JSON.stringify(meta)},"items":[${parts.join(",")}]}`;
      if (format.kind === "yaml") {
        respondYaml(ctx, 200, json);
        return;
      }
      respondJson(ctx, 200, json);
      return;
    }
  }
}
