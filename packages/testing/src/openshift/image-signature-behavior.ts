/**
 * ImageSignature: create and delete only (GET and LIST are 405, as on the real server). A signature lives inside its
 * Image (`Image.signatures`), named `<image digest>@<signature name>`; creating one follows openshift-apiserver's
 * rules: the name's format, `type` and `content` required, labels and annotations forbidden, 404 for an unknown
 * image, 409 for a taken name or the same type and content under another name, and the informational fields
 * (`conditions`, `imageIdentity`, `signedClaims`, `created`, `issuedBy`, `issuedTo`) dropped. Deleting removes it from
 * the image, cluster-wide.
 *
 * @module
 */
import { formatTime } from "../clock.ts";
import type { Registry } from "../registry/registry.ts";
import type { ResourceBehavior } from "../registry/resource-behavior.ts";
import { cloneJson, isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import {
  alreadyExists,
  badRequest,
  type FieldError,
  invalid,
  notFound,
  type QualifiedResource,
} from "../server/status-error.ts";
import { IMAGE_CONTROLLER, imageResource } from "./image-streams.ts";

const SIGNATURES: QualifiedResource = { group: "image.openshift.io", resource: "imageSignatures" };

/** A stored signature, as `Image.signatures[]` and the create response show it. */
export interface StoredSignature {
  metadata: { name: string; uid: string; creationTimestamp: string };
  type: string;
  content: string;
}

function splitName(name: string): [string, string] | undefined {
  const parts = name.split("@");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") return undefined;
  return parts as [string, string];
}

/** The signatures of an image. */
export function signaturesOf(image: KubeObject): StoredSignature[] {
  return Array.isArray(image.signatures) ? (image.signatures as StoredSignature[]) : [];
}

/**
 * Creates an image signature (validation, conflict checks, the Image update).
 *
 * @param registry the registry
 * @param body the ImageSignature
 * @returns the stored signature
 * @throws {StatusError} 422, 404, 409 as the real server answers
 */
export function createImageSignature(registry: Registry, body: Record<string, unknown>): StoredSignature {
  const meta = isPlainObject(body.metadata) ? body.metadata : {};
  const name = typeof meta.name === "string" ? meta.name : "";
  const errors: FieldError[] = [];
  if (name === "" && (typeof meta.generateName !== "string" || meta.generateName === ""))
    errors.push({ reason: "FieldValueRequired", field: "metadata.name", detail: "name or generateName is required" });
  if (splitName(name) === undefined)
    errors.push({
      reason: "FieldValueInvalid",
      field: "metadata.name",
      value: name,
      detail: "name must be of format <imageName>@<signatureName>",
    });
  if (isPlainObject(meta.labels) && Object.keys(meta.labels).length > 0)
    errors.push({ reason: "FieldValueForbidden", field: "metadata.labels", detail: "signature labels cannot be set" });
  if (isPlainObject(meta.annotations) && Object.keys(meta.annotations).length > 0)
    errors.push({
      reason: "FieldValueForbidden",
      field: "metadata.annotations",
      detail: "signature annotations cannot be set",
    });
  const type = typeof body.type === "string" ? body.type : "";
  const content = typeof body.content === "string" ? body.content : "";
  if (type === "") errors.push({ reason: "FieldValueRequired", field: "type" });
  if (content === "") errors.push({ reason: "FieldValueRequired", field: "content" });
  if (errors.length > 0) throw invalid({ group: "image.openshift.io", kind: "ImageSignature" }, name, errors);
  const [imageName] = splitName(name) as [string, string];
  const images = imageResource(registry, "images");
  const entry = registry.find(images, "", imageName);
  if (entry === undefined) throw notFound({ group: "image.openshift.io", resource: "images" }, imageName);
  const existing = signaturesOf(entry.object);
  if (existing.some((s) => s.metadata.name === name || (s.type === type && s.content === content)))
    throw alreadyExists(SIGNATURES, name);
  const signature: StoredSignature = {
    metadata: { name, uid: crypto.randomUUID(), creationTimestamp: formatTime(registry.clock.now()) },
    type,
    content,
  };
  const next = cloneJson(entry.object);
  next.signatures = [...existing, signature];
  registry.updateFrom(images, entry, next, IMAGE_CONTROLLER);
  return signature;
}

/**
 * Deletes an image signature.
 *
 * @throws {StatusError} 400 for a name without `@`, 404 for an unknown signature
 */
export function deleteImageSignature(registry: Registry, name: string): void {
  const parts = splitName(name);
  if (parts === undefined) throw badRequest("ImageSignatures must be accessed with <imageName>@<signatureName>");
  const images = imageResource(registry, "images");
  const entry = registry.find(images, "", parts[0]);
  const existing = entry === undefined ? [] : signaturesOf(entry.object);
  if (entry === undefined || !existing.some((s) => s.metadata.name === name)) throw notFound(SIGNATURES, name);
  const next = cloneJson(entry.object);
  next.signatures = existing.filter((s) => s.metadata.name !== name);
  if ((next.signatures as unknown[]).length === 0) delete next.signatures;
  registry.updateFrom(images, entry, next, IMAGE_CONTROLLER);
}

/**
 * The ImageSignature behaviour.
 *
 * @param registry the registry
 * @returns the behaviour (create and delete)
 */
export function imageSignatureBehavior(registry: () => Registry): ResourceBehavior {
  return {
    nameRule: "path-segment",
    verbs: {
      create(request) {
        const signature = createImageSignature(registry(), isPlainObject(request.body) ? request.body : {});
        return {
          status: 201,
          object: { kind: "ImageSignature", apiVersion: request.resource.apiVersion, ...cloneJson(signature) },
        };
      },
      delete(request) {
        deleteImageSignature(registry(), request.name);
        return { status: 200, object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" } };
      },
    },
  };
}
