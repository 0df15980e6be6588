/**
 * The arithmetic of a PodDisruptionBudget, as kube-controller-manager's disruption controller does it: which pods a
 * budget selects, how many must stay healthy (`minAvailable`, or the expected pods minus `maxUnavailable`; integers,
 * or percentages of the controllers' scale rounded up), how many are healthy now (Ready, not being deleted, not just
 * evicted), and so how many disruptions are allowed.
 *
 * @module
 */
import { formatTime } from "../clock.ts";
import { isPlainObject, type KubeObject, type OwnerReference } from "../resources/kube-object.ts";
import { parseLabelSelector } from "../selectors/label-selector.ts";
import { SelectorError } from "../selectors/selector-error.ts";
import { labelSelectorText } from "./object-meta.ts";

/** How long an evicted pod stays in `status.disruptedPods` before the controller stops expecting its deletion. */
export const DISRUPTED_POD_TIMEOUT_MS: number = 2 * 60 * 1000;

/** The fields of `PodDisruptionBudgetStatus` the controller computes. */
export interface BudgetCounts {
  readonly expectedPods: number;
  readonly desiredHealthy: number;
  readonly currentHealthy: number;
  readonly disruptionsAllowed: number;
  /** Pods evicted and not yet seen terminating, by name (RFC 3339 times). */
  readonly disruptedPods: Readonly<Record<string, string>>;
}

/** The controller that owns a pod, and the number of replicas it wants. */
export interface ControllerScale {
  readonly uid: string;
  readonly replicas: number;
}

/** What {@link computeBudget} needs besides the budget and its pods. */
export interface BudgetContext {
  /** Current time in ms. */
  readonly now: number;
  /**
   * The scale of the controller named by a pod's controller reference (a Deployment for the pods of its ReplicaSets),
   * `undefined` when there is none.
   */
  scaleOf(owner: OwnerReference, namespace: string): ControllerScale | undefined;
}

/** A pod's `Ready` condition is `True` (`podutil.IsPodReady`, the disruption controller's notion of healthy). */
export function isPodReady(pod: KubeObject): boolean {
  const status = isPlainObject(pod.status) ? pod.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  return conditions.some((c) => isPlainObject(c) && c.type === "Ready" && c.status === "True");
}

/**
 * The pods a budget selects, as a predicate compiled once per budget: pods of its namespace, none for a missing
 * selector, every pod for an empty one (the policy/v1 rule), none for an unparseable one.
 */
export function budgetSelector(pdb: KubeObject): (pod: KubeObject) => boolean {
  const namespace = pdb.metadata?.namespace ?? "";
  const spec = isPlainObject(pdb.spec) ? pdb.spec : {};
  if (!isPlainObject(spec.selector)) return () => false;
  const text = labelSelectorText(spec.selector);
  if (text === undefined) return () => false;
  let selector: ReturnType<typeof parseLabelSelector>;
  try {
    selector = parseLabelSelector(text);
  } catch (e) {
    if (e instanceof SelectorError) return () => false;
    throw e;
  }
  return (pod) => (pod.metadata?.namespace ?? "") === namespace && selector.matches(pod.metadata?.labels ?? {});
}

/** Whether a budget selects a pod: {@link budgetSelector} for one pod. */
export function budgetSelects(pdb: KubeObject, pod: KubeObject): boolean {
  return budgetSelector(pdb)(pod);
}

/** `intstr.GetScaledValueFromIntOrPercent(value, total, true)`. */
function scaled(value: unknown, total: number): number {
  if (typeof value === "number") return value;
  const text = String(value);
  const percent = /^(-?\d+)%$/.exec(text);
  if (percent === null) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  return Math.ceil((Number(percent[1]) * total) / 100);
}

/** Sum of the scales of the controllers of `pods` (`getExpectedScale`); pods without a controller are left out. */
function expectedScale(pods: readonly KubeObject[], context: BudgetContext): number {
  const scales = new Map<string, number>();
  for (const pod of pods) {
    const owner = (pod.metadata?.ownerReferences ?? []).find((r) => isPlainObject(r) && r.controller === true);
    if (owner === undefined) continue;
    if (scales.has(owner.uid)) continue;
    const found = context.scaleOf(owner, pod.metadata?.namespace ?? "");
    if (found === undefined)
      throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata?.name ?? "")}`);
    scales.set(found.uid, found.replicas);
  }
  let total = 0;
  for (const n of scales.values()) total += n;
  return total;
}

/**
 * Computes a budget's counts from the pods it selects (the disruption controller's `trySync`).
 *
 * @param pdb the PodDisruptionBudget (its `status.disruptedPods` are carried over while they are pending)
 * @param pods the pods the budget selects
 * @param context the time and the controllers' scales
 * @returns the counts
 * @throws {Error} when a percentage or `maxUnavailable` needs a controller's scale that cannot be found, or a value
 *   is not an integer or a percentage (the controller then writes the `SyncFailed` condition)
 * @example
 * ```ts
 * const counts = computeBudget(pdb, pods.filter((p) => budgetSelects(pdb, p)), { now: Date.now(), scaleOf: () => undefined });
 * ```
 */
export function computeBudget(pdb: KubeObject, pods: readonly KubeObject[], context: BudgetContext): BudgetCounts {
  const spec = isPlainObject(pdb.spec) ? pdb.spec : {};
  let expectedPods = 0;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expectedPods = expectedScale(pods, context);
    desiredHealthy = Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods));
  } else if (typeof spec.minAvailable === "number") {
    desiredHealthy = spec.minAvailable;
    expectedPods = pods.length;
  } else if (typeof spec.minAvailable === "string") {
    expectedPods = expectedScale(pods, context);
    desiredHealthy = scaled(spec.minAvailable, expectedPods);
  }
  const status = isPlainObject(pdb.status) ? pdb.status : {};
  const previous = isPlainObject(status.disruptedPods) ? status.disruptedPods : {};
  const disruptedPods: Record<string, string> = {};
  for (const pod of pods) {
    const name = pod.metadata?.name ?? "";
    const since = previous[name];
    if (pod.metadata?.deletionTimestamp !== undefined || typeof since !== "string") continue;
    if (Date.parse(since) + DISRUPTED_POD_TIMEOUT_MS >= context.now) disruptedPods[name] = since;
  }
  let currentHealthy = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp !== undefined) continue;
    if (Object.hasOwn(disruptedPods, pod.metadata?.name ?? "")) continue;
    if (isPodReady(pod)) currentHealthy++;
  }
  // A budget that expects no pods allows nothing, so that its first pods are safe before it is synced again.
  const allowed = expectedPods <= 0 ? 0 : Math.max(0, currentHealthy - desiredHealthy);
  return { expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed: allowed, disruptedPods };
}

/**
 * Sets the `DisruptionAllowed` condition the way `apimeta.SetStatusCondition` does: the transition time changes
 * only when the condition's status does.
 *
 * @param conditions the current conditions (not modified)
 * @param condition the new state (type `DisruptionAllowed`)
 * @param now the time of a transition, in ms
 * @returns the new conditions
 */
export function setCondition(
  conditions: unknown,
  condition: { status: "True" | "False"; reason: string; message: string; observedGeneration: number },
  now: number,
): Record<string, unknown>[] {
  const list = Array.isArray(conditions) ? conditions.filter(isPlainObject).map((c) => ({ ...c })) : [];
  const existing = list.find((c) => c.type === "DisruptionAllowed");
  const next: Record<string, unknown> = {
    type: "DisruptionAllowed",
    status: condition.status,
    ...(condition.observedGeneration > 0 ? { observedGeneration: condition.observedGeneration } : {}),
    lastTransitionTime:
      existing !== undefined && existing.status === condition.status ? existing.lastTransitionTime : formatTime(now),
    reason: condition.reason,
    message: condition.message,
  };
  if (existing === undefined) return [...list, next];
  return list.map((c) => (c === existing ? next : c));
}
