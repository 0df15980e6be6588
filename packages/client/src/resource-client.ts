/**
 * A client bound to one resource: the verbs without the descriptor argument. `client.resource(Pod)` binds a known
 * descriptor; `client.dynamic({ apiVersion, kind })` binds one found through discovery on first use.
 *
 * @module
 */
import type { ApiStatus } from "@kubeshift/transport";
import type { ResourceDescriptor } from "@kubeshift/types";
import type { Client } from "./client.ts";
import type { ListResult, ObjectResult } from "./kube-object.ts";
import type {
  CreateOptions,
  DeleteCollectionOptions,
  DeleteOptions,
  GetOptions,
  IterateOptions,
  ListOptions,
  PatchOptions,
  ReplaceOptions,
} from "./options.ts";
import type { Scale } from "./subresource-types.ts";
import type { Table, TableOptions } from "./table.ts";

/** Finds the descriptor, possibly through discovery. */
export type DescriptorSource<T, L> =
  | ResourceDescriptor<T, L>
  | ((signal: AbortSignal | undefined) => Promise<ResourceDescriptor<T, L>>);

/**
 * The verbs of {@link Client} bound to one resource. Each method takes the same options as the client's.
 *
 * @example
 * ```ts
 * const routes = client.dynamic({ apiVersion: "route.openshift.io/v1", kind: "Route" });
 * const { items } = await routes.list({ namespace: "demo" });
 * ```
 */
export class ResourceClient<T, L> {
  readonly #client: Client;
  readonly #source: DescriptorSource<T, L>;

  /**
   * @param client the client to send through
   * @param source the descriptor, or a function that finds it
   */
  constructor(client: Client, source: DescriptorSource<T, L>) {
    this.#client = client;
    this.#source = source;
  }

  /**
   * @param options the signal for discovery
   * @returns the descriptor this client is bound to (found through discovery for a dynamic client)
   * @throws {ApiError} NotFound when a dynamic kind is not served
   * @example
   * ```ts
   * (await widgets.descriptor()).plural; // "widgets"
   * ```
   */
  descriptor(options: { signal?: AbortSignal } = {}): Promise<ResourceDescriptor<T, L>> {
    return typeof this.#source === "function" ? this.#source(options.signal) : Promise.resolve(this.#source);
  }

  /**
   * @param name the object name
   * @param options as {@link Client.get}
   * @returns the object
   * @throws {ApiError} NotFound
   * @example
   * ```ts
   * await widgets.get("w1");
   * ```
   */
  async get(name: string, options: GetOptions = {}): Promise<ObjectResult<T>> {
    return this.#client.get(await this.descriptor(options), name, options);
  }

  /**
   * @param options as {@link Client.list}
   * @returns one page
   * @throws {ApiError} as `list`
   * @example
   * ```ts
   * await widgets.list({ labelSelector: "size=big" });
   * ```
   */
  async list(options: ListOptions = {}): Promise<ListResult<T, L>> {
    return this.#client.list(await this.descriptor(options), options);
  }

  /**
   * @param options as {@link Client.iterate}
   * @returns every object, page by page
   * @throws {ApiError} as `iterate`
   * @example
   * ```ts
   * for await (const w of widgets.iterate()) console.log(w.metadata?.name);
   * ```
   */
  async *iterate(options: IterateOptions = {}): AsyncGenerator<ObjectResult<T>> {
    yield* this.#client.iterate(await this.descriptor(options), options);
  }

  /**
   * @param options as {@link Client.listAll}
   * @returns one list of every page
   * @throws {ApiError} as `listAll`
   * @example
   * ```ts
   * await widgets.listAll();
   * ```
   */
  async listAll(options: IterateOptions = {}): Promise<ListResult<T, L>> {
    return this.#client.listAll(await this.descriptor(options), options);
  }

  /**
   * @param obj the object
   * @param options as {@link Client.create}
   * @returns the object as stored
   * @throws {ApiError} AlreadyExists, Invalid
   * @example
   * ```ts
   * await widgets.create({ metadata: { name: "w1" }, spec: {} });
   * ```
   */
  async create(obj: ObjectResult<T>, options: CreateOptions = {}): Promise<ObjectResult<T>> {
    return this.#client.create(await this.descriptor(options), obj, options);
  }

  /**
   * @param obj the whole object, with metadata.name
   * @param options as {@link Client.replace}
   * @returns the object as stored
   * @throws {ApiError} Conflict on a stale resourceVersion
   * @example
   * ```ts
   * await widgets.replace({ ...w, spec: { size: 4 } });
   * ```
   */
  async replace(obj: ObjectResult<T>, options: ReplaceOptions = {}): Promise<ObjectResult<T>> {
    return this.#client.replace(await this.descriptor(options), obj, options);
  }

  /**
   * @param name the object name
   * @param patch the patch
   * @param options as {@link Client.patch}
   * @returns the patched object
   * @throws {ApiError} NotFound, Conflict, Invalid
   * @example
   * ```ts
   * await widgets.patch("w1", { spec: { size: 5 } });
   * ```
   */
  async patch(name: string, patch: unknown, options: PatchOptions = {}): Promise<ObjectResult<T>> {
    return this.#client.patch(await this.descriptor(options), name, patch, options);
  }

  /**
   * @param name the object name
   * @param options as {@link Client.delete}
   * @returns the object or a Status
   * @throws {ApiError} NotFound
   * @example
   * ```ts
   * await widgets.delete("w1");
   * ```
   */
  async delete(name: string, options: DeleteOptions = {}): Promise<ObjectResult<T> | ApiStatus> {
    return this.#client.delete(await this.descriptor(options), name, options);
  }

  /**
   * @param options as {@link Client.deleteCollection}
   * @returns the deleted objects or a Status
   * @throws {ApiError} Forbidden, MethodNotAllowed
   * @example
   * ```ts
   * await widgets.deleteCollection({ labelSelector: "tmp" });
   * ```
   */
  async deleteCollection(options: DeleteCollectionOptions = {}): Promise<ListResult<T, L> | ApiStatus> {
    return this.#client.deleteCollection(await this.descriptor(options), options);
  }

  /**
   * @param name the object name
   * @param options as {@link Client.getStatus}
   * @returns the object
   * @throws {ApiError} NotFound
   * @example
   * ```ts
   * await widgets.getStatus("w1");
   * ```
   */
  async getStatus(name: string, options: GetOptions = {}): Promise<ObjectResult<T>> {
    return this.#client.getStatus(await this.descriptor(options), name, options);
  }

  /**
   * @param obj the object with its new status
   * @param options as {@link Client.replaceStatus}
   * @returns the object as stored
   * @throws {ApiError} Conflict
   * @example
   * ```ts
   * await widgets.replaceStatus({ ...w, status: { ready: true } });
   * ```
   */
  async replaceStatus(obj: ObjectResult<T>, options: ReplaceOptions = {}): Promise<ObjectResult<T>> {
    return this.#client.replaceStatus(await this.descriptor(options), obj, options);
  }

  /**
   * @param name the object name
   * @param patch the status patch
   * @param options as {@link Client.patchStatus}
   * @returns the object as stored
   * @throws {ApiError} NotFound, Invalid
   * @example
   * ```ts
   * await widgets.patchStatus("w1", { status: { ready: true } });
   * ```
   */
  async patchStatus(name: string, patch: unknown, options: PatchOptions = {}): Promise<ObjectResult<T>> {
    return this.#client.patchStatus(await this.descriptor(options), name, patch, options);
  }

  /**
   * @param name the object name
   * @param options as {@link Client.getScale}
   * @returns the Scale
   * @throws {ApiError} NotFound
   * @example
   * ```ts
   * await widgets.getScale("w1");
   * ```
   */
  async getScale(name: string, options: GetOptions = {}): Promise<Scale> {
    return this.#client.getScale(await this.descriptor(options), name, options);
  }

  /**
   * @param name the object name
   * @param patch such as `{ spec: { replicas: 2 } }`
   * @param options as {@link Client.patchScale}
   * @returns the Scale as stored
   * @throws {ApiError} NotFound
   * @example
   * ```ts
   * await widgets.patchScale("w1", { spec: { replicas: 2 } });
   * ```
   */
  async patchScale(name: string, patch: unknown, options: PatchOptions = {}): Promise<Scale> {
    return this.#client.patchScale(await this.descriptor(options), name, patch, options);
  }

  /**
   * @param options as {@link Client.table}
   * @returns the server-printed Table
   * @throws {ApiError} as `list`
   * @example
   * ```ts
   * await widgets.table();
   * ```
   */
  async table(options: TableOptions = {}): Promise<Table<ObjectResult<T>>> {
    return this.#client.table(await this.descriptor(options), options);
  }
}
