/**
 * RBAC, evaluated on every request from the Roles, ClusterRoles, RoleBindings and ClusterRoleBindings in the store,
 * the way kube-apiserver's RBAC authorizer does: ClusterRoleBindings first, then the RoleBindings of the request's
 * namespace; the first binding whose role has a matching rule allows, and the decision names it
 * (`RBAC: allowed by RoleBinding "x/ns" of ClusterRole "admin" to User "jane"`). Members of `system:masters` are
 * allowed everything before RBAC is asked, as the privileged-group authorizer does. The same walk answers
 * SelfSubjectRulesReview and "who may" reviews.
 *
 * @module
 */
import type { KubeObject } from "../resources/kube-object.ts";
import type { ObjectStorage } from "../store/object-storage.ts";
import { type PolicyRule, ruleAllows, rulesOf } from "./_policy-rule.ts";
import type { AuthorizationAttributes, AuthorizationDecision } from "./authorizer.ts";
import type { UserInfo } from "./user-info.ts";

const RBAC = "rbac.authorization.k8s.io";

/** The group whose members may do anything, whatever the bindings say. */
export const SUPERUSER_GROUP = "system:masters";

interface Subject {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}

interface Binding {
  readonly kind: "ClusterRoleBinding" | "RoleBinding";
  readonly name: string;
  readonly namespace: string;
  readonly roleKind: string;
  readonly roleName: string;
  readonly subjects: readonly Subject[];
}

function bindingOf(object: KubeObject, kind: Binding["kind"]): Binding {
  const roleRef = (object.roleRef ?? {}) as { kind?: string; name?: string };
  return {
    kind,
    name: object.metadata?.name ?? "",
    namespace: object.metadata?.namespace ?? "",
    roleKind: roleRef.kind ?? "",
    roleName: roleRef.name ?? "",
    subjects: Array.isArray(object.subjects) ? (object.subjects as Subject[]) : [],
  };
}

/** The subject of a binding that names this user, if any. */
function matchingSubject(binding: Binding, user: UserInfo): Subject | undefined {
  for (const s of binding.subjects) {
    switch (s.kind) {
      case "User":
        if (s.name === user.name) return s;
        break;
      case "Group":
        if (s.name !== undefined && user.groups.includes(s.name)) return s;
        break;
      case "ServiceAccount": {
        const namespace = s.namespace !== undefined && s.namespace !== "" ? s.namespace : binding.namespace;
        if (user.name === `system:serviceaccount:${namespace}:${s.name ?? ""}`) return s;
        break;
      }
    }
  }
  return undefined;
}

function describeSubject(binding: Binding, s: Subject): string {
  if (s.kind === "ServiceAccount") {
    const namespace = s.namespace !== undefined && s.namespace !== "" ? s.namespace : binding.namespace;
    return `ServiceAccount ${JSON.stringify(`${s.name ?? ""}/${namespace}`)}`;
  }
  return `${s.kind ?? ""} ${JSON.stringify(s.name ?? "")}`;
}

function describeBinding(binding: Binding): string {
  const name = binding.kind === "RoleBinding" ? `${binding.name}/${binding.namespace}` : binding.name;
  return `${binding.kind} ${JSON.stringify(name)}`;
}

/** A rule set as a SelfSubjectRulesReview reports it. */
export interface SubjectRules {
  readonly resourceRules: { verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames?: string[] }[];
  readonly nonResourceRules: { verbs: string[]; nonResourceURLs: string[] }[];
}

/** Evaluates RBAC against the objects in a store. */
export class RbacAuthorizer {
  readonly #storage: ObjectStorage;

  /** @param storage the cluster's storage (RBAC objects are read at each decision, never cached) */
  constructor(storage: ObjectStorage) {
    this.#storage = storage;
  }

  /** The {@link Authorizer} function. */
  readonly authorize = (a: AuthorizationAttributes): AuthorizationDecision => {
    if (a.user.groups.includes(SUPERUSER_GROUP)) return { allowed: true };
    let reason: string | undefined;
    this.#visit(a.user, a.namespace, (binding, subject, rules) => {
      if (!rules.some((r) => ruleAllows(r, a))) return false;
      reason = `RBAC: allowed by ${describeBinding(binding)} of ${binding.roleKind} ${JSON.stringify(binding.roleName)} to ${describeSubject(binding, subject)}`;
      return true;
    });
    return reason === undefined ? { allowed: false } : { allowed: true, reason };
  };

  /**
   * The rules that apply to a user in a namespace (SelfSubjectRulesReview).
   *
   * @param user the user
   * @param namespace the namespace (`""`: cluster bindings only)
   * @returns resource and non-resource rules, in evaluation order
   */
  rulesFor(user: UserInfo, namespace: string): SubjectRules {
    const resourceRules: SubjectRules["resourceRules"][number][] = [];
    const nonResourceRules: SubjectRules["nonResourceRules"][number][] = [];
    const add = (rules: readonly PolicyRule[]): void => {
      for (const r of rules) {
        if ((r.nonResourceURLs ?? []).length > 0) {
          nonResourceRules.push({ verbs: [...r.verbs], nonResourceURLs: [...(r.nonResourceURLs ?? [])] });
          continue;
        }
        resourceRules.push({
          verbs: [...r.verbs],
          apiGroups: [...(r.apiGroups ?? [])],
          resources: [...(r.resources ?? [])],
          ...((r.resourceNames ?? []).length > 0 ? { resourceNames: [...(r.resourceNames ?? [])] } : {}),
        });
      }
    };
    if (user.groups.includes(SUPERUSER_GROUP)) add([{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]);
    this.#visit(user, namespace, (_b, _s, rules) => {
      add(rules);
      return false;
    });
    return { resourceRules, nonResourceRules };
  }

  /**
   * The users and groups named by bindings that allow a request (ResourceAccessReview), plus `system:masters`.
   *
   * @param a the request (its user is ignored)
   * @returns sorted user and group names
   */
  subjectsAllowed(a: Omit<AuthorizationAttributes, "user">): { users: string[]; groups: string[] } {
    const users = new Set<string>();
    const groups = new Set<string>([SUPERUSER_GROUP]);
    for (const binding of this.#bindings(a.namespace)) {
      const rules = this.#roleRules(binding);
      if (!rules.some((r) => ruleAllows(r, { ...a, user: { name: "", groups: [] } }))) continue;
      for (const s of binding.subjects) {
        if (s.kind === "User" && s.name !== undefined) users.add(s.name);
        else if (s.kind === "Group" && s.name !== undefined) groups.add(s.name);
        else if (s.kind === "ServiceAccount")
          users.add(
            `system:serviceaccount:${s.namespace !== undefined && s.namespace !== "" ? s.namespace : binding.namespace}:${s.name ?? ""}`,
          );
      }
    }
    return { users: [...users].sort(), groups: [...groups].sort() };
  }

  #bindings(namespace: string): Binding[] {
    const out: Binding[] = [];
    for (const e of this.#storage.list(`${RBAC}/clusterrolebindings`).items)
      out.push(bindingOf(e.object, "ClusterRoleBinding"));
    if (namespace !== "")
      for (const e of this.#storage.list(`${RBAC}/rolebindings`, { namespace }).items)
        out.push(bindingOf(e.object, "RoleBinding"));
    return out;
  }

  #roleRules(binding: Binding): PolicyRule[] {
    if (binding.roleKind === "ClusterRole") {
      const role = this.#storage.get(`${RBAC}/clusterroles`, binding.roleName);
      return role === undefined ? [] : rulesOf(role.object);
    }
    // A RoleBinding's Role lives in the binding's namespace; a ClusterRoleBinding cannot name a Role.
    if (binding.roleKind !== "Role" || binding.kind !== "RoleBinding") return [];
    const role = this.#storage.get(`${RBAC}/roles`, `${binding.namespace}/${binding.roleName}`);
    return role === undefined ? [] : rulesOf(role.object);
  }

  /** Calls `visit` for each binding that names the user, ClusterRoleBindings first; stops when it returns true. */
  #visit(
    user: UserInfo,
    namespace: string,
    visit: (binding: Binding, subject: Subject, rules: PolicyRule[]) => boolean,
  ): void {
    for (const binding of this.#bindings(namespace)) {
      const subject = matchingSubject(binding, user);
      if (subject === undefined) continue;
      if (visit(binding, subject, this.#roleRules(binding))) return;
    }
  }
}
