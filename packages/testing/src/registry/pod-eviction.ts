/**
 * `POST …/pods/<name>/eviction` (policy/v1 Eviction, v1beta1 bodies accepted), as kube-apiserver's `EvictionREST`
 * serves it: a pod that is Pending, finished or already being deleted is deleted at once; otherwise the one
 * PodDisruptionBudget that selects it must allow a disruption (its status, kept by the disruption controller, is
 * checked and decremented, and the pod recorded in `disruptedPods`), else 429 TooManyRequests. The pod then gets
 * the `DisruptionTarget` condition and is deleted the way a DELETE deletes it (graceful on a node, at once
 * otherwise). The answer is 201 with a `Success` Status; dry runs check everything and change nothing.
 *
 * @module
 */
import type { UserInfo } from "../auth/user-info.ts";
import { formatTime } from "../clock.ts";
import { cloneJson, isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import {
  badRequest,
  conflict,
  forbidden,
  invalidOptions,
  notFound,
  StatusError,
  storageError,
} from "../server/status-error.ts";
import type { StoredEntry } from "../store/object-storage.ts";
import { budgetSelects, isPodReady, setCondition } from "./disruption-budget.ts";
import { PDB_STORAGE_KEY } from "./disruption-controller.ts";
import type { DeleteOptions, Registry, WriteContext } from "./registry.ts";
import type { VerbHandler, VerbRequest, VerbResult } from "./resource-behavior.ts";

/** More pods than this in `status.disruptedPods` means the controller is behind: evictions are refused. */
const MAX_DISRUPTED_PODS = 2000;

const EVICTION_VERSIONS = new Set(["policy/v1", "policy/v1beta1"]);

const PDB_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

function success(): VerbResult {
  return { status: 201, object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 } };
}

/** 429 `TooManyRequests` with a `DisruptionBudget` cause; `Retry-After` only when the server suggests a wait. */
function tooManyRequests(cause: string, retryAfterSeconds: number): StatusError {
  return new StatusError(
    429,
    {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: PDB_MESSAGE,
      reason: "TooManyRequests",
      details: {
        causes: [{ reason: "DisruptionBudget", message: cause }],
        ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
      },
      code: 429,
    },
    retryAfterSeconds > 0 ? { "Retry-After": String(retryAfterSeconds) } : {},
  );
}

function pdbForbidden(name: string, why: string): StatusError {
  return forbidden(`poddisruptionbudget.policy ${JSON.stringify(name)} is forbidden: ${why}`, {
    name,
    group: "policy",
    kind: "poddisruptionbudget",
  });
}

/** Go's `%v` of a `[]string`. */
function goList(values: readonly unknown[]): string {
  return `[${values.map(String).join(" ")}]`;
}

interface EvictionDeleteOptions extends DeleteOptions {
  readonly dryRun: boolean;
}

/** Decodes the Eviction and its `deleteOptions` (`propagateDryRun` included). */
function readEviction(request: VerbRequest): EvictionDeleteOptions {
  const body = request.body;
  if (!isPlainObject(body)) throw badRequest("the object provided is unrecognized (must be of type Eviction)");
  const apiVersion = typeof body.apiVersion === "string" ? body.apiVersion : "";
  const kind = typeof body.kind === "string" ? body.kind : "";
  if (kind !== "" && kind !== "Eviction")
    throw badRequest(
      `${kind} in version ${JSON.stringify(apiVersion.split("/").pop() ?? "")} cannot be handled as a Eviction: no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme "pkg/api/legacyscheme/scheme.go:30"`,
    );
  if (apiVersion !== "" && !EVICTION_VERSIONS.has(apiVersion))
    throw badRequest(
      `Eviction in version ${JSON.stringify(apiVersion.split("/").pop() ?? "")} cannot be handled as a Eviction: no kind "Eviction" is registered for version ${JSON.stringify(apiVersion)} in scheme "pkg/api/legacyscheme/scheme.go:30"`,
    );
  const meta = isPlainObject(body.metadata) ? body.metadata : {};
  if (typeof meta.namespace === "string" && meta.namespace !== "" && meta.namespace !== request.namespace)
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  if ((typeof meta.name === "string" ? meta.name : "") !== request.name)
    throw badRequest("name in URL does not match name in Eviction object");
  const options = isPlainObject(body.deleteOptions) ? body.deleteOptions : {};
  const bodyDryRun = Array.isArray(options.dryRun) ? options.dryRun : [];
  const queryDryRun = request.query.getAll("dryRun");
  if (bodyDryRun.length > 0 && queryDryRun.length > 0 && goList(bodyDryRun) !== goList(queryDryRun))
    throw storageError(
      `Non-matching dry-run options in request and content: ${goList(queryDryRun)} and ${goList(bodyDryRun)}`,
    );
  const dryRun = bodyDryRun.length > 0 ? bodyDryRun : queryDryRun;
  if (dryRun.some((v) => v !== "All"))
    throw invalidOptions("DeleteOptions", [
      { reason: "FieldValueNotSupported", field: "dryRun", value: dryRun, detail: 'supported values: "All"' },
    ]);
  const policy = options.propagationPolicy;
  if (
    policy !== undefined &&
    policy !== null &&
    policy !== "Orphan" &&
    policy !== "Background" &&
    policy !== "Foreground"
  )
    throw invalidOptions("DeleteOptions", [
      {
        reason: "FieldValueNotSupported",
        field: "propagationPolicy",
        value: policy,
        detail: 'supported values: "Foreground", "Background", "Orphan", "nil"',
      },
    ]);
  const pre = isPlainObject(options.preconditions) ? options.preconditions : undefined;
  return {
    gracePeriodSeconds: typeof options.gracePeriodSeconds === "number" ? options.gracePeriodSeconds : undefined,
    propagationPolicy: (policy ?? undefined) as DeleteOptions["propagationPolicy"],
    preconditions:
      pre === undefined
        ? undefined
        : {
            uid: typeof pre.uid === "string" ? pre.uid : undefined,
            resourceVersion: typeof pre.resourceVersion === "string" ? pre.resourceVersion : undefined,
          },
    dryRun: dryRun.length > 0,
  };
}

/** Finished, Pending and terminating pods have already caused their disruption (`canIgnorePDB`). */
function canIgnoreBudget(pod: KubeObject): boolean {
  const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
  return (
    phase === "Succeeded" || phase === "Failed" || phase === "Pending" || pod.metadata?.deletionTimestamp !== undefined
  );
}

function withResourceVersion(options: EvictionDeleteOptions, rv: string | undefined): EvictionDeleteOptions {
  if (options.preconditions?.resourceVersion !== undefined) return options;
  return { ...options, preconditions: { ...options.preconditions, resourceVersion: rv } };
}

/** The Eviction API of one cluster. */
class Evictor {
  readonly #registry: Registry;
  readonly #request: VerbRequest;
  readonly #context: WriteContext;

  constructor(registry: Registry, request: VerbRequest, user: UserInfo, dryRun: boolean) {
    this.#registry = registry;
    this.#request = request;
    this.#context = { user, dryRun, fieldManager: "kube-apiserver" };
  }

  evict(options: EvictionDeleteOptions): VerbResult {
    const request = this.#request;
    const pods = request.resource;
    const entry = this.#registry.find(pods, request.namespace, request.name);
    if (entry === undefined) throw notFound({ group: "", resource: "pods" }, request.name);
    const pod = entry.object;
    const rv = pod.metadata?.resourceVersion;
    if (canIgnoreBudget(pod)) {
      const enforce =
        pod.metadata?.deletionTimestamp === undefined &&
        (pod.status as { phase?: unknown } | undefined)?.phase !== "Succeeded" &&
        (pod.status as { phase?: unknown } | undefined)?.phase !== "Failed";
      this.#markAndDelete(pods, entry, enforce ? withResourceVersion(options, rv) : options);
      return success();
    }
    const budgets = this.#registry.storage
      .list(PDB_STORAGE_KEY, { namespace: request.namespace })
      .items.filter((e) => budgetSelects(e.object, pod));
    if (budgets.length > 1)
      // The real handler returns this Status as its result, so it goes out with the create's 201.
      return {
        status: 201,
        object: {
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Failure",
          message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
          code: 500,
        },
      };
    let guarded = options;
    const budget = budgets[0];
    if (budget !== undefined) {
      const spec = isPlainObject(budget.object.spec) ? budget.object.spec : {};
      const status = isPlainObject(budget.object.status) ? budget.object.status : {};
      const current = typeof status.currentHealthy === "number" ? status.currentHealthy : 0;
      const desired = typeof status.desiredHealthy === "number" ? status.desiredHealthy : 0;
      // An unready pod does not count as healthy: taking it away disrupts nothing when the budget is met.
      const unhealthyMayGo =
        !isPodReady(pod) && (spec.unhealthyPodEvictionPolicy === "AlwaysAllow" || (current >= desired && desired > 0));
      if (unhealthyMayGo) guarded = withResourceVersion(options, rv);
      else this.#checkAndDecrement(budget);
    }
    this.#markAndDelete(pods, entry, guarded);
    return success();
  }

  /** Verifies that the budget allows a disruption and records it (`checkAndDecrement`). */
  #checkAndDecrement(budget: StoredEntry): void {
    const pdb = budget.object;
    const name = pdb.metadata?.name ?? "";
    const status = isPlainObject(pdb.status) ? pdb.status : {};
    const observed = typeof status.observedGeneration === "number" ? status.observedGeneration : 0;
    if (observed < (pdb.metadata?.generation ?? 0))
      throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`, 10);
    const allowed = typeof status.disruptionsAllowed === "number" ? status.disruptionsAllowed : 0;
    if (allowed < 0) throw pdbForbidden(name, "pdb disruptions allowed is negative");
    const disrupted = isPlainObject(status.disruptedPods) ? status.disruptedPods : {};
    if (Object.keys(disrupted).length > MAX_DISRUPTED_PODS)
      throw pdbForbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
    if (allowed === 0)
      throw tooManyRequests(
        `The disruption budget ${name} needs ${String(status.desiredHealthy ?? 0)} healthy pods and has ${String(status.currentHealthy ?? 0)} currently`,
        0,
      );
    if (this.#context.dryRun) return;
    const now = this.#registry.clock.now();
    const next = cloneJson(pdb);
    const nextStatus: Record<string, unknown> = {
      ...status,
      disruptedPods: { ...disrupted, [this.#request.name]: formatTime(now) },
      disruptionsAllowed: allowed - 1,
    };
    if (allowed - 1 === 0)
      nextStatus.conditions = setCondition(
        status.conditions,
        { status: "False", reason: "InsufficientPods", message: "", observedGeneration: observed },
        now,
      );
    next.status = nextStatus;
    const resource = this.#registry.table.byStorageKey(PDB_STORAGE_KEY).find((r) => r.version === "v1");
    if (resource !== undefined) this.#registry.updateFrom(resource, budget, next, this.#context, "status");
  }

  /** Adds the `DisruptionTarget` condition (not on dry runs), then deletes the pod (`addConditionAndDeletePod`). */
  #markAndDelete(pods: ServedResource, entry: StoredEntry, options: EvictionDeleteOptions): void {
    const request = this.#request;
    let deleteOptions = options;
    if (!options.dryRun) {
      const meta = entry.object.metadata ?? {};
      const pre = options.preconditions;
      const podResource = { group: "", resource: "Pod" };
      if (pre?.uid !== undefined && pre.uid !== "" && pre.uid !== meta.uid)
        throw conflict(
          podResource,
          request.name,
          `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid}). The object might have been deleted and then recreated`,
        );
      if (
        pre?.resourceVersion !== undefined &&
        pre.resourceVersion !== "" &&
        pre.resourceVersion !== meta.resourceVersion
      )
        throw conflict(
          podResource,
          request.name,
          `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion}). The object might have been modified`,
        );
      const marked = cloneJson(entry.object);
      const status = isPlainObject(marked.status) ? marked.status : {};
      const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) : [];
      const old = conditions.find((c) => c.type === "DisruptionTarget");
      const now = formatTime(this.#registry.clock.now());
      const condition = {
        type: "DisruptionTarget",
        status: "True",
        lastProbeTime: null,
        lastTransitionTime: old?.status === "True" ? old.lastTransitionTime : now,
        reason: "EvictionByEvictionAPI",
        message: "Eviction API: evicting",
      };
      status.conditions =
        old === undefined ? [...conditions, condition] : conditions.map((c) => (c === old ? condition : c));
      marked.status = status;
      // A storage update, not a request: the field manager does not see it (managedFields stay as they are).
      const updated = this.#registry.updateFrom(pods, entry, marked, this.#context, "status", {
        managedFields: (entry.object.metadata?.managedFields ?? []) as unknown[],
      });
      if (pre?.resourceVersion !== undefined)
        deleteOptions = {
          ...options,
          preconditions: { ...pre, resourceVersion: updated.object.metadata?.resourceVersion },
        };
    }
    this.#registry.delete(pods, request.namespace, request.name, deleteOptions, this.#context);
  }
}

/**
 * The `create/eviction` verb of pods.
 *
 * @param registry the cluster's registry (resolved per request)
 * @returns the verb handler
 * @example
 * ```ts
 * const behavior = { ...podBehavior, verbs: { "create/eviction": podEvictionHandler(() => registry) } };
 * ```
 */
export function podEvictionHandler(registry: () => Registry): VerbHandler {
  return (request) => {
    const options = readEviction(request);
    return new Evictor(registry(), request, request.user, options.dryRun).evict(options);
  };
}
