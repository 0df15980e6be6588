/**
 * `loginWithPassword`: OpenShift's OAuth login with a user name and password (`oc login -u -p`), as the
 * `openshift-challenging-client`: metadata discovery, the challenge with `X-CSRF-Token` and Basic credentials, then
 * either the authorization-code grant with PKCE (what `oc` 3.11+ does) or the implicit grant (the token in the
 * `Location` fragment).
 *
 * @module
 */
import { KubeError, registerSecret } from "@kubeshift/transport";
import { raceSignal } from "./_abortable.ts";
import { encodeBase64, encodeBase64Text } from "./_base64.ts";
import { systemWallClock, type WallClock } from "./auth-host.ts";

/** The `fetch` login needs: a transport's `fetch` (TLS settings of the cluster) or the global one. */
export type FetchFunction = (request: Request) => Promise<Response>;

/** Options of {@link loginWithPassword}. */
export interface LoginWithPasswordOptions {
  /** The API server URL (`https://api.example.com:6443`). */
  server: string;
  /** User name of the identity provider. */
  username: string;
  /** Password; registered for redaction and never put into a message. */
  password: string;
  /**
   * Sends the requests; it must not follow redirects on its own (`Transport.fetch` of an adapter trusting the
   * cluster's CA, or the global `fetch`). @default globalThis.fetch
   */
  fetch?: FetchFunction;
  /**
   * `code` (authorization code with PKCE S256, what `oc` does), `implicit` (token in the redirect fragment), or
   * `auto`: `code` when the server advertises S256, else `implicit`. @default "auto"
   */
  flow?: "auto" | "code" | "implicit";
  /** The OAuth client. @default "openshift-challenging-client" */
  clientId?: string;
  /** Time source for `expiresAt`. @default the system clock */
  clock?: WallClock;
  /** Aborts the login. */
  signal?: AbortSignal;
}

/** An OAuth access token. */
export interface OAuthToken {
  /** The bearer token (`sha256~…` on OpenShift 4). */
  token: string;
  /** When it expires, from `expires_in`; `undefined` when the server did not say. */
  expiresAt: Date | undefined;
  /** The granted scope (`user:full`). */
  scope: string | undefined;
  /** `Bearer`. */
  tokenType: string;
}

/** OAuth 2.0 authorization server metadata as OpenShift publishes it. */
export interface OAuthServerMetadata {
  /** The issuer URL. */
  issuer: string;
  /** Where to authorize. */
  authorization_endpoint: string;
  /** Where to exchange codes. */
  token_endpoint: string;
  /** Supported PKCE methods (`plain`, `S256`). */
  code_challenge_methods_supported?: string[];
  /** Supported response types. */
  response_types_supported?: string[];
  /** Supported scopes. */
  scopes_supported?: string[];
}

function loginError(message: string, cause?: unknown): KubeError {
  return new KubeError("ERR_AUTH", message, cause === undefined ? {} : { cause });
}

async function send(fetchFn: FetchFunction, request: Request, signal: AbortSignal | undefined): Promise<Response> {
  signal?.throwIfAborted();
  try {
    return await raceSignal(fetchFn(request), signal);
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    if (error instanceof KubeError) throw error;
    throw loginError(`Cannot reach ${new URL(request.url).origin}: ${(error as Error).message}`, error);
  }
}

/**
 * Reads the OAuth server metadata of an OpenShift cluster (`/.well-known/oauth-authorization-server`).
 *
 * @param server the API server URL
 * @param options fetch and signal
 * @returns the metadata
 * @throws {KubeError} `ERR_AUTH` when the server publishes none (not OpenShift) or the document is invalid
 * @example
 * ```ts
 * const { token_endpoint } = await discoverOAuthServer("https://api.example.com:6443");
 * ```
 */
export async function discoverOAuthServer(
  server: string,
  options: { fetch?: FetchFunction; signal?: AbortSignal } = {},
): Promise<OAuthServerMetadata> {
  const fetchFn = options.fetch ?? ((r: Request) => globalThis.fetch(r));
  const url = new URL("/.well-known/oauth-authorization-server", server);
  const response = await send(
    fetchFn,
    new Request(url, { headers: { Accept: "application/json", "X-CSRF-Token": "1" }, redirect: "manual" }),
    options.signal,
  );
  if (!response.ok) {
    await response.body?.cancel();
    throw loginError(
      `${url.origin} does not offer OpenShift OAuth: GET ${url.pathname} answered ${response.status}${response.status === 404 ? " (is this an OpenShift cluster?)" : ""}`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw loginError(`The OAuth metadata of ${url.origin} is not JSON`, cause);
  }
  const m = body as Partial<OAuthServerMetadata> | null;
  if (typeof m?.authorization_endpoint !== "string" || typeof m.token_endpoint !== "string") {
    throw loginError(`The OAuth metadata of ${url.origin} names no authorization and token endpoints`);
  }
  return m as OAuthServerMetadata;
}

function randomVerifier(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return encodeBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return encodeBase64(digest).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function tokenFrom(params: URLSearchParams, clock: WallClock): OAuthToken {
  const token = params.get("access_token") ?? "";
  if (token === "") throw loginError("The OAuth server returned no access token");
  registerSecret(token);
  const expiresIn = Number(params.get("expires_in") ?? Number.NaN);
  return {
    token,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(clock.now() + expiresIn * 1000) : undefined,
    scope: params.get("scope") ?? undefined,
    tokenType: params.get("token_type") ?? "Bearer",
  };
}

function oauthErrorText(params: URLSearchParams): string | undefined {
  const error = params.get("error");
  if (error === null) return undefined;
  const description = params.get("error_description");
  return description === null ? error : `${error}: ${description}`;
}

/**
 * Logs in to OpenShift with a user name and password and returns an OAuth access token, like `oc login -u -p`.
 * The password goes only to the authorization endpoint, in a Basic `Authorization` header with `X-CSRF-Token`;
 * redirects are read, never followed. A wrong password fails with `ERR_AUTH` ("Login failed (401 Unauthorized)");
 * neither password nor token ever appears in a message.
 *
 * @param options server, credentials, fetch, flow, signal
 * @returns the token, when it expires and its scope
 * @throws {KubeError} `ERR_AUTH` for wrong credentials, a server without OAuth or without password challenges, an
 *   OAuth error, or a plain `fetch` that fails; a transport's own `TransportError` (`ERR_TRANSPORT`) passes through
 * @throws {TypeError} for an empty user name or a server that is not an http(s) URL
 * @example
 * ```ts
 * const { token, expiresAt } = await loginWithPassword({ server, username: "developer", password });
 * ```
 */
export async function loginWithPassword(options: LoginWithPasswordOptions): Promise<OAuthToken> {
  const { username, password, signal } = options;
  if (typeof username !== "string" || username === "" || username.includes(":")) {
    throw new TypeError("loginWithPassword: username must be a non-empty string without ':'");
  }
  if (typeof password !== "string") throw new TypeError("loginWithPassword: password must be a string");
  let serverUrl: URL;
  try {
    serverUrl = new URL(options.server);
  } catch {
    throw new TypeError(`loginWithPassword: server ${JSON.stringify(options.server)} is not a URL`);
  }
  if (serverUrl.protocol !== "https:" && serverUrl.protocol !== "http:") {
    throw new TypeError("loginWithPassword: server must be an http(s) URL");
  }
  registerSecret(password);
  const basic = encodeBase64Text(`${username}:${password}`);
  registerSecret(basic);
  const fetchFn = options.fetch ?? ((r: Request) => globalThis.fetch(r));
  const clock = options.clock ?? systemWallClock;
  const clientId = options.clientId ?? "openshift-challenging-client";

  const metadata = await discoverOAuthServer(serverUrl.href, { fetch: fetchFn, ...(signal ? { signal } : {}) });
  const useCode =
    options.flow === "code" ||
    ((options.flow ?? "auto") === "auto" && (metadata.code_challenge_methods_supported ?? []).includes("S256"));

  const authorize = new URL(metadata.authorization_endpoint);
  authorize.searchParams.set("client_id", clientId);
  let verifier: string | undefined;
  // oc sends the token endpoint's /implicit page as redirect URI; it only displays the code.
  const redirectUri = `${metadata.token_endpoint.replace(/\/+$/, "")}/implicit`;
  if (useCode) {
    verifier = randomVerifier();
    authorize.searchParams.set("code_challenge", await s256(verifier));
    authorize.searchParams.set("code_challenge_method", "S256");
    authorize.searchParams.set("redirect_uri", redirectUri);
    authorize.searchParams.set("response_type", "code");
  } else {
    authorize.searchParams.set("response_type", "token");
  }
  const challenge = await send(
    fetchFn,
    new Request(authorize, {
      headers: { Authorization: `Basic ${basic}`, "X-CSRF-Token": "1" },
      redirect: "manual",
    }),
    signal,
  );
  await challenge.body?.cancel();
  if (challenge.status === 401) {
    const offered = challenge.headers.get("www-authenticate") ?? "";
    if (offered !== "" && !/\bbasic\b/i.test(offered)) {
      throw loginError(
        `Login failed: ${authorize.origin} does not accept user name and password challenges (it offers: ${offered.split(/[ ,]/)[0]})`,
      );
    }
    throw loginError("Login failed (401 Unauthorized): verify you have provided correct credentials");
  }
  if (challenge.status < 300 || challenge.status > 399) {
    throw loginError(`Login failed: the authorization endpoint answered ${challenge.status}`);
  }
  const location = challenge.headers.get("location");
  if (location === null) throw loginError("Login failed: the authorization endpoint redirected nowhere");
  const target = new URL(location, authorize);
  const query = target.searchParams;
  const fragment = new URLSearchParams(target.hash.replace(/^#/, ""));
  const failure = oauthErrorText(query) ?? oauthErrorText(fragment);
  if (failure !== undefined) throw loginError(`Login failed: ${failure}`);

  if (!useCode) return tokenFrom(fragment, clock);

  const code = query.get("code");
  if (code === null || code === "") throw loginError("Login failed: the authorization endpoint returned no code");
  registerSecret(code);
  const tokenResponse = await send(
    fetchFn,
    new Request(metadata.token_endpoint, {
      method: "POST",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${encodeBase64Text(`${clientId}:`)}`,
      },
      body: new URLSearchParams({
        code,
        code_verifier: verifier ?? "",
        grant_type: "authorization_code",
        redirect_uri: redirectUri,
      }).toString(),
      redirect: "manual",
    }),
    signal,
  );
  let body: Record<string, unknown>;
  try {
    body = (await tokenResponse.json()) as Record<string, unknown>;
  } catch (cause) {
    throw loginError(`Login failed: the token endpoint answered ${tokenResponse.status} without JSON`, cause);
  }
  if (!tokenResponse.ok || typeof body.error === "string") {
    const text = typeof body.error === "string" ? body.error : `status ${tokenResponse.status}`;
    const description = typeof body.error_description === "string" ? `: ${body.error_description}` : "";
    throw loginError(`Login failed: ${text}${description}`);
  }
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body))
    if (typeof v === "string" || typeof v === "number") params.set(k, String(v));
  return tokenFrom(params, clock);
}
