/**
 * The image API kinds besides signatures: Image (metadata filled from the manifest and config, reference validated),
 * ImageStream (defaults, the registry's repository in `status`), ImageStreamMapping (tags an image into a stream),
 * ImageStreamTag (`<stream>:<tag>`, a view of the stream and its image) and ImageStreamImage (`<stream>@<digest>`,
 * the image as the stream's users may see it, signatures included).
 *
 * @module
 */
import type { Registry } from "../registry/registry.ts";
import type { ResourceBehavior, VerbRequest } from "../registry/resource-behavior.ts";
import { cloneJson, isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import { badRequest, type FieldError, notFound } from "../server/status-error.ts";
import { parseImageReference } from "./image-reference.ts";
import {
  exposedImage,
  fillImageMetadata,
  findStreamImage,
  IMAGE_CONTROLLER,
  imageResource,
  latestTagEvent,
  tagImage,
} from "./image-streams.ts";

type Json = Record<string, unknown>;

/** What the image behaviours need. */
export interface ImageBehaviorContext {
  /** The registry. */
  readonly registry: () => Registry;
  /** `host[:port]` of the registry face, when one runs (image streams show their repository there). */
  readonly registryHost: () => string | undefined;
}

function qr(request: VerbRequest, resource: string): { group: string; resource: string } {
  return { group: request.resource.group, resource };
}

const imageBehavior: ResourceBehavior = {
  nameRule: "path-segment",
  defaults: (object) => fillImageMetadata(object),
  validate(object) {
    const errors: FieldError[] = [];
    const ref = object.dockerImageReference;
    if (typeof ref !== "string" || ref === "")
      errors.push({ reason: "FieldValueRequired", field: "dockerImageReference" });
    else if (parseImageReference(ref) === undefined)
      errors.push({
        reason: "FieldValueInvalid",
        field: "dockerImageReference",
        value: ref,
        detail: "invalid reference format",
      });
    return errors;
  },
};

function imageStreamBehavior(ctx: ImageBehaviorContext): ResourceBehavior {
  return {
    generation: true,
    defaults(object) {
      const spec = isPlainObject(object.spec) ? object.spec : {};
      object.spec = spec;
      spec.lookupPolicy ??= { local: false };
      if (Array.isArray(spec.tags))
        for (const t of spec.tags as Json[]) {
          if (!isPlainObject(t)) continue;
          if (!("annotations" in t)) t.annotations = null;
          t.generation ??= object.metadata?.generation ?? 1;
          t.importPolicy ??= {};
          t.referencePolicy ??= { type: "Source" };
        }
    },
    prepareForCreate(object) {
      const host = ctx.registryHost();
      const meta = object.metadata ?? {};
      const repository = host === undefined ? "" : `${host}/${meta.namespace ?? ""}/${meta.name ?? ""}`;
      object.status = {
        dockerImageRepository: repository,
        ...(host === undefined ? {} : { publicDockerImageRepository: repository }),
      };
    },
  };
}

function imageStreamMappingBehavior(ctx: ImageBehaviorContext): ResourceBehavior {
  return {
    verbs: {
      create(request) {
        const body = isPlainObject(request.body) ? request.body : {};
        const stream = (body.metadata as { name?: string } | undefined)?.name ?? "";
        const tag = typeof body.tag === "string" ? body.tag : "";
        const image = isPlainObject(body.image) ? (cloneJson(body.image) as KubeObject) : undefined;
        if (image === undefined || (image.metadata?.name ?? "") === "")
          throw badRequest("the ImageStreamMapping must name an image");
        if (tag === "") throw badRequest("the ImageStreamMapping must name a tag");
        const reg = ctx.registry();
        const streams = imageResource(reg, "imagestreams");
        if (reg.find(streams, request.namespace, stream) === undefined)
          throw notFound(qr(request, "imagestreams"), stream);
        tagImage(reg, { namespace: request.namespace, stream, tag, image, createStream: false });
        return {
          status: 201,
          object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 },
        };
      },
    },
  };
}

function imageStreamTagBehavior(ctx: ImageBehaviorContext): ResourceBehavior {
  const view = (reg: Registry, request: VerbRequest, stream: KubeObject, tag: string): KubeObject | undefined => {
    const event = latestTagEvent(stream, tag);
    const spec = isPlainObject(stream.spec) ? stream.spec : {};
    const specTag = Array.isArray(spec.tags) ? (spec.tags as Json[]).find((t) => t.name === tag) : undefined;
    if (event === undefined) return undefined;
    const image = reg.find(imageResource(reg, "images"), "", event.image);
    const meta = stream.metadata ?? {};
    return {
      kind: "ImageStreamTag",
      apiVersion: request.resource.apiVersion,
      metadata: JSON.parse(
        JSON.stringify({
          name: `${meta.name ?? ""}:${tag}`,
          namespace: meta.namespace,
          uid: meta.uid,
          resourceVersion: meta.resourceVersion,
          creationTimestamp: event.created,
        }),
      ),
      tag: specTag ?? null,
      generation: event.generation,
      lookupPolicy: spec.lookupPolicy ?? { local: false },
      image: image === undefined ? { metadata: { name: event.image } } : exposedImage(image.object),
    };
  };
  const split = (request: VerbRequest): [string, string] => {
    const i = request.name.indexOf(":");
    if (i <= 0 || i === request.name.length - 1)
      throw badRequest(`invalid ImageStreamTag name ${JSON.stringify(request.name)}: must be <stream>:<tag>`);
    return [request.name.slice(0, i), request.name.slice(i + 1)];
  };
  return {
    verbs: {
      get(request) {
        const reg = ctx.registry();
        const [name, tag] = split(request);
        const stream = reg.find(imageResource(reg, "imagestreams"), request.namespace, name);
        const result = stream === undefined ? undefined : view(reg, request, stream.object, tag);
        if (result === undefined) throw notFound(qr(request, "imagestreamtags"), request.name);
        return { status: 200, object: result };
      },
      list(request) {
        const reg = ctx.registry();
        const streams = imageResource(reg, "imagestreams");
        const items: KubeObject[] = [];
        for (const e of reg.storage.list(streams.storageKey, { namespace: request.namespace || undefined }).items) {
          const status = isPlainObject(e.object.status) ? e.object.status : {};
          for (const t of Array.isArray(status.tags) ? (status.tags as { tag: string }[]) : []) {
            const v = view(reg, request, e.object, t.tag);
            if (v !== undefined) {
              const { kind: _k, apiVersion: _a, ...item } = v;
              items.push(item as KubeObject);
            }
          }
        }
        return {
          status: 200,
          object: {
            kind: "ImageStreamTagList",
            apiVersion: request.resource.apiVersion,
            metadata: { resourceVersion: String(reg.storage.rv) },
            items,
          },
        };
      },
      delete(request) {
        const reg = ctx.registry();
        const [name, tag] = split(request);
        const streams = imageResource(reg, "imagestreams");
        const stream = reg.find(streams, request.namespace, name);
        if (stream === undefined || latestTagEvent(stream.object, tag) === undefined)
          throw notFound(qr(request, "imagestreamtags"), request.name);
        const next = cloneJson(stream.object);
        const spec = isPlainObject(next.spec) ? next.spec : {};
        if (Array.isArray(spec.tags)) spec.tags = (spec.tags as Json[]).filter((t) => t.name !== tag);
        const status = next.status as Json;
        status.tags = (status.tags as { tag: string }[]).filter((t) => t.tag !== tag);
        reg.updateFrom(streams, stream, next, IMAGE_CONTROLLER);
        const latest = reg.get(streams, request.namespace, name);
        const withStatus = cloneJson(latest.object);
        withStatus.status = status;
        reg.updateFrom(streams, latest, withStatus, IMAGE_CONTROLLER, "status");
        return { status: 200, object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" } };
      },
    },
  };
}

function imageStreamImageBehavior(ctx: ImageBehaviorContext): ResourceBehavior {
  return {
    verbs: {
      get(request) {
        const reg = ctx.registry();
        const at = request.name.indexOf("@");
        if (at <= 0)
          throw badRequest(`ImageStreamImages must be retrieved with <name>@<id>, got ${JSON.stringify(request.name)}`);
        const streamName = request.name.slice(0, at);
        const id = request.name.slice(at + 1);
        const stream = reg.find(imageResource(reg, "imagestreams"), request.namespace, streamName);
        const imageName = stream === undefined ? undefined : findStreamImage(stream.object, id);
        const image = imageName === undefined ? undefined : reg.find(imageResource(reg, "images"), "", imageName);
        if (image === undefined) throw notFound(qr(request, "imagestreamimages"), request.name);
        return {
          status: 200,
          object: {
            kind: "ImageStreamImage",
            apiVersion: request.resource.apiVersion,
            metadata: {
              name: request.name,
              namespace: request.namespace,
              creationTimestamp: image.object.metadata?.creationTimestamp,
            },
            image: exposedImage(image.object),
          },
        };
      },
    },
  };
}

/** ImageStreamImport: answered, never stored, every import failed (the fake cluster reaches no outside registry). */
const imageStreamImportBehavior: ResourceBehavior = {
  verbs: {
    create(request) {
      const body = isPlainObject(request.body) ? cloneJson(request.body) : {};
      const spec = isPlainObject(body.spec) ? body.spec : {};
      const failure = (what: string) => ({
        metadata: {},
        status: "Failure",
        message: `Internal error occurred: the fake cluster does not import ${what} from outside registries`,
        reason: "InternalError",
        code: 500,
      });
      const images = Array.isArray(spec.images) ? spec.images : [];
      return {
        status: 201,
        object: {
          ...body,
          kind: "ImageStreamImport",
          apiVersion: request.resource.apiVersion,
          status: {
            ...(images.length > 0
              ? {
                  images: images.map((i: { to?: { name?: string } }) => ({
                    status: failure("images"),
                    tag: i.to?.name ?? "latest",
                  })),
                }
              : {}),
            ...(isPlainObject(spec.repository) ? { repository: { status: failure("repositories") } } : {}),
          },
        },
      };
    },
  },
};

/**
 * The behaviours of the image kinds, by `<group>/<plural>` (legacy kinds share them).
 *
 * @param ctx registry and registry host
 * @returns the behaviours
 */
export function imageBehaviors(ctx: ImageBehaviorContext): Map<string, ResourceBehavior> {
  return new Map<string, ResourceBehavior>([
    ["image.openshift.io/images", imageBehavior],
    ["image.openshift.io/imagestreams", imageStreamBehavior(ctx)],
    ["image.openshift.io/imagestreammappings", imageStreamMappingBehavior(ctx)],
    ["image.openshift.io/imagestreamtags", imageStreamTagBehavior(ctx)],
    ["image.openshift.io/imagestreamimages", imageStreamImageBehavior(ctx)],
    ["image.openshift.io/imagestreamimports", imageStreamImportBehavior],
  ]);
}
