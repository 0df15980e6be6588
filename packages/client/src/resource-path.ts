/**
 * The URL rules of the API in one place: where a descriptor's collection, object and subresource live. The watch
 * package and users building their own requests use it instead of concatenating strings.
 *
 * @module
 */
import type { ResourceDescriptor } from "@kubeshift/types";

/** What part of a resource a path addresses. */
export interface ResourcePathOptions {
  /** Namespace of a namespaced kind; left out, the path is the cluster-wide collection. Ignored for cluster kinds. */
  namespace?: string | undefined;
  /** Object name; left out, the path is the collection. */
  name?: string | undefined;
  /** Subresource of the object (`status`, `scale`, `log`, `eviction`); needs `name`. */
  subresource?: string | undefined;
}

/** The descriptor fields a path needs. */
export type PathDescriptor = Pick<ResourceDescriptor, "apiPath" | "plural" | "namespaced">;

/**
 * Checks one path segment (a name or namespace): non-empty, no `/`, not `.` or `..`, no control characters.
 *
 * @param what what the segment is, for the message
 * @param value the segment
 * @returns the value
 * @throws {TypeError} when the segment cannot be part of a resource path
 * @example
 * ```ts
 * checkPathSegment("name", "web"); // "web"
 * ```
 */
export function checkPathSegment(what: string, value: unknown): string {
  if (typeof value !== "string" || value === "")
    throw new TypeError(`The ${what} must be a non-empty string, got ${JSON.stringify(value) ?? String(value)}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is rejected
  if (value === "." || value === ".." || value.includes("/") || /[\u0000-\u001f\u007f]/.test(value))
    throw new TypeError(`The ${what} ${JSON.stringify(value)} cannot be part of a resource path`);
  return value;
}

/**
 * Builds the path of a collection, an object or a subresource, relative to the server.
 *
 * @param descriptor the resource (`apiPath`, `plural`, `namespaced`)
 * @param options namespace, name, subresource
 * @returns the path, such as `/api/v1/namespaces/dev/pods/web/log`
 * @throws {TypeError} on an empty or malformed name, namespace or subresource, or a subresource without a name
 * @example
 * ```ts
 * resourcePath(Deployment, { namespace: "dev", name: "web", subresource: "scale" });
 * // "/apis/apps/v1/namespaces/dev/deployments/web/scale"
 * ```
 */
export function resourcePath(descriptor: PathDescriptor, options: ResourcePathOptions = {}): string {
  if (typeof descriptor?.apiPath !== "string" || !descriptor.apiPath.startsWith("/") || !descriptor.plural)
    throw new TypeError("A resource descriptor needs an apiPath starting with '/' and a plural");
  let path = descriptor.apiPath.endsWith("/") ? descriptor.apiPath.slice(0, -1) : descriptor.apiPath;
  if (descriptor.namespaced && options.namespace !== undefined)
    path += `/namespaces/${encodeURIComponent(checkPathSegment("namespace", options.namespace))}`;
  path += `/${descriptor.plural}`;
  if (options.name !== undefined) path += `/${encodeURIComponent(checkPathSegment("name", options.name))}`;
  if (options.subresource !== undefined) {
    if (options.name === undefined) throw new TypeError(`The subresource ${options.subresource} needs an object name`);
    path += `/${encodeURIComponent(checkPathSegment("subresource", options.subresource))}`;
  }
  return path;
}
