/**
 * The informer's cache: objects keyed by `namespace/name` (client-go's indexer), with a built-in `namespace` index and
 * user index functions (labels, owner uid, node name…) maintained incrementally on every change. Reads return the
 * cached objects themselves: treat them as read-only (an index would go stale if one were changed in place).
 *
 * @module
 */

/** Computes the index values of an object (none, one, or several). */
export type IndexFunction<T> = (object: T) => string | readonly string[] | undefined;

/** The read side of the cache, as informers expose it. */
export interface StoreReader<T> {
  /** Number of cached objects. */
  readonly size: number;
  /**
   * The object under a key.
   *
   * @param key `namespace/name`, or `name` for cluster-scoped objects
   */
  get(key: string): T | undefined;
  /** Whether an object is cached under a key. */
  has(key: string): boolean;
  /** The keys, in no particular order (a snapshot). */
  keys(): string[];
  /** The objects, in no particular order (a snapshot). */
  list(): T[];
  /**
   * The objects whose index function gave `value`.
   *
   * @param index `namespace` or the name of an index passed in `indexers`
   * @throws {RangeError} when there is no such index
   */
  byIndex(index: string, value: string): T[];
  /** The keys whose index function gave `value`. */
  indexKeys(index: string, value: string): string[];
  /** The values an index currently holds. */
  indexValues(index: string): string[];
}

/** The name of the built-in index by `metadata.namespace`. */
export const NAMESPACE_INDEX = "namespace";

function namespaceOf(object: unknown): string | undefined {
  const ns = (object as { metadata?: { namespace?: unknown } } | null)?.metadata?.namespace;
  return typeof ns === "string" && ns !== "" ? ns : undefined;
}

/** Receives the exception of an index function (the object is then indexed under no value of that index). */
export type IndexErrorHandler = (error: unknown, index: string, key: string) => void;

/**
 * A keyed store with indexes.
 *
 * @example
 * ```ts
 * const store = new InformerStore<Pod>({ byNode: (p) => p.spec?.nodeName });
 * store.set("dev/web", pod);
 * store.byIndex("byNode", "node-1");
 * ```
 */
export class InformerStore<T> implements StoreReader<T> {
  readonly #items = new Map<string, T>();
  readonly #namespaces = new Map<string, Set<string>>();
  readonly #functions: ReadonlyMap<string, IndexFunction<T>>;
  readonly #indexes = new Map<string, Map<string, Set<string>>>();
  readonly #onIndexError: IndexErrorHandler | undefined;

  /**
   * @param indexers user index functions by name (`namespace` is built in and cannot be redefined)
   * @param onIndexError receives exceptions of index functions
   * @throws {TypeError} when an indexer is not a function or is named `namespace`
   */
  constructor(indexers: Readonly<Record<string, IndexFunction<T>>> = {}, onIndexError?: IndexErrorHandler) {
    this.#onIndexError = onIndexError;
    const functions = new Map<string, IndexFunction<T>>();
    for (const [name, fn] of Object.entries(indexers)) {
      if (name === NAMESPACE_INDEX) throw new TypeError(`The "${NAMESPACE_INDEX}" index is built in`);
      if (typeof fn !== "function") throw new TypeError(`Indexer ${JSON.stringify(name)} must be a function`);
      functions.set(name, fn);
      this.#indexes.set(name, new Map());
    }
    this.#functions = functions;
  }

  get size(): number {
    return this.#items.size;
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  keys(): string[] {
    return [...this.#items.keys()];
  }

  list(): T[] {
    return [...this.#items.values()];
  }

  /** Iterates over the entries without copying (internal use: the caller must not change the store meanwhile). */
  entries(): IterableIterator<[string, T]> {
    return this.#items.entries();
  }

  byIndex(index: string, value: string): T[] {
    const out: T[] = [];
    for (const key of this.#indexSet(index, value)) {
      const item = this.#items.get(key);
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  indexKeys(index: string, value: string): string[] {
    return [...this.#indexSet(index, value)];
  }

  indexValues(index: string): string[] {
    return [...this.#index(index).keys()];
  }

  #index(index: string): Map<string, Set<string>> {
    if (index === NAMESPACE_INDEX) return this.#namespaces;
    const map = this.#indexes.get(index);
    if (map === undefined) throw new RangeError(`No index named ${JSON.stringify(index)}`);
    return map;
  }

  #indexSet(index: string, value: string): ReadonlySet<string> {
    return this.#index(index).get(value) ?? EMPTY;
  }

  /**
   * Stores an object under a key.
   *
   * @returns the object it replaced
   */
  set(key: string, object: T): T | undefined {
    const previous = this.#items.get(key);
    this.#items.set(key, object);
    const oldNs = previous === undefined ? undefined : namespaceOf(previous);
    const newNs = namespaceOf(object);
    if (oldNs !== newNs || previous === undefined) {
      if (oldNs !== undefined) remove(this.#namespaces, oldNs, key);
      if (newNs !== undefined) add(this.#namespaces, newNs, key);
    }
    if (this.#functions.size > 0) this.#reindex(key, previous, object);
    return previous;
  }

  /**
   * Removes the object under a key.
   *
   * @returns the removed object
   */
  delete(key: string): T | undefined {
    const previous = this.#items.get(key);
    if (previous === undefined) return undefined;
    this.#items.delete(key);
    const ns = namespaceOf(previous);
    if (ns !== undefined) remove(this.#namespaces, ns, key);
    if (this.#functions.size > 0) this.#reindex(key, previous, undefined);
    return previous;
  }

  #reindex(key: string, previous: T | undefined, next: T | undefined): void {
    for (const [name, fn] of this.#functions) {
      const index = this.#indexes.get(name) as Map<string, Set<string>>;
      const before = previous === undefined ? NONE : this.#valuesOf(name, fn, previous, key);
      const after = next === undefined ? NONE : this.#valuesOf(name, fn, next, key);
      for (const v of before) if (!after.includes(v)) remove(index, v, key);
      for (const v of after) if (!before.includes(v)) add(index, v, key);
    }
  }

  #valuesOf(name: string, fn: IndexFunction<T>, object: T, key: string): readonly string[] {
    let v: string | readonly string[] | undefined;
    try {
      v = fn(object);
    } catch (error) {
      this.#onIndexError?.(error, name, key);
      return NONE;
    }
    if (v === undefined) return NONE;
    return typeof v === "string" ? [v] : v;
  }
}

const NONE: readonly string[] = Object.freeze([]);

const EMPTY: ReadonlySet<string> = new Set();

function add(index: Map<string, Set<string>>, value: string, key: string): void {
  let set = index.get(value);
  if (set === undefined) {
    set = new Set();
    index.set(value, set);
  }
  set.add(key);
}

function remove(index: Map<string, Set<string>>, value: string, key: string): void {
  const set = index.get(value);
  if (set === undefined) return;
  set.delete(key);
  if (set.size === 0) index.delete(value);
}
