/**
 * PLACEHOLDER bridge to the pure modules another engineer is writing (`src/patch`, `src/selectors`,
 * `src/printers`). The server imports these names only from here; once the modules land this file re-exports them
 * and the stand-ins below go away.
 *
 * @module
 */
import type { StatusCause } from "@kubeshift/transport";
import { isPlainObject } from "../resources/kube-object.ts";

/** Stand-in for `src/patch/patch-error.ts`. */
export class PatchError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly causes?: StatusCause[];
  constructor(status: number, reason: string, message: string, options: { causes?: StatusCause[] } = {}) {
    super(message);
    this.status = status;
    this.reason = reason;
    if (options.causes !== undefined) this.causes = options.causes;
  }
}

const INVALID = "the server rejected our request due to an error in our request";

/** Stand-in for `applyMergePatch` (RFC 7386). */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(doc) ? { ...doc } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

/** Stand-in for `applyStrategicMergePatch`: merge patch semantics, lists merged by `name`. */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, _options: { schema?: unknown }): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(doc) ? { ...doc } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (
      Array.isArray(v) &&
      Array.isArray(out[k]) &&
      v.every((x) => isPlainObject(x) && typeof x.name === "string")
    ) {
      const merged = [...(out[k] as unknown[])];
      for (const item of v as Record<string, unknown>[]) {
        const i = merged.findIndex((m) => isPlainObject(m) && m.name === item.name);
        if (i < 0) merged.push(item);
        else merged[i] = applyStrategicMergePatch(merged[i], item, {});
      }
      out[k] = merged;
    } else out[k] = applyStrategicMergePatch(out[k], v, {});
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  return path
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Stand-in for `applyJsonPatch` (RFC 6902: add, remove, replace, test). */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw new PatchError(400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let root = structuredClone(doc);
  for (const op of patch as Record<string, unknown>[]) {
    const parts = pointer(String(op.path ?? ""));
    const last = parts.pop();
    let parent: unknown = root;
    for (const p of parts) parent = (parent as Record<string, unknown>)?.[p];
    if (typeof parent !== "object" || parent === null || last === undefined) {
      if (last === undefined && op.op !== "test") {
        root = op.value;
        continue;
      }
      throw new PatchError(422, "Invalid", INVALID);
    }
    const container = parent as Record<string, unknown>;
    switch (op.op) {
      case "add":
        if (Array.isArray(container)) container.splice(last === "-" ? container.length : Number(last), 0, op.value);
        else container[last] = op.value;
        break;
      case "replace":
        if (!(last in container)) throw new PatchError(422, "Invalid", INVALID);
        container[last] = op.value;
        break;
      case "remove":
        if (!(last in container)) throw new PatchError(422, "Invalid", INVALID);
        if (Array.isArray(container)) container.splice(Number(last), 1);
        else delete container[last];
        break;
      case "test":
        if (JSON.stringify(container[last]) !== JSON.stringify(op.value)) throw new PatchError(422, "Invalid", INVALID);
        break;
      default:
        throw new PatchError(422, "Invalid", INVALID);
    }
  }
  return root;
}

function fieldsOf(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isPlainObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (isPlainObject(v) && Object.keys(v).length > 0) out[`f:${k}`] = { ".": {}, ...fieldsOf(v) };
    else out[`f:${k}`] = {};
  }
  return out;
}

/** One `managedFields` entry. */
export interface ManagedFieldsEntryLike {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** Stand-in for `updateManagedFields`: the manager owns every field outside system metadata. */
export function updateManagedFields(
  previous: object | undefined,
  next: object,
  options: { manager: string; operation: "Update" | "Apply"; subresource?: string; time: string; apiVersion: string },
): ManagedFieldsEntryLike[] {
  const { metadata, kind: _k, apiVersion: _a, ...rest } = next as Record<string, unknown>;
  const meta = isPlainObject(metadata) ? metadata : {};
  const owned: Record<string, unknown> = fieldsOf(rest);
  const metaFields: Record<string, unknown> = {};
  for (const k of ["labels", "annotations", "finalizers", "ownerReferences", "generateName"])
    if (meta[k] !== undefined) metaFields[`f:${k}`] = isPlainObject(meta[k]) ? { ".": {}, ...fieldsOf(meta[k]) } : {};
  if (Object.keys(metaFields).length > 0) owned["f:metadata"] = metaFields;
  const prevEntries = ((previous as { metadata?: { managedFields?: ManagedFieldsEntryLike[] } } | undefined)?.metadata
    ?.managedFields ?? []) as ManagedFieldsEntryLike[];
  const others = prevEntries.filter((e) => e.manager !== options.manager || e.operation !== options.operation);
  return [
    ...others,
    {
      manager: options.manager,
      operation: options.operation,
      apiVersion: options.apiVersion,
      time: options.time,
      fieldsType: "FieldsV1",
      fieldsV1: owned,
      ...(options.subresource === undefined ? {} : { subresource: options.subresource }),
    },
  ];
}

/** Stand-in for `serverSideApply`: the applied object is merged into the live one; no conflicts are detected. */
export function serverSideApply(
  live: object | undefined,
  applied: object,
  options: { manager: string; force: boolean; time: string; apiVersion?: string },
): { object: object } {
  const merged = applyMergePatch(live ?? {}, applied) as Record<string, unknown>;
  const meta = isPlainObject(merged.metadata) ? merged.metadata : {};
  meta.managedFields = updateManagedFields(live, merged, {
    manager: options.manager,
    operation: "Apply",
    time: options.time,
    apiVersion: options.apiVersion ?? String(merged.apiVersion ?? ""),
  });
  merged.metadata = meta;
  return { object: merged };
}

/** Stand-in for `SelectorError`. */
export class SelectorError extends Error {}

/** A parsed label selector. */
export interface LabelSelector {
  matches(labels: Readonly<Record<string, string>>): boolean;
}

/** Stand-in for `parseLabelSelector`: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. */
export function parseLabelSelector(text: string): LabelSelector {
  const reqs: ((l: Readonly<Record<string, string>>) => boolean)[] = [];
  const parts = text.match(/([^,(]+(\([^)]*\))?)/g) ?? [];
  for (const raw of parts) {
    const p = raw.trim();
    if (p === "") continue;
    const setMatch = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p);
    const eqMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(p);
    const notMatch = /^!\s*(\S+)$/.exec(p);
    if (setMatch !== null) {
      const [, key, op, vals] = setMatch as unknown as [string, string, string, string];
      const set = new Set(vals.split(",").map((v) => v.trim()));
      reqs.push(
        op === "in"
          ? (l) => l[key] !== undefined && set.has(l[key] as string)
          : (l) => l[key] === undefined || !set.has(l[key] as string),
      );
    } else if (eqMatch !== null) {
      const [, key, op, value] = eqMatch as unknown as [string, string, string, string];
      reqs.push(op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value);
    } else if (notMatch !== null) {
      const key = notMatch[1] as string;
      reqs.push((l) => l[key] === undefined);
    } else if (/^\S+$/.test(p)) reqs.push((l) => l[p] !== undefined);
    else throw new SelectorError(`unable to parse requirement: ${p}`);
  }
  return { matches: (labels) => reqs.every((r) => r(labels)) };
}

/** A parsed field selector. */
export interface FieldSelector {
  matches(fields: Readonly<Record<string, string>>): boolean;
}

/** Stand-in for `parseFieldSelector`: `f=v`, `f==v`, `f!=v`, comma-separated. */
export function parseFieldSelector(text: string, options: { supportedFields: readonly string[] }): FieldSelector {
  const reqs: ((f: Readonly<Record<string, string>>) => boolean)[] = [];
  for (const raw of text.split(",")) {
    const p = raw.trim();
    if (p === "") continue;
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(p);
    if (m === null) throw new SelectorError(`invalid selector: '${text}'; can't understand '${p}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    if (!options.supportedFields.includes(field))
      throw new SelectorError(
        `"${field}" is not a known field selector: only ${options.supportedFields.map((f) => `"${f}"`).join(", ")}`,
      );
    reqs.push(op === "!=" ? (f) => f[field] !== value : (f) => f[field] === value);
  }
  return { matches: (fields) => reqs.every((r) => r(fields)) };
}

/** Stand-in for the per-kind field table: the fields every kind supports. */
export function supportedFieldsFor(_group: string, _kind: string): readonly string[] {
  return ["metadata.name", "metadata.namespace"];
}

/** Stand-in for `fieldsForKind`. */
export function fieldsForKind(
  _group: string,
  _kind: string,
  object: { metadata?: { name?: string; namespace?: string } },
): Record<string, string> {
  return { "metadata.name": object.metadata?.name ?? "", "metadata.namespace": object.metadata?.namespace ?? "" };
}

/** A server-side Table. */
export interface TableLike {
  kind: "Table";
  apiVersion: string;
  metadata: Record<string, unknown>;
  columnDefinitions: unknown[];
  rows: { cells: unknown[]; object?: unknown }[];
}

/** Stand-in for `printTable`: the generic Name and Created At columns. */
export function printTable(
  _descriptor: unknown,
  objects: readonly { metadata?: Record<string, unknown> }[],
  options: { includeObject: "None" | "Object" | "Metadata"; tableVersion: "v1" | "v1beta1"; wide?: boolean },
): TableLike {
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${options.tableVersion}`,
    metadata: {},
    columnDefinitions: [
      { name: "Name", type: "string", format: "name", description: "Name of the object", priority: 0 },
      { name: "Created At", type: "date", format: "", description: "Creation time", priority: 0 },
    ],
    rows: objects.map((o) => ({
      cells: [o.metadata?.name ?? "", o.metadata?.creationTimestamp ?? null],
      ...(options.includeObject === "None"
        ? {}
        : {
            object:
              options.includeObject === "Object"
                ? o
                : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata },
          }),
    })),
  };
}
