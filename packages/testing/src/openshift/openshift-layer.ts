/**
 * What turns the fake cluster into an OpenShift master: the behaviours of the OpenShift kinds, the served resources
 * (groups and legacy `/oapi/v1`), `/oapi` discovery exactly as 3.11 answers it, the OAuth server and its token
 * authenticator, the personal SubjectAccessReview rule, and the objects a master starts with (OAuth clients, the
 * `openshift` and `openshift-infra` namespaces).
 *
 * @module
 */
import type { Authenticator } from "../auth/authenticator.ts";
import type { AuthorizationAttributes } from "../auth/authorizer.ts";
import { isPersonalAccessReview } from "../auth/review-behaviors.ts";
import type { Clock } from "../clock.ts";
import type { Registry } from "../registry/registry.ts";
import type { ResourceBehavior } from "../registry/resource-behavior.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import type { Route } from "../server/api-server.ts";
import { type HandlerContext, respondJson } from "../server/handler-context.ts";
import { parseBody } from "../server/request-body.ts";
import { methodNotAllowed } from "../server/status-error.ts";
import { buildBehaviors } from "./build-behaviors.ts";
import { deploymentConfigBehavior } from "./deployment-config-behavior.ts";
import { imageBehaviors } from "./image-behaviors.ts";
import { imageSignatureBehavior } from "./image-signature-behavior.ts";
import { type IdentityProviderOptions, OAuthServer } from "./oauth-server.ts";
import { oapiResourceList, openshiftServedResources } from "./openshift-resources.ts";
import { projectBehaviors } from "./project-behaviors.ts";
import { routeBehavior } from "./route-behavior.ts";
import { processedTemplateBehavior } from "./template-behaviors.ts";
import { userBehavior } from "./user-behaviors.ts";

/** The OpenShift options of `startFakeCluster({ openshift })`. */
export interface OpenShiftOptions {
  /** How users log in through OAuth. @default allow-all (any user name and password), provider "anypassword" */
  readonly identityProvider?: IdentityProviderOptions;
  /** Lifetime of OAuth access tokens, in seconds. @default 86400 */
  readonly accessTokenMaxAgeSeconds?: number;
  /** Lifetime of OAuth authorization codes, in seconds. @default 300 */
  readonly authorizeTokenMaxAgeSeconds?: number;
  /** The router subdomain of generated route hosts. @default "apps.fake-cluster.test" */
  readonly routerSubdomain?: string;
  /** A router admits routes (`status.ingress`). @default true */
  readonly router?: boolean;
  /** Every service account gets token and dockercfg secrets, as on OpenShift 3.x. @default true */
  readonly legacyTokenSecrets?: boolean;
}

/** What the layer needs from the cluster. */
export interface OpenShiftLayerContext {
  readonly registry: () => Registry;
  readonly clock: Clock;
  readonly url: () => string;
  readonly registryHost: () => string | undefined;
  readonly revoked: ReadonlySet<string>;
}

/** The installed layer. */
export interface OpenShiftLayer {
  /** Behaviours of the OpenShift kinds, by `<group>/<plural>` (and `oapi/<plural>` where the legacy API differs). */
  readonly behaviors: Map<string, ResourceBehavior>;
  /** The OAuth server. */
  readonly oauth: OAuthServer;
  /** Builds the served resources with the cluster's whole behaviour map. */
  resources(behaviors: ReadonlyMap<string, ResourceBehavior>): ServedResource[];
  /** Non-resource routes: `/oapi`, `/oapi/v1`, OAuth. */
  routes(): Route[];
  /** The OAuth token authenticator. */
  authenticator(): Authenticator;
  /** Authorizes a personal OpenShift SubjectAccessReview as a self review. */
  authorizationAttributes(attributes: AuthorizationAttributes, ctx: HandlerContext): Promise<AuthorizationAttributes>;
  /** Creates what a master starts with (once the URL is known). */
  seed(): void;
}

/**
 * Builds the OpenShift layer.
 *
 * @param options the OpenShift options
 * @param ctx registry, clock, URL, registry host, revoked tokens
 * @returns the layer
 */
export function createOpenShiftLayer(options: OpenShiftOptions, ctx: OpenShiftLayerContext): OpenShiftLayer {
  const behaviors = new Map<string, ResourceBehavior>();
  const add = (m: Map<string, ResourceBehavior>): void => {
    for (const [k, v] of m) behaviors.set(k, v);
  };
  behaviors.set(
    "route.openshift.io/routes",
    routeBehavior({
      subdomain: options.routerSubdomain ?? "apps.fake-cluster.test",
      router: options.router !== false,
    }),
  );
  behaviors.set("apps.openshift.io/deploymentconfigs", deploymentConfigBehavior(true, ctx.registry));
  behaviors.set("oapi/deploymentconfigs", deploymentConfigBehavior(false, ctx.registry));
  add(imageBehaviors({ registry: ctx.registry, registryHost: ctx.registryHost }));
  behaviors.set("image.openshift.io/imagesignatures", imageSignatureBehavior(ctx.registry));
  add(buildBehaviors(ctx.registry));
  add(projectBehaviors({ registry: ctx.registry }));
  behaviors.set("user.openshift.io/users", userBehavior(ctx.registry));
  behaviors.set("user.openshift.io/identities", { nameRule: "path-segment" });
  behaviors.set("user.openshift.io/groups", { nameRule: "path-segment" });
  behaviors.set("oauth.openshift.io/oauthaccesstokens", { nameRule: "path-segment" });
  behaviors.set("oauth.openshift.io/oauthauthorizetokens", { nameRule: "path-segment" });
  behaviors.set("template.openshift.io/processedtemplates", processedTemplateBehavior);
  for (const g of ["authorization.openshift.io"])
    for (const p of ["roles", "rolebindings", "clusterroles", "clusterrolebindings"])
      behaviors.set(`${g}/${p}`, { nameRule: "path-segment" });
  const oauth = new OAuthServer({
    registry: ctx.registry,
    clock: ctx.clock,
    url: ctx.url,
    identityProvider: options.identityProvider ?? {},
    accessTokenMaxAgeSeconds: options.accessTokenMaxAgeSeconds ?? 86400,
    authorizeTokenMaxAgeSeconds: options.authorizeTokenMaxAgeSeconds ?? 300,
    revoked: ctx.revoked,
  });
  return {
    behaviors,
    oauth,
    resources: (all) => openshiftServedResources(all),
    routes() {
      const discovery = (ctx2: HandlerContext, json: string): boolean => {
        if (ctx2.req.method !== "GET" && ctx2.req.method !== "HEAD") throw methodNotAllowed();
        respondJson(ctx2, 200, json);
        return true;
      };
      return [
        {
          path: "/oapi",
          handle: (c) =>
            discovery(
              c,
              JSON.stringify({
                kind: "APIVersions",
                versions: ["v1"],
                serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: new URL(ctx.url()).host }],
              }),
            ),
        },
        { path: "/oapi/v1", handle: (c) => discovery(c, oapiResourceList()) },
        ...oauth.routes(),
      ];
    },
    authenticator: () => oauth.authenticator(),
    async authorizationAttributes(attributes, hctx) {
      const personal =
        attributes.isResourceRequest &&
        attributes.verb === "create" &&
        (attributes.resource === "subjectaccessreviews" || attributes.resource === "localsubjectaccessreviews") &&
        (attributes.apiGroup === "authorization.openshift.io" || hctx.info.apiPrefix === "oapi");
      if (!personal) return attributes;
      const raw = await hctx.readBody();
      let body: unknown;
      try {
        body = parseBody(raw, hctx.req.headers["content-type"], {
          kind: "SubjectAccessReview",
        } as ServedResource);
      } catch {
        return attributes;
      }
      if (!isPersonalAccessReview(body)) return attributes;
      return { ...attributes, apiGroup: "authorization.k8s.io", resource: "selfsubjectaccessreviews", namespace: "" };
    },
    seed() {
      oauth.seedClients();
      const registry = ctx.registry();
      const namespaces = registry.table.lookup("/api/v1", "namespaces");
      if (namespaces === undefined) return;
      for (const name of ["openshift", "openshift-infra"])
        if (registry.find(namespaces, "", name) === undefined)
          registry.create(
            namespaces,
            "",
            { apiVersion: "v1", kind: "Namespace", metadata: { name } },
            {
              user: { name: "system:openshift-master", groups: ["system:masters"] },
              dryRun: false,
              fieldManager: "openshift-apiserver",
            },
          );
    },
  };
}
