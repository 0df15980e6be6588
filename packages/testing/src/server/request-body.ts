/**
 * Decoding request bodies like the API server: JSON or YAML by `Content-Type`, Go's error wording for malformed
 * input, the kind check against the endpoint, and typed decoding against the kind's schema with
 * `fieldValidation=Strict|Warn|Ignore`.
 *
 * @module
 */
import { parse as parseYaml } from "yaml";
import { customResourceSchema, type KindSchema } from "../openapi/schema-index.ts";
import { decodeWithSchema } from "../registry/field-validation.ts";
import { isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import { parseJsonLikeGo, summarizeBody } from "./go-json-error.ts";
import type { ResourceContext } from "./handler-context.ts";
import { bodyTypeOf } from "./media-types.ts";
import { badRequest, type FieldError, invalidOptions, unsupportedBody } from "./status-error.ts";

/** `fieldValidation` of a write. */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** Reads `fieldValidation` (default `Warn`, as since 1.27). */
export function fieldValidationOf(query: URLSearchParams, optionsKind: string): FieldValidation {
  const v = query.get("fieldValidation");
  if (v === null || v === "") return "Warn";
  if (v === "Strict" || v === "Warn" || v === "Ignore") return v;
  throw invalidOptions(optionsKind, [
    {
      reason: "FieldValueNotSupported",
      field: "fieldValidation",
      value: v,
      detail: 'supported values: "", "Ignore", "Strict", "Warn"',
    },
  ]);
}

/** Reads `dryRun` (only `All` exists). */
export function dryRunOf(query: URLSearchParams, optionsKind: string): boolean {
  const values = query.getAll("dryRun");
  if (values.length === 0) return false;
  const bad = values.filter((v) => v !== "All");
  if (bad.length > 0) {
    const error: FieldError = {
      reason: "FieldValueNotSupported",
      field: "dryRun",
      value: values,
      detail: 'supported values: "All"',
    };
    throw invalidOptions(optionsKind, [error]);
  }
  return true;
}

/** The field manager: `fieldManager`, else the User-Agent up to its first `/`, else `unknown`. */
export function fieldManagerOf(ctx: ResourceContext, optionsKind: string, required = false): string {
  const given = ctx.query.get("fieldManager");
  if (given !== null && given !== "") {
    if (given.length > 128)
      throw invalidOptions(optionsKind, [
        {
          reason: "FieldValueTooLong",
          field: "fieldManager",
          value: given,
          detail: "may not be longer than 128 characters",
        },
      ]);
    return given;
  }
  if (required)
    throw invalidOptions(optionsKind, [
      { reason: "FieldValueRequired", field: "fieldManager", detail: "is required for apply patch" },
    ]);
  const ua = ctx.req.headers["user-agent"] ?? "";
  const prefix = ua.split("/")[0] ?? "";
  return prefix === "" ? "unknown" : prefix;
}

function internalPackage(group: string): string {
  return group === "" ? "core" : (group.split(".")[0] as string);
}

function versionOf(apiVersion: string): string {
  const i = apiVersion.indexOf("/");
  return i < 0 ? apiVersion : apiVersion.slice(i + 1);
}

/** Parses a body as JSON or YAML; throws the server's 400/415 wording. */
export function parseBody(body: Uint8Array, contentType: string | undefined, resource: ServedResource): unknown {
  const type = bodyTypeOf(contentType);
  const text = new TextDecoder().decode(body);
  if (type === "json") {
    try {
      return parseJsonLikeGo(text);
    } catch (e) {
      throw badRequest(
        `the object provided is unrecognized (must be of type ${resource.kind}): couldn't get version/kind; json parse error: ${(e as Error).message} (${summarizeBody(body)})`,
      );
    }
  }
  if (type === "yaml") {
    try {
      return parseYaml(text, { version: "1.1" });
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: yaml: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  throw unsupportedBody();
}

/**
 * Checks that a parsed body is an object of the endpoint's kind (filling in `kind`/`apiVersion` when left out).
 *
 * @throws {StatusError} 400 with the server's wording
 */
export function checkKind(value: unknown, resource: ServedResource, body: Uint8Array): KubeObject {
  if (!isPlainObject(value))
    throw badRequest(
      `the object provided is unrecognized (must be of type ${resource.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(value) ? "array" : typeof value === "string" ? "string" : typeof value === "number" ? "number" : typeof value === "boolean" ? "bool" : "null"} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (${summarizeBody(body)})`,
    );
  const object = value as KubeObject;
  const kind = typeof object.kind === "string" ? object.kind : "";
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  if (kind !== "" && kind !== resource.kind) {
    const version = versionOf(apiVersion === "" ? resource.apiVersion : apiVersion);
    throw badRequest(
      `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${resource.kind}: converting (${version}.${kind}) to (${internalPackage(resource.group)}.${resource.kind}): unknown conversion`,
    );
  }
  // An apiVersion of another group names a kind the server does not have there (the legacy /oapi/v1 kinds also
  // accept their own group's apiVersion).
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  if (apiVersion !== "" && group !== resource.group && group !== (resource.internalGroup ?? resource.group))
    throw badRequest(
      `${resource.kind} in version ${JSON.stringify(resource.version)} cannot be handled as a ${resource.kind}: no kind ${JSON.stringify(resource.kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme "pkg/api/legacyscheme/scheme.go:30"`,
    );
  return { ...object, kind: resource.kind, apiVersion: resource.apiVersion };
}

/** The schema of a resource (built-in from the bundled OpenAPI, custom from its CRD), if known. */
export async function schemaOf(ctx: ResourceContext, resource: ServedResource): Promise<KindSchema | undefined> {
  const index = await ctx.services.schemas();
  if (resource.crdName === undefined) return index.kind(resource.group, resource.version, resource.kind);
  const crd = ctx.services.registry.storage.get("apiextensions.k8s.io/customresourcedefinitions", resource.crdName);
  const versions = (
    crd?.object.spec as { versions?: { name?: string; schema?: { openAPIV3Schema?: unknown } }[] } | undefined
  )?.versions;
  const schema = versions?.find((v) => v.name === resource.version)?.schema?.openAPIV3Schema;
  return isPlainObject(schema) ? customResourceSchema(schema, index) : undefined;
}

/**
 * Typed decoding with field validation: drops unknown fields (warning or failing per `fieldValidation`) and fails
 * on values of the wrong type.
 *
 * @param prefix the start of the 400 message (`ConfigMap in version "v1" cannot be handled as a ConfigMap`)
 */
export async function decodeTyped(
  ctx: ResourceContext,
  resource: ServedResource,
  object: KubeObject,
  validation: FieldValidation,
  prefix: string = `${resource.kind} in version ${JSON.stringify(resource.version)} cannot be handled as a ${resource.kind}`,
): Promise<KubeObject> {
  const schema = await schemaOf(ctx, resource);
  if (schema === undefined) return object;
  const report = decodeWithSchema(object, schema);
  if (report.typeError !== undefined) throw badRequest(`${prefix}: ${report.typeError}`);
  if (report.unknownFields.length > 0) {
    const texts = report.unknownFields.map((f) => `unknown field ${JSON.stringify(f)}`);
    if (validation === "Strict") throw badRequest(`${prefix}: strict decoding error: ${texts.join(", ")}`);
    if (validation === "Warn") ctx.warnings.push(...texts);
  }
  return report.value as KubeObject;
}
