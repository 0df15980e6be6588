/**
 * The fields each kind can be selected by (`?fieldSelector=`), and their values for an object: the kube-apiserver's
 * field label conversion functions and `GetAttrs`/`ToSelectableFields` of each registry (Kubernetes 1.34, and the
 * OpenShift kinds of origin 3.11).
 *
 * @module
 */

type JsonObject = Record<string, unknown>;
type Extract = (o: JsonObject) => Record<string, string>;

/** How a kind refuses a field it does not support. */
export type UnsupportedFieldWording = "default" | "custom";

/** One kind's field selector support. */
export interface SelectableFieldSpec {
  /** The fields, in the order of the server's conversion function. */
  readonly supportedFields: readonly string[];
  /** `"custom"`: `field label not supported: X`; `"default"`: `"X" is not a known field selector: only …`. */
  readonly wording: UnsupportedFieldWording;
  /** Old names the server converts (`spec.host` → `spec.nodeName` for pods). */
  readonly aliases?: Readonly<Record<string, string>>;
}

function get(o: unknown, path: string): unknown {
  let current = o;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, part) ? (current as JsonObject)[part] : undefined;
  }
  return current;
}

/** Go's `%v`/`string()` of a field for selection: missing strings are "", numbers in decimal, bools true/false. */
function str(o: unknown, path: string): string {
  const v = get(o, path);
  return typeof v === "string" ? v : "";
}

function num(o: unknown, path: string): string {
  const v = get(o, path);
  return typeof v === "number" ? String(Math.trunc(v)) : "0";
}

function bool(o: unknown, path: string): string {
  return get(o, path) === true ? "true" : "false";
}

const META = ["metadata.name", "metadata.namespace"] as const;

interface Entry extends SelectableFieldSpec {
  readonly extract: Extract;
}

function meta(o: JsonObject, namespaced: boolean): Record<string, string> {
  const out: Record<string, string> = { "metadata.name": str(o, "metadata.name") };
  if (namespaced) out["metadata.namespace"] = str(o, "metadata.namespace");
  return out;
}

const TABLE: Readonly<Record<string, Entry>> = {
  "/Pod": {
    supportedFields: [
      "metadata.name",
      "metadata.namespace",
      "spec.nodeName",
      "spec.restartPolicy",
      "spec.schedulerName",
      "spec.serviceAccountName",
      "spec.hostNetwork",
      "status.phase",
      "status.podIP",
      "status.podIPs",
      "status.nominatedNodeName",
    ],
    wording: "custom",
    aliases: { "spec.host": "spec.nodeName" },
    extract: (o) => {
      const ips = get(o, "status.podIPs");
      const first = Array.isArray(ips) && ips.length > 0 ? str(ips[0], "ip") : "";
      return {
        ...meta(o, true),
        "spec.nodeName": str(o, "spec.nodeName"),
        "spec.restartPolicy": str(o, "spec.restartPolicy"),
        "spec.schedulerName": str(o, "spec.schedulerName"),
        "spec.serviceAccountName": str(o, "spec.serviceAccountName"),
        "spec.hostNetwork": bool(o, "spec.hostNetwork"),
        "status.phase": str(o, "status.phase"),
        // The registry takes the first of status.podIPs; status.podIPs itself is accepted but never set.
        "status.podIP": first !== "" ? first : str(o, "status.podIP"),
        "status.nominatedNodeName": str(o, "status.nominatedNodeName"),
      };
    },
  },
  "/Node": {
    supportedFields: ["metadata.name", "spec.unschedulable"],
    wording: "custom",
    extract: (o) => ({ ...meta(o, false), "spec.unschedulable": bool(o, "spec.unschedulable") }),
  },
  "/ReplicationController": {
    supportedFields: [...META, "status.replicas"],
    wording: "custom",
    extract: (o) => ({ ...meta(o, true), "status.replicas": num(o, "status.replicas") }),
  },
  "/Event": {
    supportedFields: [
      "involvedObject.kind",
      "involvedObject.namespace",
      "involvedObject.name",
      "involvedObject.uid",
      "involvedObject.apiVersion",
      "involvedObject.resourceVersion",
      "involvedObject.fieldPath",
      "reason",
      "reportingComponent",
      "source",
      "type",
      "metadata.namespace",
      "metadata.name",
    ],
    wording: "custom",
    extract: (o) => eventFields(o),
  },
  "/Namespace": {
    supportedFields: ["status.phase", "metadata.name"],
    wording: "custom",
    // "name" is a registry bug the server keeps for compatibility; the conversion refuses it, so it never matches.
    extract: (o) => ({ ...meta(o, false), "status.phase": str(o, "status.phase"), name: str(o, "metadata.name") }),
  },
  "/Secret": {
    supportedFields: ["type", "metadata.namespace", "metadata.name"],
    wording: "custom",
    extract: (o) => ({ ...meta(o, true), type: str(o, "type") }),
  },
  "/Service": {
    supportedFields: ["metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"],
    wording: "custom",
    extract: (o) => ({
      ...meta(o, true),
      "spec.clusterIP": str(o, "spec.clusterIP"),
      "spec.type": str(o, "spec.type"),
    }),
  },
  "apps/ReplicaSet": {
    supportedFields: [...META, "status.replicas"],
    wording: "custom",
    extract: (o) => ({ ...meta(o, true), "status.replicas": num(o, "status.replicas") }),
  },
  "batch/Job": {
    supportedFields: [...META, "status.successful"],
    wording: "custom",
    extract: (o) => ({ ...meta(o, true), "status.successful": num(o, "status.succeeded") }),
  },
  "certificates.k8s.io/CertificateSigningRequest": {
    supportedFields: ["metadata.name", "spec.signerName"],
    wording: "custom",
    extract: (o) => ({ ...meta(o, false), "spec.signerName": str(o, "spec.signerName") }),
  },
  "events.k8s.io/Event": {
    supportedFields: [
      "metadata.namespace",
      "metadata.name",
      "reason",
      "regarding.kind",
      "regarding.namespace",
      "regarding.name",
      "regarding.uid",
      "regarding.apiVersion",
      "regarding.resourceVersion",
      "regarding.fieldPath",
      "reportingController",
      "type",
    ],
    wording: "custom",
    // The server stores both APIs' events alike and converts these names to the core/v1 ones.
    extract: (o) => ({
      ...meta(o, true),
      reason: str(o, "reason"),
      type: str(o, "type"),
      reportingController: str(o, "reportingController"),
      ...Object.fromEntries(
        ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"].map((k) => [
          `regarding.${k}`,
          str(o, `regarding.${k}`),
        ]),
      ),
    }),
  },
  "build.openshift.io/Build": {
    supportedFields: [...META, "status", "podName"],
    wording: "default",
    extract: (o) => ({ ...meta(o, true), status: str(o, "status.phase"), podName: `${str(o, "metadata.name")}-build` }),
  },
  "route.openshift.io/Route": {
    supportedFields: [...META, "spec.path", "spec.host", "spec.to.name"],
    wording: "default",
    extract: (o) => ({
      ...meta(o, true),
      "spec.path": str(o, "spec.path"),
      "spec.host": str(o, "spec.host"),
      "spec.to.name": str(o, "spec.to.name"),
    }),
  },
  "image.openshift.io/ImageStream": {
    supportedFields: [...META, "spec.dockerImageRepository", "status.dockerImageRepository"],
    wording: "default",
    extract: (o) => ({
      ...meta(o, true),
      "spec.dockerImageRepository": str(o, "spec.dockerImageRepository"),
      "status.dockerImageRepository": str(o, "status.dockerImageRepository"),
    }),
  },
};

function eventFields(o: JsonObject): Record<string, string> {
  const reporting = str(o, "reportingComponent");
  const component = str(o, "source.component");
  return {
    ...meta(o, true),
    "involvedObject.kind": str(o, "involvedObject.kind"),
    "involvedObject.namespace": str(o, "involvedObject.namespace"),
    "involvedObject.name": str(o, "involvedObject.name"),
    "involvedObject.uid": str(o, "involvedObject.uid"),
    "involvedObject.apiVersion": str(o, "involvedObject.apiVersion"),
    "involvedObject.resourceVersion": str(o, "involvedObject.resourceVersion"),
    "involvedObject.fieldPath": str(o, "involvedObject.fieldPath"),
    reason: str(o, "reason"),
    reportingComponent: reporting,
    source: component !== "" ? component : reporting,
    type: str(o, "type"),
  };
}

/** OpenShift 3.x legacy `/oapi/v1` kinds have group "" but select like their group's kind. */
const LEGACY: Readonly<Record<string, string>> = {
  Build: "build.openshift.io",
  Route: "route.openshift.io",
  ImageStream: "image.openshift.io",
};

function entryFor(kind: string, group: string): Entry | undefined {
  return (
    TABLE[`${group}/${kind}`] ??
    (group === "" && LEGACY[kind] !== undefined ? TABLE[`${LEGACY[kind]}/${kind}`] : undefined)
  );
}

/**
 * The field selector support of a kind: its fields, how it words an unsupported one, and aliases.
 *
 * @param kind the kind (`"Pod"`)
 * @param group the API group (`""` for core, `"apps"`)
 * @returns the spec (kinds without their own table: `metadata.name` and `metadata.namespace`, default wording)
 * @example
 * ```ts
 * selectableFieldSpec("Secret", "").supportedFields; // ["type", "metadata.namespace", "metadata.name"]
 * ```
 */
export function selectableFieldSpec(kind: string, group: string): SelectableFieldSpec {
  const entry = entryFor(kind, group);
  if (entry === undefined) return { supportedFields: META, wording: "default" };
  const { supportedFields, wording, aliases } = entry;
  return aliases === undefined ? { supportedFields, wording } : { supportedFields, wording, aliases };
}

/**
 * The field selectors the real server supports for a kind: `metadata.name` and `metadata.namespace` for kinds
 * without their own (also cluster-scoped ones, like the server's default conversion), else the kind's list
 * (pods: `spec.nodeName`, `status.phase`, …; nodes: only `metadata.name` and `spec.unschedulable`).
 *
 * @param kind the kind (`"Pod"`)
 * @param group the API group (`""` for core and legacy `/oapi/v1`)
 * @returns the field names
 * @example
 * ```ts
 * supportedFieldSelectors("Pod", "").includes("status.phase"); // true
 * ```
 */
export function supportedFieldSelectors(kind: string, group: string): readonly string[] {
  return selectableFieldSpec(kind, group).supportedFields;
}

/**
 * The selectable field values of an object, as the server's registry computes them for matching (`metadata.name`,
 * `metadata.namespace` when present, and the kind's fields; booleans as `true`/`false`, counts in decimal).
 *
 * @param kind the kind (`"Pod"`)
 * @param group the API group (`""` for core)
 * @param object the object
 * @returns field name → value (a missing field is `""`)
 * @example
 * ```ts
 * fieldsForObject("Pod", "", pod)["status.phase"]; // "Running"
 * ```
 */
export function fieldsForObject(kind: string, group: string, object: object): Record<string, string> {
  const o = object as JsonObject;
  const entry = entryFor(kind, group);
  if (entry !== undefined) return entry.extract(o);
  const out: Record<string, string> = { "metadata.name": str(o, "metadata.name") };
  if (typeof get(o, "metadata.namespace") === "string") out["metadata.namespace"] = str(o, "metadata.namespace");
  return out;
}
