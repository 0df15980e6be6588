/**
 * Generates modules for a user's API (an OpenAPI document of a cluster or an aggregated API server, or CRDs), in the
 * same shape as the built-in modules. Definitions `@kubeshift/types` already has (ObjectMeta, PodSpec, …) are
 * imported from it, never copied.
 *
 * @module
 */
import { emitModule, type Location, type PlannedResource } from "./emit-typescript.ts";
import type { Definition, ResourceInfo } from "./model.ts";
import { assignNames, moduleOfApiPath, moduleOfDefinition, packageGroupsOf } from "./naming.ts";

/** The definitions and resources `@kubeshift/types` already provides. */
export interface Builtins {
  /** Definition name → module and TypeScript name. */
  locations: ReadonlyMap<string, Location>;
  /** `"<apiPath> <plural>"` of every built-in descriptor. */
  resources: ReadonlySet<string>;
}

/**
 * Computes where the built-in definitions live, from the definition names of `@kubeshift/types/schema` and the
 * same naming rules the built-in generator applies.
 *
 * @param definitionNames every definition name of the structural schema
 * @param resourceKeys `"<apiPath> <plural>"` of every catalog descriptor
 * @returns the built-ins
 */
export function builtinsFrom(definitionNames: Iterable<string>, resourceKeys: Iterable<string>): Builtins {
  const modules = new Map<string, string>();
  for (const name of definitionNames) {
    const module = moduleOfDefinition(name, new Map());
    if (module !== undefined) modules.set(name, module);
  }
  const names = assignNames(modules);
  const locations = new Map<string, Location>();
  for (const [name, module] of modules) locations.set(name, { module, name: names.get(name) ?? name });
  return { locations, resources: new Set(resourceKeys) };
}

/** Input of {@link generateModules}. */
export interface GenerateModulesInput {
  definitions: ReadonlyMap<string, Definition>;
  resources: readonly ResourceInfo[];
  /** The first line of every file (without `// `). */
  header: string;
  builtins: Builtins;
}

/** Output of {@link generateModules}. */
export interface GeneratedModules {
  /** Path relative to the output folder (`example.com/v1.ts`) → text. */
  files: Map<string, string>;
  /** Definitions that could not be placed in a module, and why. */
  skipped: string[];
}

const fallbackModule = (name: string): string | undefined => {
  const parts = name.split(".");
  if (parts.length < 3) return undefined;
  const version = parts[parts.length - 2] ?? "";
  const pkg = parts.slice(0, -2).join(".");
  return /^v\d+((alpha|beta)\d+)?$/.test(version) ? `${pkg}/${version}` : undefined;
};

/**
 * Generates one module per group/version of the input, skipping what `@kubeshift/types` already has.
 *
 * @param input definitions, resources, header and built-ins
 * @returns the files and the definitions that were skipped
 */
export function generateModules(input: GenerateModulesInput): GeneratedModules {
  const skipped: string[] = [];
  const own = new Map<string, string>();
  const packageGroups = packageGroupsOf(input.definitions.values());
  for (const name of [...input.definitions.keys()].sort()) {
    if (input.builtins.locations.has(name)) continue;
    const module = moduleOfDefinition(name, packageGroups) ?? fallbackModule(name);
    if (module === undefined) {
      skipped.push(`${name}: its name says neither group nor version`);
      continue;
    }
    own.set(name, module);
  }
  const names = assignNames(own);
  const locate = (name: string): Location | undefined => {
    const builtin = input.builtins.locations.get(name);
    if (builtin !== undefined) return { module: `@kubeshift/types/${builtin.module}`, name: builtin.name };
    const module = own.get(name);
    const tsName = names.get(name);
    return module === undefined || tsName === undefined ? undefined : { module, name: tsName };
  };
  const defsByModule = new Map<string, Definition[]>();
  for (const [name, module] of own) {
    const list = defsByModule.get(module) ?? [];
    const def = input.definitions.get(name);
    if (def !== undefined) list.push(def);
    defsByModule.set(module, list);
  }
  const resourcesByModule = new Map<string, PlannedResource[]>();
  for (const r of input.resources) {
    if (input.builtins.resources.has(`${r.apiPath} ${r.plural}`)) continue;
    const module = moduleOfApiPath(r.apiPath);
    const list = resourcesByModule.get(module) ?? [];
    const taken = new Set(list.map((p) => p.constName));
    let constName = r.kind;
    if (taken.has(constName)) constName = `${constName}${r.plural.charAt(0).toUpperCase()}${r.plural.slice(1)}`;
    list.push({ resource: r, constName });
    resourcesByModule.set(module, list);
  }
  const files = new Map<string, string>();
  for (const module of [...new Set([...defsByModule.keys(), ...resourcesByModule.keys()])].sort()) {
    const depth = module.split("/").length;
    const up = "../".repeat(depth - 1);
    files.set(
      `${module}.ts`,
      emitModule({
        path: module,
        header: input.header,
        definitions: defsByModule.get(module) ?? [],
        resources: resourcesByModule.get(module) ?? [],
        locate,
        specifier: (_from, to) => (to.startsWith("@kubeshift/") ? to : `${up === "" ? "./" : up}${to}.ts`),
        descriptorSpecifier: "@kubeshift/types",
        moduleDoc: `Types and resource descriptors of \`${module}\`. Each resource's descriptor has the name of its kind, so that \`Kind\` is both the interface and the value.`,
      }),
    );
  }
  return { files, skipped };
}
