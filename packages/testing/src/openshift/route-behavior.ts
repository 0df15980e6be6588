/**
 * Route (`route.openshift.io/v1`, `/oapi/v1`): the API server's defaulting (`to.weight: 100`, `wildcardPolicy: None`,
 * a host generated from the router subdomain with the `openshift.io/host.generated` annotation) and validation (the
 * 3.11 messages), plus the router a real cluster runs: `status.ingress` says the `default` router admitted the route.
 *
 * @module
 */
import { formatTime } from "../clock.ts";
import { dns1123Subdomain } from "../registry/name-validation.ts";
import type { ResourceBehavior } from "../registry/resource-behavior.ts";
import { isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { FieldError } from "../server/status-error.ts";

/** Options of {@link routeBehavior}. */
export interface RouteBehaviorOptions {
  /** The router subdomain generated hosts end with. */
  readonly subdomain: string;
  /** Whether a router admits routes (fills `status.ingress`). */
  readonly router: boolean;
}

type Json = Record<string, unknown>;

function spec(object: KubeObject): Json {
  const s = isPlainObject(object.spec) ? object.spec : {};
  object.spec = s;
  return s;
}

function ingress(object: KubeObject, subdomain: string, now: number): Json[] {
  const s = spec(object);
  return [
    {
      host: s.host,
      routerName: "default",
      conditions: [{ type: "Admitted", status: "True", lastTransitionTime: formatTime(now) }],
      wildcardPolicy: s.wildcardPolicy,
      routerCanonicalHostname: `router-default.${subdomain}`,
    },
  ];
}

/**
 * The Route behaviour.
 *
 * @param options router subdomain and whether a router runs
 * @returns the behaviour
 */
export function routeBehavior(options: RouteBehaviorOptions): ResourceBehavior {
  return {
    generation: false,
    defaults(object) {
      const s = spec(object);
      if (isPlainObject(s.to)) {
        s.to.kind ??= "Service";
        if (s.to.weight === undefined) s.to.weight = 100;
      }
      if (Array.isArray(s.alternateBackends))
        for (const b of s.alternateBackends as Json[]) {
          if (!isPlainObject(b)) continue;
          b.kind ??= "Service";
          b.weight ??= 100;
        }
      s.wildcardPolicy ??= "None";
    },
    prepareForCreate(object, context) {
      const s = spec(object);
      if (typeof s.host !== "string" || s.host === "") {
        const meta = object.metadata ?? {};
        if (s.wildcardPolicy !== "Subdomain") {
          s.host = `${meta.name ?? ""}-${meta.namespace ?? ""}.${options.subdomain}`;
          meta.annotations = { ...(meta.annotations ?? {}), "openshift.io/host.generated": "true" };
          object.metadata = meta;
        }
      }
      object.status = { ingress: options.router ? ingress(object, options.subdomain, context.now) : null };
    },
    prepareForUpdate(object, old, context) {
      const s = spec(object);
      const oldSpec = isPlainObject(old.spec) ? old.spec : {};
      if ((typeof s.host !== "string" || s.host === "") && typeof oldSpec.host === "string") s.host = oldSpec.host;
      if (options.router && (s.host !== oldSpec.host || s.wildcardPolicy !== oldSpec.wildcardPolicy))
        object.status = { ingress: ingress(object, options.subdomain, context.now) };
    },
    validate(object) {
      const errors: FieldError[] = [];
      const s = isPlainObject(object.spec) ? object.spec : {};
      const to = isPlainObject(s.to) ? s.to : {};
      if (typeof to.name !== "string" || to.name === "")
        errors.push({ reason: "FieldValueRequired", field: "spec.to.name" });
      if (to.kind !== undefined && to.kind !== "Service")
        errors.push({
          reason: "FieldValueInvalid",
          field: "spec.to.kind",
          value: to.kind,
          detail: "must reference a Service",
        });
      if (typeof s.host === "string" && s.host !== "" && dns1123Subdomain(s.host).length > 0)
        errors.push({
          reason: "FieldValueInvalid",
          field: "spec.host",
          value: s.host,
          detail: "host must conform to DNS 952 subdomain conventions",
        });
      const tls = isPlainObject(s.tls) ? s.tls : undefined;
      if (tls !== undefined && !["edge", "passthrough", "reencrypt"].includes(String(tls.termination)))
        errors.push({
          reason: "FieldValueNotSupported",
          field: "spec.tls.termination",
          value: tls.termination ?? "",
          detail: 'supported values: "edge", "passthrough", "reencrypt"',
        });
      if (s.wildcardPolicy !== undefined && s.wildcardPolicy !== "None" && s.wildcardPolicy !== "Subdomain")
        errors.push({
          reason: "FieldValueInvalid",
          field: "spec.wildcardPolicy",
          value: s.wildcardPolicy,
          detail: "unsupported wildcard policy",
        });
      else if (s.wildcardPolicy === "Subdomain" && (typeof s.host !== "string" || s.host === ""))
        errors.push({
          reason: "FieldValueInvalid",
          field: "spec.wildcardPolicy",
          value: s.wildcardPolicy,
          detail: "host name not specified for wildcard policy",
        });
      return errors;
    },
  };
}
