/**
 * Service-account issuer discovery: `/.well-known/openid-configuration` and `/openid/v1/jwks`, as kube-apiserver
 * serves them (RBAC-protected non-resource paths, bound to `system:serviceaccounts` by default; the key set only as
 * `application/jwk-set+json`, 406 for a plain `application/json` Accept).
 *
 * @module
 */
import { type HandlerContext, respondJson } from "../server/handler-context.ts";
import { parseAccept } from "../server/media-types.ts";
import { methodNotAllowed, notAcceptable } from "../server/status-error.ts";
import type { ServiceAccountIssuer } from "./service-account-issuer.ts";

/** A non-resource route (the shape `ApiServer` takes). */
export interface DiscoveryRoute {
  readonly path: string | RegExp;
  handle(ctx: HandlerContext): Promise<boolean | undefined> | boolean | undefined;
}

/**
 * The two discovery routes.
 *
 * @param issuer the cluster's issuer
 * @param url the API server URL (the `jwks_uri` points at it)
 * @returns the routes
 */
export function oidcDiscoveryRoutes(issuer: ServiceAccountIssuer, url: () => string): DiscoveryRoute[] {
  return [
    {
      path: /^\/\.well-known\/openid-configuration\/?$/,
      handle(ctx) {
        if (ctx.req.method !== "GET" && ctx.req.method !== "HEAD") throw methodNotAllowed();
        respondJson(
          ctx,
          200,
          JSON.stringify({
            issuer: issuer.issuer,
            jwks_uri: `${url()}/openid/v1/jwks`,
            response_types_supported: ["id_token"],
            subject_types_supported: ["public"],
            id_token_signing_alg_values_supported: ["RS256"],
          }),
        );
        return true;
      },
    },
    {
      path: /^\/openid\/v1\/jwks\/?$/,
      async handle(ctx) {
        if (ctx.req.method !== "GET" && ctx.req.method !== "HEAD") throw methodNotAllowed();
        const acceptable = parseAccept(ctx.req.headers.accept).some(
          (r) => r.type === "application/jwk-set+json" || r.type === "*/*" || r.type === "application/*",
        );
        if (!acceptable) throw notAcceptable();
        respondJson(ctx, 200, JSON.stringify(await issuer.jwks()), "application/jwk-set+json");
        return true;
      },
    },
  ];
}
