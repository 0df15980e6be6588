/**
 * The options of the client's verbs. One line each; the query parameters keep the API's names.
 *
 * @module
 */
import type { FieldSelectorInput } from "./field-selector.ts";
import type { LabelSelectorInput } from "./label-selector.ts";

/** Options every call takes. */
export interface CallOptions {
  /** Aborts the call; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides the transport's request timeout for this call, in milliseconds (`0` disables it). */
  timeoutMs?: number;
  /** Extra request headers (impersonation for one call, a tracing header). */
  headers?: HeadersInit;
}

/** Where a namespaced object lives. */
export interface NamespaceOptions {
  /**
   * Namespace of the object or collection; ignored for cluster-scoped kinds.
   * @default the object's `metadata.namespace`, else the client's namespace
   */
  namespace?: string;
}

/** Options of `get`. */
export interface GetOptions extends CallOptions, NamespaceOptions {
  /** `resourceVersion` semantics of the read (`"0"`: any cached version will do). */
  resourceVersion?: string;
}

/** Selectors shared by list, deleteCollection and table. */
export interface SelectorOptions {
  /** Label selector: the API's string, a `labels()` builder, or a `metav1.LabelSelector`. */
  labelSelector?: LabelSelectorInput;
  /** Field selector: the API's string or `{ "metadata.name": "web" }`. */
  fieldSelector?: FieldSelectorInput;
}

/** Options of `list`. */
export interface ListOptions extends CallOptions, NamespaceOptions, SelectorOptions {
  /** Lists every namespace (a namespaced kind's cluster-wide collection). @default false */
  allNamespaces?: boolean;
  /** Page size; the server returns `metadata.continue` when more remain. */
  limit?: number;
  /** The `metadata.continue` token of the previous page. */
  continue?: string;
  /** `resourceVersion` semantics of the list (`"0"`: from the watch cache). */
  resourceVersion?: string;
  /** How `resourceVersion` applies. */
  resourceVersionMatch?: "Exact" | "NotOlderThan";
  /** Server-side timeout of the list, in seconds. */
  timeoutSeconds?: number;
}

/** Options of `iterate` and `listAll`. */
export interface IterateOptions extends Omit<ListOptions, "continue"> {
  /** Page size. @default 500 (client-go's pager) */
  limit?: number;
  /**
   * What to do when a continue token expires (410 Expired after compaction): `"restart"` lists again from the start
   * without the inconsistent token the server offers; `"throw"` rejects with the `ApiError`. @default "restart"
   */
  onExpired?: "restart" | "throw";
  /** How many times to restart before giving up with the `ApiError`. @default 3 */
  maxRestarts?: number;
}

/** Options of every write. */
export interface WriteOptions extends CallOptions, NamespaceOptions {
  /** Sends `dryRun=All`: the server validates and answers without persisting. @default false */
  dryRun?: boolean;
  /** Name recorded in `managedFields` for this change. @default the client's `fieldManager` for apply, else none */
  fieldManager?: string;
  /** How the server treats unknown or duplicate fields (Kubernetes 1.25+; older servers ignore it). */
  fieldValidation?: "Strict" | "Warn" | "Ignore";
}

/** Options of `create`. */
export type CreateOptions = WriteOptions;

/** Options of `replace`. */
export interface ReplaceOptions extends WriteOptions {
  /**
   * Precondition: replace only if the stored object still has this `resourceVersion` (409 Conflict otherwise).
   * @default the object's own `metadata.resourceVersion` (sent as part of the object)
   */
  resourceVersion?: string;
}

/** The patch types of the API and their content types. */
export type PatchType = "json" | "merge" | "strategic" | "apply";

/** Options of `patch` and of the subresource patches. */
export interface PatchOptions extends WriteOptions {
  /**
   * `json` (RFC 6902 operations), `merge` (RFC 7386), `strategic` (Kubernetes strategic merge: lists merged by key,
   * built-in kinds only) or `apply` (server-side apply: needs a field manager). @default "merge"
   */
  type?: PatchType;
  /** Server-side apply only: take ownership of fields other managers own instead of failing with 409. */
  force?: boolean;
}

/** Options of `apply`. */
export interface ApplyOptions extends WriteOptions {
  /** Take ownership of fields other managers own instead of failing with 409 Conflict. @default false */
  force?: boolean;
}

/** Preconditions of a delete. */
export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

/** Options of `delete`. */
export interface DeleteOptions extends CallOptions, NamespaceOptions {
  /** What happens to dependents: `Foreground` waits for them, `Background` deletes them later, `Orphan` keeps them. */
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  /** Seconds before the object is deleted (`0`: immediately). */
  gracePeriodSeconds?: number;
  /** Delete only if the stored object still has this uid / resourceVersion (409 Conflict otherwise). */
  preconditions?: Preconditions;
  /** Sends `dryRun=All`. @default false */
  dryRun?: boolean;
}

/** Options of `deleteCollection`. */
export interface DeleteCollectionOptions extends DeleteOptions, SelectorOptions {}
