/**
 * Writes one group/version module: an interface (or type alias) per definition, with the API's exact JSON names and
 * doc comments, and a descriptor constant per resource, named like its kind. Descriptors are plain object literals
 * so that a bundler keeps only the ones a program uses.
 *
 * @module
 */
import type { Definition, ResourceInfo, TypeNode } from "./model.ts";

/** Where a definition lives: the module path (`core/v1`) and its TypeScript name there. */
export interface Location {
  module: string;
  name: string;
}

/** A resource of a module, with the name of its descriptor constant. */
export interface PlannedResource {
  resource: ResourceInfo;
  /** Name of the descriptor constant (the kind, or a derived name for a second resource of the same kind). */
  constName: string;
}

/** Everything the emitter needs for one module. */
export interface ModuleInput {
  /** Module path such as `core/v1`. */
  path: string;
  /** The generated-file first line (without the `// ` prefix). */
  header: string;
  /** Definitions emitted here, in order. */
  definitions: Definition[];
  resources: PlannedResource[];
  /** Where any referenced definition lives. */
  locate: (definition: string) => Location | undefined;
  /** Import specifier of another module from this one. */
  specifier: (fromModule: string, toModule: string) => string;
  /** Import specifier of the descriptor contract (`ResourceDescriptor`). */
  descriptorSpecifier: string;
  /** One-paragraph module doc. */
  moduleDoc: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Turns a spec description into the text of a doc comment: trimmed, no trailing spaces, no `*\/`, and no line that
 * starts with `@` (which would read as a JSDoc tag).
 *
 * @param text the description
 * @returns the comment text, possibly empty
 */
export function docText(text: string | undefined): string {
  if (text === undefined) return "";
  return text
    .replaceAll("\r\n", "\n")
    .split("\n")
    .map((l) => l.replace(/\s+$/, "").replaceAll("*/", "*\\/"))
    .map((l) => (/^\s*@/.test(l) ? l.replace("@", "\\@") : l))
    .join("\n")
    .trim();
}

function docComment(text: string | undefined, indent: string, tags: string[] = []): string {
  const body = docText(text);
  if (body === "" && tags.length === 0) return "";
  const lines = body === "" ? tags : [...body.split("\n"), ...(tags.length > 0 ? ["", ...tags] : [])];
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`)).join("\n")}\n${indent} */\n`;
}

/** A property key as it must be written in TypeScript. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

class ImportCollector {
  readonly #byModule = new Map<string, Map<string, string>>();
  readonly #localNames: Set<string>;
  readonly #used = new Set<string>();
  constructor(localNames: Set<string>) {
    this.#localNames = localNames;
  }
  /** Returns the identifier to use for `name` of `module`, aliasing it when it collides with a local name. */
  use(module: string, name: string): string {
    let names = this.#byModule.get(module);
    if (names === undefined) {
      names = new Map();
      this.#byModule.set(module, names);
    }
    const existing = names.get(name);
    if (existing !== undefined) return existing;
    let alias = name;
    if (this.#localNames.has(alias) || this.#used.has(alias)) {
      const prefix = module.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase());
      alias = `${prefix.charAt(0).toUpperCase()}${prefix.slice(1)}${name}`;
      for (let i = 2; this.#localNames.has(alias) || this.#used.has(alias); i++) alias = `${alias}${i}`;
    }
    this.#used.add(alias);
    names.set(name, alias);
    return alias;
  }
  render(from: string, specifier: (fromModule: string, toModule: string) => string): string {
    let out = "";
    for (const module of [...this.#byModule.keys()].sort()) {
      const names = this.#byModule.get(module) ?? new Map<string, string>();
      const parts = [...names.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([n, alias]) => (n === alias ? n : `${n} as ${alias}`));
      out += `import type { ${parts.join(", ")} } from ${JSON.stringify(specifier(from, module))};\n`;
    }
    return out;
  }
}

interface Context {
  module: string;
  locate: (definition: string) => Location | undefined;
  imports: ImportCollector;
}

function refName(ref: string, ctx: Context): string {
  const loc = ctx.locate(ref);
  if (loc === undefined) return "unknown";
  return loc.module === ctx.module ? loc.name : ctx.imports.use(loc.module, loc.name);
}

/**
 * The TypeScript type expression of a node.
 *
 * @param node the type node
 * @param ctx module, lookup and imports
 * @param indent indentation of the line the expression starts on
 * @returns the type expression
 */
function typeExpression(node: TypeNode, ctx: Context, indent: string): string {
  const base = baseExpression(node, ctx, indent);
  return node.ext?.nullable === true && base !== "unknown" ? `${base} | null` : base;
}

function baseExpression(node: TypeNode, ctx: Context, indent: string): string {
  switch (node.kind) {
    case "ref":
      return refName(node.ref, ctx);
    case "string":
      return node.enum !== undefined ? node.enum.map((v) => JSON.stringify(v)).join(" | ") : "string";
    case "integer":
      return node.enum !== undefined ? node.enum.map((v) => String(v)).join(" | ") : "number";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "int-or-string":
      return "number | string";
    case "quantity":
      return "string";
    case "unknown":
      return "unknown";
    case "array": {
      const inner = typeExpression(node.items, ctx, indent);
      return /^[\w$.]+$/.test(inner) ? `${inner}[]` : `Array<${inner}>`;
    }
    case "map":
      return `{ [key: string]: ${typeExpression(node.values, ctx, indent)} }`;
    case "union":
      return node.of.map((n) => typeExpression(n, ctx, indent)).join(" | ");
    case "object": {
      const inner = `${indent}  `;
      let out = "{\n";
      out += objectMembers(node, ctx, inner, undefined);
      if (node.ext?.preserveUnknownFields === true) out += `${inner}[key: string]: unknown;\n`;
      return `${out}${indent}}`;
    }
  }
}

function objectMembers(
  node: Extract<TypeNode, { kind: "object" }>,
  ctx: Context,
  indent: string,
  literal: { apiVersion: string; kind: string } | undefined,
): string {
  let out = "";
  const required = new Set(node.required);
  for (const [name, prop] of Object.entries(node.properties)) {
    out += docComment(prop.description, indent);
    let type = typeExpression(prop, ctx, indent);
    if (literal !== undefined && prop.kind === "string" && (name === "apiVersion" || name === "kind")) {
      type = JSON.stringify(literal[name]);
    }
    out += `${indent}${propertyKey(name)}${required.has(name) ? "" : "?"}: ${type};\n`;
  }
  return out;
}

function apiVersionOf(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}

function emitDefinition(def: Definition, name: string, ctx: Context): string {
  let out = docComment(def.type.description, "");
  const gvk = def.gvks.length === 1 ? def.gvks[0] : undefined;
  const literal = gvk === undefined ? undefined : { apiVersion: apiVersionOf(gvk.group, gvk.version), kind: gvk.kind };
  if (def.type.kind === "object") {
    out += `export interface ${name} {\n`;
    out += objectMembers(def.type, ctx, "  ", literal);
    if (def.type.ext?.preserveUnknownFields === true) out += "  [key: string]: unknown;\n";
    out += "}\n";
  } else {
    out += `export type ${name} = ${typeExpression(def.type, ctx, "")};\n`;
  }
  return out;
}

function stringArray(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
}

function emitDescriptor(planned: PlannedResource, ctx: Context, typeNames: Map<string, string>): string {
  const r = planned.resource;
  const objectType =
    r.definition === undefined ? "unknown" : (typeNames.get(r.definition) ?? refName(r.definition, ctx));
  const listType =
    r.listDefinition === undefined ? "never" : (typeNames.get(r.listDefinition) ?? refName(r.listDefinition, ctx));
  const scope = r.namespaced ? "namespaced" : "cluster-scoped";
  let out = `/** The \`${r.plural}\` resource (${scope}, \`${r.apiPath}\`): kind \`${r.kind}\`. */\n`;
  out += `export const ${planned.constName}: ResourceDescriptor<${objectType}, ${listType}> = {\n`;
  out += `  apiVersion: ${JSON.stringify(apiVersionOf(r.group, r.version))},\n`;
  out += `  group: ${JSON.stringify(r.group)},\n`;
  out += `  version: ${JSON.stringify(r.version)},\n`;
  out += `  kind: ${JSON.stringify(r.kind)},\n`;
  out += `  plural: ${JSON.stringify(r.plural)},\n`;
  if (r.singular !== undefined) out += `  singular: ${JSON.stringify(r.singular)},\n`;
  out += `  namespaced: ${r.namespaced},\n`;
  out += `  verbs: ${stringArray(r.verbs)},\n`;
  out += `  subresources: ${stringArray(r.subresources)},\n`;
  out += `  listKind: ${JSON.stringify(r.listKind)},\n`;
  if (r.shortNames !== undefined && r.shortNames.length > 0) out += `  shortNames: ${stringArray(r.shortNames)},\n`;
  if (r.categories !== undefined && r.categories.length > 0) out += `  categories: ${stringArray(r.categories)},\n`;
  out += `  apiPath: ${JSON.stringify(r.apiPath)},\n`;
  out += "};\n";
  return out;
}

/**
 * Writes the text of one module.
 *
 * @param input the module's definitions, resources and lookups
 * @returns the TypeScript source
 */
export function emitModule(input: ModuleInput): string {
  const localNames = new Set<string>();
  for (const def of input.definitions) {
    const loc = input.locate(def.name);
    if (loc !== undefined) localNames.add(loc.name);
  }
  for (const r of input.resources) localNames.add(r.constName);
  const imports = new ImportCollector(localNames);
  const ctx: Context = { module: input.path, locate: input.locate, imports };
  let body = "";
  for (const def of input.definitions) {
    const loc = input.locate(def.name);
    if (loc === undefined) continue;
    body += `\n${emitDefinition(def, loc.name, ctx)}`;
  }
  // A descriptor whose object type lives in another module gets a local type alias of the same name, so that the
  // name is both the type and the value here too.
  const typeNames = new Map<string, string>();
  for (const planned of input.resources) {
    const def = planned.resource.definition;
    if (def === undefined) continue;
    const loc = input.locate(def);
    if (loc !== undefined && loc.module !== input.path && loc.name === planned.constName) {
      const alias = refName(def, ctx);
      body += `\n/** \`${planned.resource.kind}\` of \`${loc.module}\`, served under \`${planned.resource.apiPath}\`. */\n`;
      body += `export type ${planned.constName} = ${alias};\n`;
      typeNames.set(def, planned.constName);
    }
  }
  for (const planned of input.resources) body += `\n${emitDescriptor(planned, ctx, typeNames)}`;
  let head = `// ${input.header}\n`;
  head += docComment(input.moduleDoc, "", ["@module"]);
  if (input.resources.length > 0)
    head += `import type { ResourceDescriptor } from ${JSON.stringify(input.descriptorSpecifier)};\n`;
  head += imports.render(input.path, input.specifier);
  return `${head}${body}`;
}
