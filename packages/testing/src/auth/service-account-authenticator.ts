/**
 * Authenticates service-account tokens, bound (TokenRequest) and legacy (token secrets), as kube-apiserver's
 * service-account authenticator does: the signature and lifetime, an audience in common with the API audiences (or a
 * TokenReview's), and then the live objects — the service account must still exist with the uid the token names, a
 * bound pod or secret too, and a legacy token must still be the `token` of its secret. A token that fails any of
 * these is rejected (401), not passed on.
 *
 * @module
 */
import type { Registry } from "../registry/registry.ts";
import type { AuthenticationRequest, AuthenticationResult, Authenticator } from "./authenticator.ts";
import type { ServiceAccountIssuer } from "./service-account-issuer.ts";
import type { UserInfo } from "./user-info.ts";

function decodeBase64(text: unknown): string {
  if (typeof text !== "string") return "";
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
  } catch {
    return "";
  }
}

/** Authenticates the cluster's service-account tokens. */
export class ServiceAccountTokenAuthenticator implements Authenticator {
  readonly #issuer: ServiceAccountIssuer;
  readonly #registry: Registry;
  readonly #revoked: ReadonlySet<string>;

  /**
   * @param issuer the cluster's issuer
   * @param registry the objects tokens must still match
   * @param revoked tokens revoked by hand (`cluster.revokeToken()`)
   */
  constructor(issuer: ServiceAccountIssuer, registry: Registry, revoked: ReadonlySet<string>) {
    this.#issuer = issuer;
    this.#registry = registry;
    this.#revoked = revoked;
  }

  #find(plural: string, namespace: string, name: string): { uid: string; object: Record<string, unknown> } | undefined {
    const resource = this.#registry.table.lookup("/api/v1", plural);
    if (resource === undefined) return undefined;
    const entry = this.#registry.find(resource, namespace, name);
    if (entry === undefined || entry.object.metadata?.deletionTimestamp !== undefined) return undefined;
    return { uid: entry.object.metadata?.uid ?? "", object: entry.object as Record<string, unknown> };
  }

  async authenticate(request: AuthenticationRequest): Promise<AuthenticationResult> {
    const token = request.token;
    if (token === undefined) return undefined;
    const claims = await this.#issuer.verify(token);
    if (claims === undefined) return undefined;
    if (claims === "expired") return { rejected: "[invalid bearer token, service account token has expired]" };
    if (this.#revoked.has(token)) return { rejected: "[invalid bearer token, service account token has been revoked]" };
    const sa = this.#find("serviceaccounts", claims.namespace, claims.serviceAccount);
    if (sa === undefined)
      return {
        rejected: `[invalid bearer token, serviceaccounts ${JSON.stringify(claims.serviceAccount)} not found]`,
      };
    if (sa.uid !== claims.serviceAccountUid)
      return {
        rejected: `[invalid bearer token, service account UID (${claims.serviceAccountUid}) does not match claim (${sa.uid})]`,
      };
    const groups = ["system:serviceaccounts", `system:serviceaccounts:${claims.namespace}`];
    const name = `system:serviceaccount:${claims.namespace}:${claims.serviceAccount}`;
    if (claims.kind === "legacy") {
      const secret = this.#find("secrets", claims.namespace, claims.secretName);
      const data = (secret?.object.data ?? {}) as Record<string, unknown>;
      if (secret === undefined || decodeBase64(data.token) !== token)
        return { rejected: "[invalid bearer token, token secret has been deleted or changed]" };
      const user: UserInfo = { name, uid: sa.uid, groups };
      return { user, audiences: request.audiences ?? this.#issuer.apiAudiences };
    }
    const wanted = request.audiences ?? this.#issuer.apiAudiences;
    const matched = claims.audiences.filter((a) => wanted.includes(a));
    if (matched.length === 0)
      return {
        rejected: `[invalid bearer token, token audiences ${JSON.stringify(claims.audiences).replace(/,/g, " ")} is invalid for the target audiences ${JSON.stringify(wanted).replace(/,/g, " ")}]`,
      };
    const extra: Record<string, string[]> = { "authentication.kubernetes.io/credential-id": [`JTI=${claims.tokenId}`] };
    const bound = claims.boundObject;
    if (bound !== undefined && bound.kind !== "Node") {
      const object = this.#find(bound.kind === "Pod" ? "pods" : "secrets", claims.namespace, bound.name);
      if (object === undefined || (bound.uid !== "" && object.uid !== bound.uid))
        return {
          rejected: `[invalid bearer token, ${bound.kind.toLowerCase()}s ${JSON.stringify(bound.name)} not found]`,
        };
      if (bound.kind === "Pod") {
        extra["authentication.kubernetes.io/pod-name"] = [bound.name];
        extra["authentication.kubernetes.io/pod-uid"] = [object.uid];
      }
    }
    return { user: { name, uid: sa.uid, groups, extra }, audiences: matched };
  }
}
