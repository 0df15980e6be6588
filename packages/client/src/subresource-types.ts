/**
 * Wire types of the subresources the client reads and writes itself: `scale` (autoscaling/v1 Scale) and `eviction`
 * (policy Eviction).
 *
 * @module
 */
import type { ObjectMeta } from "./kube-object.ts";
import type { CallOptions, NamespaceOptions, Preconditions } from "./options.ts";

/** autoscaling/v1 `Scale`: what `/scale` returns and takes. */
export interface Scale {
  apiVersion?: string;
  kind?: "Scale";
  metadata?: ObjectMeta;
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

/** Options of `evict`. */
export interface EvictOptions extends CallOptions, NamespaceOptions {
  /** Seconds the pod gets to stop. */
  gracePeriodSeconds?: number;
  /** Evict only if the pod still has this uid / resourceVersion. */
  preconditions?: Preconditions;
  /** Sends `dryRun: ["All"]`. @default false */
  dryRun?: boolean;
  /**
   * The Eviction version to send. @default what discovery reports for `pods/eviction` (`policy/v1` on 1.22+,
   * `policy/v1beta1` before), else `policy/v1`
   */
  apiVersion?: "policy/v1" | "policy/v1beta1";
}
