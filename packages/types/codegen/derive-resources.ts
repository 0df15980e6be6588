/**
 * Derives REST resources (plural, scope, verbs, subresources, kind, list kind) from the paths of a spec, the way the
 * API server's discovery would report them. Works with and without `x-kubernetes-action` and
 * `x-kubernetes-group-version-kind`, so that it reads Kubernetes 1.5-era specs as well as current ones.
 *
 * @module
 */
import type { ApiModel, Definition, Operation, ResourceInfo } from "./model.ts";

/** One path of a spec, split into its REST meaning. */
export interface ParsedPath {
  apiPath: string;
  group: string;
  version: string;
  watch: boolean;
  namespaced: boolean;
  plural: string;
  /** `collection` (`/pods`), `item` (`/pods/{name}`) or `subresource` (`/pods/{name}/log`). */
  shape: "collection" | "item" | "subresource";
  subresource?: string;
}

const isParam = (s: string | undefined): boolean => /^\{[^}]*\}$/.test(s ?? "");

/**
 * Splits an API path into group, version, scope, plural and subresource.
 *
 * @param path a path of the spec, such as `/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale`
 * @returns the parts, or `undefined` for paths that are not resource paths (discovery roots, `/version`, …)
 */
export function parseResourcePath(path: string): ParsedPath | undefined {
  const segments = path.split("/").filter((s) => s !== "");
  let apiPath: string;
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === "api" && segments[1] !== undefined) {
    [apiPath, group, version, rest] = [`/api/${segments[1]}`, "", segments[1], segments.slice(2)];
  } else if (segments[0] === "oapi" && segments[1] !== undefined) {
    [apiPath, group, version, rest] = [`/oapi/${segments[1]}`, "", segments[1], segments.slice(2)];
  } else if (segments[0] === "apis" && segments[1] !== undefined && segments[2] !== undefined) {
    [apiPath, group, version, rest] = [
      `/apis/${segments[1]}/${segments[2]}`,
      segments[1],
      segments[2],
      segments.slice(3),
    ];
  } else {
    return undefined;
  }
  if (isParam(version) || isParam(group)) return undefined;
  let watch = false;
  if (rest[0] === "watch") {
    watch = true;
    rest = rest.slice(1);
  }
  let namespaced = false;
  if (rest[0] === "namespaces" && rest[1] === "{namespace}" && rest.length >= 3) {
    namespaced = true;
    rest = rest.slice(2);
  }
  const plural = rest[0];
  if (plural === undefined || isParam(plural)) return undefined;
  if (rest.length === 1) return { apiPath, group, version, watch, namespaced, plural, shape: "collection" };
  if (!isParam(rest[1])) return undefined;
  if (rest.length === 2) return { apiPath, group, version, watch, namespaced, plural, shape: "item" };
  const subresource = rest[2];
  if (subresource === undefined || isParam(subresource)) return undefined;
  return { apiPath, group, version, watch, namespaced, plural, shape: "subresource", subresource };
}

function verbOf(parsed: ParsedPath, op: Operation): string | undefined {
  if (parsed.shape === "subresource") return undefined;
  if (parsed.watch) return op.method === "get" ? "watch" : undefined;
  if (parsed.shape === "collection") {
    return { get: "list", post: "create", delete: "deletecollection", put: undefined, patch: undefined }[op.method];
  }
  return { get: "get", put: "update", patch: "patch", delete: "delete", post: "create" }[op.method];
}

const lastSegment = (name: string): string => name.slice(name.lastIndexOf(".") + 1);

interface Accumulator {
  parsed: ParsedPath;
  namespaced: boolean;
  verbs: Set<string>;
  subresources: Set<string>;
  gvkKind?: string;
  itemRef?: string;
  createRef?: string;
  updateRef?: string;
  listRef?: string;
}

/**
 * Derives the resources a spec's paths serve.
 *
 * @param model the spec
 * @param include only resources whose `apiPath` passes (all when left out)
 * @returns resources sorted by apiPath and plural
 */
export function deriveResources(model: ApiModel, include?: (apiPath: string) => boolean): ResourceInfo[] {
  const byKey = new Map<string, Accumulator>();
  for (const op of model.operations) {
    const parsed = parseResourcePath(op.path);
    if (parsed === undefined || (include !== undefined && !include(parsed.apiPath))) continue;
    const key = `${parsed.apiPath} ${parsed.plural}`;
    let acc = byKey.get(key);
    if (acc === undefined) {
      acc = { parsed, namespaced: false, verbs: new Set(), subresources: new Set() };
      byKey.set(key, acc);
    }
    if (parsed.namespaced) acc.namespaced = true;
    if (parsed.shape === "subresource" && parsed.subresource !== undefined) {
      acc.subresources.add(parsed.subresource);
      continue;
    }
    const verb = verbOf(parsed, op);
    if (verb !== undefined) acc.verbs.add(verb);
    if (parsed.watch) continue;
    if (op.gvk !== undefined && acc.gvkKind === undefined) acc.gvkKind = op.gvk.kind;
    if (parsed.shape === "item" && op.method === "get" && op.responseRef !== undefined) acc.itemRef = op.responseRef;
    if (parsed.shape === "item" && op.method === "put" && op.bodyRef !== undefined) acc.updateRef = op.bodyRef;
    const created = op.bodyRef ?? op.responseRef;
    if (parsed.shape === "collection" && op.method === "post" && created !== undefined) acc.createRef ??= created;
    if (parsed.shape === "collection" && op.method === "get" && op.responseRef !== undefined) {
      acc.listRef = op.responseRef;
    }
  }
  const resources: ResourceInfo[] = [];
  for (const acc of byKey.values()) {
    // A path that only has subresources (or only watch paths) is not a resource of its own.
    if (acc.verbs.size === 0 || [...acc.verbs].every((v) => v === "watch")) continue;
    const listDefinition = acc.listRef;
    const definition =
      acc.itemRef ?? acc.createRef ?? acc.updateRef ?? itemOfList(model.definitions.get(listDefinition ?? ""));
    const kind =
      acc.gvkKind ?? (definition !== undefined ? kindOf(model.definitions.get(definition), definition) : undefined);
    if (kind === undefined) continue;
    const info: ResourceInfo = {
      group: acc.parsed.group,
      version: acc.parsed.version,
      kind,
      plural: acc.parsed.plural,
      namespaced: acc.namespaced,
      verbs: [...acc.verbs].sort(),
      subresources: [...acc.subresources].sort(),
      listKind:
        listDefinition !== undefined ? kindOf(model.definitions.get(listDefinition), listDefinition) : `${kind}List`,
      apiPath: acc.parsed.apiPath,
    };
    if (definition !== undefined) info.definition = definition;
    if (listDefinition !== undefined) info.listDefinition = listDefinition;
    resources.push(info);
  }
  return resources.sort((a, b) =>
    a.apiPath === b.apiPath ? (a.plural < b.plural ? -1 : 1) : a.apiPath < b.apiPath ? -1 : 1,
  );
}

function kindOf(def: Definition | undefined, name: string): string {
  const gvk = def?.gvks.length === 1 ? def.gvks[0] : undefined;
  return gvk?.kind ?? lastSegment(name);
}

function itemOfList(def: Definition | undefined): string | undefined {
  if (def?.type.kind !== "object") return undefined;
  const items = def.type.properties.items;
  return items?.kind === "array" && items.items.kind === "ref" ? items.items.ref : undefined;
}
