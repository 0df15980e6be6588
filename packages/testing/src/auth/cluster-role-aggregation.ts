/**
 * The ClusterRole aggregation controller: a ClusterRole with an `aggregationRule` gets, as its `rules`, the rules of
 * every ClusterRole its selectors match (so `admin` grows when a CRD's `aggregate-to-admin` role appears). Runs once
 * at start and after every ClusterRole change.
 *
 * @module
 */
import { labelSelectorText } from "../registry/object-meta.ts";
import type { Registry } from "../registry/registry.ts";
import { cloneJson, isPlainObject, jsonEqual, type KubeObject } from "../resources/kube-object.ts";
import { parseLabelSelector } from "../selectors/label-selector.ts";
import type { UserInfo } from "./user-info.ts";

const CONTROLLER: UserInfo = {
  name: "system:serviceaccount:kube-system:clusterrole-aggregation-controller",
  groups: [],
};

// A selector with an unknown operator selects nothing (the real controller skips selectors it cannot convert).
function selectorsOf(role: KubeObject): string[] | undefined {
  const rule = role.aggregationRule;
  if (!isPlainObject(rule) || !Array.isArray(rule.clusterRoleSelectors)) return undefined;
  return (rule.clusterRoleSelectors as unknown[]).flatMap((s) => {
    const text = labelSelectorText(s);
    return text === undefined ? [] : [text];
  });
}

/**
 * Recomputes the rules of every aggregated ClusterRole and stores those that changed.
 *
 * @param registry the cluster's registry
 */
export function aggregateClusterRoles(registry: Registry): void {
  const resource = registry.table.lookup("/apis/rbac.authorization.k8s.io/v1", "clusterroles");
  if (resource === undefined) return;
  // Aggregated roles may aggregate each other (view → edit → admin): repeat until nothing changes.
  for (let pass = 0; pass < 5; pass++) {
    let changed = false;
    const roles = registry.storage.list(resource.storageKey).items;
    for (const entry of roles) {
      const selectors = selectorsOf(entry.object);
      if (selectors === undefined) continue;
      // A selector that does not parse selects nothing (the real controller skips it); it must not stop the others.
      const parsed = selectors.flatMap((s) => {
        try {
          return [parseLabelSelector(s)];
        } catch {
          return [];
        }
      });
      const rules: unknown[] = [];
      for (const other of roles) {
        if (other === entry) continue;
        const labels = other.object.metadata?.labels;
        if (!parsed.some((p) => !p.isEmpty() && p.matches(labels))) continue;
        for (const r of Array.isArray(other.object.rules) ? other.object.rules : [])
          if (!rules.some((x) => jsonEqual(x, r))) rules.push(cloneJson(r));
      }
      if (jsonEqual(rules, entry.object.rules ?? [])) continue;
      const next = cloneJson(entry.object);
      next.rules = rules;
      registry.updateFrom(resource, entry, next, {
        user: CONTROLLER,
        dryRun: false,
        fieldManager: "clusterrole-aggregation-controller",
      });
      changed = true;
    }
    if (!changed) return;
  }
}
