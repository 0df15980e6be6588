/**
 * The shapes every Kubernetes object and list share, as much of them as the client reads. Generated types of
 * `@kubeshift/types` are assignable to them; the dynamic client returns them for kinds that have no generated type.
 *
 * @module
 */

/** `metav1.ObjectMeta`, the fields the client reads; every other field is kept as received. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  [field: string]: unknown;
}

/** `metav1.ListMeta`: where a list stands (`resourceVersion`) and how to fetch the next page (`continue`). */
export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  selfLink?: string;
}

/** Any Kubernetes object: `apiVersion`, `kind`, `metadata`, and whatever else the kind carries. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** Any Kubernetes list (`PodList`, `ConfigMapList`, …). */
export interface KubeList<T = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

/** The object type a verb returns: the descriptor's, or {@link KubeObject} when the descriptor carries none. */
export type ObjectResult<T> = unknown extends T ? KubeObject : T;

/** The list type a verb returns: the descriptor's, or a {@link KubeList} of its objects when it carries none. */
export type ListResult<T, L> = unknown extends L ? KubeList<ObjectResult<T>> : L;
