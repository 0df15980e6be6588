/**
 * Per-kind behaviour: what makes a Pod, a Namespace or a CustomResourceDefinition more than a generic object
 * (defaults, system-owned fields, validation, scale paths, deletion rules, side effects). The registry looks the
 * behaviour of a resource up by `<group>/<plural>`; kinds without an entry are generic.
 *
 * Virtual resources (access and token reviews, TokenRequest, ProjectRequest, `users/~`, projects as a view of
 * namespaces) take a verb over entirely with {@link ResourceBehavior.verbs}: the server decodes the body, runs the
 * handler instead of the generic registry code and answers what it returns.
 *
 * @module
 */
import type { AuthorizationAttributes, AuthorizationDecision } from "../auth/authorizer.ts";
import type { UserInfo } from "../auth/user-info.ts";
import type { KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
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

/** A request a behaviour serves itself ({@link ResourceBehavior.verbs}). */
export interface VerbRequest {
  /** Kubernetes verb (`create`, `get`, `list`, `update`, `patch`, `delete`, `deletecollection`, `watch`). */
  readonly verb: string;
  /** Subresource (`""` when none). */
  readonly subresource: string;
  /** Namespace from the URL (`""` for cluster scope). */
  readonly namespace: string;
  /** Object name from the URL (`""` for collections). */
  readonly name: string;
  /** The caller, after impersonation. */
  readonly user: UserInfo;
  /** The decoded body of a create, update or patch (JSON, YAML, or the protobuf of the review kinds). */
  readonly body: unknown;
  /** `Content-Type` of the body. */
  readonly contentType: string;
  /** The query parameters. */
  readonly query: URLSearchParams;
  /** `dryRun=All`. */
  readonly dryRun: boolean;
  /** Where the request came in (its apiVersion is the one to answer with). */
  readonly resource: ServedResource;
  /** Asks the cluster's authorizer. */
  authorize(attributes: AuthorizationAttributes): AuthorizationDecision | Promise<AuthorizationDecision>;
}

/** What a verb handler answers: an HTTP status and a JSON value (an object, a list, or a Status). */
export interface VerbResult {
  /** HTTP status. */
  readonly status: number;
  /** The body; lists (`items`) and objects of the resource's kind can be printed as Tables. */
  readonly object: unknown;
}

/** Serves one verb of a virtual resource; `undefined` falls through to the generic handling. */
export type VerbHandler = (request: VerbRequest) => VerbResult | undefined | Promise<VerbResult | undefined>;

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
  /**
   * Verbs the kind serves itself, by `<verb>` or `<verb>/<subresource>` (`create/token`): a virtual resource, or a
   * verb with semantics the generic registry does not have.
   */
  readonly verbs?: Readonly<Record<string, VerbHandler>>;
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
