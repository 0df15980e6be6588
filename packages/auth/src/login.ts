/**
 * `login`: `oc login -u -p` in one call — OAuth login, who am I, which project, and the kubeconfig entries named
 * the way `oc` names them (`<project>/<host-port>/<user>`), made current.
 *
 * @module
 */
import { ApiError, type ApiRequester, KubeError } from "@kubeshift/transport";
import type { AuthHost } from "./auth-host.ts";
import type { KubeconfigCluster, KubeconfigContext } from "./kubeconfig.ts";
import { loadKubeconfig } from "./load-kubeconfig.ts";
import {
  type FetchFunction,
  type LoginWithPasswordOptions,
  loginWithPassword,
  type OAuthToken,
} from "./login-with-password.ts";
import { saveKubeconfig } from "./save-kubeconfig.ts";
import { type OpenShiftUser, whoami } from "./whoami.ts";

/** Options of {@link login}. */
export interface LoginOptions extends LoginWithPasswordOptions {
  /** The project to use; else the current context's namespace if the user has it, else the only or first one. */
  project?: string;
  /** Written to the cluster entry as `certificate-authority-data` (the CA the `fetch` trusts). */
  caPem?: string;
  /** Written to the cluster entry as `certificate-authority` (a path), instead of `caPem`. */
  certificateAuthority?: string;
  /** Written to the cluster entry: skip server certificate verification. @default false */
  insecureSkipTlsVerify?: boolean;
  /** The kubeconfig file to update (`--kubeconfig`); else the `KUBECONFIG` list or `~/.kube/config`. */
  kubeconfig?: string;
  /** Runtime access (kubeconfig files). @default the Node/Deno host */
  host?: AuthHost;
}

/** What {@link login} did. */
export interface LoginResult extends OAuthToken {
  /** The user the token belongs to (`users/~`). */
  user: OpenShiftUser;
  /** The project made current (`""` when the user has none, as with `oc`). */
  project: string;
  /** Every project the user can see. */
  projects: string[];
  /** The context written and made current (`fx-errors/127-0-0-1:18444/developer`). */
  contextName: string;
  /** The cluster entry (`127-0-0-1:18444`). */
  clusterName: string;
  /** The user entry (`developer/127-0-0-1:18444`). */
  userName: string;
  /** The kubeconfig files written. */
  files: string[];
}

/**
 * The name `oc` gives a cluster: `host:port` of the server with dots replaced by dashes (the port defaulted from
 * the scheme).
 *
 * @param server the API server URL
 * @returns e.g. `api-example-com:6443`
 * @throws {TypeError} when the server is not a URL
 * @example
 * ```ts
 * clusterNickname("https://127.0.0.1:18444"); // "127-0-0-1:18444"
 * ```
 */
export function clusterNickname(server: string): string {
  const url = new URL(server);
  const port = url.port === "" ? (url.protocol === "http:" ? "80" : "443") : url.port;
  return `${url.hostname}:${port}`.replaceAll(".", "-");
}

/**
 * The name `oc` gives a context: `<namespace>/<cluster nickname>/<user name>`.
 *
 * @param namespace the project (may be empty)
 * @param server the API server URL
 * @param user the user name as the server knows it
 * @returns e.g. `fx-errors/127-0-0-1:18444/developer`
 * @example
 * ```ts
 * contextNickname("dev", "https://api.example.com:6443", "jane"); // "dev/api-example-com:6443/jane"
 * ```
 */
export function contextNickname(namespace: string, server: string, user: string): string {
  return `${namespace}/${clusterNickname(server)}/${user}`;
}

function bearerRequester(fetchFn: FetchFunction, server: string, token: string, signal?: AbortSignal): ApiRequester {
  return {
    request(path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      headers.set("Authorization", `Bearer ${token}`);
      if (!headers.has("Accept")) headers.set("Accept", "application/json");
      return fetchFn(
        new Request(new URL(path, server), { ...init, headers, ...(signal === undefined ? {} : { signal }) }),
      );
    },
  };
}

async function listProjects(requester: ApiRequester): Promise<string[]> {
  for (const path of ["/apis/project.openshift.io/v1/projects", "/oapi/v1/projects"]) {
    const response = await requester.request(path, { method: "GET" });
    if (response.status === 404) {
      await response.body?.cancel();
      continue;
    }
    if (!response.ok) throw await ApiError.fromResponse(response, { method: "GET", url: path });
    const list = (await response.json()) as { items?: Array<{ metadata?: { name?: string } }> };
    return (list.items ?? [])
      .map((p) => p.metadata?.name)
      .filter((n): n is string => typeof n === "string")
      .sort();
  }
  throw new KubeError("ERR_AUTH", "The server lists no projects: is this an OpenShift cluster?");
}

/**
 * Logs in like `oc login <server> -u <user> -p <password>`: gets an OAuth token, asks `users/~` who that is, picks
 * the project (the one asked for; else the current context's namespace if the user has it; else the only or the
 * first project, alphabetically), and writes the cluster `host-port`, the user `<name>/host-port` (token) and the
 * context `<project>/host-port/<name>` into the kubeconfig, reusing an identical context under another name, and
 * makes it current. The cluster and user entries replace earlier ones of the same name, as `oc` does.
 *
 * @param options login options plus project, CA settings to record, kubeconfig file and host
 * @returns the token, the user, the project and the kubeconfig names written
 * @throws {KubeError} `ERR_AUTH` for a failed login (see `loginWithPassword`)
 * @throws {ApiError} when `users/~` or the project list is refused
 * @example
 * ```ts
 * const { contextName } = await login({ server, username: "developer", password, fetch: transport.fetch });
 * ```
 */
export async function login(options: LoginOptions): Promise<LoginResult> {
  const token = await loginWithPassword(options);
  const fetchFn = options.fetch ?? ((r: Request) => globalThis.fetch(r));
  const server = new URL(options.server).href.replace(/\/+$/, "");
  const requester = bearerRequester(fetchFn, server, token.token, options.signal);
  const user = await whoami(requester, options.signal === undefined ? {} : { signal: options.signal });
  const projects = await listProjects(requester);

  const where = {
    ...(options.kubeconfig === undefined ? {} : { path: options.kubeconfig }),
    ...(options.host === undefined ? {} : { host: options.host }),
  };
  const existing = await loadKubeconfig({ ...where, ...(options.signal ? { signal: options.signal } : {}) });
  const currentNamespace = existing.contexts[existing.currentContext]?.namespace || "default";
  let project = options.project ?? "";
  if (options.project === undefined && projects.length > 0) {
    project =
      projects.length === 1
        ? (projects[0] as string)
        : projects.includes(currentNamespace)
          ? currentNamespace
          : (projects[0] as string);
  }

  const clusterName = clusterNickname(server);
  const userName = `${user.metadata.name}/${clusterName}`;
  const cluster: KubeconfigCluster = { server };
  if (options.certificateAuthority !== undefined) cluster.certificateAuthority = options.certificateAuthority;
  else if (options.caPem !== undefined) cluster.certificateAuthorityData = new TextEncoder().encode(options.caPem);
  if (options.insecureSkipTlsVerify === true) cluster.insecureSkipTlsVerify = true;
  const context: KubeconfigContext = { cluster: clusterName, user: userName };
  if (project !== "") context.namespace = project;
  let contextName = contextNickname(project, server, user.metadata.name);
  let reused = false;
  // oc reuses a context that already says the same thing under another name.
  for (const [name, c] of Object.entries(existing.contexts)) {
    if (
      c.cluster === context.cluster &&
      c.user === context.user &&
      (c.namespace ?? "") === project &&
      c.extensions === undefined
    ) {
      contextName = name;
      reused = true;
      break;
    }
  }
  const saved = await saveKubeconfig(
    {
      clusters: { [clusterName]: cluster },
      users: { [userName]: { token: token.token } },
      ...(reused ? {} : { contexts: { [contextName]: context } }),
      currentContext: contextName,
    },
    where,
  );
  return { ...token, user, project, projects, contextName, clusterName, userName, files: saved.files };
}
