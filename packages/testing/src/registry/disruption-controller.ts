/**
 * The disruption controller of kube-controller-manager, as far as the Eviction API needs it: it keeps the status of
 * every PodDisruptionBudget (`observedGeneration`, `currentHealthy`, `desiredHealthy`, `expectedPods`,
 * `disruptionsAllowed`, `disruptedPods`, the `DisruptionAllowed` condition) in step with the pods the budget selects
 * and the scale of their controllers. Like the other fake controllers it acts after `controllerDelayMs`, so a budget
 * that was just created or changed is briefly "still being processed" (the eviction's 429 with `Retry-After: 10`).
 *
 * @module
 */
import type { UserInfo } from "../auth/user-info.ts";
import { cloneJson, isPlainObject, jsonEqual, type KubeObject, type OwnerReference } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import { StatusError } from "../server/status-error.ts";
import {
  type BudgetContext,
  budgetSelector,
  type ControllerScale,
  computeBudget,
  setCondition,
} from "./disruption-budget.ts";
import type { Registry } from "./registry.ts";

/** Storage key of PodDisruptionBudgets. */
export const PDB_STORAGE_KEY = "policy/poddisruptionbudgets";

const CONTROLLER_USER: UserInfo = { name: "system:serviceaccount:kube-system:disruption-controller", groups: [] };

function numberAt(object: KubeObject, path: string): number {
  let cur: unknown = object;
  for (const p of path.replace(/^\./, "").split(".")) cur = isPlainObject(cur) ? cur[p] : undefined;
  return typeof cur === "number" ? cur : 0;
}

function controllerOf(object: KubeObject): OwnerReference | undefined {
  return (object.metadata?.ownerReferences ?? []).find((r) => isPlainObject(r) && r.controller === true);
}

/** Keeps PodDisruptionBudget status up to date. */
export class DisruptionController {
  readonly #registry: Registry;
  /** Budgets per namespace, so that pod writes in namespaces without one cost a map lookup. */
  readonly #budgets = new Map<string, number>();
  readonly #pending = new Set<string>();

  /** @param registry the cluster's registry (status writes go through it) */
  constructor(registry: Registry) {
    this.#registry = registry;
  }

  /** Reacts to a committed change (the registry's `onCommit`). */
  onCommit(resource: ServedResource, type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject): void {
    const namespace = object.metadata?.namespace ?? "";
    if (resource.storageKey === PDB_STORAGE_KEY) {
      const n = this.#budgets.get(namespace) ?? 0;
      if (type === "ADDED") this.#budgets.set(namespace, n + 1);
      else if (type === "DELETED") {
        if (n <= 1) this.#budgets.delete(namespace);
        else this.#budgets.set(namespace, n - 1);
        return;
      }
      this.#schedule(namespace);
      return;
    }
    // Pods, and the controllers whose scale a percentage or maxUnavailable counts from.
    if ((resource.storageKey === "/pods" || resource.behavior.scale !== undefined) && this.#budgets.has(namespace))
      this.#schedule(namespace);
  }

  #schedule(namespace: string): void {
    if (this.#pending.has(namespace)) return;
    this.#pending.add(namespace);
    this.#registry.later(() => {
      this.#pending.delete(namespace);
      this.sync(namespace);
    });
  }

  /** Recomputes the status of every budget of a namespace now, writing the ones that changed. */
  sync(namespace: string): void {
    const registry = this.#registry;
    const resource = registry.table.byStorageKey(PDB_STORAGE_KEY).find((r) => r.version === "v1");
    if (resource === undefined) return;
    const pods = registry.storage.list("/pods", { namespace }).items.map((e) => e.object);
    const context: BudgetContext = {
      now: registry.clock.now(),
      scaleOf: (owner, ns) => this.#scaleOf(owner, ns),
    };
    for (const entry of registry.storage.list(PDB_STORAGE_KEY, { namespace }).items) {
      const pdb = entry.object;
      const old = isPlainObject(pdb.status) ? pdb.status : {};
      const generation = pdb.metadata?.generation ?? 0;
      let status: Record<string, unknown>;
      try {
        const counts = computeBudget(pdb, pods.filter(budgetSelector(pdb)), context);
        const allowed = counts.disruptionsAllowed > 0;
        status = {
          observedGeneration: generation,
          ...(Object.keys(counts.disruptedPods).length > 0 ? { disruptedPods: counts.disruptedPods } : {}),
          disruptionsAllowed: counts.disruptionsAllowed,
          currentHealthy: counts.currentHealthy,
          desiredHealthy: counts.desiredHealthy,
          expectedPods: counts.expectedPods,
          conditions: setCondition(
            old.conditions,
            {
              status: allowed ? "True" : "False",
              reason: allowed ? "SufficientPods" : "InsufficientPods",
              message: "",
              observedGeneration: generation,
            },
            context.now,
          ),
        };
      } catch (e) {
        // failSafe: nothing may be disrupted while the budget cannot be computed.
        const observed = typeof old.observedGeneration === "number" ? old.observedGeneration : 0;
        status = {
          ...old,
          disruptionsAllowed: 0,
          conditions: setCondition(
            old.conditions,
            { status: "False", reason: "SyncFailed", message: (e as Error).message, observedGeneration: observed },
            context.now,
          ),
        };
      }
      if (jsonEqual(status, old)) continue;
      try {
        registry.updateFrom(
          resource,
          entry,
          { ...cloneJson(pdb), status },
          { user: CONTROLLER_USER, dryRun: false, fieldManager: "kube-controller-manager" },
          "status",
        );
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
      }
    }
  }

  /** `finders()`: a ReplicaSet run by a Deployment counts as its Deployment; other owners by their own scale. */
  #scaleOf(owner: OwnerReference, namespace: string): ControllerScale | undefined {
    const target = this.#find(owner, namespace);
    if (target === undefined) return undefined;
    const parent = controllerOf(target.object);
    if (target.resource.kind === "ReplicaSet" && parent?.kind === "Deployment") {
      const deployment = this.#find(parent, namespace);
      if (deployment !== undefined) return this.#scaleFrom(deployment);
    }
    return this.#scaleFrom(target);
  }

  #find(ref: OwnerReference, namespace: string): { resource: ServedResource; object: KubeObject } | undefined {
    if (typeof ref.apiVersion !== "string" || typeof ref.kind !== "string" || typeof ref.name !== "string")
      return undefined;
    const resource = this.#registry.table.byKind(ref.apiVersion, ref.kind);
    if (resource === undefined) return undefined;
    const entry = this.#registry.find(resource, namespace, ref.name);
    if (entry === undefined || (ref.uid !== undefined && entry.object.metadata?.uid !== ref.uid)) return undefined;
    return { resource, object: entry.object };
  }

  #scaleFrom(target: { resource: ServedResource; object: KubeObject }): ControllerScale | undefined {
    const paths = target.resource.behavior.scale;
    if (paths === undefined) return undefined;
    return { uid: target.object.metadata?.uid ?? "", replicas: numberAt(target.object, paths.specReplicas) };
  }
}
