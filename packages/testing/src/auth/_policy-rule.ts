/**
 * RBAC policy rules and how a request matches one, as `k8s.io/kubernetes/pkg/apis/rbac/v1` evaluates them: verbs,
 * API groups, resources (`resource/subresource`, a star alone, or a star before a subresource), resource names, and non-resource URLs
 * (exact, or a prefix ending in a star).
 *
 * @module
 */
import type { AuthorizationAttributes } from "./authorizer.ts";

/** One rule of a Role or ClusterRole. */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

function has(list: readonly string[] | undefined, value: string): boolean {
  return list !== undefined && (list.includes("*") || list.includes(value));
}

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource === "" ? resource : `${resource}/${subresource}`;
  for (const r of rule.resources ?? []) {
    if (r === "*" || r === combined) return true;
    if (subresource !== "" && r === `*/${subresource}`) return true;
  }
  return false;
}

function nonResourceMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === "*" || u === path) return true;
    if (u.endsWith("*") && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/**
 * Whether a rule allows a request.
 *
 * @param rule the rule
 * @param a the request's attributes
 * @returns true when verb, group, resource and name (or the path) all match
 */
export function ruleAllows(rule: PolicyRule, a: AuthorizationAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.isResourceRequest) return nonResourceMatches(rule, a.path);
  if (!has(rule.apiGroups, a.apiGroup)) return false;
  if (!resourceMatches(rule, a.resource, a.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(a.name);
}

/** Reads the rules of a Role or ClusterRole object, ignoring malformed entries. */
export function rulesOf(object: object): PolicyRule[] {
  const rules = (object as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return [];
  const out: PolicyRule[] = [];
  for (const r of rules as Record<string, unknown>[]) {
    if (typeof r !== "object" || r === null || !Array.isArray(r.verbs)) continue;
    const strings = (v: unknown): string[] | undefined =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
    const rule: {
      verbs: string[];
      apiGroups?: string[];
      resources?: string[];
      resourceNames?: string[];
      nonResourceURLs?: string[];
    } = { verbs: strings(r.verbs) ?? [] };
    for (const key of ["apiGroups", "resources", "resourceNames", "nonResourceURLs"] as const) {
      const v = strings(r[key]);
      if (v !== undefined) rule[key] = v;
    }
    out.push(rule);
  }
  return out;
}
