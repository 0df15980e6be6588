/**
 * Finds the structural schema of a kind: built-in kinds in the swagger `definitions` (by their
 * `x-kubernetes-group-version-kind`), custom resources in their CRD's `openAPIV3Schema`. Patch engines, field
 * validation and pruning read it.
 *
 * @module
 */
import type { SwaggerDocument } from "./openapi-bundle.ts";

/** One schema node as swagger and CRDs write them. */
export type SchemaNode = Readonly<Record<string, unknown>>;

/** The schema of one kind and the way its references resolve. */
export interface KindSchema {
  /** Root node (the kind's definition). */
  readonly root: SchemaNode;
  /** Name of the root definition (`io.k8s.api.core.v1.Pod`), when it has one. */
  readonly rootName: string | undefined;
  /** Resolves `#/definitions/<name>` (or a bare name). */
  resolve(ref: string): SchemaNode | undefined;
  /** The definition name a `$ref` points at. */
  refName(ref: string): string;
}

/** Index of built-in kinds. */
export class SchemaIndex {
  readonly #definitions: Readonly<Record<string, SchemaNode>>;
  readonly #byGvk = new Map<string, string>();

  constructor(swagger: SwaggerDocument) {
    this.#definitions = swagger.definitions;
    for (const [name, def] of Object.entries(swagger.definitions)) {
      const gvks = def["x-kubernetes-group-version-kind"];
      if (!Array.isArray(gvks)) continue;
      for (const g of gvks as { group: string; version: string; kind: string }[]) {
        const key = `${g.group}/${g.version}/${g.kind}`;
        if (!this.#byGvk.has(key)) this.#byGvk.set(key, name);
      }
    }
  }

  /** The definitions (swagger `definitions`). */
  get definitions(): Readonly<Record<string, SchemaNode>> {
    return this.#definitions;
  }

  /** The schema of a built-in kind, or `undefined`. */
  kind(group: string, version: string, kind: string): KindSchema | undefined {
    const name = this.#byGvk.get(`${group}/${version}/${kind}`);
    if (name === undefined) return undefined;
    return this.named(name);
  }

  /** The schema rooted at a definition name. */
  named(name: string): KindSchema | undefined {
    const root = this.#definitions[name];
    if (root === undefined) return undefined;
    const definitions = this.#definitions;
    return {
      root,
      rootName: name,
      resolve: (ref) => definitions[refName(ref)],
      refName,
    };
  }
}

function refName(ref: string): string {
  const i = ref.lastIndexOf("/");
  return i < 0 ? ref : ref.slice(i + 1);
}

/**
 * The schema of a custom resource from its CRD version's `openAPIV3Schema` (whose metadata is ObjectMeta from the
 * built-in definitions when `index` is given).
 */
export function customResourceSchema(openAPIV3Schema: SchemaNode, index?: SchemaIndex): KindSchema {
  const meta = index?.definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"];
  const props = (openAPIV3Schema.properties ?? {}) as Record<string, SchemaNode>;
  const root: SchemaNode = {
    ...openAPIV3Schema,
    properties: {
      ...props,
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata:
        meta === undefined
          ? { type: "object", "x-kubernetes-preserve-unknown-fields": true }
          : { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" },
    },
  };
  return {
    root,
    rootName: undefined,
    resolve: (ref) => index?.definitions[refName(ref)],
    refName,
  };
}

/** Index of the OpenAPI v3 component schemas (which, unlike swagger 2.0, carry `default` values). */
export class V3SchemaIndex {
  readonly #docs: Readonly<Record<string, { components?: { schemas?: Record<string, Record<string, unknown>> } }>>;
  readonly #cache = new Map<string, KindSchema | undefined>();

  constructor(docs: Readonly<Record<string, { components?: { schemas?: Record<string, Record<string, unknown>> } }>>) {
    this.#docs = docs;
  }

  /** The schema of a kind served under `apiPath` (`/apis/apps/v1`), or `undefined`. */
  kind(apiPath: string, group: string, version: string, kind: string): KindSchema | undefined {
    const key = `${apiPath} ${kind}`;
    if (this.#cache.has(key)) return this.#cache.get(key);
    const schemas = this.#docs[apiPath.replace(/^\//, "")]?.components?.schemas ?? {};
    let found: KindSchema | undefined;
    for (const [name, def] of Object.entries(schemas)) {
      const gvks = def["x-kubernetes-group-version-kind"];
      if (!Array.isArray(gvks)) continue;
      if (
        (gvks as { group: string; version: string; kind: string }[]).some(
          (g) => g.group === group && g.version === version && g.kind === kind,
        )
      ) {
        found = { root: def, rootName: name, resolve: (ref) => schemas[refName(ref)], refName };
        break;
      }
    }
    this.#cache.set(key, found);
    return found;
  }
}
