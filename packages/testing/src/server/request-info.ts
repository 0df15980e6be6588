/**
 * Request attributes from the URL, as kube-apiserver's `RequestInfoFactory` derives them: resource or non-resource
 * request, verb (`list` vs `get`, `watch`, `deletecollection`), group, version, namespace, resource, subresource
 * and name. Authorization and routing both read them.
 *
 * @module
 */

/** What a request is about. */
export interface RequestInfo {
  /** Under `/api`, `/apis` (or `/oapi`) with at least a resource. */
  readonly isResourceRequest: boolean;
  /** The URL path. */
  readonly path: string;
  /** Kubernetes verb for resource requests; the lower-cased HTTP method otherwise. */
  readonly verb: string;
  /** `api`, `apis` or `oapi` (empty for non-resource requests outside them). */
  readonly apiPrefix: string;
  /** API group (`""` for core). */
  readonly apiGroup: string;
  /** API version. */
  readonly apiVersion: string;
  /** Namespace (`""` when none). */
  readonly namespace: string;
  /** Resource (plural). */
  readonly resource: string;
  /** Subresource. */
  readonly subresource: string;
  /** Object name. */
  readonly name: string;
  /** The request came through a deprecated `/watch/` path. */
  readonly legacyWatch: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);
const GROUPLESS_PREFIXES = new Set(["api", "oapi"]);

/** `strconv.ParseBool` as the API server reads boolean query parameters. */
export function parseBool(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False", ""].includes(value)) return false;
  return undefined;
}

/**
 * Derives the request info.
 *
 * @param method HTTP method
 * @param path URL path (not decoded beyond what the URL parser did)
 * @param query the query parameters
 * @param prefixes the API prefixes served (`api`, `apis`, and `oapi` on OpenShift)
 */
export function parseRequestInfo(
  method: string,
  path: string,
  query: URLSearchParams,
  prefixes: ReadonlySet<string> = new Set(["api", "apis"]),
): RequestInfo {
  const nonResource: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: "",
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
    legacyWatch: false,
  };
  const parts = path
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .filter((p) => p !== "")
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  if (parts.length < 3 || !prefixes.has(parts[0] as string))
    return { ...nonResource, apiPrefix: prefixes.has(parts[0] ?? "") ? (parts[0] as string) : "" };
  const apiPrefix = parts[0] as string;
  let current = parts.slice(1);
  let apiGroup = "";
  if (!GROUPLESS_PREFIXES.has(apiPrefix)) {
    if (current.length < 3) return { ...nonResource, apiPrefix };
    apiGroup = current[0] as string;
    current = current.slice(1);
  }
  const apiVersion = current[0] as string;
  current = current.slice(1);
  let verb = "";
  let legacyWatch = false;
  switch (method) {
    case "POST":
      verb = "create";
      break;
    case "GET":
    case "HEAD":
      verb = "get";
      break;
    case "PUT":
      verb = "update";
      break;
    case "PATCH":
      verb = "patch";
      break;
    case "DELETE":
      verb = "delete";
      break;
    default:
      verb = method.toLowerCase();
  }
  if (current[0] === "watch") {
    legacyWatch = true;
    verb = "watch";
    current = current.slice(1);
  }
  let namespace = "";
  if (current[0] === "namespaces") {
    if (current.length > 1) {
      namespace = current[1] as string;
      if (current.length > 2 && !NAMESPACE_SUBRESOURCES.has(current[2] as string)) current = current.slice(2);
    }
  }
  const resource = current[0] ?? "";
  const name = current.length >= 2 ? (current[1] as string) : "";
  const subresource = current.length >= 3 ? (current[2] as string) : "";
  if (resource === "") return { ...nonResource, apiPrefix };
  if (name === "") {
    if (verb === "get") verb = "list";
    else if (verb === "delete") verb = "deletecollection";
  }
  if ((verb === "list" || verb === "get") && parseBool(query.get("watch")) === true) verb = "watch";
  return {
    isResourceRequest: true,
    path,
    verb,
    apiPrefix,
    apiGroup,
    apiVersion,
    namespace,
    resource,
    subresource,
    name,
    legacyWatch,
  };
}
