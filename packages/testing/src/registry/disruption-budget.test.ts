import { describe, expect, it } from "vitest";
import type { KubeObject } from "../resources/kube-object.ts";
import {
  type BudgetContext,
  budgetSelects,
  computeBudget,
  DISRUPTED_POD_TIMEOUT_MS,
  setCondition,
} from "./disruption-budget.ts";

const NOW = Date.parse("2026-01-01T00:00:00Z");

function pod(name: string, options: { ready?: boolean; owner?: string; deleting?: boolean } = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "ns",
      labels: { app: "web" },
      ...(options.owner === undefined
        ? {}
        : {
            ownerReferences: [
              {
                apiVersion: "apps/v1",
                kind: "ReplicaSet",
                name: options.owner,
                uid: `uid-${options.owner}`,
                controller: true,
              },
            ],
          }),
      ...(options.deleting === true ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
    },
    status: { phase: "Running", conditions: [{ type: "Ready", status: options.ready === false ? "False" : "True" }] },
  };
}

function pdb(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "b", namespace: "ns", generation: 1 },
    spec: { selector: { matchLabels: { app: "web" } }, ...spec },
    ...(status === undefined ? {} : { status }),
  };
}

const scales: Record<string, number> = { "uid-rs-a": 3, "uid-rs-b": 5 };
const context: BudgetContext = {
  now: NOW,
  scaleOf: (owner) => {
    const uid = String(owner.uid);
    return scales[uid] === undefined ? undefined : { uid, replicas: scales[uid] };
  },
};

describe("PodDisruptionBudget arithmetic", () => {
  it("selects by labels in its namespace; an empty selector selects every pod, a missing one none", () => {
    const p = pod("a");
    expect(budgetSelects(pdb({}), p)).toBe(true);
    expect(budgetSelects(pdb({ selector: { matchLabels: { app: "db" } } }), p)).toBe(false);
    expect(budgetSelects(pdb({ selector: {} }), p)).toBe(true);
    expect(budgetSelects(pdb({ selector: null }), p)).toBe(false);
    expect(budgetSelects(pdb({}), { ...p, metadata: { ...p.metadata, namespace: "other" } })).toBe(false);
    expect(
      budgetSelects(
        pdb({ selector: { matchExpressions: [{ key: "app", operator: "In", values: ["web", "api"] }] } }),
        p,
      ),
    ).toBe(true);
  });

  it("an integer minAvailable counts the selected pods; unready and terminating pods are not healthy", () => {
    const pods = [pod("a"), pod("b"), pod("c", { ready: false }), pod("d", { deleting: true })];
    expect(computeBudget(pdb({ minAvailable: 1 }), pods, context)).toEqual({
      expectedPods: 4,
      desiredHealthy: 1,
      currentHealthy: 2,
      disruptionsAllowed: 1,
      disruptedPods: {},
    });
  });

  it("percentages and maxUnavailable count from the controllers' scale, rounding up", () => {
    const pods = [pod("a", { owner: "rs-a" }), pod("b", { owner: "rs-a" }), pod("c", { owner: "rs-b" })];
    // 3 + 5 expected; 30% of 8 rounds up to 3 unavailable.
    expect(computeBudget(pdb({ maxUnavailable: "30%" }), pods, context)).toMatchObject({
      expectedPods: 8,
      desiredHealthy: 5,
      currentHealthy: 3,
      disruptionsAllowed: 0,
    });
    expect(computeBudget(pdb({ minAvailable: "25%" }), pods, context)).toMatchObject({
      expectedPods: 8,
      desiredHealthy: 2,
      disruptionsAllowed: 1,
    });
    expect(computeBudget(pdb({ maxUnavailable: 1 }), pods, context)).toMatchObject({ desiredHealthy: 7 });
  });

  it("a pod whose controller cannot be found makes the budget fail (the controller's SyncFailed)", () => {
    expect(() => computeBudget(pdb({ maxUnavailable: 1 }), [pod("x", { owner: "gone" })], context)).toThrow(
      'found no controllers for pod "x"',
    );
    expect(() => computeBudget(pdb({ minAvailable: "half" }), [], context)).toThrow(/invalid value for IntOrString/);
  });

  it("a budget that expects no pods allows no disruption", () => {
    expect(computeBudget(pdb({ minAvailable: 0 }), [], context).disruptionsAllowed).toBe(0);
  });

  it("recently evicted pods stay out of the healthy count until they terminate or their entry expires", () => {
    const recent = new Date(NOW - 1000).toISOString();
    const old = new Date(NOW - DISRUPTED_POD_TIMEOUT_MS - 1000).toISOString();
    const budget = pdb({ minAvailable: 1 }, { disruptedPods: { a: recent, b: old, c: recent } });
    const counts = computeBudget(budget, [pod("a"), pod("b"), pod("c", { deleting: true })], context);
    expect(counts.disruptedPods).toEqual({ a: recent });
    expect(counts.currentHealthy).toBe(1);
  });

  it("the DisruptionAllowed condition keeps its transition time while its status stays", () => {
    const first = setCondition(
      undefined,
      { status: "True", reason: "SufficientPods", message: "", observedGeneration: 1 },
      NOW,
    );
    expect(first).toEqual([
      {
        type: "DisruptionAllowed",
        status: "True",
        observedGeneration: 1,
        lastTransitionTime: "2026-01-01T00:00:00Z",
        reason: "SufficientPods",
        message: "",
      },
    ]);
    const same = setCondition(
      first,
      { status: "True", reason: "SufficientPods", message: "", observedGeneration: 2 },
      NOW + 5000,
    );
    expect(same[0]?.lastTransitionTime).toBe("2026-01-01T00:00:00Z");
    const flipped = setCondition(
      same,
      { status: "False", reason: "InsufficientPods", message: "", observedGeneration: 2 },
      NOW + 5000,
    );
    expect(flipped[0]).toMatchObject({ status: "False", lastTransitionTime: "2026-01-01T00:00:05Z" });
  });
});
