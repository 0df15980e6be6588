/**
 * `cluster.store`: direct, synchronous access to the fake cluster's objects for tests: seed objects, change them
 * behind a client's back, read what a client wrote, append pod logs, compact the history. Every write goes through
 * the same registry as the HTTP API (resourceVersion, uid, generation, validation, finalizers, watch events), as a
 * `system:masters` user with field manager `kubeshift-testing`.
 *
 * @module
 */
import { ApiError } from "@kubeshift/transport";
import type { ResourceDescriptor } from "@kubeshift/types";
import type { UserInfo } from "./auth/user-info.ts";
import type { PodLogs } from "./registry/pod-logs.ts";
import type { Registry, WriteContext } from "./registry/registry.ts";
import { cloneJson, isPlainObject, type KubeObject } from "./resources/kube-object.ts";
import type { ServedResource } from "./resources/served-resource.ts";
import { StatusError } from "./server/status-error.ts";

/** Which resource: a descriptor, or an `apiVersion` and `kind` (also of custom resources). */
export type TypeRef = ResourceDescriptor | { readonly apiVersion: string; readonly kind: string };

/** Options of store writes. */
export interface StoreWriteOptions {
  /** Field manager recorded in managedFields. @default "kubeshift-testing" */
  readonly fieldManager?: string;
  /** Validate and return, store nothing. @default false */
  readonly dryRun?: boolean;
}

/** Options of {@link ClusterStore.delete}. */
export interface StoreDeleteOptions {
  /** `Background` (default), `Foreground` or `Orphan`. */
  readonly propagationPolicy?: "Background" | "Foreground" | "Orphan";
  /** Grace period for pods. */
  readonly gracePeriodSeconds?: number;
}

/** Options of {@link ClusterStore.list}. */
export interface StoreListOptions {
  /** Only this namespace. */
  readonly namespace?: string;
  /** Only objects with all these labels. */
  readonly labels?: Readonly<Record<string, string>>;
}

const STORE_USER: UserInfo = { name: "kubeshift-testing", groups: ["system:masters", "system:authenticated"] };

function toApiError(e: unknown, method: string, path: string): unknown {
  if (e instanceof StatusError) return new ApiError(e.status, e.code, { method, path });
  return e;
}

/**
 * The in-process store API of a fake cluster (`cluster.store`).
 *
 * @example
 * ```ts
 * const cm = cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "default" } });
 * cluster.store.delete({ apiVersion: "v1", kind: "ConfigMap" }, "a", "default");
 * ```
 */
export class ClusterStore {
  readonly #registry: Registry;
  readonly #logs: PodLogs;

  /** @internal */
  constructor(registry: Registry, logs: PodLogs) {
    this.#registry = registry;
    this.#logs = logs;
  }

  /** The current resourceVersion (the global revision counter). */
  get resourceVersion(): string {
    return String(this.#registry.storage.rv);
  }

  #resource(type: TypeRef): ServedResource {
    const apiPath = "apiPath" in type ? type.apiPath : undefined;
    const resource =
      apiPath !== undefined && "plural" in type
        ? this.#registry.table.lookup(apiPath, type.plural)
        : this.#registry.table.byKind(type.apiVersion, type.kind);
    if (resource === undefined)
      throw new TypeError(`the fake cluster does not serve ${type.kind} in ${type.apiVersion} (create its CRD first?)`);
    return resource;
  }

  #context(options: StoreWriteOptions): WriteContext {
    return {
      user: STORE_USER,
      dryRun: options.dryRun ?? false,
      fieldManager: options.fieldManager ?? "kubeshift-testing",
    };
  }

  #run<T>(method: string, path: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw toApiError(e, method, path);
    }
  }

  /**
   * Creates an object (its `apiVersion` and `kind` say where).
   *
   * @param object the object; `metadata.namespace` is required for namespaced kinds
   * @returns the stored object (a copy)
   * @throws {ApiError} as the API would answer (409 exists, 404 namespace, 422 invalid)
   * @throws {TypeError} when the kind is not served
   * @example
   * ```ts
   * cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "default" }, data: { k: "v" } });
   * ```
   */
  create<T extends object>(object: T, options: StoreWriteOptions = {}): T {
    const o = object as KubeObject;
    if (!isPlainObject(o) || typeof o.apiVersion !== "string" || typeof o.kind !== "string")
      throw new TypeError("store.create() needs an object with apiVersion and kind");
    const resource = this.#resource({ apiVersion: o.apiVersion, kind: o.kind });
    const namespace = resource.namespaced ? (o.metadata?.namespace ?? "") : "";
    return this.#run("POST", `${resource.apiPath}/${resource.plural}`, () => {
      const result = this.#registry.create(resource, namespace, o, this.#context(options));
      return cloneJson(result.object) as T;
    });
  }

  /**
   * Replaces an object (optimistic concurrency when `metadata.resourceVersion` is set).
   *
   * @returns the stored object
   * @throws {ApiError} 404, 409, 422
   */
  update<T extends object>(object: T, options: StoreWriteOptions = {}): T {
    return this.#replace(object, options, undefined);
  }

  /**
   * Replaces an object's status only.
   *
   * @returns the stored object
   * @throws {ApiError} 404, 409, 422
   */
  updateStatus<T extends object>(object: T, options: StoreWriteOptions = {}): T {
    return this.#replace(object, options, "status");
  }

  #replace<T extends object>(object: T, options: StoreWriteOptions, subresource: "status" | undefined): T {
    const o = object as KubeObject;
    if (!isPlainObject(o) || typeof o.apiVersion !== "string" || typeof o.kind !== "string")
      throw new TypeError("store.update() needs an object with apiVersion and kind");
    const resource = this.#resource({ apiVersion: o.apiVersion, kind: o.kind });
    const namespace = resource.namespaced ? (o.metadata?.namespace ?? "") : "";
    const name = o.metadata?.name ?? "";
    return this.#run("PUT", `${resource.apiPath}/${resource.plural}/${name}`, () => {
      const result = this.#registry.update(resource, namespace, name, o, this.#context(options), subresource);
      return cloneJson(result.object) as T;
    });
  }

  /**
   * Creates the object, or replaces it when it exists (ignoring its resourceVersion).
   *
   * @returns the stored object
   */
  put<T extends object>(object: T, options: StoreWriteOptions = {}): T {
    const o = object as KubeObject;
    if (!isPlainObject(o) || typeof o.apiVersion !== "string" || typeof o.kind !== "string")
      throw new TypeError("store.put() needs an object with apiVersion and kind");
    const existing = this.get(o as TypeRef, o.metadata?.name ?? "", o.metadata?.namespace);
    if (existing === undefined) return this.create(object, options);
    const copy = cloneJson(o);
    copy.metadata = { ...copy.metadata, resourceVersion: "" };
    return this.update(copy as T, options);
  }

  /**
   * Writes an object the way a write straight to etcd would land: it gets a new resourceVersion (and, when new, a uid
   * and creationTimestamp) and watchers see ADDED or MODIFIED, but nothing else happens — no defaults, validation,
   * managedFields, generation or namespace check. Meant for load generation (benchmarks, slow-consumer tests), at a
   * fraction of the cost of {@link update}.
   *
   * @param object the object (apiVersion, kind and metadata.name required)
   * @returns the committed resourceVersion
   * @throws {TypeError} when the kind is not served or the name is missing
   * @example
   * ```ts
   * for (let i = 0; i < 100_000; i++) cluster.store.putRaw({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "hot", namespace: "default" }, data: { i: String(i) } });
   * ```
   */
  putRaw(object: object): string {
    const o = object as KubeObject;
    if (!isPlainObject(o) || typeof o.apiVersion !== "string" || typeof o.kind !== "string")
      throw new TypeError("store.putRaw() needs an object with apiVersion and kind");
    const resource = this.#resource({ apiVersion: o.apiVersion, kind: o.kind });
    return String(this.#registry.commitRaw(resource, o).rv);
  }

  /**
   * Reads an object.
   *
   * @param type descriptor or apiVersion/kind
   * @param name object name
   * @param namespace namespace of a namespaced object
   * @returns a copy, or `undefined` when it does not exist
   */
  get<T = KubeObject>(type: TypeRef, name: string, namespace?: string): T | undefined {
    const resource = this.#resource(type);
    const entry = this.#registry.find(resource, namespace ?? "", name);
    return entry === undefined ? undefined : (JSON.parse(entry.json()) as T);
  }

  /**
   * Lists objects in key order.
   *
   * @returns copies
   */
  list<T = KubeObject>(type: TypeRef, options: StoreListOptions = {}): T[] {
    const resource = this.#resource(type);
    const labels = options.labels;
    const page = this.#registry.storage.list(resource.storageKey, {
      namespace: resource.namespaced ? options.namespace : undefined,
      filter:
        labels === undefined
          ? undefined
          : (e) => Object.entries(labels).every(([k, v]) => e.object.metadata?.labels?.[k] === v),
    });
    return page.items.map((e) => JSON.parse(e.json()) as T);
  }

  /**
   * Deletes an object (or starts its deletion when finalizers hold it).
   *
   * @returns the object as deleted, or as it lingers with its deletionTimestamp
   * @throws {ApiError} 404 when missing
   */
  delete<T = KubeObject>(type: TypeRef, name: string, namespace?: string, options: StoreDeleteOptions = {}): T {
    const resource = this.#resource(type);
    return this.#run("DELETE", `${resource.apiPath}/${resource.plural}/${name}`, () => {
      const result = this.#registry.delete(resource, namespace ?? "", name, options, this.#context({}));
      return cloneJson(result.object) as T;
    });
  }

  /**
   * Appends lines to a container's log (what `kubectl logs` shows).
   *
   * @param namespace pod namespace
   * @param pod pod name
   * @param text one or more lines
   * @param container container name (default: the pod's first container)
   */
  appendLog(namespace: string, pod: string, text: string, container?: string): void {
    let name = container;
    if (name === undefined) {
      const p = this.get<KubeObject>({ apiVersion: "v1", kind: "Pod" }, pod, namespace);
      const containers = (p?.spec as { containers?: { name?: string }[] } | undefined)?.containers;
      name = containers?.[0]?.name ?? "main";
    }
    this.#logs.append(namespace, pod, name, text, this.#registry.clock.now());
  }

  /** Moves a container's log to "previous" (as a restart does; `kubectl logs --previous` reads it). */
  restartLog(namespace: string, pod: string, container: string): void {
    this.#logs.restart(namespace, pod, container);
  }

  /**
   * Drops the event history up to a revision: watches and continue tokens from before it get 410 Expired.
   *
   * @param resourceVersion compact up to here (default: now)
   */
  compact(resourceVersion?: string | number): void {
    const rv = resourceVersion === undefined ? undefined : Number(resourceVersion);
    if (rv !== undefined && !Number.isInteger(rv))
      throw new RangeError(`compact() needs a resourceVersion, got ${String(resourceVersion)}`);
    this.#registry.storage.compact(rv);
  }

  /** Events kept per resource for watches and past reads (the watch-cache window). */
  get historySize(): number {
    return this.#registry.storage.historySize;
  }

  set historySize(size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`historySize must be a positive integer, got ${size}`);
    this.#registry.storage.historySize = size;
  }
}
