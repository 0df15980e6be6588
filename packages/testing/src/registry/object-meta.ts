/**
 * Object metadata handling shared by every write: the field order the server writes, generated names, metadata
 * validation (`ValidateObjectMeta`), and the dotted-path helpers for scale and field selectors.
 *
 * @module
 */
import type { KubeObject, ObjectMeta } from "../resources/kube-object.ts";
import { isPlainObject } from "../resources/kube-object.ts";
import type { FieldError } from "../server/status-error.ts";
import { labelValue, type NameRule, qualifiedName, validateNameByRule } from "./name-validation.ts";

const META_ORDER = [
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
] as const;

/** Rebuilds an object with `kind`, `apiVersion`, `metadata` first and metadata in the server's field order. */
export function normalizeObject(object: KubeObject, kind: string, apiVersion: string): KubeObject {
  const meta = object.metadata ?? {};
  const orderedMeta: ObjectMeta = {};
  const target = orderedMeta as Record<string, unknown>;
  for (const key of META_ORDER) if (meta[key] !== undefined) target[key] = meta[key];
  for (const key of Object.keys(meta)) if (!(key in target) && meta[key] !== undefined) target[key] = meta[key];
  const out: KubeObject = { kind, apiVersion, metadata: orderedMeta };
  for (const key of Object.keys(object)) {
    if (key === "kind" || key === "apiVersion" || key === "metadata") continue;
    if (object[key] !== undefined) out[key] = object[key];
  }
  return out;
}

const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** `generateName` plus five random characters, as `names.SimpleNameGenerator` makes them. */
export function generateName(prefix: string): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  let suffix = "";
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  for (const b of bytes) suffix += NAME_ALPHABET[b % NAME_ALPHABET.length];
  return base + suffix;
}

const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);
const TOTAL_ANNOTATION_SIZE = 256 * 1024;

/**
 * `ValidateObjectMeta`: name (by the kind's rule), labels, annotations, finalizers and owner references.
 *
 * @param meta the object's metadata
 * @param rule the kind's name rule
 * @param namespaced whether the kind is namespaced
 */
export function validateObjectMeta(
  meta: ObjectMeta,
  rule: NameRule,
  namespaced: boolean,
  kubeFinalizerRule = true,
): FieldError[] {
  const errors: FieldError[] = [];
  const name = meta.name ?? "";
  if (name === "") {
    if ((meta.generateName ?? "") === "")
      errors.push({ reason: "FieldValueRequired", field: "metadata.name", detail: "name or generateName is required" });
  } else {
    for (const msg of validateNameByRule(rule, name))
      errors.push({ reason: "FieldValueInvalid", field: "metadata.name", value: name, detail: msg });
  }
  if (namespaced && (meta.namespace ?? "") === "")
    errors.push({ reason: "FieldValueRequired", field: "metadata.namespace" });
  if (!namespaced && (meta.namespace ?? "") !== "")
    errors.push({ reason: "FieldValueForbidden", field: "metadata.namespace", detail: "not allowed on this type" });
  if (meta.labels !== undefined) {
    if (!isPlainObject(meta.labels))
      errors.push({
        reason: "FieldValueInvalid",
        field: "metadata.labels",
        value: meta.labels,
        detail: "must be a map",
      });
    else
      for (const [k, v] of Object.entries(meta.labels)) {
        for (const msg of qualifiedName(k))
          errors.push({ reason: "FieldValueInvalid", field: "metadata.labels", value: k, detail: msg });
        for (const msg of labelValue(String(v)))
          errors.push({ reason: "FieldValueInvalid", field: "metadata.labels", value: v, detail: msg });
      }
  }
  if (meta.annotations !== undefined && isPlainObject(meta.annotations)) {
    let size = 0;
    for (const [k, v] of Object.entries(meta.annotations)) {
      size += k.length + String(v).length;
      for (const msg of qualifiedName(k.toLowerCase()))
        errors.push({ reason: "FieldValueInvalid", field: "metadata.annotations", value: k, detail: msg });
    }
    if (size > TOTAL_ANNOTATION_SIZE)
      errors.push({
        reason: "FieldValueTooLong",
        field: "metadata.annotations",
        detail: `must have at most ${TOTAL_ANNOTATION_SIZE} bytes`,
      });
  }
  if (Array.isArray(meta.finalizers)) {
    meta.finalizers.forEach((f, i) => {
      const field = `metadata.finalizers[${i}]`;
      for (const msg of qualifiedName(String(f)))
        errors.push({ reason: "FieldValueInvalid", field, value: f, detail: msg });
      // Kubernetes' own kinds also demand that an unqualified finalizer be a standard one; CRDs and custom resources do not.
      if (kubeFinalizerRule && !String(f).includes("/") && !STANDARD_FINALIZERS.has(String(f)))
        errors.push({
          reason: "FieldValueInvalid",
          field,
          value: f,
          detail: "name is neither a standard finalizer name nor is it fully qualified",
        });
    });
  }
  if (Array.isArray(meta.ownerReferences)) {
    meta.ownerReferences.forEach((ref, i) => {
      const base = `metadata.ownerReferences[${i}]`;
      const what = { apiVersion: "version", kind: "kind", name: "name", uid: "uid" } as const;
      for (const key of ["apiVersion", "kind", "name", "uid"] as const) {
        const value = ref?.[key];
        if (typeof value !== "string" || value === "")
          errors.push({
            reason: "FieldValueInvalid",
            field: `${base}.${key}`,
            value: value ?? "",
            detail: `${what[key]} must not be empty`,
          });
      }
    });
  }
  return errors;
}

/** Reads a dotted path (`spec.replicas`) of an object. */
export function getPath(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const part of path.replace(/^\./, "").split(".")) {
    if (!isPlainObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** Writes a dotted path, creating objects on the way. */
export function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, "").split(".");
  let current: Record<string, unknown> = object;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i] as string;
    const next = current[key];
    if (isPlainObject(next)) {
      const copy = { ...next };
      current[key] = copy;
      current = copy;
    } else {
      const created: Record<string, unknown> = {};
      current[key] = created;
      current = created;
    }
  }
  current[parts[parts.length - 1] as string] = value;
}

/**
 * A `LabelSelector` (or a `map[string]string` selector) as selector text, requirements sorted by key, the way
 * `metav1.FormatLabelSelector` writes it; `""` for an empty or missing one, `undefined` when an operator is unknown.
 */
export function labelSelectorText(selector: unknown): string | undefined {
  if (typeof selector === "string") return selector;
  if (!isPlainObject(selector)) return "";
  const reqs: { key: string; text: string }[] = [];
  const matchLabels = isPlainObject(selector.matchLabels) ? selector.matchLabels : undefined;
  const plain = matchLabels === undefined && selector.matchExpressions === undefined ? selector : undefined;
  for (const [k, v] of Object.entries(matchLabels ?? plain ?? {}))
    reqs.push({ key: k, text: `${k}=${typeof v === "string" ? v : String(v)}` });
  if (Array.isArray(selector.matchExpressions)) {
    for (const e of selector.matchExpressions as Record<string, unknown>[]) {
      const key = String(e?.key ?? "");
      const values = (Array.isArray(e?.values) ? (e.values as unknown[]) : [])
        .filter((v): v is string => typeof v === "string")
        .sort();
      switch (e?.operator) {
        case "In":
          reqs.push({ key, text: `${key} in (${values.join(",")})` });
          break;
        case "NotIn":
          reqs.push({ key, text: `${key} notin (${values.join(",")})` });
          break;
        case "Exists":
          reqs.push({ key, text: key });
          break;
        case "DoesNotExist":
          reqs.push({ key, text: `!${key}` });
          break;
        default:
          return undefined;
      }
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(",");
}
