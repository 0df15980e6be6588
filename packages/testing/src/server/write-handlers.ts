/**
 * Writes: POST (create), PUT (replace, also of `/status`), PATCH with the four patch types (JSON patch, merge patch,
 * strategic merge patch, server-side apply), DELETE with `DeleteOptions`, and DELETE of a collection, with dry runs,
 * field validation, field managers and the real server's answers (201/200, a Status or the object on delete).
 *
 * @module
 */
import { parse as parseYaml } from "yaml";
import { applyJsonPatch } from "../patch/json-patch.ts";
import { applyMergePatch } from "../patch/merge-patch.ts";
import { PatchError } from "../patch/patch-error.ts";
import { serverSideApply } from "../patch/server-side-apply.ts";
import { applyStrategicMergePatch } from "../patch/strategic-merge-patch.ts";
import { type DeleteOptions, qualified, type WriteContext } from "../registry/registry.ts";
import { cloneJson, isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import type { StoredEntry } from "../store/object-storage.ts";
import type { ResourceContext } from "./handler-context.ts";
import { respondJson } from "./handler-context.ts";
import { parseListOptions } from "./list-options.ts";
import { bodyTypeOf, type OutputFormat } from "./media-types.ts";
import { itemJson, respondObject } from "./object-output.ts";
import { readList } from "./read-handlers.ts";
import { checkKind, decodeTyped, dryRunOf, fieldManagerOf, fieldValidationOf, parseBody } from "./request-body.ts";
import { parseBool } from "./request-info.ts";
import { badRequest, invalidOptions, notFound, StatusError, statusFor, unsupportedPatchType } from "./status-error.ts";

function writeContext(ctx: ResourceContext, dryRun: boolean, fieldManager: string): WriteContext {
  return { user: ctx.user, dryRun, fieldManager };
}

/** POST: create. */
export async function handleCreate(ctx: ResourceContext, format: OutputFormat): Promise<void> {
  const dryRun = dryRunOf(ctx.query, "CreateOptions");
  const validation = fieldValidationOf(ctx.query, "CreateOptions");
  const manager = fieldManagerOf(ctx, "CreateOptions");
  const body = await ctx.readBody();
  const parsed = parseBody(body, ctx.req.headers["content-type"], ctx.resource);
  const object = await decodeTyped(ctx, ctx.resource, checkKind(parsed, ctx.resource, body), validation);
  const result = ctx.services.registry.create(ctx.resource, ctx.namespace, object, writeContext(ctx, dryRun, manager));
  respondObject(ctx, ctx.resource, format, 201, result.entry, result.object);
}

/** PUT: replace (the object, or its status). */
export async function handleUpdate(ctx: ResourceContext, format: OutputFormat, subresource?: string): Promise<void> {
  const dryRun = dryRunOf(ctx.query, "UpdateOptions");
  const validation = fieldValidationOf(ctx.query, "UpdateOptions");
  const manager = fieldManagerOf(ctx, "UpdateOptions");
  const body = await ctx.readBody();
  const parsed = parseBody(body, ctx.req.headers["content-type"], ctx.resource);
  const object = await decodeTyped(ctx, ctx.resource, checkKind(parsed, ctx.resource, body), validation);
  const result = ctx.services.registry.update(
    ctx.resource,
    ctx.namespace,
    ctx.info.name,
    object,
    writeContext(ctx, dryRun, manager),
    subresource,
  );
  respondObject(ctx, ctx.resource, format, result.created ? 201 : 200, result.entry, result.object);
}

/** The patch types and the content types that carry them. */
type PatchType = "json-patch" | "merge-patch" | "strategic-merge-patch" | "apply-yaml";

/** Parses a patch body per its type. */
function parsePatch(type: PatchType, body: Uint8Array): unknown {
  const text = new TextDecoder().decode(body);
  try {
    if (type === "apply-yaml") return parseYaml(text, { version: "1.1" });
    return JSON.parse(text);
  } catch (e) {
    if (type === "apply-yaml") throw badRequest(`error decoding YAML: ${(e as Error).message.split("\n")[0]}`);
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

function fromPatchError(e: unknown): never {
  if (e instanceof PatchError) {
    const status = {
      kind: "Status" as const,
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: e.message,
      ...(e.reason === "" ? {} : { reason: e.reason }),
      details: e.causes === undefined ? {} : { causes: e.causes },
      code: e.status,
    };
    throw new StatusError(e.status, status);
  }
  throw e;
}

/** Applies a patch of any type to the current object (or to `undefined` for an apply that creates). */
async function applyPatch(
  ctx: ResourceContext,
  resource: ServedResource,
  type: PatchType,
  patch: unknown,
  current: KubeObject | undefined,
  manager: string,
  force: boolean,
): Promise<KubeObject> {
  const schema = ctx.services.registry.schemas.lookup(resource);
  try {
    switch (type) {
      case "json-patch":
        return applyJsonPatch(cloneJson(current), patch) as KubeObject;
      case "merge-patch":
        return applyMergePatch(cloneJson(current), patch) as KubeObject;
      case "strategic-merge-patch":
        return applyStrategicMergePatch(cloneJson(current), patch, { schema }) as KubeObject;
      case "apply-yaml": {
        const applySchema = ctx.services.registry.schemas.forApply(resource, await ctx.services.v3Schemas());
        return serverSideApply(current === undefined ? undefined : cloneJson(current), patch as object, {
          manager,
          force,
          schema: applySchema,
          time: new Date(ctx.services.clock.now()).toISOString().replace(/\.\d+Z$/, "Z"),
          apiVersion: resource.apiVersion,
        }).object as KubeObject;
      }
    }
  } catch (e) {
    return fromPatchError(e);
  }
}

/** The Scale object (`autoscaling/v1`) of a scalable object. */
export function scaleOf(resource: ServedResource, object: KubeObject): KubeObject {
  const paths = resource.behavior.scale;
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const status = isPlainObject(object.status) ? object.status : {};
  const meta = object.metadata ?? {};
  const get = (path: string | undefined, fallback: unknown): unknown => {
    if (path === undefined) return fallback;
    let cur: unknown = object;
    for (const p of path.replace(/^\./, "").split(".")) cur = isPlainObject(cur) ? cur[p] : undefined;
    return cur;
  };
  const selector = get(paths?.labelSelector, spec.selector);
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: JSON.parse(
      JSON.stringify({
        name: meta.name,
        namespace: meta.namespace,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
        creationTimestamp: meta.creationTimestamp,
      }),
    ),
    spec: { replicas: (get(paths?.specReplicas, spec.replicas) as number | undefined) ?? 0 },
    status: {
      replicas: (get(paths?.statusReplicas, status.replicas) as number | undefined) ?? 0,
      ...(selector === undefined ? {} : { selector: selectorText(selector) }),
    },
  };
}

function selectorText(selector: unknown): string {
  if (typeof selector === "string") return selector;
  if (!isPlainObject(selector)) return "";
  const labels = isPlainObject(selector.matchLabels)
    ? selector.matchLabels
    : selector.matchExpressions === undefined
      ? selector
      : {};
  const parts = Object.entries(labels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort();
  if (Array.isArray(selector.matchExpressions))
    for (const e of selector.matchExpressions as Record<string, unknown>[]) {
      const values = Array.isArray(e.values) ? (e.values as string[]).join(",") : "";
      if (e.operator === "In") parts.push(`${String(e.key)} in (${values})`);
      else if (e.operator === "NotIn") parts.push(`${String(e.key)} notin (${values})`);
      else if (e.operator === "Exists") parts.push(String(e.key));
      else if (e.operator === "DoesNotExist") parts.push(`!${String(e.key)}`);
    }
  return parts.join(",");
}

function setReplicas(resource: ServedResource, object: KubeObject, replicas: number): KubeObject {
  const path = resource.behavior.scale?.specReplicas ?? "spec.replicas";
  const out = cloneJson(object);
  const parts = path.replace(/^\./, "").split(".");
  let cur: Record<string, unknown> = out as Record<string, unknown>;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i] as string;
    if (!isPlainObject(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] as string] = replicas;
  return out;
}

/** GET, PUT and PATCH of `/scale`. */
export async function handleScale(ctx: ResourceContext): Promise<void> {
  const registry = ctx.services.registry;
  const resource = ctx.resource;
  const existing = registry.get(resource, ctx.namespace, ctx.info.name);
  const method = ctx.req.method ?? "GET";
  if (method === "GET") return respondJson(ctx, 200, JSON.stringify(scaleOf(resource, existing.object)));
  const optionsKind = method === "PUT" ? "UpdateOptions" : "PatchOptions";
  const dryRun = dryRunOf(ctx.query, optionsKind);
  const manager = fieldManagerOf(ctx, optionsKind);
  const body = await ctx.readBody();
  let scale: KubeObject;
  const current = scaleOf(resource, existing.object);
  if (method === "PUT") {
    const parsed = parseBody(body, ctx.req.headers["content-type"], { ...resource, kind: "Scale" } as ServedResource);
    if (!isPlainObject(parsed)) throw badRequest("the object provided is unrecognized (must be of type Scale)");
    scale = parsed as KubeObject;
  } else {
    const type = patchTypeOf(ctx, resource);
    scale = await applyPatch(ctx, resource, type, parsePatch(type, body), current, manager, false);
  }
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)
    throw statusFor(
      422,
      "Invalid",
      `Scale.autoscaling ${JSON.stringify(ctx.info.name)} is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
      {
        name: ctx.info.name,
        group: "autoscaling",
        kind: "Scale",
        causes: [
          {
            reason: "FieldValueInvalid",
            message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
            field: "spec.replicas",
          },
        ],
      },
    );
  const next = setReplicas(resource, existing.object, replicas);
  const rv = scale.metadata?.resourceVersion;
  (next.metadata as Record<string, unknown>).resourceVersion =
    rv === undefined || rv === "" ? existing.object.metadata?.resourceVersion : rv;
  const result = registry.updateFrom(resource, existing, next, writeContext(ctx, dryRun, manager), "scale");
  respondJson(ctx, 200, JSON.stringify(scaleOf(resource, result.object)));
}

function patchTypeOf(ctx: ResourceContext, resource: ServedResource): PatchType {
  const type = bodyTypeOf(ctx.req.headers["content-type"]);
  if (type === "json-patch" || type === "merge-patch" || type === "apply-yaml") return type;
  if (type === "strategic-merge-patch") {
    if (!resource.builtin)
      throw statusFor(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
      );
    return type;
  }
  throw unsupportedPatchType();
}

/** PATCH (of the object or its status). */
export async function handlePatch(ctx: ResourceContext, format: OutputFormat, subresource?: string): Promise<void> {
  const resource = ctx.resource;
  const registry = ctx.services.registry;
  const type = patchTypeOf(ctx, resource);
  const dryRun = dryRunOf(ctx.query, "PatchOptions");
  const validation = fieldValidationOf(ctx.query, "PatchOptions");
  const force = parseBool(ctx.query.get("force"));
  if (force !== undefined && type !== "apply-yaml")
    throw invalidOptions("PatchOptions", [
      { reason: "FieldValueForbidden", field: "force", detail: "may not be specified for non-apply patch" },
    ]);
  const manager = fieldManagerOf(ctx, "PatchOptions", type === "apply-yaml");
  const body = await ctx.readBody();
  const patch = parsePatch(type, body);
  const existing = registry.find(resource, ctx.namespace, ctx.info.name);
  const context = writeContext(ctx, dryRun, manager);
  if (existing === undefined) {
    if (type !== "apply-yaml" || subresource !== undefined) throw notFound(qualified(resource), ctx.info.name);
    // Server-side apply creates what does not exist.
    const applied = await applyPatch(ctx, resource, type, patch, undefined, manager, force === true);
    const decoded = await decodeTyped(ctx, resource, checkKind(applied, resource, body), validation);
    const managedFields = decoded.metadata?.managedFields;
    const result = registry.create(
      resource,
      ctx.namespace,
      { ...decoded, metadata: { ...decoded.metadata, name: ctx.info.name } },
      context,
    );
    if (managedFields !== undefined && result.entry !== undefined) {
      // The apply's own managedFields (operation Apply) replace the create's Update entry.
      const fixed = registry.updateFrom(resource, result.entry, cloneJson(result.object), context, undefined, {
        managedFields: managedFields as unknown[],
      });
      return respondObject(ctx, resource, format, 201, fixed.entry, fixed.object);
    }
    return respondObject(ctx, resource, format, 201, result.entry, result.object);
  }
  if (type === "apply-yaml" && isPlainObject(patch)) checkKind(patch, resource, body);
  const patched = await applyPatch(ctx, resource, type, patch, existing.object, manager, force === true);
  if (!isPlainObject(patched)) throw badRequest("the patch did not produce an object");
  const decoded = await decodeTyped(
    ctx,
    resource,
    { ...patched, kind: resource.kind, apiVersion: resource.apiVersion },
    validation,
  );
  const result = registry.updateFrom(
    resource,
    existing,
    decoded,
    context,
    subresource,
    type === "apply-yaml" && decoded.metadata?.managedFields !== undefined
      ? { managedFields: decoded.metadata.managedFields as unknown[] }
      : {},
  );
  respondObject(ctx, resource, format, 200, result.entry, result.object);
}

/** Reads `DeleteOptions` from the body and the query. */
async function deleteOptionsOf(ctx: ResourceContext): Promise<DeleteOptions & { dryRun: boolean }> {
  let body: Record<string, unknown> = {};
  const raw = await ctx.readBody();
  if (raw.length > 0) {
    const parsed = parseBody(raw, ctx.req.headers["content-type"], {
      ...ctx.resource,
      kind: "DeleteOptions",
    } as ServedResource);
    if (isPlainObject(parsed)) body = parsed;
  }
  const q = ctx.query;
  const graceText = q.get("gracePeriodSeconds");
  const grace =
    graceText !== null
      ? Number(graceText)
      : typeof body.gracePeriodSeconds === "number"
        ? body.gracePeriodSeconds
        : undefined;
  let policy = (q.get("propagationPolicy") ?? body.propagationPolicy) as string | undefined;
  const orphan = q.has("orphanDependents")
    ? parseBool(q.get("orphanDependents"))
    : (body.orphanDependents as boolean | undefined);
  if (policy === undefined && orphan !== undefined) policy = orphan ? "Orphan" : "Background";
  if (policy !== undefined && policy !== "Orphan" && policy !== "Background" && policy !== "Foreground")
    throw invalidOptions("DeleteOptions", [
      {
        reason: "FieldValueNotSupported",
        field: "propagationPolicy",
        value: policy,
        detail: 'supported values: "Foreground", "Background", "Orphan", "nil"',
      },
    ]);
  const dryRunValues = [...q.getAll("dryRun"), ...(Array.isArray(body.dryRun) ? (body.dryRun as string[]) : [])];
  const bad = dryRunValues.filter((v) => v !== "All");
  if (bad.length > 0)
    throw invalidOptions("DeleteOptions", [
      { reason: "FieldValueNotSupported", field: "dryRun", value: dryRunValues, detail: 'supported values: "All"' },
    ]);
  const pre = isPlainObject(body.preconditions) ? body.preconditions : undefined;
  return {
    gracePeriodSeconds: grace !== undefined && Number.isFinite(grace) ? grace : undefined,
    propagationPolicy: policy as DeleteOptions["propagationPolicy"],
    preconditions:
      pre === undefined
        ? undefined
        : { uid: pre.uid as string | undefined, resourceVersion: pre.resourceVersion as string | undefined },
    dryRun: dryRunValues.length > 0,
  };
}

/** DELETE of one object. */
export async function handleDelete(ctx: ResourceContext, format: OutputFormat): Promise<void> {
  const options = await deleteOptionsOf(ctx);
  const result = ctx.services.registry.delete(ctx.resource, ctx.namespace, ctx.info.name, options, {
    user: ctx.user,
    dryRun: options.dryRun,
    fieldManager: "unknown",
  });
  if (result.returnObject) return respondObject(ctx, ctx.resource, format, 200, undefined, result.object);
  const meta = result.object.metadata ?? {};
  const status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: {
      name: meta.name,
      ...(ctx.resource.group === "" ? {} : { group: ctx.resource.group }),
      kind: ctx.resource.plural,
      uid: meta.uid,
    },
  };
  respondJson(ctx, 200, JSON.stringify(status));
}

/** DELETE of a collection: answers the list of deleted objects. */
export async function handleDeleteCollection(ctx: ResourceContext): Promise<void> {
  const options = await deleteOptionsOf(ctx);
  const listOptions = parseListOptions(
    ctx.query,
    ctx.resource,
    ctx.namespace,
    false,
    undefined,
    ctx.services.settings.watchList,
  );
  const { page } = await readList(ctx, { ...listOptions, limit: 0, continueToken: undefined });
  const deleted: StoredEntry[] = [];
  for (const entry of page.items) {
    try {
      ctx.services.registry.delete(ctx.resource, entry.namespace, entry.name, options, {
        user: ctx.user,
        dryRun: options.dryRun,
        fieldManager: "unknown",
      });
      deleted.push(entry);
    } catch (e) {
      if (!(e instanceof StatusError) || e.code !== 404) throw e;
    }
  }
  const items = deleted.map((e) => itemJson(ctx.resource, e));
  const json = `{"kind":${JSON.stringify(ctx.resource.listKind)},"apiVersion":${JSON.stringify(ctx.resource.apiVersion)},"metadata":{"resourceVersion":${JSON.stringify(String(ctx.services.registry.storage.rv))}},"items":[${items.join(",")}]}`;
  respondJson(ctx, 200, json);
}
