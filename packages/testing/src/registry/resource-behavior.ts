/**
 * Per-kind behaviour: what makes a Pod, a Namespace or a CustomResourceDefinition more than a generic object
 * (defaults, system-owned fields, validation, scale paths, deletion rules, side effects). The registry looks the
 * behaviour of a resource up by `<group>/<plural>`; kinds without an entry are generic.
 *
 * Later layers (the OpenShift surface, RBAC, service-account tokens) add entries here; virtual resources such as
 * reviews and token requests will need a hook that takes a verb over entirely, which does not exist yet.
 *
 * @module
 */
import type { UserInfo } from "../auth/user-info.ts";
import type { KubeObject } from "../resources/kube-object.ts";
import type { FieldError } from "../server/status-error.ts";
import type { NameRule } from "./name-validation.ts";

/** What a behaviour hook may use. */
export interface BehaviorContext {
  /** Current time in milliseconds. */
  readonly now: number;
  /** The caller. */
  readonly user: UserInfo;
  /** The write is a dry run: no side effects. */
  readonly dryRun: boolean;
}

/** Where a scalable kind keeps its replica counts (`/scale`). */
export interface ScalePaths {
  /** Dotted path of the desired replicas, e.g. `spec.replicas`. */
  readonly specReplicas: string;
  /** Dotted path of the observed replicas, e.g. `status.replicas`. */
  readonly statusReplicas: string;
  /** Dotted path of the label selector: a `LabelSelector` object, a `map[string]string`, or a selector string. */
  readonly labelSelector?: string;
}

/** The behaviour of one kind. Every hook is optional. */
export interface ResourceBehavior {
  /** How object names are validated. @default "subdomain" */
  readonly nameRule?: NameRule;
  /** DELETE answers the deleted object instead of a `Status` (pods). */
  readonly returnDeletedObject?: boolean;
  /** Keeps `metadata.generation`, bumped whenever something outside metadata and status changes. */
  readonly generation?: boolean;
  /** Scale subresource paths. */
  readonly scale?: ScalePaths;
  /** PUT on a missing object creates it. */
  readonly allowCreateOnUpdate?: boolean;
  /** Default fields, on create and on every update (like the API's defaulting functions). */
  defaults?(object: KubeObject, context: BehaviorContext): void;
  /** System-owned state of a new object (status.phase, an allocated clusterIP). */
  prepareForCreate?(object: KubeObject, context: BehaviorContext): void;
  /** System-owned state carried over on update. */
  prepareForUpdate?(object: KubeObject, old: KubeObject, context: BehaviorContext): void;
  /** Kind-specific validation; field errors become a 422. */
  validate?(object: KubeObject, old: KubeObject | undefined): FieldError[];
  /**
   * Starts a deletion that completes later (a namespace's content must go first, a scheduled pod's kubelet must
   * confirm). Returns the object to store with `deletionTimestamp` set, or `undefined` to delete now.
   */
  beginDelete?(object: KubeObject, options: DeleteRequestOptions, context: BehaviorContext): KubeObject | undefined;
}

/** The parts of `DeleteOptions` a behaviour sees. */
export interface DeleteRequestOptions {
  /** `gracePeriodSeconds`, when given. */
  readonly gracePeriodSeconds: number | undefined;
  /** `propagationPolicy` after defaulting. */
  readonly propagationPolicy: "Orphan" | "Background" | "Foreground";
}
