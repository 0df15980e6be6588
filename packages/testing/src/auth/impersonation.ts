/**
 * Impersonation (`Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid`, `Impersonate-Extra-<key>`), as
 * kube-apiserver's impersonation filter does it: each requested attribute is authorized as the verb `impersonate` on
 * `users`, `groups`, `serviceaccounts` (for `system:serviceaccount:<ns>:<name>`), `uids` or `userextras/<key>`, and
 * the request then runs as the impersonated user, with `system:authenticated` (or the service-account groups) added
 * as the real server adds them.
 *
 * @module
 */
import { forbidden, internalError, type StatusError } from "../server/status-error.ts";
import { type AuthorizationAttributes, type Authorizer, forbiddenStatus } from "./authorizer.ts";
import type { UserInfo } from "./user-info.ts";

const SA_PREFIX = "system:serviceaccount:";

interface Requested {
  readonly kind: "User" | "ServiceAccount" | "Group" | "UID" | "UserExtra";
  readonly name: string;
  readonly namespace?: string;
  readonly field?: string;
}

/** Go's `%v` of the ObjectReference the server puts in its error (`{Group  system:masters  authentication.k8s.io/v1  }`). */
function describe(r: Requested): string {
  return `{${r.kind} ${r.namespace ?? ""} ${r.name}  authentication.k8s.io/v1  ${r.field ?? ""}}`;
}

function attributesFor(user: UserInfo, r: Requested): AuthorizationAttributes {
  const base = {
    user,
    verb: "impersonate",
    isResourceRequest: true,
    path: "",
    apiVersion: "v1",
    namespace: "",
    subresource: "",
    name: r.name,
  };
  switch (r.kind) {
    case "User":
      return { ...base, apiGroup: "", resource: "users" };
    case "ServiceAccount":
      return { ...base, apiGroup: "", resource: "serviceaccounts", namespace: r.namespace ?? "" };
    case "Group":
      return { ...base, apiGroup: "", resource: "groups" };
    case "UID":
      return { ...base, apiGroup: "authentication.k8s.io", resource: "uids" };
    case "UserExtra":
      return { ...base, apiGroup: "authentication.k8s.io", resource: "userextras", subresource: r.field ?? "" };
  }
}

function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/**
 * Applies the impersonation headers of a request.
 *
 * @param headers the request headers
 * @param user the authenticated user
 * @param authorizer the cluster's authorizer
 * @returns the user to act as (the same user when nothing is impersonated), or the error to answer
 */
export async function impersonate(
  headers: Headers,
  user: UserInfo,
  authorizer: Authorizer,
): Promise<UserInfo | StatusError> {
  const requested: Requested[] = [];
  const userName = headers.get("impersonate-user");
  let groupsSpecified = false;
  const groups: string[] = [];
  const extra: Record<string, string[]> = {};
  if (userName !== null) {
    if (userName.startsWith(SA_PREFIX) && userName.slice(SA_PREFIX.length).split(":").length === 2) {
      const [namespace, name] = userName.slice(SA_PREFIX.length).split(":") as [string, string];
      requested.push({ kind: "ServiceAccount", name, namespace });
    } else requested.push({ kind: "User", name: userName });
  }
  const groupHeader = headers.get("impersonate-group");
  if (groupHeader !== null)
    for (const g of groupHeader.split(",").map((x) => x.trim())) {
      groupsSpecified = true;
      groups.push(g);
      requested.push({ kind: "Group", name: g });
    }
  for (const [key, value] of headers) {
    if (!key.startsWith("impersonate-extra-")) continue;
    const field = unescapeExtraKey(key.slice("impersonate-extra-".length));
    for (const v of value.split(",").map((x) => x.trim())) {
      extra[field] = [...(extra[field] ?? []), v];
      requested.push({ kind: "UserExtra", name: v, field });
    }
  }
  const uid = headers.get("impersonate-uid");
  if (uid !== null) requested.push({ kind: "UID", name: uid });
  if (requested.length === 0) return user;
  if (userName === null)
    return internalError(`requested [${requested.map(describe).join(" ")}] without impersonating a user`);
  for (const r of requested) {
    const attributes = attributesFor(user, r);
    const decision = await authorizer(attributes);
    if (!decision.allowed) {
      const { message, details } = forbiddenStatus(attributes, decision.reason);
      return forbidden(message, details);
    }
  }
  const sa = requested.find((r) => r.kind === "ServiceAccount");
  let finalGroups = groups;
  if (sa !== undefined && !groupsSpecified)
    finalGroups = ["system:serviceaccounts", `system:serviceaccounts:${sa.namespace ?? ""}`];
  if (userName !== "system:anonymous") {
    if (!finalGroups.includes("system:authenticated") && !finalGroups.includes("system:unauthenticated"))
      finalGroups = [...finalGroups, "system:authenticated"];
  } else if (!finalGroups.includes("system:unauthenticated")) finalGroups = [...finalGroups, "system:unauthenticated"];
  return {
    name: userName,
    groups: finalGroups,
    ...(uid === null ? {} : { uid }),
    ...(Object.keys(extra).length === 0 ? {} : { extra }),
  };
}
