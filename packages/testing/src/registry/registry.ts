/**
 * The registry: the API's storage semantics on top of {@link ObjectStorage}, shared by the HTTP handlers and the
 * in-process `store` API. Create, read, update, patch results and delete follow the generic registry of
 * kube-apiserver: uid, creationTimestamp, generation, generateName, managedFields, optimistic concurrency, status
 * kept apart from the main resource, namespace lifecycle, finalizers with `deletionTimestamp`, propagation policies
 * with a small garbage collector, and dry runs.
 *
 * @module
 */
import type { UserInfo } from "../auth/user-info.ts";
import { type Clock, formatTime } from "../clock.ts";
import { updateManagedFields } from "../patch/managed-fields.ts";
import { cloneJson, isPlainObject, jsonEqual, type KubeObject, type ObjectMeta } from "../resources/kube-object.ts";
import type { ResourceTable } from "../resources/resource-table.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import {
  alreadyExists,
  badRequest,
  conflict,
  internalError,
  invalid,
  namespaceTerminating,
  notFound,
  OBJECT_MODIFIED,
  type QualifiedResource,
  StatusError,
} from "../server/status-error.ts";
import type { ObjectStorage, StoredEntry } from "../store/object-storage.ts";
import { KindSchemas } from "./kind-schemas.ts";
import { generateName, normalizeObject, validateObjectMeta } from "./object-meta.ts";
import type { BehaviorContext, DeleteRequestOptions } from "./resource-behavior.ts";

/** The caller's side of a write. */
export interface WriteContext {
  /** The caller. */
  readonly user: UserInfo;
  /** `dryRun=All`: validate and answer, store nothing. */
  readonly dryRun: boolean;
  /** Field manager recorded in managedFields. */
  readonly fieldManager: string;
}

/** A write's outcome. */
export interface WriteResult {
  /** The stored entry (absent for dry runs). */
  readonly entry: StoredEntry | undefined;
  /** The object as stored (or as it would have been). */
  readonly object: KubeObject;
  /** The write created the object (HTTP 201). */
  readonly created: boolean;
}

/** `DeleteOptions` after parsing. */
export interface DeleteOptions {
  readonly gracePeriodSeconds?: number | undefined;
  readonly propagationPolicy?: "Orphan" | "Background" | "Foreground" | undefined;
  readonly preconditions?: { uid?: string | undefined; resourceVersion?: string | undefined } | undefined;
}

/** A delete's outcome: the object when it lingers (finalizers) or the kind returns it, else a Status. */
export interface DeleteResult {
  /** The object as it is (pending) or was (deleted). */
  readonly object: KubeObject;
  /** It is gone now. */
  readonly deleted: boolean;
  /** The server answers the object rather than a Status. */
  readonly returnObject: boolean;
}

/** Reference to a stored object. */
export interface ObjectRef {
  readonly resource: ServedResource;
  readonly namespace: string;
  readonly name: string;
}

/** Parts of the registry behaviours and controllers reach. */
export interface RegistryOptions {
  readonly storage: ObjectStorage;
  readonly table: ResourceTable;
  readonly clock: Clock;
  /** Delay before the garbage collector and the namespace controller act, in ms. @default 0 */
  readonly controllerDelayMs?: number;
  /** Called after every committed change (controllers that serve CRDs hook in here). */
  readonly onCommit?: (resource: ServedResource, type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject) => void;
  /** Called when an object gets its deletionTimestamp and a finalizer of its own holds it (controllers that own the finalizer act). */
  readonly onPendingDelete?: (resource: ServedResource, object: KubeObject) => void;
}

const NAMESPACES: QualifiedResource = { group: "", resource: "namespaces" };
const SYSTEM_USER: UserInfo = { name: "system:serviceaccount:kube-system:generic-garbage-collector", groups: [] };

/** Storage key of an object. */
export function storageKeyOf(namespace: string, name: string): string {
  return namespace === "" ? name : `${namespace}/${name}`;
}

/** `group/resource` of a served resource, for messages. */
export function qualified(resource: ServedResource): QualifiedResource {
  return { group: resource.group, resource: resource.plural };
}

/** The registry. */
export class Registry {
  readonly storage: ObjectStorage;
  readonly table: ResourceTable;
  readonly clock: Clock;
  /** Patch schemas of the served kinds. */
  readonly schemas: KindSchemas;
  readonly #controllerDelayMs: number;
  readonly #onCommit: RegistryOptions["onCommit"];
  readonly #onPendingDelete: RegistryOptions["onPendingDelete"];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;

  constructor(options: RegistryOptions) {
    this.storage = options.storage;
    this.table = options.table;
    this.clock = options.clock;
    this.schemas = new KindSchemas(options.storage);
    this.#controllerDelayMs = options.controllerDelayMs ?? 0;
    this.#onCommit = options.onCommit;
    this.#onPendingDelete = options.onPendingDelete;
  }

  /** Stops background work (controllers scheduled after deletes). */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** Runs `fn` after the controller delay, as the real controllers act after the API call returned. */
  later(fn: () => void): void {
    if (this.#closed) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (!this.#closed) fn();
    }, this.#controllerDelayMs);
    this.#timers.add(t);
  }

  #behaviorContext(user: UserInfo, dryRun: boolean): BehaviorContext {
    return { now: this.clock.now(), user, dryRun };
  }

  #namespaceResource(): ServedResource | undefined {
    return this.table.lookup("/api/v1", "namespaces");
  }

  /** The current entry of an object, or `undefined`. */
  find(resource: ServedResource, namespace: string, name: string): StoredEntry | undefined {
    return this.storage.get(resource.storageKey, storageKeyOf(resource.namespaced ? namespace : "", name));
  }

  /**
   * The current entry of an object.
   *
   * @throws {StatusError} 404 when missing
   */
  get(resource: ServedResource, namespace: string, name: string): StoredEntry {
    const entry = this.find(resource, namespace, name);
    if (entry === undefined) throw notFound(qualified(resource), name);
    return entry;
  }

  /** Whether a namespace exists, and whether it is being deleted. */
  namespaceState(namespace: string): "missing" | "active" | "terminating" {
    const ns = this.storage.get("/namespaces", namespace);
    if (ns === undefined) return "missing";
    return ns.object.metadata?.deletionTimestamp === undefined ? "active" : "terminating";
  }

  #checkNamespaceForCreate(resource: ServedResource, namespace: string, name: string): void {
    if (!resource.namespaced) return;
    const state = this.namespaceState(namespace);
    if (state === "missing") throw notFound(NAMESPACES, namespace);
    if (state === "terminating") throw namespaceTerminating(qualified(resource), name, namespace);
  }

  #validate(resource: ServedResource, object: KubeObject, old: KubeObject | undefined): void {
    const meta = object.metadata ?? {};
    const errors = validateObjectMeta(
      meta,
      resource.behavior.nameRule ?? "subdomain",
      resource.namespaced,
      resource.builtin && resource.group !== "apiextensions.k8s.io",
    );
    errors.push(...(resource.behavior.validate?.(object, old) ?? []));
    if (errors.length > 0)
      throw invalid({ group: resource.internalGroup ?? resource.group, kind: resource.kind }, meta.name ?? "", errors);
  }

  #hasStatusSubresource(resource: ServedResource): boolean {
    return resource.subresources.includes("status");
  }

  #keepsGeneration(resource: ServedResource): boolean {
    return resource.behavior.generation ?? this.#hasStatusSubresource(resource);
  }

  #managedFields(
    resource: ServedResource,
    previous: KubeObject | undefined,
    next: KubeObject,
    manager: string,
    subresource?: string,
  ): unknown[] {
    const schema = this.schemas.lookup(resource);
    return updateManagedFields(previous, next, {
      manager,
      operation: "Update",
      ...(subresource === undefined ? {} : { subresource }),
      time: formatTime(this.clock.now()),
      apiVersion: resource.apiVersion,
      ...(schema === undefined ? {} : { schema }),
    });
  }

  /**
   * Creates an object.
   *
   * @param resource where it is served
   * @param namespace namespace from the URL (`""` for cluster-scoped)
   * @param input the decoded body (not modified)
   * @param context caller, dry run, field manager
   * @throws {StatusError} 404 (namespace), 403 (terminating namespace), 409 (exists), 422 (invalid), 500
   */
  create(resource: ServedResource, namespace: string, input: KubeObject, context: WriteContext): WriteResult {
    const object = cloneJson(input);
    const meta: ObjectMeta = isPlainObject(object.metadata) ? object.metadata : {};
    object.metadata = meta;
    if (resource.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== "" && namespace !== "" && meta.namespace !== namespace)
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      if (namespace !== "") meta.namespace = namespace;
    } else if (meta.namespace !== undefined) delete meta.namespace;
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== "")
      throw internalError("resourceVersion should not be set on objects to be created");
    const ctx = this.#behaviorContext(context.user, context.dryRun);
    if ((meta.name ?? "") === "" && (meta.generateName ?? "") !== "") {
      let name = generateName(meta.generateName as string);
      for (let i = 0; i < 8 && this.find(resource, meta.namespace ?? "", name) !== undefined; i++)
        name = generateName(meta.generateName as string);
      meta.name = name;
    }
    delete meta.selfLink;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.uid = crypto.randomUUID();
    meta.creationTimestamp = formatTime(ctx.now);
    if (this.#keepsGeneration(resource)) meta.generation = 1;
    else delete meta.generation;
    if (this.#hasStatusSubresource(resource)) delete object.status;
    resource.behavior.defaults?.(object, ctx);
    resource.behavior.prepareForCreate?.(object, ctx);
    this.#validate(resource, object, undefined);
    const name = meta.name as string;
    this.#checkNamespaceForCreate(resource, meta.namespace ?? "", name);
    const key = storageKeyOf(resource.namespaced ? (meta.namespace ?? "") : "", name);
    if (this.storage.get(resource.storageKey, key) !== undefined) throw alreadyExists(qualified(resource), name);
    meta.managedFields = this.#managedFields(resource, undefined, object, context.fieldManager) as NonNullable<
      ObjectMeta["managedFields"]
    >;
    if (meta.managedFields.length === 0) delete meta.managedFields;
    if (context.dryRun) {
      delete meta.resourceVersion;
      return { entry: undefined, object: normalizeObject(object, resource.kind, resource.apiVersion), created: true };
    }
    const entry = this.#commit(resource, "ADDED", key, object);
    return { entry, object: entry.object, created: true };
  }

  #commit(
    resource: ServedResource,
    type: "ADDED" | "MODIFIED" | "DELETED",
    key: string,
    object: KubeObject,
  ): StoredEntry {
    const meta = object.metadata ?? {};
    meta.resourceVersion = String(this.storage.nextRv());
    object.metadata = meta;
    const normalized = normalizeObject(object, resource.kind, resource.apiVersion);
    const entry = this.storage.commit(resource.storageKey, type, key, normalized);
    this.#onCommit?.(resource, type, entry.object);
    return entry;
  }

  /**
   * Commits an object as given, the way a write straight to etcd would land: only the resourceVersion, and for a new
   * object its uid and creationTimestamp, are set. No defaults, no validation, no managedFields, no generation, no
   * namespace check; watchers see the event. For load generation.
   */
  commitRaw(resource: ServedResource, input: KubeObject): StoredEntry {
    const object = cloneJson(input);
    const meta: ObjectMeta = isPlainObject(object.metadata) ? object.metadata : {};
    object.metadata = meta;
    const namespace = resource.namespaced ? (meta.namespace ?? "") : "";
    const name = meta.name ?? "";
    if (name === "") throw new TypeError("commitRaw() needs metadata.name");
    const key = storageKeyOf(namespace, name);
    const existing = this.storage.get(resource.storageKey, key);
    if (existing === undefined) {
      meta.uid ??= crypto.randomUUID();
      meta.creationTimestamp ??= formatTime(this.clock.now());
    } else {
      meta.uid = existing.object.metadata?.uid as string;
      meta.creationTimestamp = existing.object.metadata?.creationTimestamp as string;
    }
    return this.#commit(resource, existing === undefined ? "ADDED" : "MODIFIED", key, object);
  }

  /**
   * Replaces an object (PUT), or its status (`subresource: "status"`).
   *
   * @throws {StatusError} 400 (name mismatch), 404, 409 (stale resourceVersion), 422
   */
  update(
    resource: ServedResource,
    namespace: string,
    name: string,
    input: KubeObject,
    context: WriteContext,
    subresource?: string,
  ): WriteResult {
    const object = cloneJson(input);
    const meta: ObjectMeta = isPlainObject(object.metadata) ? object.metadata : {};
    object.metadata = meta;
    if ((meta.name ?? "") !== "" && meta.name !== name)
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    meta.name = name;
    if (resource.namespaced) {
      if ((meta.namespace ?? "") !== "" && meta.namespace !== namespace)
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      meta.namespace = namespace;
    }
    const existing = this.find(resource, namespace, name);
    if (existing === undefined) {
      if (subresource === undefined && resource.behavior.allowCreateOnUpdate === true) {
        delete meta.resourceVersion;
        return this.create(resource, namespace, object, context);
      }
      throw notFound(qualified(resource), name);
    }
    return this.updateFrom(resource, existing, object, context, subresource);
  }

  /**
   * Stores `object` as the new state of `existing`, applying the update rules (used by PUT and by every patch type
   * once the patch is applied).
   */
  updateFrom(
    resource: ServedResource,
    existing: StoredEntry,
    next: KubeObject,
    context: WriteContext,
    subresource?: string,
    options: { managedFields?: unknown[] } = {},
  ): WriteResult {
    const old = existing.object;
    const oldMeta = old.metadata ?? {};
    let object = next;
    const meta: ObjectMeta = isPlainObject(object.metadata) ? object.metadata : {};
    object.metadata = meta;
    const requestedRv = meta.resourceVersion;
    if (requestedRv !== undefined && requestedRv !== "" && requestedRv !== oldMeta.resourceVersion)
      throw conflict(qualified(resource), existing.name, OBJECT_MODIFIED);
    if (meta.uid !== undefined && meta.uid !== "" && meta.uid !== oldMeta.uid)
      throw conflict(
        qualified(resource),
        existing.name,
        `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${oldMeta.uid}`,
      );
    const ctx = this.#behaviorContext(context.user, context.dryRun);
    if (subresource === "status") {
      // A status update takes only the status; everything else stays as stored.
      object = { ...cloneJson(old), status: cloneJson(object.status) };
      if (object.status === undefined) delete object.status;
    } else {
      if (this.#hasStatusSubresource(resource)) {
        if (old.status === undefined) delete object.status;
        else object.status = cloneJson(old.status);
      }
      // System-owned metadata survives any update.
      meta.uid = oldMeta.uid as string;
      meta.creationTimestamp = oldMeta.creationTimestamp as string;
      if (resource.namespaced) meta.namespace = oldMeta.namespace as string;
      meta.name = oldMeta.name as string;
      delete meta.selfLink;
      if (oldMeta.deletionTimestamp !== undefined) {
        meta.deletionTimestamp = oldMeta.deletionTimestamp;
        if (oldMeta.deletionGracePeriodSeconds !== undefined)
          meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
      } else {
        delete meta.deletionTimestamp;
        delete meta.deletionGracePeriodSeconds;
      }
      if (meta.generateName === undefined && oldMeta.generateName !== undefined)
        meta.generateName = oldMeta.generateName;
      resource.behavior.defaults?.(object, ctx);
      resource.behavior.prepareForUpdate?.(object, old, ctx);
    }
    const newMeta = object.metadata as ObjectMeta;
    if (this.#keepsGeneration(resource)) {
      newMeta.generation = (oldMeta.generation ?? 1) + (specChanged(old, object) ? 1 : 0);
    } else delete newMeta.generation;
    this.#validate(resource, object, old);
    newMeta.managedFields = (options.managedFields ??
      this.#managedFields(resource, old, object, context.fieldManager, subresource)) as NonNullable<
      ObjectMeta["managedFields"]
    >;
    if (newMeta.managedFields.length === 0) delete newMeta.managedFields;
    // A write that changes nothing is not a write: no new resourceVersion, no event (etcd compares the bytes).
    newMeta.resourceVersion = oldMeta.resourceVersion as string;
    if (sameIgnoringManagedFieldTimes(old, normalizeObject(object, resource.kind, resource.apiVersion)))
      return { entry: existing, object: old, created: false };
    // Removing the last finalizer of an object that is being deleted finishes the deletion.
    if (
      newMeta.deletionTimestamp !== undefined &&
      (newMeta.finalizers ?? []).length === 0 &&
      subresource === undefined
    ) {
      if (context.dryRun)
        return {
          entry: undefined,
          object: normalizeObject(object, resource.kind, resource.apiVersion),
          created: false,
        };
      const entry = this.#commit(resource, "DELETED", existing.key, object);
      this.#afterDelete(resource, entry.object, "Background");
      return { entry, object: entry.object, created: false };
    }
    if (context.dryRun)
      return { entry: undefined, object: normalizeObject(object, resource.kind, resource.apiVersion), created: false };
    const entry = this.#commit(resource, "MODIFIED", existing.key, object);
    return { entry, object: entry.object, created: false };
  }

  /**
   * Deletes an object, or starts its deletion when finalizers (its own, or `orphan`/`foregroundDeletion` from the
   * propagation policy) hold it.
   *
   * @throws {StatusError} 404, 409 (preconditions)
   */
  delete(
    resource: ServedResource,
    namespace: string,
    name: string,
    options: DeleteOptions,
    context: WriteContext,
  ): DeleteResult {
    const existing = this.get(resource, namespace, name);
    const old = existing.object;
    const oldMeta = old.metadata ?? {};
    const pre = options.preconditions;
    if (pre?.uid !== undefined && pre.uid !== "" && pre.uid !== oldMeta.uid)
      throw conflict(
        qualified(resource),
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${oldMeta.uid}`,
      );
    if (
      pre?.resourceVersion !== undefined &&
      pre.resourceVersion !== "" &&
      pre.resourceVersion !== oldMeta.resourceVersion
    )
      throw conflict(
        qualified(resource),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${oldMeta.resourceVersion}`,
      );
    const policy = options.propagationPolicy ?? "Background";
    const returnObject = resource.behavior.returnDeletedObject === true;
    const object = cloneJson(old);
    const meta = object.metadata as ObjectMeta;
    const finalizers = [...(meta.finalizers ?? [])];
    if (policy === "Orphan" && !finalizers.includes("orphan")) finalizers.push("orphan");
    if (policy === "Foreground" && !finalizers.includes("foregroundDeletion")) finalizers.push("foregroundDeletion");
    const ctx = this.#behaviorContext(context.user, context.dryRun);
    const now = formatTime(ctx.now);
    if (oldMeta.deletionTimestamp !== undefined) {
      // Already being deleted: only new finalizers from the policy are recorded.
      if (finalizers.length === (oldMeta.finalizers ?? []).length || context.dryRun)
        return { object: old, deleted: false, returnObject: true };
      meta.finalizers = finalizers;
      const entry = this.#commit(resource, "MODIFIED", existing.key, object);
      this.#afterPendingDelete(resource, entry.object);
      return { object: entry.object, deleted: false, returnObject: true };
    }
    const requestOptions: DeleteRequestOptions = {
      gracePeriodSeconds: options.gracePeriodSeconds,
      propagationPolicy: policy,
    };
    const pending = resource.behavior.beginDelete?.(object, requestOptions, ctx);
    if (pending !== undefined) {
      const pm = pending.metadata as ObjectMeta;
      pm.deletionTimestamp ??= now;
      // Marking an object for deletion is a spec-level change for kinds that keep a generation.
      if (typeof pm.generation === "number") pm.generation++;
      if (finalizers.length > 0) pm.finalizers = finalizers;
      if (context.dryRun)
        return {
          object: normalizeObject(pending, resource.kind, resource.apiVersion),
          deleted: false,
          returnObject: true,
        };
      const entry = this.#commit(resource, "MODIFIED", existing.key, pending);
      this.#afterPendingDelete(resource, entry.object);
      return { object: entry.object, deleted: false, returnObject: true };
    }
    if (finalizers.length > 0) {
      meta.finalizers = finalizers;
      meta.deletionTimestamp = now;
      meta.deletionGracePeriodSeconds = 0;
      if (typeof meta.generation === "number") meta.generation++;
      if (context.dryRun)
        return {
          object: normalizeObject(object, resource.kind, resource.apiVersion),
          deleted: false,
          returnObject: true,
        };
      const entry = this.#commit(resource, "MODIFIED", existing.key, object);
      this.#afterPendingDelete(resource, entry.object);
      return { object: entry.object, deleted: false, returnObject: true };
    }
    if (returnObject) {
      meta.deletionTimestamp = now;
      meta.deletionGracePeriodSeconds = 0;
    }
    if (context.dryRun) return { object: old, deleted: true, returnObject };
    const entry = this.#commit(resource, "DELETED", existing.key, object);
    this.#afterDelete(resource, entry.object, policy);
    return { object: entry.object, deleted: true, returnObject };
  }

  /** Work the garbage collector and namespace controller do for an object that just got a deletionTimestamp. */
  #afterPendingDelete(resource: ServedResource, object: KubeObject): void {
    const meta = object.metadata ?? {};
    const fins = meta.finalizers ?? [];
    if (resource.storageKey === "/namespaces") {
      this.later(() => this.#finalizeNamespace(meta.name as string));
      return;
    }
    this.#onPendingDelete?.(resource, object);
    if (fins.includes("orphan")) this.later(() => this.#orphanDependents(resource, object));
    else if (fins.includes("foregroundDeletion"))
      this.later(() => this.#deleteDependentsInForeground(resource, object));
    else if (fins.length === 0) this.later(() => this.#completeGracefulDelete(resource, object));
  }

  /** What the kubelet does for a pod deleted with a grace period: confirm, and the object goes. */
  #completeGracefulDelete(resource: ServedResource, object: KubeObject): void {
    const current = this.find(resource, object.metadata?.namespace ?? "", object.metadata?.name as string);
    if (current === undefined || current.object.metadata?.uid !== object.metadata?.uid) return;
    if ((current.object.metadata?.finalizers ?? []).length > 0) return;
    const final = cloneJson(current.object);
    (final.metadata as ObjectMeta).deletionGracePeriodSeconds = 0;
    const entry = this.#commit(resource, "DELETED", current.key, final);
    this.#afterDelete(resource, entry.object, "Background");
  }

  #afterDelete(_resource: ServedResource, object: KubeObject, policy: string): void {
    const uid = object.metadata?.uid;
    if (uid === undefined || policy === "Orphan") return;
    this.later(() => {
      for (const dep of this.#dependentsOf(uid)) this.systemDelete(dep.resource, dep.entry, "Background");
    });
  }

  /** Objects whose ownerReferences name `uid`. */
  #dependentsOf(uid: string): { resource: ServedResource; entry: StoredEntry }[] {
    const out: { resource: ServedResource; entry: StoredEntry }[] = [];
    const seen = new Set<string>();
    for (const resource of this.table.all()) {
      if (seen.has(resource.storageKey)) continue;
      seen.add(resource.storageKey);
      for (const entry of this.storage.list(resource.storageKey).items) {
        const refs = entry.object.metadata?.ownerReferences;
        if (Array.isArray(refs) && refs.some((r) => r?.uid === uid)) out.push({ resource, entry });
      }
    }
    return out;
  }

  /** Deletes as a controller does, ignoring objects that are already gone. */
  systemDelete(resource: ServedResource, entry: StoredEntry, policy: "Background" | "Foreground" | "Orphan"): void {
    try {
      this.delete(
        resource,
        entry.namespace,
        entry.name,
        { propagationPolicy: policy },
        {
          user: SYSTEM_USER,
          dryRun: false,
          fieldManager: "kube-controller-manager",
        },
      );
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
    }
  }

  /** Removes a finalizer (as the controller owning it does); the deletion completes when none is left. */
  removeFinalizer(resource: ServedResource, namespace: string, name: string, finalizer: string): void {
    const current = this.find(resource, namespace, name);
    if (current === undefined) return;
    const object = cloneJson(current.object);
    const meta = object.metadata as ObjectMeta;
    meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== finalizer);
    if (meta.finalizers.length === 0) delete meta.finalizers;
    this.updateFrom(resource, current, object, {
      user: SYSTEM_USER,
      dryRun: false,
      fieldManager: "kube-controller-manager",
    });
  }

  #orphanDependents(resource: ServedResource, owner: KubeObject): void {
    const uid = owner.metadata?.uid as string;
    for (const dep of this.#dependentsOf(uid)) {
      const object = cloneJson(dep.entry.object);
      const meta = object.metadata as ObjectMeta;
      meta.ownerReferences = (meta.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (meta.ownerReferences.length === 0) delete meta.ownerReferences;
      this.updateFrom(dep.resource, dep.entry, object, {
        user: SYSTEM_USER,
        dryRun: false,
        fieldManager: "kube-controller-manager",
      });
    }
    this.removeFinalizer(resource, owner.metadata?.namespace ?? "", owner.metadata?.name as string, "orphan");
  }

  #deleteDependentsInForeground(resource: ServedResource, owner: KubeObject): void {
    const uid = owner.metadata?.uid as string;
    for (const dep of this.#dependentsOf(uid)) this.systemDelete(dep.resource, dep.entry, "Foreground");
    const remaining = this.#dependentsOf(uid);
    if (remaining.length > 0) {
      // Dependents held by their own finalizers: try again later, as the garbage collector requeues.
      this.later(() => this.#deleteDependentsInForeground(resource, owner));
      return;
    }
    this.removeFinalizer(
      resource,
      owner.metadata?.namespace ?? "",
      owner.metadata?.name as string,
      "foregroundDeletion",
    );
  }

  /** The namespace controller: empties a terminating namespace, then removes its `kubernetes` finalizer. */
  #finalizeNamespace(namespace: string): void {
    const nsResource = this.#namespaceResource();
    const ns = this.storage.get("/namespaces", namespace);
    if (nsResource === undefined || ns === undefined || ns.object.metadata?.deletionTimestamp === undefined) return;
    const seen = new Set<string>();
    let remaining = 0;
    for (const resource of this.table.all()) {
      if (!resource.namespaced || seen.has(resource.storageKey)) continue;
      seen.add(resource.storageKey);
      for (const entry of this.storage.list(resource.storageKey, { namespace }).items) {
        if (entry.object.metadata?.deletionTimestamp === undefined) this.systemDelete(resource, entry, "Background");
        if (this.storage.get(resource.storageKey, entry.key) !== undefined) remaining++;
      }
    }
    if (remaining > 0) {
      this.later(() => this.#finalizeNamespace(namespace));
      return;
    }
    const object = cloneJson(ns.object);
    const spec = isPlainObject(object.spec) ? object.spec : {};
    spec.finalizers = (Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : []).filter(
      (f) => f !== "kubernetes",
    );
    object.spec = spec;
    const meta = object.metadata as ObjectMeta;
    if ((spec.finalizers as string[]).length === 0 && (meta.finalizers ?? []).length === 0) {
      this.#commit(nsResource, "DELETED", ns.key, object);
      return;
    }
    this.#commit(nsResource, "MODIFIED", ns.key, object);
  }
}

/** Whether anything outside metadata and status differs (the generation rule). */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === "metadata" || k === "status" || k === "kind" || k === "apiVersion") continue;
    if (!jsonEqual(a[k], b[k])) return true;
  }
  return false;
}

function sameIgnoringManagedFieldTimes(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): KubeObject => {
    const meta = { ...(o.metadata ?? {}) };
    if (Array.isArray(meta.managedFields))
      meta.managedFields = meta.managedFields.map((e) => {
        const { time: _t, ...rest } = e;
        return rest;
      });
    return { ...o, metadata: meta };
  };
  return jsonEqual(strip(a), strip(b));
}
