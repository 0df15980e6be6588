/**
 * Adds what to do next to the `ApiError`s users meet most: 401 (log in again), 403 as `system:anonymous` (no
 * credentials were sent), and 404 on a kind (the cluster does not serve it: here is what it serves).
 *
 * @module
 */
import { type ApiError, redactSecrets } from "@kubeshift/transport";
import type { Discovery } from "./discovery.ts";

const MAX_LISTED = 40;

/** Appends a sentence to an error's message (and the first line of its stack). */
export function appendHint(error: Error, hint: string): void {
  const before = error.message;
  const after = redactSecrets(`${before}. ${hint}`);
  error.message = after;
  if (typeof error.stack === "string" && error.stack.includes(before)) error.stack = error.stack.replace(before, after);
}

/** Where a resource path points: its group/version prefix and plural. */
interface ParsedPath {
  apiPath: string;
  group: string;
  version: string;
  plural: string;
}

function parsePath(path: string): ParsedPath | undefined {
  const pathname = path.split("?")[0] ?? "";
  const m = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+)|oapi\/(v1))\/(.+)$/.exec(pathname);
  if (m === null) return undefined;
  const segments = (m[5] ?? "").split("/").filter((s) => s !== "");
  const plural = segments[0] === "namespaces" && segments.length >= 3 ? segments[2] : segments[0];
  if (plural === undefined) return undefined;
  if (m[1] !== undefined) return { apiPath: `/api/${m[1]}`, group: "", version: m[1], plural };
  if (m[4] !== undefined) return { apiPath: "/oapi/v1", group: "", version: "v1", plural };
  return { apiPath: `/apis/${m[2]}/${m[3]}`, group: m[2] ?? "", version: m[3] ?? "", plural };
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).join(", ");
  return names.length > MAX_LISTED ? `${shown}, … (${names.length - MAX_LISTED} more)` : shown || "(nothing)";
}

/**
 * Explains a failure in the message of the error itself. Never throws: a discovery request that fails while
 * explaining leaves the error as it was.
 */
export async function explain(error: ApiError, discovery: Discovery, signal: AbortSignal | undefined): Promise<void> {
  try {
    if (error.status === 401) {
      appendHint(
        error,
        "The server did not accept the credentials (an expired or revoked token, or a client certificate it does not trust): log in again (oc login, or refresh the kubeconfig user) and retry",
      );
      return;
    }
    if (error.status === 403 && /system:anonymous/.test(error.apiStatus.message ?? "")) {
      appendHint(
        error,
        "No credentials reached the server (the request ran as system:anonymous): check the kubeconfig user or pass a token",
      );
      return;
    }
    if (error.status !== 404 || error.details?.name || error.path === undefined) return;
    const parsed = parsePath(error.path);
    if (parsed === undefined) return;
    const options = signal === undefined ? {} : { signal };
    const gv = parsed.group === "" ? parsed.version : `${parsed.group}/${parsed.version}`;
    let served: string[] | undefined;
    try {
      const resources = await discovery.resources(parsed.apiPath, options);
      served = resources.resources.map((r) => r.name).filter((n) => !n.includes("/"));
    } catch {
      served = undefined;
    }
    if (served !== undefined) {
      if (served.includes(parsed.plural)) return;
      appendHint(
        error,
        `This cluster does not serve ${JSON.stringify(parsed.plural)} in ${parsed.apiPath}; it serves: ${list(served.sort())}`,
      );
      return;
    }
    if (parsed.apiPath === "/oapi/v1") {
      appendHint(error, "This cluster does not serve the legacy OpenShift API /oapi/v1 (OpenShift 4 removed it)");
      return;
    }
    if (parsed.group === "") {
      const core = await discovery.coreVersions(options);
      appendHint(error, `This cluster does not serve ${gv}; the core group serves: ${list(core.versions)}`);
      return;
    }
    const groups = await discovery.groups(options);
    const group = groups.groups.find((g) => g.name === parsed.group);
    appendHint(
      error,
      group === undefined
        ? `This cluster does not serve the API group ${JSON.stringify(parsed.group)}; it serves: ${list(groups.groups.map((g) => g.name))}`
        : `This cluster does not serve ${gv}; ${parsed.group} is served in versions: ${list(group.versions.map((v) => v.version))}`,
    );
  } catch {
    // The explanation is a courtesy; the original error stands.
  }
}
