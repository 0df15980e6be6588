/**
 * Images and image streams as the image API and the registry face share them: reading an Image's metadata from its
 * manifest and config (what the server fills in), tagging an image into a stream (`status.tags[].items`, newest
 * first, creating the stream like the registry does on push), finding an image of a stream by digest or digest
 * prefix, and the Image as ImageStreamTag and ImageStreamImage expose it (no manifest, no config).
 *
 * @module
 */
import { formatTime } from "../clock.ts";
import type { Registry, WriteContext } from "../registry/registry.ts";
import { cloneJson, isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import type { StoredEntry } from "../store/object-storage.ts";

type Json = Record<string, unknown>;

/** The system identity the image controllers write as. */
export const IMAGE_CONTROLLER: WriteContext = {
  user: { name: "system:serviceaccount:openshift-infra:image-import-controller", groups: [] },
  dryRun: false,
  fieldManager: "openshift-apiserver",
};

/** The group resource `images` / `imagestreams` of `image.openshift.io`. */
export function imageResource(registry: Registry, plural: "images" | "imagestreams"): ServedResource {
  const r = registry.table.lookup("/apis/image.openshift.io/v1", plural);
  if (r === undefined) throw new Error(`the OpenShift image API is not served (${plural})`);
  return r;
}

function parseJson(text: unknown): Json | undefined {
  if (typeof text !== "string" || text === "") return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return isPlainObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fills an Image's metadata the way the server does: from `dockerImageManifest` and `dockerImageConfig` when given
 * (layers, manifest media type, the Docker metadata), else only the defaults.
 *
 * @param image the Image (changed in place)
 */
export function fillImageMetadata(image: KubeObject): void {
  const meta = isPlainObject(image.dockerImageMetadata) ? image.dockerImageMetadata : {};
  const manifest = parseJson(image.dockerImageManifest);
  const config = parseJson(image.dockerImageConfig);
  if (manifest !== undefined && Array.isArray(manifest.layers)) {
    const layers = (manifest.layers as Json[]).map((l) => ({
      name: l.digest,
      size: l.size,
      mediaType: l.mediaType,
    }));
    image.dockerImageLayers = layers;
    image.dockerImageManifestMediaType =
      typeof manifest.mediaType === "string" ? manifest.mediaType : "application/vnd.oci.image.manifest.v1+json";
    image.metadata = {
      ...image.metadata,
      annotations: { ...(image.metadata?.annotations ?? {}), "image.openshift.io/dockerLayersOrder": "ascending" },
    };
    const configRef = isPlainObject(manifest.config) ? manifest.config : {};
    const size = layers.reduce((n, l) => n + (typeof l.size === "number" ? l.size : 0), 0);
    meta.Id = configRef.digest ?? meta.Id;
    meta.Size = size + (typeof configRef.size === "number" ? configRef.size : 0);
    if (config !== undefined) {
      meta.Created = config.created ?? meta.Created;
      if (isPlainObject(config.config)) {
        const c = config.config;
        meta.Config = Object.fromEntries(
          Object.entries({ Env: c.Env, Cmd: c.Cmd, Labels: c.Labels, Entrypoint: c.Entrypoint, User: c.User }).filter(
            ([, v]) => v !== undefined,
          ),
        );
      }
      if (typeof config.architecture === "string") meta.Architecture = config.architecture;
    }
  }
  image.dockerImageMetadata = {
    kind: "DockerImage",
    apiVersion: "1.0",
    Id: meta.Id ?? "",
    Created: meta.Created ?? null,
    ContainerConfig: meta.ContainerConfig ?? {},
    ...Object.fromEntries(
      Object.entries(meta).filter(([k]) => !["kind", "apiVersion", "Id", "Created", "ContainerConfig"].includes(k)),
    ),
  };
  image.dockerImageMetadataVersion ??= "1.0";
  image.dockerImageLayers ??= null;
}

/** An Image as ImageStreamTag and ImageStreamImage show it: no manifest, no config, no managed fields. */
export function exposedImage(image: KubeObject): KubeObject {
  const { dockerImageManifest: _m, dockerImageConfig: _c, kind: _k, apiVersion: _a, ...rest } = cloneJson(image);
  const meta = { ...(rest.metadata ?? {}) };
  delete meta.managedFields;
  return { ...rest, metadata: meta } as KubeObject;
}

/** The entries of `status.tags`. */
export interface TagEvent {
  created: string;
  dockerImageReference: string;
  image: string;
  generation: number;
}

function statusTags(stream: KubeObject): { tag: string; items: TagEvent[] }[] {
  const status = isPlainObject(stream.status) ? stream.status : {};
  return Array.isArray(status.tags) ? (status.tags as { tag: string; items: TagEvent[] }[]) : [];
}

/**
 * Finds an image of a stream by full digest or a unique digest prefix (`app@sha256:48d7`).
 *
 * @returns the image name, or `undefined`
 */
export function findStreamImage(stream: KubeObject, digestOrPrefix: string): string | undefined {
  const names = new Set<string>();
  for (const t of statusTags(stream))
    for (const item of t.items ?? []) if (item.image.startsWith(digestOrPrefix)) names.add(item.image);
  return names.size === 1 ? [...names][0] : undefined;
}

/** The newest event of a tag, if the stream has it. */
export function latestTagEvent(stream: KubeObject, tag: string): TagEvent | undefined {
  return statusTags(stream).find((t) => t.tag === tag)?.items?.[0];
}

/**
 * Points a tag of a stream at an image (ImageStreamMapping, a registry push): the image is created when missing, the
 * stream when missing (the registry's behaviour), and the tag gets a new event unless it already points there.
 *
 * @param registry the registry
 * @param options namespace, stream, tag (`""`: the image is added without a tag, as a push by digest does), the
 *   image, whether a missing stream is created
 * @returns the stream entry
 */
export function tagImage(
  registry: Registry,
  options: { namespace: string; stream: string; tag: string; image: KubeObject; createStream: boolean },
): StoredEntry {
  const images = imageResource(registry, "images");
  const streams = imageResource(registry, "imagestreams");
  const imageName = options.image.metadata?.name ?? "";
  if (registry.find(images, "", imageName) === undefined)
    registry.create(images, "", { ...options.image, kind: "Image", apiVersion: images.apiVersion }, IMAGE_CONTROLLER);
  let stream = registry.find(streams, options.namespace, options.stream);
  if (stream === undefined) {
    if (!options.createStream) return registry.get(streams, options.namespace, options.stream);
    registry.create(
      streams,
      options.namespace,
      { kind: "ImageStream", apiVersion: streams.apiVersion, metadata: { name: options.stream } },
      IMAGE_CONTROLLER,
    );
    stream = registry.get(streams, options.namespace, options.stream);
  }
  if (options.tag === "") return stream;
  const next = cloneJson(stream.object);
  const status = isPlainObject(next.status) ? next.status : {};
  next.status = status;
  const tags = statusTags(next);
  status.tags = tags;
  const reference = String(options.image.dockerImageReference ?? "");
  const event: TagEvent = {
    created: formatTime(registry.clock.now()),
    dockerImageReference: reference,
    image: imageName,
    generation: next.metadata?.generation ?? 1,
  };
  const existing = tags.find((t) => t.tag === options.tag);
  if (existing === undefined) tags.push({ tag: options.tag, items: [event] });
  else if (existing.items?.[0]?.image !== imageName) existing.items = [event, ...(existing.items ?? [])];
  else return stream;
  tags.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return registry.updateFrom(streams, stream, next, IMAGE_CONTROLLER, "status").entry ?? stream;
}
