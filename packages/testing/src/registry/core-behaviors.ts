/**
 * Behaviour of the core kinds that are more than storage: Namespace (finalizer, phase, the name label,
 * termination), Service (cluster IP and node port allocation, defaults), ConfigMap and Secret (key validation,
 * `stringData`, the Secret type), ServiceAccount and Node.
 *
 * @module
 */
import { isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { FieldError } from "../server/status-error.ts";
import { configMapKey } from "./name-validation.ts";
import type { ResourceBehavior } from "./resource-behavior.ts";

/** Namespace. */
export const namespaceBehavior: ResourceBehavior = {
  nameRule: "label",
  generation: false,
  defaults(object) {
    const meta = object.metadata ?? {};
    if (typeof meta.name === "string" && meta.name !== "")
      meta.labels = { ...(meta.labels ?? {}), "kubernetes.io/metadata.name": meta.name };
    object.metadata = meta;
    const spec = isPlainObject(object.spec) ? object.spec : {};
    object.spec = spec;
  },
  prepareForCreate(object) {
    const spec = object.spec as Record<string, unknown>;
    spec.finalizers ??= ["kubernetes"];
    object.status = { phase: "Active" };
  },
  prepareForUpdate(object, old) {
    // spec.finalizers change only through /finalize; status only through /status.
    object.spec = {
      ...(isPlainObject(object.spec) ? object.spec : {}),
      finalizers: (old.spec as { finalizers?: unknown } | undefined)?.finalizers ?? [],
    };
    if ((object.spec as { finalizers: unknown[] }).finalizers.length === 0)
      delete (object.spec as Record<string, unknown>).finalizers;
  },
  beginDelete(object) {
    object.status = { ...(isPlainObject(object.status) ? object.status : {}), phase: "Terminating" };
    return object;
  },
};

/** Allocates cluster IPs from 10.96.0.0/12, as a fresh cluster would (10.96.0.1 is `kubernetes`). */
export class IpAllocator {
  #next = 1;
  readonly #used = new Set<string>();
  #nodePort = 30000;

  /** The next free address. */
  allocate(): string {
    for (;;) {
      const n = this.#next++;
      const ip = `10.${96 + ((n >> 16) & 0x0f)}.${(n >> 8) & 0xff}.${n & 0xff}`;
      if (!this.#used.has(ip) && (n & 0xff) !== 0) {
        this.#used.add(ip);
        return ip;
      }
    }
  }

  /** Marks an address taken (a Service created with an explicit clusterIP). */
  reserve(ip: string): void {
    this.#used.add(ip);
  }

  /** The next node port in 30000–32767. */
  nodePort(): number {
    const p = this.#nodePort++;
    if (this.#nodePort > 32767) this.#nodePort = 30000;
    return p;
  }
}

/** Service (needs an allocator per cluster). */
export function serviceBehavior(ips: IpAllocator): ResourceBehavior {
  return {
    nameRule: "dns1035",
    defaults(object) {
      const spec = isPlainObject(object.spec) ? object.spec : {};
      object.spec = spec;
      spec.type ??= "ClusterIP";
      spec.sessionAffinity ??= "None";
      if (spec.type !== "ExternalName") {
        spec.ipFamilies ??= ["IPv4"];
        spec.ipFamilyPolicy ??= "SingleStack";
        spec.internalTrafficPolicy ??= "Cluster";
      }
      if (spec.type === "NodePort" || spec.type === "LoadBalancer") spec.externalTrafficPolicy ??= "Cluster";
      if (spec.type === "LoadBalancer") spec.allocateLoadBalancerNodePorts ??= true;
      if (Array.isArray(spec.ports))
        for (const p of spec.ports)
          if (isPlainObject(p)) {
            p.protocol ??= "TCP";
            p.targetPort ??= p.port;
          }
    },
    prepareForCreate(object) {
      const spec = object.spec as Record<string, unknown>;
      if (spec.type !== "ExternalName") {
        if (typeof spec.clusterIP === "string" && spec.clusterIP !== "") {
          if (spec.clusterIP !== "None") ips.reserve(spec.clusterIP);
        } else spec.clusterIP = ips.allocate();
        spec.clusterIPs ??= [spec.clusterIP];
      }
      if ((spec.type === "NodePort" || spec.type === "LoadBalancer") && Array.isArray(spec.ports))
        for (const p of spec.ports) if (isPlainObject(p)) p.nodePort ??= ips.nodePort();
      object.status = { loadBalancer: {} };
    },
    prepareForUpdate(object, old) {
      const spec = isPlainObject(object.spec) ? object.spec : {};
      const oldSpec = isPlainObject(old.spec) ? old.spec : {};
      // The cluster IP is immutable; an update that leaves it out keeps it.
      if (spec.clusterIP === undefined || spec.clusterIP === "") spec.clusterIP = oldSpec.clusterIP;
      if (spec.clusterIPs === undefined) spec.clusterIPs = oldSpec.clusterIPs;
      object.spec = spec;
    },
    validate(object) {
      const spec = isPlainObject(object.spec) ? object.spec : {};
      const errors: FieldError[] = [];
      if (
        spec.type !== "ExternalName" &&
        spec.clusterIP !== "None" &&
        (!Array.isArray(spec.ports) || spec.ports.length === 0)
      )
        errors.push({ reason: "FieldValueRequired", field: "spec.ports" });
      return errors;
    },
  };
}

function validateKeys(object: KubeObject, fields: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const field of fields) {
    const data = object[field];
    if (!isPlainObject(data)) continue;
    for (const key of Object.keys(data)) {
      for (const msg of configMapKey(key))
        errors.push({ reason: "FieldValueInvalid", field: `${field}[${key}]`, value: key, detail: msg });
      if (seen.has(key))
        errors.push({
          reason: "FieldValueInvalid",
          field: `${field}[${key}]`,
          value: key,
          detail: "duplicate of key present in data",
        });
      seen.add(key);
    }
  }
  return errors;
}

/** ConfigMap. */
export const configMapBehavior: ResourceBehavior = {
  validate: (object) => validateKeys(object, ["data", "binaryData"]),
};

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Secret. */
export const secretBehavior: ResourceBehavior = {
  defaults(object) {
    object.type ??= "Opaque";
    // stringData is write-only: merged into data, never stored.
    if (isPlainObject(object.stringData)) {
      const data = isPlainObject(object.data) ? object.data : {};
      for (const [k, v] of Object.entries(object.stringData)) data[k] = toBase64(String(v));
      object.data = data;
    }
    delete object.stringData;
  },
  validate: (object) => validateKeys(object, ["data"]),
};
