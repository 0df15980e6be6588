/**
 * Writes the two data modules: the structural schema (`schema.ts`, for patch engines and validation) and the catalog
 * of every descriptor (`catalog.ts`).
 *
 * @module
 */
import type { Definition, NodeExtensions, TypeNode } from "./model.ts";

type SchemaJson = Record<string, unknown>;

function extensions(ext: NodeExtensions | undefined): SchemaJson {
  const out: SchemaJson = {};
  if (ext === undefined) return out;
  if (ext.listType !== undefined) out.listType = ext.listType;
  if (ext.listMapKeys !== undefined) out.listMapKeys = ext.listMapKeys;
  if (ext.mapType !== undefined) out.mapType = ext.mapType;
  if (ext.patchStrategy !== undefined) out.patchStrategy = ext.patchStrategy;
  if (ext.patchMergeKey !== undefined) out.patchMergeKey = ext.patchMergeKey;
  if (ext.preserveUnknownFields === true) out.preserveUnknownFields = true;
  if (ext.embeddedResource === true) out.embeddedResource = true;
  if (ext.nullable === true) out.nullable = true;
  return out;
}

/**
 * Converts a type node to the structural schema's JSON shape (`SchemaNode` of `src/structural-schema.ts`).
 *
 * @param node the type node
 * @param rename maps a referenced definition to its key in the schema
 * @returns the JSON value
 */
export function schemaNode(node: TypeNode, rename: (ref: string) => string): SchemaJson {
  const ext = extensions(node.ext);
  switch (node.kind) {
    case "ref":
      return { type: "ref", ref: rename(node.ref), ...ext };
    case "string":
      return {
        type: "string",
        ...(node.format === undefined ? {} : { format: node.format }),
        ...(node.enum === undefined ? {} : { enum: node.enum }),
        ...ext,
      };
    case "integer":
    case "number":
      return { type: node.kind, ...(node.format === undefined ? {} : { format: node.format }), ...ext };
    case "boolean":
    case "int-or-string":
    case "quantity":
      return { type: node.kind, ...ext };
    case "unknown":
      return { type: "any", ...ext };
    case "array":
      return { type: "array", items: schemaNode(node.items, rename), ...ext };
    case "map":
      return { type: "map", values: schemaNode(node.values, rename), ...ext };
    case "union":
      return { type: "oneOf", of: node.of.map((n) => schemaNode(n, rename)), ...ext };
    case "object": {
      const properties: SchemaJson = {};
      for (const [k, v] of Object.entries(node.properties)) properties[k] = schemaNode(v, rename);
      return {
        type: "object",
        properties,
        ...(node.required.length === 0 ? {} : { required: node.required }),
        ...ext,
      };
    }
  }
}

/** Input of {@link emitSchemaModule}. */
export interface SchemaModuleInput {
  header: string;
  /** Definitions keyed by the name they get in the schema. */
  definitions: Map<string, Definition>;
  /** Maps an input definition name to its schema key. */
  rename: (ref: string) => string;
  /** Legacy `/oapi/v1` kinds → schema key. */
  legacyKinds: Map<string, string>;
  /** Import specifier of `structural-schema.ts`. */
  structuralSpecifier: string;
}

/**
 * Writes `schema.ts`: the data as one JSON string (parsed once on first import; cheaper for the compiler and the
 * engine than a large object literal) plus the accessors.
 *
 * @param input definitions and names
 * @returns the module text
 */
export function emitSchemaModule(input: SchemaModuleInput): string {
  const definitions: SchemaJson = {};
  const kinds: Record<string, Record<string, string>> = {};
  for (const key of [...input.definitions.keys()].sort()) {
    const def = input.definitions.get(key);
    if (def === undefined) continue;
    definitions[key] = schemaNode(def.type, input.rename);
    if (key.startsWith("oapi.")) continue;
    for (const gvk of def.gvks) {
      const apiVersion = gvk.group === "" ? gvk.version : `${gvk.group}/${gvk.version}`;
      const byKind = kinds[apiVersion] ?? {};
      kinds[apiVersion] = byKind;
      // Several definitions may claim one kind (meta.v1 types list every group); the first, in name order, wins.
      byKind[gvk.kind] ??= key;
    }
  }
  const sortedKinds: Record<string, Record<string, string>> = {};
  for (const apiVersion of Object.keys(kinds).sort()) {
    const byKind = kinds[apiVersion] ?? {};
    sortedKinds[apiVersion] = Object.fromEntries(
      Object.keys(byKind)
        .sort()
        .map((k) => [k, byKind[k] ?? ""]),
    );
  }
  const legacyKinds = Object.fromEntries([...input.legacyKinds.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  const data = JSON.stringify({ definitions, kinds: sortedKinds, legacyKinds });
  return `// ${input.header}
/**
 * The structural schema of every generated definition (no descriptions): property types, required fields, and the
 * list/map/patch extensions that strategic merge patch, server-side apply and strict field validation need.
 * The shape is documented in \`StructuralSchema\`.
 *
 * @example
 * \`\`\`ts
 * import { definitionNameOf, fieldOf, schema } from "@kubeshift/types/schema";
 * const name = definitionNameOf(schema, "apps/v1", "Deployment"); // "io.k8s.api.apps.v1.Deployment"
 * \`\`\`
 *
 * @module
 */
import type { StructuralSchema } from ${JSON.stringify(input.structuralSpecifier)};

export {
  type DefinitionLookupOptions,
  definitionNameOf,
  fieldOf,
  listMergeStrategy,
  resolveNode,
  type SchemaNode,
  type StructuralSchema,
} from ${JSON.stringify(input.structuralSpecifier)};

/** The structural schema of every definition of \`@kubeshift/types\`. */
export const schema: StructuralSchema = JSON.parse(${JSON.stringify(data)});
`;
}

/** One descriptor of the catalog. */
export interface CatalogEntry {
  module: string;
  constName: string;
  source: string;
}

/**
 * Writes `catalog.ts`: arrays of every descriptor per source and an index over them.
 *
 * @param header the generated-file line
 * @param entries the descriptors, in order
 * @param specifier import specifier of a module from the catalog
 * @param indexSpecifier import specifier of `resource-index.ts`
 * @param descriptorSpecifier import specifier of `descriptor.ts`
 * @returns the module text
 */
export function emitCatalogModule(
  header: string,
  entries: CatalogEntry[],
  specifier: (module: string) => string,
  indexSpecifier: string,
  descriptorSpecifier: string,
): string {
  const modules = [...new Set(entries.map((e) => e.module))].sort();
  const alias = (m: string): string => m.replace(/[^A-Za-z0-9]+/g, "_");
  let out = `// ${header}
/**
 * Every generated descriptor, by source, and an index over them: Kubernetes 1.34 (\`kubernetesResources\`), the
 * OpenShift \`*.openshift.io\` groups (\`openshiftResources\`) and the legacy OpenShift 3.x \`/oapi/v1\` API
 * (\`legacyOpenshiftResources\`). Importing this module pulls in every descriptor; import a group/version module
 * when one kind is all you need.
 *
 * @example
 * \`\`\`ts
 * import { catalog } from "@kubeshift/types/catalog";
 * catalog.byKind("apps/v1", "Deployment")?.plural; // "deployments"
 * \`\`\`
 *
 * @module
 */
import type { ResourceDescriptor } from ${JSON.stringify(descriptorSpecifier)};
import { createResourceIndex, type ResourceIndex } from ${JSON.stringify(indexSpecifier)};
`;
  for (const m of modules) out += `import * as ${alias(m)} from ${JSON.stringify(specifier(m))};\n`;
  out += `\nexport type { FindByKindOptions, ResourceIndex, ResourceSource } from ${JSON.stringify(indexSpecifier)};\n`;
  const sources = [
    [
      "kubernetes",
      "kubernetesResources",
      "Kubernetes 1.34 resources (core and every built-in group, alpha and beta included).",
    ],
    ["openshift", "openshiftResources", "OpenShift `*.openshift.io` resources."],
    ["openshift-legacy", "legacyOpenshiftResources", "Legacy OpenShift 3.x resources under `/oapi/v1` (origin 1.5)."],
  ] as const;
  for (const [source, name, doc] of sources) {
    const list = entries.filter((e) => e.source === source);
    out += `\n/** ${doc} */\nexport const ${name}: readonly ResourceDescriptor[] = [\n`;
    for (const e of list) out += `  ${alias(e.module)}.${e.constName},\n`;
    out += "];\n";
  }
  out += `
/** Every generated descriptor: Kubernetes, then OpenShift, then legacy OpenShift. */
export const resources: readonly ResourceDescriptor[] = [
  ...kubernetesResources,
  ...openshiftResources,
  ...legacyOpenshiftResources,
];

/** Lookups over {@link resources}; \`catalog.sourceOf(d)\` tells which of the three lists a descriptor is in. */
export const catalog: ResourceIndex = createResourceIndex({
  kubernetes: kubernetesResources,
  openshift: openshiftResources,
  "openshift-legacy": legacyOpenshiftResources,
});
`;
  return out;
}
