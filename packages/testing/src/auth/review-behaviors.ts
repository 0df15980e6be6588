/**
 * The review endpoints, all virtual (nothing is stored): `authorization.k8s.io` SelfSubjectAccessReview,
 * SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectRulesReview (what `kubectl auth can-i` calls),
 * `authentication.k8s.io` SelfSubjectReview (`kubectl auth whoami`) and TokenReview, and the OpenShift 3.x forms of
 * `authorization.openshift.io/v1` and `/oapi/v1` (SubjectAccessReview, LocalSubjectAccessReview,
 * (Local)ResourceAccessReview, SelfSubjectRulesReview) that `oc` sends.
 *
 * @module
 */
import type { ResourceBehavior, VerbRequest, VerbResult } from "../registry/resource-behavior.ts";
import { isPlainObject } from "../resources/kube-object.ts";
import { badRequest } from "../server/status-error.ts";
import type { AuthenticationRequest, AuthenticationResult } from "./authenticator.ts";
import type { AuthorizationAttributes } from "./authorizer.ts";
import type { RbacAuthorizer } from "./rbac-authorizer.ts";
import { type UserInfo, withAuthenticatedGroup } from "./user-info.ts";

/** Runs a token through the cluster's authenticators (TokenReview). */
export type TokenAuthenticator = (request: AuthenticationRequest) => Promise<AuthenticationResult>;

/** What the review endpoints need from the cluster. */
export interface ReviewServices {
  readonly rbac: RbacAuthorizer;
  readonly authenticateToken: TokenAuthenticator;
  readonly apiAudiences: readonly string[];
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return isPlainObject(v) ? v : {};
}

function strOf(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function created(request: VerbRequest, body: Json, extra: Json): VerbResult {
  const metadata = { ...obj(body.metadata), creationTimestamp: null };
  return {
    status: 201,
    object: { kind: request.resource.kind, apiVersion: request.resource.apiVersion, metadata, ...extra },
  };
}

function attributesFromSpec(spec: Json, user: UserInfo): AuthorizationAttributes {
  const ra = isPlainObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  if (ra !== undefined)
    return {
      user,
      verb: strOf(ra.verb),
      isResourceRequest: true,
      path: "",
      apiGroup: strOf(ra.group),
      apiVersion: strOf(ra.version),
      namespace: strOf(ra.namespace),
      resource: strOf(ra.resource),
      subresource: strOf(ra.subresource),
      name: strOf(ra.name),
    };
  const nra = obj(spec.nonResourceAttributes);
  return {
    user,
    verb: strOf(nra.verb),
    isResourceRequest: false,
    path: strOf(nra.path),
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
  };
}

function subjectOf(spec: Json): UserInfo {
  const groups = Array.isArray(spec.groups) ? spec.groups.filter((g): g is string => typeof g === "string") : [];
  const extra = isPlainObject(spec.extra) ? (spec.extra as Record<string, string[]>) : undefined;
  const uid = strOf(spec.uid);
  return { name: strOf(spec.user), groups, ...(uid === "" ? {} : { uid }), ...(extra === undefined ? {} : { extra }) };
}

async function decide(request: VerbRequest, attributes: AuthorizationAttributes): Promise<Json> {
  const decision = await request.authorize(attributes);
  return {
    allowed: decision.allowed,
    ...(decision.reason === undefined || decision.reason === "" ? {} : { reason: decision.reason }),
  };
}

function accessReview(kind: "self" | "subject" | "local"): ResourceBehavior {
  return {
    verbs: {
      create: async (request) => {
        const body = obj(request.body);
        const spec = obj(body.spec);
        if (spec.resourceAttributes === undefined && spec.nonResourceAttributes === undefined)
          throw badRequest("exactly one of nonResourceAttributes or resourceAttributes must be specified");
        if (kind === "local") {
          const ns = strOf(obj(spec.resourceAttributes).namespace);
          if (ns !== request.namespace)
            throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${request.namespace}`);
        }
        const user = kind === "self" ? request.user : subjectOf(spec);
        return created(request, body, { spec, status: await decide(request, attributesFromSpec(spec, user)) });
      },
    },
  };
}

function rulesReview(services: ReviewServices): ResourceBehavior {
  return {
    verbs: {
      create: (request) => {
        const body = obj(request.body);
        const spec = obj(body.spec);
        const rules = services.rbac.rulesFor(request.user, strOf(spec.namespace));
        return created(request, body, { spec, status: { ...rules, incomplete: false } });
      },
    },
  };
}

function selfSubjectReview(): ResourceBehavior {
  return {
    verbs: {
      create: (request) => {
        const u = request.user;
        return created(request, obj(request.body), {
          status: {
            userInfo: {
              username: u.name,
              ...(u.uid === undefined ? {} : { uid: u.uid }),
              groups: [...u.groups],
              ...(u.extra === undefined ? {} : { extra: u.extra }),
            },
          },
        });
      },
    },
  };
}

function tokenReview(services: ReviewServices): ResourceBehavior {
  return {
    verbs: {
      create: async (request) => {
        const body = obj(request.body);
        const spec = obj(body.spec);
        const token = strOf(spec.token);
        const wanted = Array.isArray(spec.audiences)
          ? spec.audiences.filter((a): a is string => typeof a === "string")
          : undefined;
        const result =
          token === ""
            ? undefined
            : await services.authenticateToken({
                token,
                certificate: undefined,
                headers: new Headers(),
                path: "",
                ...(wanted === undefined ? {} : { audiences: wanted }),
              });
        if (result === undefined || !("user" in result))
          return created(request, body, {
            spec,
            status: { user: {}, error: result === undefined ? "invalid bearer token" : result.rejected },
          });
        const u = withAuthenticatedGroup(result.user);
        return created(request, body, {
          spec,
          status: {
            authenticated: true,
            user: {
              username: u.name,
              ...(u.uid === undefined ? {} : { uid: u.uid }),
              groups: [...u.groups],
              ...(u.extra === undefined ? {} : { extra: u.extra }),
            },
            audiences: [...(result.audiences ?? wanted ?? services.apiAudiences)],
          },
        });
      },
    },
  };
}

/** The attributes of an OpenShift review body (`namespace`, `verb`, `resourceAPIGroup`, `resource`, …). */
function openshiftAttributes(body: Json, user: UserInfo, namespace: string): AuthorizationAttributes {
  const nonResource = body.isNonResourceURL === true;
  return {
    user,
    verb: strOf(body.verb),
    isResourceRequest: !nonResource,
    path: strOf(body.path),
    apiGroup: strOf(body.resourceAPIGroup),
    apiVersion: strOf(body.resourceAPIVersion),
    namespace,
    resource: strOf(body.resource),
    subresource: "",
    name: strOf(body.resourceName),
  };
}

function isPersonal(body: Json): boolean {
  return strOf(body.user) === "" && (!Array.isArray(body.groups) || body.groups.length === 0);
}

function openshiftAccessReview(local: boolean): ResourceBehavior {
  return {
    verbs: {
      create: async (request) => {
        const body = obj(request.body);
        const namespace = local ? request.namespace : strOf(body.namespace);
        const user = isPersonal(body) ? request.user : subjectOf(body);
        const decision = await request.authorize(openshiftAttributes(body, user, namespace));
        return {
          status: 201,
          object: {
            kind: "SubjectAccessReviewResponse",
            apiVersion: request.resource.apiVersion,
            namespace,
            allowed: decision.allowed,
            reason: decision.reason ?? "",
          },
        };
      },
    },
  };
}

function openshiftResourceAccessReview(services: ReviewServices, local: boolean): ResourceBehavior {
  return {
    verbs: {
      create: (request) => {
        const body = obj(request.body);
        const namespace = local ? request.namespace : strOf(body.namespace);
        const { user: _user, ...attributes } = openshiftAttributes(body, request.user, namespace);
        const { users, groups } = services.rbac.subjectsAllowed(attributes);
        return {
          status: 201,
          object: {
            kind: "ResourceAccessReviewResponse",
            apiVersion: request.resource.apiVersion,
            namespace,
            users,
            groups,
            evalutionError: "",
          },
        };
      },
    },
  };
}

function openshiftRulesReview(services: ReviewServices, self: boolean): ResourceBehavior {
  return {
    verbs: {
      create: (request) => {
        const body = obj(request.body);
        const spec = obj(body.spec);
        const user = self ? request.user : subjectOf(spec);
        const rules = services.rbac.rulesFor(user, request.namespace);
        const converted = [
          ...rules.resourceRules.map((r) => ({
            verbs: r.verbs,
            attributeRestrictions: null,
            apiGroups: r.apiGroups,
            resources: r.resources,
            ...(r.resourceNames === undefined ? {} : { resourceNames: r.resourceNames }),
          })),
          ...rules.nonResourceRules.map((r) => ({
            verbs: r.verbs,
            attributeRestrictions: null,
            apiGroups: null,
            resources: [],
            nonResourceURLs: r.nonResourceURLs,
          })),
        ];
        return {
          status: 201,
          object: {
            kind: request.resource.kind,
            apiVersion: request.resource.apiVersion,
            spec: { scopes: spec.scopes ?? null, ...(self ? {} : { user: spec.user, groups: spec.groups ?? null }) },
            status: { rules: converted },
          },
        };
      },
    },
  };
}

/**
 * The behaviours of the review kinds, by `<group>/<plural>`.
 *
 * @param services RBAC, the token authenticators, the API audiences
 * @param openshift add the OpenShift forms
 */
export function reviewBehaviors(services: ReviewServices, openshift: boolean): Map<string, ResourceBehavior> {
  const out = new Map<string, ResourceBehavior>([
    ["authorization.k8s.io/selfsubjectaccessreviews", accessReview("self")],
    ["authorization.k8s.io/subjectaccessreviews", accessReview("subject")],
    ["authorization.k8s.io/localsubjectaccessreviews", accessReview("local")],
    ["authorization.k8s.io/selfsubjectrulesreviews", rulesReview(services)],
    ["authentication.k8s.io/selfsubjectreviews", selfSubjectReview()],
    ["authentication.k8s.io/tokenreviews", tokenReview(services)],
  ]);
  if (!openshift) return out;
  // The legacy /oapi/v1 kinds share these entries: behaviours are looked up by the group a kind is stored under.
  const g = "authorization.openshift.io";
  out.set(`${g}/subjectaccessreviews`, openshiftAccessReview(false));
  out.set(`${g}/localsubjectaccessreviews`, openshiftAccessReview(true));
  out.set(`${g}/resourceaccessreviews`, openshiftResourceAccessReview(services, false));
  out.set(`${g}/localresourceaccessreviews`, openshiftResourceAccessReview(services, true));
  out.set(`${g}/selfsubjectrulesreviews`, openshiftRulesReview(services, true));
  out.set(`${g}/subjectrulesreviews`, openshiftRulesReview(services, false));
  return out;
}

/**
 * Whether an OpenShift SubjectAccessReview body asks about the caller itself (no user, no groups): `oc` sends these,
 * and the server authorizes them as SelfSubjectAccessReviews.
 *
 * @param body the decoded body
 * @returns true for a personal review
 */
export function isPersonalAccessReview(body: unknown): boolean {
  return isPersonal(obj(body));
}
