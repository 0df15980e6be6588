/**
 * Reads an OpenAPI v2 (Swagger 2.0) or v3 document into the generator's model, smoothing over the differences:
 * v3's `allOf: [{$ref}]` wrappers, `oneOf` int-or-string and quantity, `#/components/schemas/` references,
 * request bodies, and v2's shared `#/parameters/` entries.
 *
 * @module
 */
import type { ApiModel, Definition, GroupVersionKind, NodeExtensions, Operation, TypeNode } from "./model.ts";
import { SpecSyntaxError } from "./spec-syntax-error.ts";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const METHODS = ["get", "put", "post", "patch", "delete"] as const;

/** Definitions the Kubernetes OpenAPI dialect treats as special scalars, by the last part of their name. */
const QUANTITY = /(^|\.)api\.resource\.Quantity$|^resource\.Quantity$/;
const INT_OR_STRING = /(^|\.)util\.intstr\.IntOrString$|^intstr\.IntOrString$/;

/**
 * Converts one JSON schema object of a spec (or of a CRD's `openAPIV3Schema`) to a {@link TypeNode}.
 *
 * @param schema the schema object
 * @param refName maps a `$ref` string to a definition name
 * @returns the type node
 */
export function convertSchema(schema: unknown, refName: (ref: string) => string): TypeNode {
  if (!isObject(schema)) return { kind: "unknown" };
  const description = typeof schema.description === "string" ? schema.description : undefined;
  const ext = readExtensions(schema);
  const decorate = (node: TypeNode): TypeNode => {
    if (description !== undefined && node.description === undefined) node.description = description;
    if (ext !== undefined) node.ext = { ...node.ext, ...ext };
    return node;
  };
  if (typeof schema.$ref === "string") return decorate({ kind: "ref", ref: refName(schema.$ref) });
  const allOf = Array.isArray(schema.allOf) ? schema.allOf : undefined;
  if (allOf?.length === 1 && isObject(allOf[0]) && typeof allOf[0].$ref === "string" && schema.type === undefined) {
    return decorate({ kind: "ref", ref: refName(allOf[0].$ref) });
  }
  if (schema["x-kubernetes-int-or-string"] === true || schema.format === "int-or-string") {
    return decorate({ kind: "int-or-string" });
  }
  const alternatives = (Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : [])
    .filter(isObject)
    .map((s) => s.type);
  if (schema.type === undefined && alternatives.length === 2) {
    const set = new Set(alternatives);
    if (set.has("integer") && set.has("string")) return decorate({ kind: "int-or-string" });
    if (set.has("number") && set.has("string")) return decorate({ kind: "quantity" });
  }
  switch (schema.type) {
    case "string": {
      const node: TypeNode = { kind: "string" };
      if (typeof schema.format === "string") node.format = schema.format;
      const values = Array.isArray(schema.enum) ? schema.enum.filter((v): v is string => typeof v === "string") : [];
      if (values.length > 0) node.enum = [...new Set(values)];
      return decorate(node);
    }
    case "integer": {
      const node: TypeNode = { kind: "integer" };
      if (typeof schema.format === "string") node.format = schema.format;
      const values = Array.isArray(schema.enum) ? schema.enum.filter((v): v is number => typeof v === "number") : [];
      if (values.length > 0) node.enum = [...new Set(values)];
      return decorate(node);
    }
    case "number": {
      const node: TypeNode = { kind: "number" };
      if (typeof schema.format === "string") node.format = schema.format;
      return decorate(node);
    }
    case "boolean":
      return decorate({ kind: "boolean" });
    case "array":
      return decorate({ kind: "array", items: convertSchema(schema.items, refName) });
    case "object":
    case undefined: {
      const props = isObject(schema.properties) ? schema.properties : undefined;
      if (props !== undefined && Object.keys(props).length > 0) {
        const properties: Record<string, TypeNode> = {};
        for (const key of Object.keys(props)) properties[key] = convertSchema(props[key], refName);
        const required = Array.isArray(schema.required)
          ? schema.required.filter((r): r is string => typeof r === "string" && r in properties)
          : [];
        return decorate({ kind: "object", properties, required });
      }
      const additional = schema.additionalProperties;
      if (isObject(additional) && Object.keys(additional).length > 0) {
        return decorate({ kind: "map", values: convertSchema(additional, refName) });
      }
      if (schema.type === "object" || additional === true || isObject(additional)) {
        return decorate({ kind: "map", values: { kind: "unknown" } });
      }
      return decorate({ kind: "unknown" });
    }
    default:
      return decorate({ kind: "unknown" });
  }
}

function readExtensions(schema: Json): NodeExtensions | undefined {
  const ext: NodeExtensions = {};
  if (typeof schema["x-kubernetes-list-type"] === "string") ext.listType = schema["x-kubernetes-list-type"];
  const keys = schema["x-kubernetes-list-map-keys"];
  if (Array.isArray(keys)) ext.listMapKeys = keys.filter((k): k is string => typeof k === "string");
  if (typeof schema["x-kubernetes-map-type"] === "string") ext.mapType = schema["x-kubernetes-map-type"];
  if (typeof schema["x-kubernetes-patch-strategy"] === "string") {
    ext.patchStrategy = schema["x-kubernetes-patch-strategy"];
  }
  if (typeof schema["x-kubernetes-patch-merge-key"] === "string") {
    ext.patchMergeKey = schema["x-kubernetes-patch-merge-key"];
  }
  if (schema["x-kubernetes-preserve-unknown-fields"] === true) ext.preserveUnknownFields = true;
  if (schema["x-kubernetes-embedded-resource"] === true) ext.embeddedResource = true;
  if (schema.nullable === true) ext.nullable = true;
  return Object.keys(ext).length === 0 ? undefined : ext;
}

function readGvks(value: unknown): GroupVersionKind[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter(isObject).map((g) => ({
    group: typeof g.group === "string" ? g.group : "",
    version: typeof g.version === "string" ? g.version : "",
    kind: typeof g.kind === "string" ? g.kind : "",
  }));
}

/**
 * Reads a parsed OpenAPI v2 or v3 document.
 *
 * @param doc the parsed JSON document
 * @param source file name or URL, for messages
 * @returns definitions and operations
 * @throws {SpecSyntaxError} when the document is neither Swagger 2.0 nor OpenAPI 3.x
 */
export function readOpenApi(doc: unknown, source: string): ApiModel {
  if (!isObject(doc)) throw new SpecSyntaxError("not an OpenAPI document (expected a JSON object)", source);
  const v3 = typeof doc.openapi === "string" && doc.openapi.startsWith("3.");
  const v2 = doc.swagger === "2.0";
  if (!v2 && !v3) {
    const found = typeof doc.swaggerVersion === "string" ? `Swagger ${doc.swaggerVersion}` : "no version field";
    throw new SpecSyntaxError(
      `not an OpenAPI v2 or v3 document (${found}); expected "swagger": "2.0" or "openapi": "3.x"`,
      source,
    );
  }
  const prefix = v3 ? "#/components/schemas/" : "#/definitions/";
  const refName = (ref: string): string => {
    if (ref.startsWith(prefix)) return decodeURIComponent(ref.slice(prefix.length)).replaceAll("~1", "/");
    throw new SpecSyntaxError(`unsupported $ref ${JSON.stringify(ref)} (only ${prefix}… is supported)`, source);
  };
  const schemas = v3 ? (isObject(doc.components) ? doc.components.schemas : undefined) : doc.definitions;
  const definitions = new Map<string, Definition>();
  if (schemas !== undefined && schemas !== null && !isObject(schemas)) {
    throw new SpecSyntaxError(`${v3 ? "components.schemas" : "definitions"} is not an object`, source);
  }
  for (const name of Object.keys(schemas ?? {}).sort()) {
    const schema = (schemas as Json)[name];
    let type: TypeNode;
    if (QUANTITY.test(name)) {
      type = { kind: "quantity" };
      if (isObject(schema) && typeof schema.description === "string") type.description = schema.description;
    } else if (INT_OR_STRING.test(name)) {
      type = { kind: "int-or-string" };
      if (isObject(schema) && typeof schema.description === "string") type.description = schema.description;
    } else {
      type = convertSchema(schema, refName);
    }
    definitions.set(name, {
      name,
      type,
      gvks: isObject(schema) ? readGvks(schema["x-kubernetes-group-version-kind"]) : [],
    });
  }
  const operations: Operation[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  const sharedParameters = isObject(doc.parameters) ? doc.parameters : {};
  const schemaRef = (schema: unknown): string | undefined =>
    isObject(schema) && typeof schema.$ref === "string" && schema.$ref.startsWith(prefix)
      ? refName(schema.$ref)
      : undefined;
  const contentRef = (content: unknown): string | undefined => {
    if (!isObject(content)) return undefined;
    const media = content["application/json"] ?? Object.values(content)[0];
    return isObject(media) ? schemaRef(media.schema) : undefined;
  };
  for (const path of Object.keys(paths).sort()) {
    const item = paths[path];
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const operation: Operation = { path, method };
      if (typeof op["x-kubernetes-action"] === "string") operation.action = op["x-kubernetes-action"];
      const gvk = readGvks(op["x-kubernetes-group-version-kind"])[0];
      if (gvk !== undefined) operation.gvk = gvk;
      const responses = isObject(op.responses) ? op.responses : {};
      for (const code of ["200", "201", "202"]) {
        const r = responses[code];
        if (!isObject(r)) continue;
        const ref = v3 ? contentRef(r.content) : schemaRef(r.schema);
        if (ref !== undefined) {
          operation.responseRef = ref;
          break;
        }
      }
      if (v3) {
        const body = isObject(op.requestBody) ? op.requestBody : undefined;
        const ref = body === undefined ? undefined : contentRef(body.content);
        if (ref !== undefined) operation.bodyRef = ref;
      } else {
        const params = [
          ...(Array.isArray(item.parameters) ? item.parameters : []),
          ...(Array.isArray(op.parameters) ? op.parameters : []),
        ];
        for (const raw of params) {
          let p: unknown = raw;
          if (isObject(p) && typeof p.$ref === "string" && p.$ref.startsWith("#/parameters/")) {
            p = sharedParameters[p.$ref.slice("#/parameters/".length)];
          }
          if (isObject(p) && p.in === "body") {
            const ref = schemaRef(p.schema);
            if (ref !== undefined) operation.bodyRef = ref;
          }
        }
      }
      operations.push(operation);
    }
  }
  return { source, definitions, operations };
}
