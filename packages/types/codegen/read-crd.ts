/**
 * Reads apiextensions.k8s.io/v1 CustomResourceDefinitions (a multi-document YAML or JSON file) into the generator's
 * model: one definition per served version's kind (nested objects become named definitions: `WidgetSpec`,
 * `WidgetSpecTemplate`, …), a list definition, and the resource as discovery would describe it.
 *
 * @module
 */

import type { Definition, ResourceInfo, TypeNode } from "./model.ts";
import { convertSchema } from "./read-openapi.ts";
import { SpecSyntaxError } from "./spec-syntax-error.ts";

/** What the CRDs of one file describe. */
export interface CrdModel {
  definitions: Map<string, Definition>;
  resources: ResourceInfo[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/** `example.com` → `com.example`: the package prefix the apiextensions server gives CRD schemas. */
export function crdPackage(group: string, version: string): string {
  return `${group.split(".").reverse().join(".")}.${version}`;
}

const pascal = (s: string): string =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== "")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");

/** Moves nested objects with properties out into named definitions, depth first, so every name is stable. */
function hoist(node: TypeNode, name: string, pkg: string, out: Map<string, Definition>): TypeNode {
  switch (node.kind) {
    case "object": {
      const properties: Record<string, TypeNode> = {};
      for (const [key, value] of Object.entries(node.properties)) {
        properties[key] = hoistChild(value, `${name}${pascal(key)}`, pkg, out);
      }
      return { ...node, properties };
    }
    case "array":
      return { ...node, items: hoistChild(node.items, name, pkg, out) };
    case "map":
      return { ...node, values: hoistChild(node.values, name, pkg, out) };
    default:
      return node;
  }
}

function hoistChild(node: TypeNode, name: string, pkg: string, out: Map<string, Definition>): TypeNode {
  if (node.kind !== "object") return hoist(node, name, pkg, out);
  let unique = name;
  for (let i = 2; out.has(`${pkg}.${unique}`); i++) unique = `${name}${i}`;
  const full = `${pkg}.${unique}`;
  out.set(full, { name: full, type: { kind: "unknown" }, gvks: [] });
  const { description, ext, ...rest } = node;
  const hoisted = hoist(rest as TypeNode, unique, pkg, out);
  if (description !== undefined) hoisted.description = description;
  out.set(full, { name: full, type: hoisted, gvks: [] });
  const ref: TypeNode = { kind: "ref", ref: full };
  if (description !== undefined) ref.description = description;
  // List/map/patch extensions describe the field, so they stay on the reference; the rest goes with the object.
  if (ext !== undefined) {
    const { preserveUnknownFields, embeddedResource, ...fieldExt } = ext;
    if (Object.keys(fieldExt).length > 0) ref.ext = fieldExt;
    const objectExt = {
      ...(preserveUnknownFields === undefined ? {} : { preserveUnknownFields }),
      ...(embeddedResource === undefined ? {} : { embeddedResource }),
    };
    if (Object.keys(objectExt).length > 0) hoisted.ext = { ...hoisted.ext, ...objectExt };
  }
  return ref;
}

/**
 * Reads the CRDs of parsed YAML/JSON documents.
 *
 * @param documents the parsed documents of the file (non-CRD documents are ignored)
 * @param source file name, for messages
 * @returns definitions and resources of every served version
 * @throws {SpecSyntaxError} when the file holds no apiextensions.k8s.io/v1 CRD, or a CRD lacks its names or schema
 */
export function readCrds(documents: unknown[], source: string): CrdModel {
  const definitions = new Map<string, Definition>();
  const resources: ResourceInfo[] = [];
  let found = 0;
  for (const [index, doc] of documents.entries()) {
    const where = documents.length > 1 ? ` (document ${index + 1})` : "";
    if (isObject(doc) && doc.kind === "CustomResourceDefinition" && doc.apiVersion !== "apiextensions.k8s.io/v1") {
      throw new SpecSyntaxError(
        `${String(doc.apiVersion)} CustomResourceDefinition${where} is not supported; convert it to apiextensions.k8s.io/v1`,
        source,
      );
    }
    if (!isObject(doc) || doc.kind !== "CustomResourceDefinition") continue;
    found++;
    const spec = isObject(doc.spec) ? doc.spec : {};
    const names = isObject(spec.names) ? spec.names : {};
    const group = spec.group;
    const kind = names.kind;
    const plural = names.plural;
    if (typeof group !== "string" || typeof kind !== "string" || typeof plural !== "string") {
      throw new SpecSyntaxError(
        `CustomResourceDefinition${where} lacks spec.group, spec.names.kind or spec.names.plural`,
        source,
      );
    }
    const listKind = typeof names.listKind === "string" ? names.listKind : `${kind}List`;
    for (const version of Array.isArray(spec.versions) ? spec.versions : []) {
      if (!isObject(version) || typeof version.name !== "string" || version.served === false) continue;
      const schema = isObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
      if (!isObject(schema)) {
        throw new SpecSyntaxError(
          `${plural}.${group} version ${version.name}${where} has no schema.openAPIV3Schema`,
          source,
        );
      }
      const pkg = crdPackage(group, version.name);
      const root = convertSchema(schema, (ref) => {
        throw new SpecSyntaxError(`CRD schemas cannot use $ref (found ${JSON.stringify(ref)})`, source);
      });
      const withMeta: TypeNode =
        root.kind === "object"
          ? {
              ...root,
              properties: {
                apiVersion: { kind: "string" },
                kind: { kind: "string" },
                ...root.properties,
                metadata: { kind: "ref", ref: `${META}ObjectMeta` },
              },
            }
          : {
              kind: "object",
              properties: {
                apiVersion: { kind: "string" },
                kind: { kind: "string" },
                metadata: { kind: "ref", ref: `${META}ObjectMeta` },
              },
              required: [],
              ext: { preserveUnknownFields: true },
            };
      const gvk = { group, version: version.name, kind };
      const objectName = `${pkg}.${kind}`;
      definitions.set(objectName, { name: objectName, type: { kind: "unknown" }, gvks: [gvk] });
      definitions.set(objectName, { name: objectName, type: hoist(withMeta, kind, pkg, definitions), gvks: [gvk] });
      const listName = `${pkg}.${listKind}`;
      definitions.set(listName, {
        name: listName,
        type: {
          kind: "object",
          description: `${listKind} is a list of ${kind}.`,
          properties: {
            apiVersion: { kind: "string" },
            items: { kind: "array", items: { kind: "ref", ref: objectName } },
            kind: { kind: "string" },
            metadata: { kind: "ref", ref: `${META}ListMeta` },
          },
          required: ["items"],
        },
        gvks: [{ group, version: version.name, kind: listKind }],
      });
      const subresources = isObject(version.subresources) ? Object.keys(version.subresources).sort() : [];
      const info: ResourceInfo = {
        group,
        version: version.name,
        kind,
        plural,
        singular: typeof names.singular === "string" ? names.singular : kind.toLowerCase(),
        namespaced: spec.scope !== "Cluster",
        verbs: ALL_VERBS,
        subresources,
        definition: objectName,
        listDefinition: listName,
        listKind,
        apiPath: `/apis/${group}/${version.name}`,
      };
      if (strings(names.shortNames).length > 0) info.shortNames = strings(names.shortNames);
      if (strings(names.categories).length > 0) info.categories = strings(names.categories);
      resources.push(info);
    }
  }
  if (found === 0) throw new SpecSyntaxError("no CustomResourceDefinition found", source);
  return { definitions, resources };
}
