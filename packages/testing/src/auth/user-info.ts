/**
 * Who is asking: the identity authentication produced, as the API server's `user.Info`.
 *
 * @module
 */

/** An authenticated (or anonymous) identity. */
export interface UserInfo {
  /** User name, such as `admin` or `system:serviceaccount:ns:name`. */
  readonly name: string;
  /** User UID, when the authenticator knows one. */
  readonly uid?: string;
  /** Groups, including `system:authenticated` (or `system:unauthenticated` for anonymous). */
  readonly groups: readonly string[];
  /** Extra attributes (scopes of OAuth tokens, credential ids). */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** The user anonymous requests run as, when anonymous access is on. */
export const ANONYMOUS_USER: UserInfo = Object.freeze({
  name: "system:anonymous",
  groups: Object.freeze(["system:unauthenticated"]),
});

/** Adds `system:authenticated` to an authenticated user's groups, as the server does. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes("system:authenticated")) return user;
  return { ...user, groups: [...user.groups, "system:authenticated"] };
}
