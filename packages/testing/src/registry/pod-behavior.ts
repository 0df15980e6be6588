/**
 * Pods: the defaults the API server and its admission plugins fill in (restart policy, DNS policy, scheduler,
 * termination settings, image pull policy per container, the default service account, the not-ready and
 * unreachable tolerations), `status.phase: Pending` with a QoS class on create, container validation, and the
 * deletion rules (an unscheduled pod goes at once and DELETE answers the pod; a scheduled one waits for its grace
 * period, which the fake kubelet confirms).
 *
 * @module
 */
import { isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { FieldError } from "../server/status-error.ts";
import { dns1123Label } from "./name-validation.ts";
import type { ResourceBehavior } from "./resource-behavior.ts";

function imagePullPolicy(image: string): string {
  const last = image.split("/").pop() ?? image;
  if (last.includes("@")) return "IfNotPresent";
  const tag = last.includes(":") ? last.slice(last.lastIndexOf(":") + 1) : "latest";
  return tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultContainers(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const c of list) {
    if (!isPlainObject(c)) continue;
    if (typeof c.image === "string" && c.imagePullPolicy === undefined) c.imagePullPolicy = imagePullPolicy(c.image);
    c.terminationMessagePath ??= "/dev/termination-log";
    c.terminationMessagePolicy ??= "File";
    c.resources ??= {};
    if (Array.isArray(c.ports)) for (const p of c.ports) if (isPlainObject(p)) p.protocol ??= "TCP";
  }
}

/** Fills a pod spec's defaults (pods and pod templates). */
export function defaultPodSpec(spec: Record<string, unknown>, admission: boolean): void {
  defaultContainers(spec.containers);
  defaultContainers(spec.initContainers);
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  if (!admission) return;
  spec.serviceAccountName ??= typeof spec.serviceAccount === "string" ? spec.serviceAccount : "default";
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  if (spec.tolerations === undefined)
    spec.tolerations = ["not-ready", "unreachable"].map((k) => ({
      key: `node.kubernetes.io/${k}`,
      operator: "Exists",
      effect: "NoExecute",
      tolerationSeconds: 300,
    }));
}

function qosClass(spec: Record<string, unknown>): string {
  const containers = Array.isArray(spec.containers) ? (spec.containers as Record<string, unknown>[]) : [];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const r = isPlainObject(c.resources) ? c.resources : {};
    const req = isPlainObject(r.requests) ? r.requests : {};
    const lim = isPlainObject(r.limits) ? r.limits : {};
    if (Object.keys(req).length > 0 || Object.keys(lim).length > 0) any = true;
    for (const k of ["cpu", "memory"]) {
      const l = lim[k];
      const q = req[k] ?? l;
      if (l === undefined || String(q) !== String(l)) guaranteed = false;
    }
  }
  return guaranteed ? "Guaranteed" : any ? "Burstable" : "BestEffort";
}

/** Validates containers (`spec.containers` required; name and image per container; unique names). */
export function validateContainers(spec: unknown, base: string): FieldError[] {
  const errors: FieldError[] = [];
  const s = isPlainObject(spec) ? spec : {};
  const containers = s.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    errors.push({ reason: "FieldValueRequired", field: `${base}.containers` });
    return errors;
  }
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const path = `${base}.containers[${i}]`;
    const cc = isPlainObject(c) ? c : {};
    const name = typeof cc.name === "string" ? cc.name : "";
    if (name === "") errors.push({ reason: "FieldValueRequired", field: `${path}.name` });
    else {
      for (const msg of dns1123Label(name))
        errors.push({ reason: "FieldValueInvalid", field: `${path}.name`, value: name, detail: msg });
      if (seen.has(name)) errors.push({ reason: "FieldValueDuplicate", field: `${path}.name`, value: name });
      seen.add(name);
    }
    if (typeof cc.image !== "string" || cc.image.trim() === "")
      errors.push({ reason: "FieldValueRequired", field: `${path}.image` });
  });
  return errors;
}

/** The Pod behaviour. */
export const podBehavior: ResourceBehavior = {
  returnDeletedObject: true,
  generation: true,
  defaults(object) {
    if (isPlainObject(object.spec)) defaultPodSpec(object.spec, true);
  },
  prepareForCreate(object: KubeObject) {
    const spec = isPlainObject(object.spec) ? object.spec : {};
    object.status = { phase: "Pending", qosClass: qosClass(spec) };
  },
  validate(object) {
    return validateContainers(object.spec, "spec");
  },
  beginDelete(object, options, context) {
    const spec = isPlainObject(object.spec) ? object.spec : {};
    const status = isPlainObject(object.status) ? object.status : {};
    const grace =
      options.gracePeriodSeconds ??
      (typeof spec.terminationGracePeriodSeconds === "number" ? spec.terminationGracePeriodSeconds : 30);
    // Only a pod on a node waits for its kubelet; an unscheduled or finished one is removed at once.
    const running =
      typeof spec.nodeName === "string" &&
      spec.nodeName !== "" &&
      status.phase !== "Succeeded" &&
      status.phase !== "Failed";
    if (!running || grace <= 0) return undefined;
    const meta = object.metadata ?? {};
    meta.deletionTimestamp = new Date(Math.floor(context.now / 1000) * 1000 + grace * 1000)
      .toISOString()
      .replace(/\.\d+Z$/, "Z");
    meta.deletionGracePeriodSeconds = grace;
    object.metadata = meta;
    return object;
  },
};
