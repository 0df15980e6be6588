/**
 * DeploymentConfig (`apps.openshift.io/v1`, `/oapi/v1`): the 3.11 defaults (a Rolling strategy with its parameters,
 * a ConfigChange trigger, `revisionHistoryLimit: 10` through the group API only, as the recordings show), validation
 * (a template and a selector), the initial status, `/scale`, and `instantiate` (a manual rollout bumps
 * `status.latestVersion`).
 *
 * @module
 */
import { setPath } from "../registry/object-meta.ts";
import type { Registry } from "../registry/registry.ts";
import type { ResourceBehavior } from "../registry/resource-behavior.ts";
import { cloneJson, isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import { type FieldError, forbidden, GoLiteral } from "../server/status-error.ts";

type Json = Record<string, unknown>;

function defaults(object: KubeObject, group: boolean): void {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  object.spec = spec;
  const strategy = isPlainObject(spec.strategy) ? spec.strategy : {};
  spec.strategy = strategy;
  strategy.type ??= "Rolling";
  if (strategy.type === "Rolling") {
    const p = isPlainObject(strategy.rollingParams) ? strategy.rollingParams : {};
    strategy.rollingParams = {
      updatePeriodSeconds: 1,
      intervalSeconds: 1,
      timeoutSeconds: 600,
      maxUnavailable: "25%",
      maxSurge: "25%",
      ...p,
    };
  }
  strategy.resources ??= {};
  strategy.activeDeadlineSeconds ??= 21600;
  spec.triggers ??= [{ type: "ConfigChange" }];
  if (group) spec.revisionHistoryLimit ??= 10;
  spec.test ??= false;
  if (isPlainObject(spec.template)) {
    const meta = isPlainObject(spec.template.metadata) ? spec.template.metadata : {};
    meta.creationTimestamp ??= null;
    spec.template.metadata = meta;
  }
}

/**
 * The DeploymentConfig behaviour.
 *
 * @param group whether it is the group API's resource (the legacy API does not default `revisionHistoryLimit`)
 * @param registry the registry, for `instantiate`
 * @returns the behaviour
 */
export function deploymentConfigBehavior(group: boolean, registry: () => Registry): ResourceBehavior {
  return {
    generation: true,
    scale: { specReplicas: "spec.replicas", statusReplicas: "status.replicas", labelSelector: "spec.selector" },
    defaults: (object) => defaults(object, group),
    prepareForCreate(object) {
      object.status = {
        latestVersion: 0,
        observedGeneration: 0,
        replicas: 0,
        updatedReplicas: 0,
        availableReplicas: 0,
        unavailableReplicas: 0,
      };
    },
    validate(object) {
      const errors: FieldError[] = [];
      const spec = isPlainObject(object.spec) ? object.spec : {};
      if (!isPlainObject(spec.template)) errors.push({ reason: "FieldValueRequired", field: "spec.template" });
      if (!isPlainObject(spec.selector) || Object.keys(spec.selector).length === 0)
        errors.push({
          reason: "FieldValueInvalid",
          field: "spec.selector",
          value: new GoLiteral("map[string]string(nil)"),
          detail: "selector cannot be empty",
        });
      return errors;
    },
    verbs: {
      "create/instantiate": (request) => {
        const reg = registry();
        const entry = reg.find(request.resource, request.namespace, request.name);
        const qr = { group: request.resource.group, resource: "deploymentconfigs" };
        if (entry === undefined)
          throw forbidden(
            `deploymentconfigs${qr.group === "" ? "" : `.${qr.group}`} ${JSON.stringify(request.name)} is forbidden: deploymentconfigs${qr.group === "" ? "" : `.${qr.group}`} ${JSON.stringify(request.name)} not found`,
            { name: request.name, ...(qr.group === "" ? {} : { group: qr.group }), kind: "deploymentconfigs" },
          );
        const next = cloneJson(entry.object);
        const status = (isPlainObject(next.status) ? next.status : {}) as Json;
        setPath(next as Json, "status", {
          ...status,
          latestVersion: (typeof status.latestVersion === "number" ? status.latestVersion : 0) + 1,
          details: { message: "manual change", causes: [{ type: "Manual" }] },
        });
        const result = reg.updateFrom(
          request.resource,
          entry,
          next,
          { user: request.user, dryRun: request.dryRun, fieldManager: "openshift-apiserver" },
          "status",
        );
        return { status: 201, object: result.object };
      },
    },
  };
}
