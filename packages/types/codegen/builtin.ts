/**
 * Assembles the built-in modules of `@kubeshift/types` from the shared specs: Kubernetes 1.34, the OpenShift
 * `*.openshift.io` groups (types from openshift/api 4.21, resources from the origin 2019 paths, the
 * openshift-apiserver and oauth-apiserver discovery, and openshift/api's CRD manifests) and the legacy OpenShift 3.x
 * `/oapi/v1` API (origin 1.5.1). Every choice between sources is recorded as a {@link SourceNote}.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deriveResources } from "./derive-resources.ts";
import { type CatalogEntry, emitCatalogModule, emitSchemaModule } from "./emit-data.ts";
import { emitModule, type Location, type PlannedResource } from "./emit-typescript.ts";
import type { ApiModel, Definition, ResourceInfo, TypeNode } from "./model.ts";
import {
  assignNames,
  META_MODULE,
  moduleOfApiPath,
  moduleOfDefinition,
  OPENSHIFT_PACKAGE_GROUPS,
  packageGroupsOf,
} from "./naming.ts";
import { type DiscoveredResource, readAggregatedDiscovery } from "./read-discovery.ts";
import { readOpenApi } from "./read-openapi.ts";
import { loadRecordedDiscovery } from "./recorded-discovery.ts";

/** Where the inputs are. */
export interface BuiltinInputs {
  /** `shared/specs`. */
  specsDir: string;
  /** `shared/fixtures`. */
  fixturesDir: string;
  /** `packages/types/codegen/data`. */
  dataDir: string;
}

/** One decision between sources, for the README table. */
export interface SourceNote {
  /** Resource or type it concerns (`build.openshift.io/v1 builds`). */
  subject: string;
  /** Field, such as `verbs`. */
  field: string;
  /** What each source says. */
  sources: string;
  /** What was generated. */
  choice: string;
}

/** The generated files and the record of choices. */
export interface BuiltinOutput {
  /** Path relative to `src/generated/` → file text. */
  files: Map<string, string>;
  notes: SourceNote[];
  /** Number of resources (descriptors) and definitions per source. */
  counts: Record<string, { resources: number; definitions: number; modules: number }>;
}

/** The command that regenerates the built-in modules; written into every generated file. */
export const REGENERATE = "npm run generate -w @kubeshift/types";

const OPENSHIFT_CRD_DATA = "openshift-api-crd-resources.json";

type Source = "kubernetes" | "openshift" | "openshift-legacy";

/** OpenShift packages of openapi.json that are configuration files or samples, not served resources. */
const SKIPPED_OPENSHIFT_PACKAGES = [
  "example",
  "kubecontrolplane",
  "legacyconfig",
  "openshiftcontrolplane",
  "osin",
  "servicecertsigner",
];

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

function mapRefs(node: TypeNode, rename: (ref: string) => string): TypeNode {
  switch (node.kind) {
    case "ref":
      return { ...node, ref: rename(node.ref) };
    case "array":
      return { ...node, items: mapRefs(node.items, rename) };
    case "map":
      return { ...node, values: mapRefs(node.values, rename) };
    case "union":
      return { ...node, of: node.of.map((n) => mapRefs(n, rename)) };
    case "object": {
      const properties: Record<string, TypeNode> = {};
      for (const [k, v] of Object.entries(node.properties)) properties[k] = mapRefs(v, rename);
      return { ...node, properties };
    }
    default:
      return node;
  }
}

function replaceEmptyRefs(node: TypeNode): TypeNode {
  switch (node.kind) {
    case "ref":
      return node.ref === ""
        ? { kind: "unknown", ...(node.description === undefined ? {} : { description: node.description }) }
        : node;
    case "array":
      return { ...node, items: replaceEmptyRefs(node.items) };
    case "map":
      return { ...node, values: replaceEmptyRefs(node.values) };
    case "union":
      return { ...node, of: node.of.map(replaceEmptyRefs) };
    case "object": {
      const properties: Record<string, TypeNode> = {};
      for (const [k, v] of Object.entries(node.properties)) properties[k] = replaceEmptyRefs(v);
      return { ...node, properties };
    }
    default:
      return node;
  }
}

function refsOf(node: TypeNode, out: Set<string>): void {
  switch (node.kind) {
    case "ref":
      out.add(node.ref);
      return;
    case "array":
      refsOf(node.items, out);
      return;
    case "map":
      refsOf(node.values, out);
      return;
    case "union":
      for (const n of node.of) refsOf(n, out);
      return;
    case "object":
      for (const v of Object.values(node.properties)) refsOf(v, out);
      return;
    default:
      return;
  }
}

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  (a ?? []).join(",") === (b ?? []).join(",");
const list = (a: readonly string[] | undefined): string => (a === undefined || a.length === 0 ? "—" : a.join(", "));

function isKindShaped(def: Definition): boolean {
  return (
    def.type.kind === "object" &&
    ["apiVersion", "kind", "metadata"].every((p) => p in (def.type as { properties: object }).properties)
  );
}

/** Short names and categories of a discovery entry copied onto a resource. */
function applyNames(r: ResourceInfo, d: DiscoveredResource): void {
  if (d.shortNames !== undefined) r.shortNames = [...d.shortNames];
  if (d.categories !== undefined) r.categories = [...d.categories];
}

/**
 * Builds every built-in module.
 *
 * @param inputs the shared folders and the codegen data folder
 * @returns files, notes and counts
 */
export function generateBuiltins(inputs: BuiltinInputs): BuiltinOutput {
  const notes: SourceNote[] = [];
  const spec = (p: string): string => join(inputs.specsDir, p);
  const K8S = "kubernetes/v1.34/swagger.json";
  const OS421 = "openshift/api-release-4.21/openapi.json";
  const OS2019 = "openshift/origin-master-2019/openshift-openapi-spec.json";
  const OAUTH = "openshift/oauth-apiserver/swagger.json";
  const OAUTH_DISCOVERY = "openshift/oauth-apiserver/discovery/aggregated_v2.json";
  const LEGACY = "openshift/origin-v1.5.1/openshift-openapi-spec.json";
  const OSAPI_DISCOVERY = "codegen/data/openshift-apiserver-aggregated-discovery.json";

  const kube = readOpenApi(readJson(spec(K8S)), K8S);
  const os421 = readOpenApi(readJson(spec(OS421)), OS421);
  const os2019 = readOpenApi(readJson(spec(OS2019)), OS2019);
  const oauth = readOpenApi(readJson(spec(OAUTH)), OAUTH);
  const legacy = readOpenApi(readJson(spec(LEGACY)), LEGACY);

  // ---- definitions ---------------------------------------------------------------------------------------------
  const defs = new Map<string, Definition>();
  const sourceOfDef = new Map<string, string>();
  for (const [name, def] of kube.definitions) {
    defs.set(name, def);
    sourceOfDef.set(name, K8S);
  }
  // openapi.json carries the apimachinery v0.34.1 types the served spec leaves out (Table, PartialObjectMetadata,
  // the *Options kinds) and k8s.io/api types that are inlined on the wire (VolumeSource, PodLogOptions, …).
  const internalOnly = /^io\.k8s\.apimachinery\.pkg\.(runtime\.(TypeMeta|Unknown)|api\.resource\.int64Amount)$/;
  const addedFromOs: string[] = [];
  for (const [name, def] of os421.definitions) {
    if (name.startsWith("io.k8s.") && !defs.has(name) && !internalOnly.test(name)) {
      defs.set(name, def);
      sourceOfDef.set(name, OS421);
      addedFromOs.push(name);
    }
  }
  notes.push({
    subject: "meta/v1, core/v1",
    field: "definitions",
    sources: `${K8S} lacks ${addedFromOs.length} k8s.io types that ${OS421} (k8s.io/api and apimachinery v0.34.1) has`,
    choice: `added from ${OS421}: ${addedFromOs.map((n) => n.slice(n.lastIndexOf(".") + 1)).join(", ")}`,
  });
  for (const [name, def] of os421.definitions) {
    if (!name.startsWith("com.github.openshift.api.")) continue;
    const pkg = name.split(".")[4] ?? "";
    if (SKIPPED_OPENSHIFT_PACKAGES.includes(pkg) || OPENSHIFT_PACKAGE_GROUPS[pkg] === undefined) continue;
    const version = name.split(".")[5] ?? "";
    // openapi.json has no x-kubernetes-group-version-kind: a definition shaped like an object gets its GVK from its
    // package, so that its apiVersion and kind are typed as literals and it appears in the schema's kind map.
    const withGvk = isKindShaped(def)
      ? {
          ...def,
          gvks: [{ group: OPENSHIFT_PACKAGE_GROUPS[pkg] ?? "", version, kind: name.slice(name.lastIndexOf(".") + 1) }],
        }
      : def;
    defs.set(name, withGvk);
    sourceOfDef.set(name, OS421);
  }
  // The v2 spec leaves the apiextensions "or" types untyped; they are unions on the wire.
  const ext = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";
  const props: TypeNode = { kind: "ref", ref: `${ext}JSONSchemaProps` };
  const overrides: Record<string, TypeNode> = {
    JSONSchemaPropsOrArray: { kind: "union", of: [props, { kind: "array", items: props }] },
    JSONSchemaPropsOrBool: { kind: "union", of: [props, { kind: "boolean" }] },
    JSONSchemaPropsOrStringArray: { kind: "union", of: [props, { kind: "array", items: { kind: "string" } }] },
  };
  for (const [short, type] of Object.entries(overrides)) {
    const def = defs.get(`${ext}${short}`);
    if (def !== undefined) {
      const description = def.type.description;
      defs.set(def.name, { ...def, type: description === undefined ? type : { ...type, description } });
    }
  }

  // openapi-gen writes Go's interface{} as `type: object`; Table cells are strings, numbers, booleans on the wire.
  const tableRow = defs.get("io.k8s.apimachinery.pkg.apis.meta.v1.TableRow");
  if (tableRow?.type.kind === "object" && tableRow.type.properties.cells?.kind === "array") {
    const cells = tableRow.type.properties.cells;
    tableRow.type.properties.cells = { ...cells, items: { kind: "unknown" } };
    notes.push({
      subject: "meta/v1 TableRow",
      field: "cells",
      sources: `${OS421}: array of \`type: object\` (openapi-gen's rendering of Go's []interface{})`,
      choice: "array of `unknown`: cells are strings, numbers and booleans on the wire",
    });
  }

  // Legacy /oapi/v1: OpenShift's own types become oapi.v1.<Name>; Kubernetes 1.5 types map onto their 1.34 names.
  const legacyRename = legacyNameMap(legacy, defs);
  const legacyRoots = new Set<string>();
  for (const op of legacy.operations) {
    if (!op.path.startsWith("/oapi/")) continue;
    for (const ref of [op.responseRef, op.bodyRef]) if (ref !== undefined) legacyRoots.add(ref);
  }
  const legacyLocal = new Set<string>();
  const pending = [...legacyRoots];
  while (pending.length > 0) {
    const name = pending.pop() ?? "";
    const target = legacyRename.get(name);
    if (target === undefined || !target.startsWith("oapi.") || legacyLocal.has(name)) continue;
    legacyLocal.add(name);
    const def = legacy.definitions.get(name);
    if (def === undefined) continue;
    const refs = new Set<string>();
    refsOf(def.type, refs);
    pending.push(...refs);
  }
  const renameLegacy = (ref: string): string => legacyRename.get(ref) ?? ref;
  for (const name of [...legacyLocal].sort()) {
    const def = legacy.definitions.get(name);
    const target = legacyRename.get(name);
    if (def === undefined || target === undefined) continue;
    const local: Definition = { name: target, type: mapRefs(def.type, renameLegacy), gvks: [] };
    // Request and response bodies of /oapi/v1 are kinds even without metadata (the review kinds).
    if (isKindShaped(local) || legacyRoots.has(name)) {
      local.gvks = [{ group: "", version: "v1", kind: target.slice(target.lastIndexOf(".") + 1) }];
    }
    defs.set(target, local);
    sourceOfDef.set(target, LEGACY);
  }

  // A reference to a definition the spec does not have (openapi.json omits a few) becomes `unknown`.
  const dangling = new Map<string, string[]>();
  for (const [name, def] of defs) {
    let changed = false;
    const type = mapRefs(def.type, (ref) => {
      if (defs.has(ref)) return ref;
      changed = true;
      dangling.set(ref, [...(dangling.get(ref) ?? []), name]);
      return "";
    });
    if (changed) defs.set(name, { ...def, type: replaceEmptyRefs(type) });
  }
  for (const [ref, users] of [...dangling].sort()) {
    notes.push({
      subject: ref,
      field: "definition",
      sources: `referenced by ${users.sort().join(", ")}, defined in no input`,
      choice: "typed `unknown` (`any` in the structural schema)",
    });
  }

  // ---- modules and names -----------------------------------------------------------------------------------------
  const packageGroups = packageGroupsOf(defs.values());
  const moduleOf = new Map<string, string>();
  for (const name of defs.keys()) {
    const module = moduleOfDefinition(name, packageGroups);
    if (module === undefined) throw new Error(`no module for definition ${name}`);
    moduleOf.set(name, module);
  }
  const names = assignNames(moduleOf);
  const locate = (name: string): Location | undefined => {
    const module = moduleOf.get(name);
    const tsName = names.get(name);
    return module === undefined || tsName === undefined ? undefined : { module, name: tsName };
  };

  // ---- resources -------------------------------------------------------------------------------------------------
  const recorded120 = loadRecordedDiscovery(join(inputs.fixturesDir, "kubernetes-v1.20.2"));
  const recorded311 = loadRecordedDiscovery(join(inputs.fixturesDir, "openshift-v3.11.0"));
  const recordedByGroupPlural = (group: string, plural: string, oapi: boolean): DiscoveredResource | undefined => {
    for (const recording of [recorded120, recorded311]) {
      for (const gv of [...recording.values()].sort((a, b) => (a.apiPath < b.apiPath ? 1 : -1))) {
        if (gv.apiPath.startsWith("/oapi/") !== oapi) continue;
        const hit = gv.resources.find((r) => r.group === group && r.plural === plural);
        if (hit !== undefined) return hit;
      }
    }
    return undefined;
  };

  const resources: { info: ResourceInfo; source: Source }[] = [];
  // Kubernetes.
  const supplement = readJson(join(inputs.dataDir, "kubernetes-discovery-supplement.json")) as {
    resources: { group: string; resource: string; shortNames?: string[]; categories?: string[]; source: string }[];
  };
  for (const r of deriveResources(kube)) {
    r.singular = r.kind.toLowerCase();
    const rec = recordedByGroupPlural(r.group, r.plural, false);
    if (rec !== undefined) applyNames(r, rec);
    const extra = supplement.resources.find((s) => s.group === r.group && s.resource === r.plural);
    if (extra !== undefined) {
      if (
        rec !== undefined &&
        (!sameList(rec.shortNames, extra.shortNames) || !sameList(rec.categories, extra.categories))
      ) {
        notes.push({
          subject: `${r.group || "core"} ${r.plural}`,
          field: "shortNames, categories",
          sources: `recorded discovery: ${list(rec.shortNames)} / ${list(rec.categories)}; ${extra.source}: ${list(extra.shortNames)} / ${list(extra.categories)}`,
          choice: "the newer source (codegen/data/kubernetes-discovery-supplement.json)",
        });
      }
      if (extra.shortNames !== undefined) r.shortNames = extra.shortNames;
      if (extra.categories !== undefined) r.categories = extra.categories;
    }
    resources.push({ info: r, source: "kubernetes" });
  }

  // OpenShift: paths of the 2019 spec and of oauth-apiserver, then the newer discovery documents on top.
  const isOpenShiftGroup = (p: string): boolean => /^\/apis\/[^/]+\.openshift\.io\//.test(p);
  const fromPaths = new Map<string, { info: ResourceInfo; from: string }>();
  for (const r of deriveResources(os2019, isOpenShiftGroup))
    fromPaths.set(`${r.apiPath} ${r.plural}`, { info: r, from: OS2019 });
  for (const r of deriveResources(oauth, isOpenShiftGroup)) {
    const key = `${r.apiPath} ${r.plural}`;
    const old = fromPaths.get(key);
    if (old !== undefined) recordDifferences(notes, key, old.info, OS2019, r, OAUTH);
    fromPaths.set(key, { info: r, from: OAUTH });
  }
  const discovered = new Map<string, { d: DiscoveredResource; from: string }>();
  for (const d of readAggregatedDiscovery(
    readJson(join(inputs.dataDir, "openshift-apiserver-aggregated-discovery.json")),
  )) {
    discovered.set(`/apis/${d.group}/${d.version} ${d.plural}`, { d, from: OSAPI_DISCOVERY });
  }
  for (const d of readAggregatedDiscovery(readJson(spec(OAUTH_DISCOVERY)))) {
    discovered.set(`/apis/${d.group}/${d.version} ${d.plural}`, { d, from: OAUTH_DISCOVERY });
  }
  const crdData = readJson(join(inputs.dataDir, OPENSHIFT_CRD_DATA)) as {
    resources: {
      source: string;
      group: string;
      version: string;
      kind: string;
      plural: string;
      singular: string;
      scope: "Namespaced" | "Cluster";
      shortNames?: string[];
      categories?: string[];
      subresources?: string[];
    }[];
  };
  const crdGroups = new Map<string, string[]>();
  const openshiftKeys = new Set([...fromPaths.keys(), ...discovered.keys()]);
  for (const c of crdData.resources) openshiftKeys.add(`/apis/${c.group}/${c.version} ${c.plural}`);
  for (const key of [...openshiftKeys].sort()) {
    const paths = fromPaths.get(key);
    const disc = discovered.get(key);
    const crd = crdData.resources.find((c) => `/apis/${c.group}/${c.version} ${c.plural}` === key);
    let info: ResourceInfo;
    if (disc !== undefined) {
      const d = disc.d;
      info = {
        group: d.group,
        version: d.version,
        kind: d.kind,
        plural: d.plural,
        namespaced: d.namespaced,
        verbs: d.verbs,
        subresources: d.subresources,
        listKind: `${d.kind}List`,
        apiPath: `/apis/${d.group}/${d.version}`,
      };
      if (d.singular !== undefined) info.singular = d.singular;
      applyNames(info, d);
      if (paths !== undefined) {
        recordDifferences(notes, key, paths.info, paths.from, info, disc.from);
        if (paths.info.definition !== undefined) info.definition = paths.info.definition;
      } else {
        notes.push({ subject: key, field: "resource", sources: `only in ${disc.from}`, choice: `from ${disc.from}` });
      }
    } else if (paths !== undefined) {
      info = paths.info;
      const rec = recordedByGroupPlural(info.group, info.plural, false);
      if (rec !== undefined) applyNames(info, rec);
      if (rec?.singular !== undefined) info.singular = rec.singular;
      if (paths.from === OS2019) {
        notes.push({
          subject: key,
          field: "resource",
          sources: `${OS2019} only (not in the 4.x discovery documents)`,
          choice: "from the 2019 paths; short names from the 3.11 recording",
        });
      }
    } else if (crd !== undefined) {
      info = {
        group: crd.group,
        version: crd.version,
        kind: crd.kind,
        plural: crd.plural,
        singular: crd.singular,
        namespaced: crd.scope === "Namespaced",
        verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
        subresources: crd.subresources ?? [],
        listKind: `${crd.kind}List`,
        apiPath: `/apis/${crd.group}/${crd.version}`,
      };
      if (crd.shortNames !== undefined) info.shortNames = crd.shortNames;
      if (crd.categories !== undefined) info.categories = crd.categories;
      crdGroups.set(info.apiPath, [...new Set([...(crdGroups.get(info.apiPath) ?? []), crd.source])]);
    } else {
      continue;
    }
    info.singular ??= info.kind.toLowerCase();
    // Types come from openapi.json (4.21) whatever the resource source; the paths' own name is the fallback.
    const pkg = Object.entries(OPENSHIFT_PACKAGE_GROUPS).find(([, g]) => g === info.group)?.[0];
    const own = pkg === undefined ? undefined : `com.github.openshift.api.${pkg}.${info.version}.${info.kind}`;
    if (own !== undefined && defs.has(own)) info.definition = own;
    else if (info.definition === undefined || !defs.has(info.definition)) {
      const fromOauth = deriveResources(oauth).find((r) => `${r.apiPath} ${r.plural}` === key)?.definition;
      if (fromOauth !== undefined && defs.has(fromOauth)) info.definition = fromOauth;
      else {
        notes.push({
          subject: key,
          field: "type",
          sources: `no definition of ${info.kind} in ${OS421}`,
          choice: "descriptor typed `unknown`",
        });
        delete info.definition;
      }
    }
    delete info.listDefinition;
    if (info.definition !== undefined && info.verbs.includes("list")) {
      const listName = `${info.definition}List`;
      if (defs.has(listName)) {
        info.listDefinition = listName;
        info.listKind = `${info.kind}List`;
      }
    }
    resources.push({ info, source: "openshift" });
  }

  for (const [apiPath, sources] of [...crdGroups].sort()) {
    notes.push({
      subject: apiPath,
      field: "resources",
      sources: `no paths or discovery document in shared/specs (CRD-served group); ${sources.join("; ")}`,
      choice: `plural, scope, short names, categories and status/scale subresources from codegen/data/${OPENSHIFT_CRD_DATA}; verbs: the eight every CRD serves`,
    });
  }
  const servedKinds = new Set(resources.map((r) => r.info.definition));
  const typesOnly = new Map<string, string[]>();
  for (const [name, def] of defs) {
    if (!name.startsWith("com.github.openshift.api.") || def.gvks.length !== 1 || name.endsWith("List")) continue;
    if (servedKinds.has(name) || !defs.has(`${name}List`)) continue;
    const gvk = def.gvks[0];
    if (gvk === undefined) continue;
    const gv = `${gvk.group}/${gvk.version}`;
    typesOnly.set(gv, [...(typesOnly.get(gv) ?? []), gvk.kind]);
  }
  for (const [gv, kinds] of [...typesOnly].sort()) {
    notes.push({
      subject: gv,
      field: "descriptors",
      sources: `${OS421} has the kinds; neither shared/specs nor codegen/data gives their plural and scope`,
      choice: `types only, no descriptor: ${kinds.sort().join(", ")}`,
    });
  }

  // Legacy /oapi/v1.
  for (const r of deriveResources(legacy, (p) => p.startsWith("/oapi/"))) {
    if (r.definition !== undefined) r.definition = renameLegacy(r.definition);
    if (r.listDefinition !== undefined) r.listDefinition = renameLegacy(r.listDefinition);
    const rec = recorded311.get("/oapi/v1")?.resources.find((d) => d.plural === r.plural);
    if (rec !== undefined) applyNames(r, rec);
    // Origin serves (subject|resource)accessreviews both cluster-wide and per namespace, so the paths cannot tell
    // the scope; the 3.11 server's discovery (newer) can.
    if (rec !== undefined && rec.namespaced !== r.namespaced) {
      notes.push({
        subject: `/oapi/v1 ${r.plural}`,
        field: "namespaced",
        sources: `${LEGACY} paths: served both cluster-wide and under namespaces/{namespace} (read as ${r.namespaced}); OpenShift 3.11.0 discovery (shared/fixtures): ${rec.namespaced}`,
        choice: `${rec.namespaced} (newer, and discovery is what clients go by)`,
      });
      r.namespaced = rec.namespaced;
    }
    resources.push({ info: r, source: "openshift-legacy" });
  }

  // ---- plan per module -------------------------------------------------------------------------------------------
  const defsByModule = new Map<string, Definition[]>();
  for (const name of [...defs.keys()].sort()) {
    const module = moduleOf.get(name) ?? "";
    const listed = defsByModule.get(module) ?? [];
    listed.push(defs.get(name) as Definition);
    defsByModule.set(module, listed);
  }
  const resourcesByModule = new Map<string, PlannedResource[]>();
  const sourceOfModule = new Map<string, Source>();
  const ordered: { module: string; planned: PlannedResource; source: Source }[] = [];
  // A second resource serving the same kind (processedtemplates serves Template) is named after its singular.
  const derivedName = (info: ResourceInfo): string => {
    const singular = info.singular ?? info.plural.replace(/s$/, "");
    const lower = info.kind.toLowerCase();
    const prefix = singular.endsWith(lower) ? singular.slice(0, -lower.length) : singular;
    return `${prefix.charAt(0).toUpperCase()}${prefix.slice(1)}${info.kind}`;
  };
  const ownPlural = (info: ResourceInfo): boolean =>
    (info.singular ?? info.plural.replace(/s$/, "")) === info.kind.toLowerCase();
  for (const { info, source } of resources) {
    const module = moduleOfApiPath(info.apiPath);
    sourceOfModule.set(module, source);
    const planned = resourcesByModule.get(module) ?? [];
    const sameKind = planned.find((p) => p.resource.kind === info.kind);
    const entry: PlannedResource = { resource: info, constName: info.kind };
    if (sameKind !== undefined) {
      const [primary, secondary] =
        ownPlural(info) && !ownPlural(sameKind.resource) ? [entry, sameKind] : [sameKind, entry];
      primary.constName = info.kind;
      secondary.constName = derivedName(secondary.resource);
      notes.push({
        subject: `${secondary.resource.apiPath} ${secondary.resource.plural}`,
        field: "descriptor name",
        sources: `kind ${info.kind} is served by ${primary.resource.plural} and ${secondary.resource.plural}`,
        choice: `\`${primary.constName}\` is ${primary.resource.plural}; \`${secondary.constName}\` is ${secondary.resource.plural}`,
      });
    }
    planned.push(entry);
    resourcesByModule.set(module, planned);
    ordered.push({ module, planned: entry, source });
  }
  const catalog: CatalogEntry[] = ordered.map((o) => ({
    module: o.module,
    constName: o.planned.constName,
    source: o.source,
  }));

  for (const [module, defsHere] of defsByModule) {
    if (sourceOfModule.has(module)) continue;
    const from = sourceOfDef.get(defsHere[0]?.name ?? "");
    sourceOfModule.set(
      module,
      from === LEGACY
        ? "openshift-legacy"
        : from === OS421 && module.includes(".openshift.io/")
          ? "openshift"
          : "kubernetes",
    );
  }

  // ---- emit ------------------------------------------------------------------------------------------------------
  const files = new Map<string, string>();
  const modules = [...new Set([...defsByModule.keys(), ...resourcesByModule.keys()])].sort();
  const counts: BuiltinOutput["counts"] = {};
  for (const module of modules) {
    const defsHere = defsByModule.get(module) ?? [];
    const resHere = resourcesByModule.get(module) ?? [];
    const typeSources = [...new Set(defsHere.map((d) => sourceOfDef.get(d.name) ?? ""))].sort();
    const resourceSources = new Set<string>();
    const source = sourceOfModule.get(module) ?? "kubernetes";
    if (resHere.length > 0) {
      if (source === "kubernetes") resourceSources.add(K8S);
      else if (source === "openshift-legacy") resourceSources.add(LEGACY);
      else resourceSources.add(`${OS2019}, ${OAUTH}, ${OAUTH_DISCOVERY}, codegen/data`);
    }
    const from = [
      typeSources.length > 0 ? `types from ${typeSources.join(" + ")}` : "",
      resourceSources.size > 0 ? `resources from ${[...resourceSources].join(", ")}` : "",
    ]
      .filter((s) => s !== "")
      .join("; ");
    const header = `Generated by kubeshift-codegen (${REGENERATE}) from shared/specs: ${from}. Do not edit.`;
    const moduleDoc = moduleDocOf(module, source, resHere.length);
    files.set(
      `${module}.ts`,
      emitModule({
        path: module,
        header,
        definitions: defsHere,
        resources: resHere,
        locate,
        specifier: (_from, to) => `../${to}.ts`,
        descriptorSpecifier: "../../descriptor.ts",
        moduleDoc,
      }),
    );
    const c = counts[source] ?? { resources: 0, definitions: 0, modules: 0 };
    c.resources += resHere.length;
    c.definitions += defsHere.length;
    c.modules += 1;
    counts[source] = c;
  }
  files.set(
    "catalog.ts",
    emitCatalogModule(
      `Generated by kubeshift-codegen (${REGENERATE}) from the group/version modules beside it. Do not edit.`,
      catalog,
      (m) => `./${m}.ts`,
      "../resource-index.ts",
      "../descriptor.ts",
    ),
  );
  const legacyKinds = new Map<string, string>();
  for (const [name, def] of defs) if (name.startsWith("oapi.")) for (const g of def.gvks) legacyKinds.set(g.kind, name);
  files.set(
    "schema.ts",
    emitSchemaModule({
      header: `Generated by kubeshift-codegen (${REGENERATE}) from shared/specs: ${K8S}, ${OS421}, ${LEGACY}. Do not edit.`,
      definitions: defs,
      rename: (r) => r,
      legacyKinds,
      structuralSpecifier: "../structural-schema.ts",
    }),
  );
  return { files, notes, counts };
}

function moduleDocOf(module: string, source: Source, resources: number): string {
  if (module === META_MODULE) {
    return "Kubernetes apimachinery types shared by every group (`metav1`): ObjectMeta, ListMeta, Status, WatchEvent, Table, DeleteOptions, discovery documents, and the special scalars (Time, MicroTime, Quantity, IntOrString).";
  }
  const what =
    source === "openshift-legacy"
      ? "Legacy OpenShift 3.x API under `/oapi/v1` (apiVersion `v1`), as OpenShift Origin 1.5 serves it."
      : source === "openshift"
        ? `OpenShift \`${module}\` types${resources > 0 ? " and resource descriptors" : ""}.`
        : `Kubernetes 1.34 \`${module}\` types${resources > 0 ? " and resource descriptors" : ""}.`;
  return `${what} Each resource's descriptor has the name of its kind, so that \`Kind\` is both the interface and the value.`;
}

function recordDifferences(
  notes: SourceNote[],
  key: string,
  older: ResourceInfo,
  olderFrom: string,
  newer: ResourceInfo,
  newerFrom: string,
): void {
  const fields: [string, string, string][] = [];
  if (older.kind !== newer.kind) fields.push(["kind", older.kind, newer.kind]);
  if (older.namespaced !== newer.namespaced)
    fields.push(["namespaced", String(older.namespaced), String(newer.namespaced)]);
  if (!sameList(older.verbs, newer.verbs)) fields.push(["verbs", list(older.verbs), list(newer.verbs)]);
  if (!sameList(older.subresources, newer.subresources)) {
    fields.push(["subresources", list(older.subresources), list(newer.subresources)]);
  }
  for (const [field, a, b] of fields) {
    notes.push({ subject: key, field, sources: `${olderFrom}: ${a}; ${newerFrom}: ${b}`, choice: `${b} (newer)` });
  }
}

/**
 * Maps the definition names of the origin 1.5.1 spec (`v1.DeploymentConfig`, `unversioned.ListMeta`, …) to names in
 * the generated set: Kubernetes types to their 1.34 definitions, OpenShift types to `oapi.v1.<Name>`.
 */
function legacyNameMap(legacy: ApiModel, current: Map<string, Definition>): Map<string, string> {
  const core = "io.k8s.api.core.v1.";
  const meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  const fixed: Record<string, string> = {
    "intstr.IntOrString": "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
    "resource.Quantity": "io.k8s.apimachinery.pkg.api.resource.Quantity",
    "runtime.RawExtension": "io.k8s.apimachinery.pkg.runtime.RawExtension",
    "versioned.Event": `${meta}WatchEvent`,
  };
  // Kubernetes types are those the spec also serves under /api/v1.
  const kubeReachable = new Set<string>();
  const pending: string[] = [];
  for (const op of legacy.operations) {
    if (!op.path.startsWith("/api/")) continue;
    for (const ref of [op.responseRef, op.bodyRef]) if (ref !== undefined) pending.push(ref);
  }
  while (pending.length > 0) {
    const name = pending.pop() ?? "";
    if (kubeReachable.has(name)) continue;
    kubeReachable.add(name);
    const def = legacy.definitions.get(name);
    if (def === undefined) continue;
    const refs = new Set<string>();
    refsOf(def.type, refs);
    pending.push(...refs);
  }
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of [...legacy.definitions.keys()].sort()) {
    const [prefix, short] = [name.slice(0, name.indexOf(".")), name.slice(name.indexOf(".") + 1)];
    const mapped = fixed[name];
    if (mapped !== undefined) out.set(name, mapped);
    else if (prefix === "unversioned" && current.has(`${meta}${short}`)) out.set(name, `${meta}${short}`);
    else if (prefix === "v1" && kubeReachable.has(name) && current.has(`${meta}${short}`))
      out.set(name, `${meta}${short}`);
    else if (prefix === "v1" && kubeReachable.has(name) && current.has(`${core}${short}`))
      out.set(name, `${core}${short}`);
    else {
      let local = `oapi.v1.${short}`;
      if (taken.has(local)) local = `oapi.v1.${prefix.charAt(0).toUpperCase()}${prefix.slice(1)}${short}`;
      taken.add(local);
      out.set(name, local);
    }
  }
  return out;
}
