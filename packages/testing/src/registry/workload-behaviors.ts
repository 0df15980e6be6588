/**
 * Workload kinds (Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Job, CronJob): their
 * defaults, the scale subresource paths, and the selector checks the API server makes.
 *
 * @module
 */
import { isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { FieldError } from "../server/status-error.ts";
import { defaultPodSpec, validateContainers } from "./pod-behavior.ts";
import type { ResourceBehavior, ScalePaths } from "./resource-behavior.ts";

const SCALE: ScalePaths = {
  specReplicas: "spec.replicas",
  statusReplicas: "status.replicas",
  labelSelector: "spec.selector",
};

function spec(object: KubeObject): Record<string, unknown> {
  if (!isPlainObject(object.spec)) object.spec = {};
  return object.spec as Record<string, unknown>;
}

function defaultTemplate(s: Record<string, unknown>): void {
  const template = isPlainObject(s.template) ? s.template : undefined;
  if (template !== undefined && isPlainObject(template.spec)) defaultPodSpec(template.spec, false);
  if (template !== undefined && isPlainObject(template.metadata)) template.metadata.creationTimestamp ??= null;
}

function selectorMatchesTemplate(s: Record<string, unknown>, requireSelector: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const selector = s.selector;
  const template = isPlainObject(s.template) ? s.template : {};
  const labels =
    isPlainObject(template.metadata) && isPlainObject(template.metadata.labels) ? template.metadata.labels : {};
  if (selector === undefined || selector === null) {
    if (requireSelector) errors.push({ reason: "FieldValueRequired", field: "spec.selector" });
  } else if (isPlainObject(selector)) {
    const matchLabels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
    const empty = Object.keys(matchLabels).length === 0 && !Array.isArray(selector.matchExpressions);
    if (empty && requireSelector)
      errors.push({
        reason: "FieldValueInvalid",
        field: "spec.selector",
        value: selector,
        detail: "empty selector is invalid for deployment",
      });
    const mismatch = Object.entries(matchLabels).some(([k, v]) => labels[k] !== v);
    if (mismatch)
      errors.push({
        reason: "FieldValueInvalid",
        field: "spec.template.metadata.labels",
        value: labels,
        detail: "`selector` does not match template `labels`",
      });
  }
  errors.push(...validateContainers(template.spec, "spec.template.spec"));
  return errors;
}

/** Deployment. */
export const deploymentBehavior: ResourceBehavior = {
  scale: SCALE,
  defaults(object) {
    const s = spec(object);
    s.replicas ??= 1;
    s.revisionHistoryLimit ??= 10;
    s.progressDeadlineSeconds ??= 600;
    if (s.strategy === undefined)
      s.strategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } };
    else if (isPlainObject(s.strategy) && (s.strategy.type ?? "RollingUpdate") === "RollingUpdate") {
      s.strategy.type = "RollingUpdate";
      const ru = isPlainObject(s.strategy.rollingUpdate) ? s.strategy.rollingUpdate : {};
      ru.maxUnavailable ??= "25%";
      ru.maxSurge ??= "25%";
      s.strategy.rollingUpdate = ru;
    }
    defaultTemplate(s);
  },
  validate: (object) => selectorMatchesTemplate(spec(object), true),
};

/** ReplicaSet. */
export const replicaSetBehavior: ResourceBehavior = {
  scale: SCALE,
  defaults(object) {
    const s = spec(object);
    s.replicas ??= 1;
    defaultTemplate(s);
  },
  validate: (object) => selectorMatchesTemplate(spec(object), true),
};

/** StatefulSet. */
export const statefulSetBehavior: ResourceBehavior = {
  scale: SCALE,
  defaults(object) {
    const s = spec(object);
    s.replicas ??= 1;
    s.podManagementPolicy ??= "OrderedReady";
    s.updateStrategy ??= { type: "RollingUpdate", rollingUpdate: { partition: 0 } };
    s.revisionHistoryLimit ??= 10;
    s.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: "Retain", whenScaled: "Retain" };
    defaultTemplate(s);
  },
  validate: (object) => selectorMatchesTemplate(spec(object), true),
};

/** DaemonSet. */
export const daemonSetBehavior: ResourceBehavior = {
  defaults(object) {
    const s = spec(object);
    s.updateStrategy ??= { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
    s.revisionHistoryLimit ??= 10;
    defaultTemplate(s);
  },
  validate: (object) => selectorMatchesTemplate(spec(object), true),
};

/** ReplicationController (its selector is a plain map, defaulted from the template labels). */
export const replicationControllerBehavior: ResourceBehavior = {
  scale: { specReplicas: "spec.replicas", statusReplicas: "status.replicas", labelSelector: "spec.selector" },
  defaults(object) {
    const s = spec(object);
    s.replicas ??= 1;
    const template = isPlainObject(s.template) ? s.template : undefined;
    const labels = template !== undefined && isPlainObject(template.metadata) ? template.metadata.labels : undefined;
    if (s.selector === undefined && isPlainObject(labels)) s.selector = { ...labels };
    defaultTemplate(s);
  },
  validate: (object) =>
    validateContainers(
      isPlainObject(spec(object).template) ? (spec(object).template as Record<string, unknown>).spec : undefined,
      "spec.template.spec",
    ),
};

/** Job. */
export const jobBehavior: ResourceBehavior = {
  defaults(object) {
    const s = spec(object);
    s.parallelism ??= 1;
    s.completions ??= 1;
    s.backoffLimit ??= 6;
    s.completionMode ??= "NonIndexed";
    s.suspend ??= false;
    s.podReplacementPolicy ??= "TerminatingOrFailed";
    defaultTemplate(s);
  },
  validate(object) {
    const template = isPlainObject(spec(object).template) ? (spec(object).template as Record<string, unknown>) : {};
    const errors = validateContainers(template.spec, "spec.template.spec");
    const policy = isPlainObject(template.spec) ? template.spec.restartPolicy : undefined;
    if (policy !== undefined && policy !== "Never" && policy !== "OnFailure")
      errors.push({
        reason: "FieldValueNotSupported",
        field: "spec.template.spec.restartPolicy",
        value: policy,
        detail: 'supported values: "OnFailure", "Never"',
      });
    return errors;
  },
};

/** CronJob. */
export const cronJobBehavior: ResourceBehavior = {
  defaults(object) {
    const s = spec(object);
    s.concurrencyPolicy ??= "Allow";
    s.suspend ??= false;
    s.successfulJobsHistoryLimit ??= 3;
    s.failedJobsHistoryLimit ??= 1;
  },
};
