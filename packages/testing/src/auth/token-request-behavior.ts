/**
 * `POST …/serviceaccounts/<name>/token` (TokenRequest): a bound token for an existing service account, with the
 * server's validation (at least 10 minutes, at most 2^32 seconds), defaults (the API audiences, one hour) and bound
 * objects (a Pod, Secret or Node that must exist with the uid given).
 *
 * @module
 */
import type { Registry } from "../registry/registry.ts";
import type { ResourceBehavior, VerbRequest } from "../registry/resource-behavior.ts";
import { isPlainObject } from "../resources/kube-object.ts";
import { conflict, type FieldError, invalid, notFound } from "../server/status-error.ts";
import type { BoundObject, ServiceAccountIssuer } from "./service-account-issuer.ts";

const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;

function tokenRequestInvalid(errors: FieldError[]): never {
  throw invalid({ group: "authentication.k8s.io", kind: "TokenRequest" }, "", errors);
}

function boundObjectOf(registry: Registry, request: VerbRequest, ref: Record<string, unknown>): BoundObject {
  const kind = ref.kind;
  const name = typeof ref.name === "string" ? ref.name : "";
  if (kind !== "Pod" && kind !== "Secret" && kind !== "Node")
    tokenRequestInvalid([
      {
        reason: "FieldValueNotSupported",
        field: "spec.boundObjectRef.kind",
        value: kind ?? "",
        detail: 'supported values: "Node", "Pod", "Secret"',
      },
    ]);
  const plural = kind === "Pod" ? "pods" : kind === "Secret" ? "secrets" : "nodes";
  const resource = registry.table.lookup("/api/v1", plural);
  const entry = resource === undefined ? undefined : registry.find(resource, request.namespace, name);
  if (entry === undefined) throw notFound({ group: "", resource: plural }, name);
  const uid = entry.object.metadata?.uid ?? "";
  if (typeof ref.uid === "string" && ref.uid !== "" && ref.uid !== uid)
    throw conflict(
      { group: "", resource: plural },
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  return { kind, name, uid };
}

/**
 * The ServiceAccount behaviour with its `token` subresource.
 *
 * @param issuer the cluster's token issuer
 * @param registry the registry (service accounts and bound objects are looked up in it)
 * @returns the behaviour of `/serviceaccounts`
 */
export function serviceAccountBehavior(issuer: ServiceAccountIssuer, registry: () => Registry): ResourceBehavior {
  return {
    verbs: {
      "create/token": async (request) => {
        const body = isPlainObject(request.body) ? request.body : {};
        const spec = isPlainObject(body.spec) ? { ...body.spec } : {};
        const seconds = spec.expirationSeconds ?? 3600;
        if (typeof seconds !== "number" || !Number.isInteger(seconds))
          tokenRequestInvalid([{ reason: "FieldValueInvalid", field: "spec.expirationSeconds", value: seconds }]);
        if (seconds < MIN_SECONDS)
          tokenRequestInvalid([
            {
              reason: "FieldValueInvalid",
              field: "spec.expirationSeconds",
              value: seconds,
              detail: "may not specify a duration less than 10 minutes",
            },
          ]);
        if (seconds > MAX_SECONDS)
          tokenRequestInvalid([
            {
              reason: "FieldValueInvalid",
              field: "spec.expirationSeconds",
              value: seconds,
              detail: "may not specify a duration larger than 2^32 seconds",
            },
          ]);
        const reg = registry();
        const sa = reg.find(request.resource, request.namespace, request.name);
        if (sa === undefined) throw notFound({ group: "", resource: "serviceaccounts" }, request.name);
        const audiences =
          Array.isArray(spec.audiences) && spec.audiences.length > 0
            ? spec.audiences.filter((a): a is string => typeof a === "string")
            : [...issuer.apiAudiences];
        const ref = isPlainObject(spec.boundObjectRef) ? spec.boundObjectRef : undefined;
        const boundObject = ref === undefined ? undefined : boundObjectOf(reg, request, ref);
        const { token, expiresAt } = await issuer.issueBound({
          namespace: request.namespace,
          serviceAccount: request.name,
          serviceAccountUid: sa.object.metadata?.uid ?? "",
          audiences,
          expirationSeconds: seconds,
          ...(boundObject === undefined ? {} : { boundObject }),
        });
        return {
          status: 201,
          object: {
            kind: "TokenRequest",
            apiVersion: "authentication.k8s.io/v1",
            metadata: { creationTimestamp: null },
            spec: {
              audiences,
              expirationSeconds: seconds,
              boundObjectRef:
                ref === undefined || boundObject === undefined
                  ? null
                  : { kind: boundObject.kind, apiVersion: "v1", name: boundObject.name, uid: boundObject.uid },
            },
            status: { token, expirationTimestamp: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, "Z") },
          },
        };
      },
    },
  };
}
