/**
 * CustomResourceDefinitions: validation and defaults of the definition itself, and the controller that serves its
 * custom resources once it is created (every served version, namespaced or cluster-scoped, with the status and
 * scale subresources it declares) and removes them, objects included, when it is deleted.
 *
 * @module
 */
import { defineResource } from "@kubeshift/types";
import { formatTime } from "../clock.ts";
import { isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { ResourceTable } from "../resources/resource-table.ts";
import { createServedResource, type ServedResource } from "../resources/served-resource.ts";
import type { FieldError } from "../server/status-error.ts";
import type { ResourceBehavior } from "./resource-behavior.ts";

/** The finalizer that holds a CRD until its custom resources are gone. */
export const CRD_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  subresources?: {
    status?: unknown;
    scale?: { specReplicasPath?: string; statusReplicasPath?: string; labelSelectorPath?: string };
  };
}

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: {
    plural?: string;
    singular?: string;
    kind?: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions?: CrdVersion[];
}

function specOf(object: KubeObject): CrdSpec {
  return (isPlainObject(object.spec) ? object.spec : {}) as CrdSpec;
}

/** The CustomResourceDefinition behaviour. */
export const crdBehavior: ResourceBehavior = {
  defaults(object) {
    const spec = specOf(object);
    if (spec.names !== undefined && typeof spec.names.kind === "string") {
      spec.names.singular ??= spec.names.kind.toLowerCase();
      spec.names.listKind ??= `${spec.names.kind}List`;
    }
    (spec as Record<string, unknown>).conversion ??= { strategy: "None" };
    object.spec = spec;
  },
  prepareForCreate(object, context) {
    const spec = specOf(object);
    const meta = object.metadata ?? {};
    meta.finalizers = [...new Set([...(meta.finalizers ?? []), CRD_CLEANUP_FINALIZER])];
    object.metadata = meta;
    const time = formatTime(context.now);
    const storage = (spec.versions ?? []).find((v) => v.storage === true)?.name;
    object.status = {
      conditions: [
        {
          type: "NamesAccepted",
          status: "True",
          lastTransitionTime: time,
          reason: "NoConflicts",
          message: "no conflicts found",
        },
        {
          type: "Established",
          status: "True",
          lastTransitionTime: time,
          reason: "InitialNamesAccepted",
          message: "the initial names have been accepted",
        },
      ],
      acceptedNames: { ...spec.names },
      storedVersions: storage === undefined ? [] : [storage],
    };
  },
  validate(object) {
    const spec = specOf(object);
    const errors: FieldError[] = [];
    const name = object.metadata?.name ?? "";
    if (typeof spec.group !== "string" || spec.group === "")
      errors.push({ reason: "FieldValueRequired", field: "spec.group" });
    else if (!spec.group.includes("."))
      errors.push({
        reason: "FieldValueInvalid",
        field: "spec.group",
        value: spec.group,
        detail: "should be a domain with at least one dot",
      });
    const plural = spec.names?.plural;
    if (typeof plural !== "string" || plural === "")
      errors.push({ reason: "FieldValueRequired", field: "spec.names.plural" });
    if (typeof spec.names?.kind !== "string" || spec.names.kind === "")
      errors.push({ reason: "FieldValueRequired", field: "spec.names.kind" });
    if (typeof plural === "string" && typeof spec.group === "string" && name !== `${plural}.${spec.group}`)
      errors.push({
        reason: "FieldValueInvalid",
        field: "metadata.name",
        value: name,
        detail: 'must be spec.names.plural+"."+spec.group',
      });
    if (spec.scope !== "Namespaced" && spec.scope !== "Cluster")
      errors.push({
        reason: "FieldValueNotSupported",
        field: "spec.scope",
        value: spec.scope ?? "",
        detail: 'supported values: "Cluster", "Namespaced"',
      });
    const versions = Array.isArray(spec.versions) ? spec.versions : [];
    if (versions.length === 0)
      errors.push({
        reason: "FieldValueInvalid",
        field: "spec.versions",
        value: [],
        detail: "must have exactly one version marked as storage version",
      });
    else if (versions.filter((v) => v.storage === true).length !== 1)
      errors.push({
        reason: "FieldValueInvalid",
        field: "spec.versions",
        value: versions.map((v) => v.name),
        detail: "must have exactly one version marked as storage version",
      });
    return errors;
  },
};

/** The behaviour of one custom resource version. */
function customResourceBehavior(version: CrdVersion): ResourceBehavior {
  const scale = version.subresources?.scale;
  return {
    generation: true,
    ...(scale === undefined
      ? {}
      : {
          scale: {
            specReplicas: scale.specReplicasPath ?? ".spec.replicas",
            statusReplicas: scale.statusReplicasPath ?? ".status.replicas",
            ...(scale.labelSelectorPath === undefined ? {} : { labelSelector: scale.labelSelectorPath }),
          },
        }),
  };
}

/** Serves the custom resources of established CRDs. */
export class CrdController {
  readonly #table: ResourceTable;
  readonly #served = new Map<string, ServedResource[]>();

  constructor(table: ResourceTable) {
    this.#table = table;
  }

  /** (Re)serves the versions of a CRD after a create or update, or stops serving it once deleted. */
  sync(crd: KubeObject, deleted: boolean): void {
    const name = crd.metadata?.name ?? "";
    for (const r of this.#served.get(name) ?? []) this.#table.remove(r);
    this.#served.delete(name);
    if (deleted || crd.metadata?.deletionTimestamp !== undefined) return;
    const spec = specOf(crd);
    const names = spec.names ?? {};
    if (typeof spec.group !== "string" || typeof names.plural !== "string" || typeof names.kind !== "string") return;
    const storageVersion = (spec.versions ?? []).find((v) => v.storage === true)?.name;
    const served: ServedResource[] = [];
    for (const version of spec.versions ?? []) {
      if (version.served === false || typeof version.name !== "string") continue;
      const subresources = [
        ...(version.subresources?.status !== undefined ? ["status"] : []),
        ...(version.subresources?.scale !== undefined ? ["scale"] : []),
      ];
      const descriptor = defineResource({
        group: spec.group,
        version: version.name,
        kind: names.kind,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        namespaced: spec.scope !== "Cluster",
        subresources,
        listKind: names.listKind ?? `${names.kind}List`,
        ...(names.shortNames === undefined ? {} : { shortNames: names.shortNames }),
        ...(names.categories === undefined ? {} : { categories: names.categories }),
      });
      const resource = createServedResource(descriptor, customResourceBehavior(version), {
        crdName: name,
        builtin: false,
        ...(storageVersion === undefined ? {} : { storageVersion }),
      });
      this.#table.add(resource);
      served.push(resource);
    }
    this.#served.set(name, served);
  }

  /** The served resources of a CRD (for cleanup). */
  servedBy(name: string): readonly ServedResource[] {
    return this.#served.get(name) ?? [];
  }
}
