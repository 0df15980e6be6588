/**
 * What the terminal UI drives: the cluster it talks to, one {@link ResourceWatch} per resource (tabs), the scope they
 * share (namespace, label and field selectors), the `/` filter and sort of each tab, and a single "something
 * changed" signal that the UI turns into at most a few redraws a second.
 *
 * @module
 */
import type { Client, DiscoveredResource } from "@kubeshift/client";
import { ResourceWatch, type ResourceWatchOptions, type WatchScope } from "./resource-watch.ts";

/** Who and where, for the header. */
export interface ClusterInfo {
  /** The kubeconfig context (`kubeshift-demo` for `--demo`). */
  readonly context: string;
  /** The API server URL. */
  readonly server: string;
  /** The kubeconfig user (or `in-cluster`). */
  readonly user: string;
  /** The context's namespace (what `-n` defaults to). */
  readonly namespace: string;
}

/** Options of {@link WatchSession}. */
export interface WatchSessionOptions {
  /** The scope to start with. */
  scope: WatchScope;
  /** Show the `-o wide` columns. @default false */
  wide?: boolean;
  /** The clock of highlights and fades. @default Date.now */
  now?: () => number;
  /** How long deleted rows fade, in ms. @default 2000 */
  fadeMs?: number;
  /** Informer settings, for tests. */
  informer?: ResourceWatchOptions["informer"];
}

/**
 * The watched resources of one terminal session.
 *
 * @example
 * ```ts
 * const session = new WatchSession(client, info, [await client.mapper.find("po")], { scope: { namespace: undefined } });
 * session.subscribe(() => redraw());
 * ```
 */
export class WatchSession {
  /** The client. */
  readonly client: Client;
  /** Who and where. */
  readonly info: ClusterInfo;
  readonly #tabs: ResourceWatch[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #options: WatchSessionOptions;
  #active = 0;
  #scope: WatchScope;
  #wide: boolean;
  #stopped = false;

  /**
   * Starts watching every resource.
   *
   * @param client the client
   * @param info context, server, user, namespace
   * @param resources the resources, from discovery (at least one)
   * @param options scope, wide, clock
   * @throws {RangeError} when `resources` is empty
   */
  constructor(
    client: Client,
    info: ClusterInfo,
    resources: readonly DiscoveredResource[],
    options: WatchSessionOptions,
  ) {
    if (resources.length === 0) throw new RangeError("A watch session needs at least one resource");
    this.client = client;
    this.info = info;
    this.#options = options;
    this.#scope = options.scope;
    this.#wide = options.wide === true;
    for (const resource of resources) this.#tabs.push(this.#watch(resource));
  }

  /** The tabs. */
  get tabs(): readonly ResourceWatch[] {
    return this.#tabs;
  }

  /** The index of the tab shown. */
  get activeIndex(): number {
    return this.#active;
  }

  /** The tab shown. */
  get active(): ResourceWatch {
    return this.#tabs[this.#active] as ResourceWatch;
  }

  /** The shared scope. */
  get scope(): WatchScope {
    return this.#scope;
  }

  /** Whether `-o wide` columns are shown. */
  get wide(): boolean {
    return this.#wide;
  }

  /**
   * Registers a listener of changes (rows, health, scope, tabs).
   *
   * @returns a function that unregisters it
   */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Shows another tab.
   *
   * @param delta `1` next, `-1` previous (wraps around)
   */
  cycleTab(delta: number): void {
    const n = this.#tabs.length;
    this.#active = (((this.#active + delta) % n) + n) % n;
    this.#changed();
  }

  /**
   * Watches another namespace (or all) in every tab.
   *
   * @param namespace the namespace, `undefined` for all
   */
  setNamespace(namespace: string | undefined): void {
    this.#setScope({ ...this.#scope, namespace });
  }

  /**
   * Sends another label selector to the server, in every tab.
   *
   * @param selector the selector, `undefined` or empty for none
   */
  setLabelSelector(selector: string | undefined): void {
    const value = selector === undefined || selector.trim() === "" ? undefined : selector.trim();
    this.#setScope({ ...this.#scope, labelSelector: value });
  }

  /**
   * Shows or hides the `-o wide` columns.
   *
   * @param wide whether to show them
   */
  setWide(wide: boolean): void {
    this.#wide = wide;
    for (const tab of this.#tabs) tab.setWide(wide);
    this.#changed();
  }

  /**
   * Replaces the shown tab's resource (the `:` command), or shows the tab that already watches it.
   *
   * @param name any name the server knows (`po`, `deploy`, `routes`)
   * @param signal aborts discovery
   * @throws {ApiError} NotFound when the server does not serve it (the message lists what it serves)
   */
  async switchResource(name: string, signal?: AbortSignal): Promise<void> {
    const resource = await this.client.mapper.find(name, signal === undefined ? {} : { signal });
    if (this.#stopped) return;
    const existing = this.#tabs.findIndex(
      (t) => t.resource.group === resource.group && t.resource.plural === resource.plural,
    );
    if (existing >= 0) {
      this.#active = existing;
      this.#changed();
      return;
    }
    const old = this.#tabs[this.#active] as ResourceWatch;
    this.#tabs[this.#active] = this.#watch(resource);
    await old.stop();
    this.#changed();
  }

  /** Stops every informer. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#tabs.map((t) => t.stop()));
    this.#listeners.clear();
  }

  #watch(resource: DiscoveredResource): ResourceWatch {
    return new ResourceWatch(this.client, resource, {
      scope: this.#scope,
      wide: this.#wide,
      onChange: () => this.#changed(),
      ...(this.#options.now === undefined ? {} : { now: this.#options.now }),
      ...(this.#options.fadeMs === undefined ? {} : { fadeMs: this.#options.fadeMs }),
      ...(this.#options.informer === undefined ? {} : { informer: this.#options.informer }),
    });
  }

  #setScope(scope: WatchScope): void {
    this.#scope = scope;
    for (const tab of this.#tabs) tab.setScope(scope);
    this.#changed();
  }

  #changed(): void {
    if (this.#stopped) return;
    for (const listener of this.#listeners) listener();
  }
}
