/**
 * What an informer delivers to its consumers: add, update (old and new state) and delete (with a tombstone flag for
 * deletions it only learnt about from a relist), plus periodic sync, each labelled with the delta kind client-go and
 * `oc observe` use (`Added | Updated | Deleted | Replaced | Sync | DeletedFinalStateUnknown`).
 *
 * @module
 */

/** The delta kinds of client-go's DeltaFIFO. */
export type DeltaType = "Added" | "Updated" | "Deleted" | "Replaced" | "Sync" | "DeletedFinalStateUnknown";

/** An object appeared (first seen, created, or started matching the selectors). */
export interface InformerAddEvent<T> {
  type: "add";
  /** The store key (`namespace/name` or `name`). */
  key: string;
  /** Its state. */
  object: T;
  /** Part of the informer's initial list (or of the cache a late consumer started with). */
  isInInitialList: boolean;
  /** `Added` from a watch event, `Replaced` from a list. */
  delta: "Added" | "Replaced";
}

/** An object changed. */
export interface InformerUpdateEvent<T> {
  type: "update";
  key: string;
  /** The state this consumer saw last. */
  oldObject: T;
  /** The new state. */
  object: T;
  /** `Updated` from a watch event, `Replaced` from a relist, `Sync` from a periodic resync (old and new are the same). */
  delta: "Updated" | "Replaced" | "Sync";
}

/** An object went away (deleted, or stopped matching the selectors). */
export interface InformerDeleteEvent<T> {
  type: "delete";
  key: string;
  /** Its last state: from the DELETED event, or the last cached state for a tombstone. */
  object: T;
  /**
   * The deletion happened while the informer was disconnected and was found by a relist: `object` is the last state
   * the informer knew, not necessarily the final one (client-go's `DeletedFinalStateUnknown`).
   */
  finalStateUnknown: boolean;
  delta: "Deleted" | "DeletedFinalStateUnknown";
}

/** One notification of an informer. */
export type InformerEvent<T> = InformerAddEvent<T> | InformerUpdateEvent<T> | InformerDeleteEvent<T>;
