/**
 * The OpenShift OAuth server: `/.well-known/oauth-authorization-server`, `/oauth/authorize` (the challenging client's
 * Basic challenge with the `X-CSRF-Token` rule, the implicit grant and the authorization-code grant with PKCE that
 * `oc login` uses), `/oauth/token`, and an authenticator for the access tokens it issues. Identity providers: a users
 * and passwords map (htpasswd-like) or allow-all (any password, like 3.11's `AllowAllPasswordIdentityProvider`);
 * the first login creates the User and its Identity (`mappingMethod: claim`). Access tokens are `OAuthAccessToken`
 * objects named by the token, as in 3.11: they expire after `expiresIn` seconds of the cluster's clock, and deleting
 * one revokes the token at once.
 *
 * @module
 */
import type { AuthenticationRequest, AuthenticationResult, Authenticator } from "../auth/authenticator.ts";
import type { UserInfo } from "../auth/user-info.ts";
import type { Clock } from "../clock.ts";
import type { Registry, WriteContext } from "../registry/registry.ts";
import { cloneJson, type KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import type { Route } from "../server/api-server.ts";
import type { HandlerContext } from "../server/handler-context.ts";

/** How users log in. */
export interface IdentityProviderOptions {
  /** The provider's name (the first half of Identity names). @default "anypassword", or "htpasswd" with `users` */
  readonly name?: string;
  /** User names and passwords; without it any user name and password logs in. */
  readonly users?: Readonly<Record<string, string>>;
}

/** Options of {@link OAuthServer}. */
export interface OAuthServerOptions {
  readonly registry: () => Registry;
  readonly clock: Clock;
  /** The cluster URL (issuer, endpoints, redirect URIs). */
  readonly url: () => string;
  readonly identityProvider: IdentityProviderOptions;
  /** Lifetime of access tokens, in seconds. */
  readonly accessTokenMaxAgeSeconds: number;
  /** Lifetime of authorization codes, in seconds. */
  readonly authorizeTokenMaxAgeSeconds: number;
  /** Tokens revoked by hand (`cluster.revokeToken()`). */
  readonly revoked: ReadonlySet<string>;
}

const SCOPES = ["user:check-access", "user:full", "user:info", "user:list-projects", "user:list-scoped-projects"];
const CHALLENGING_CLIENT = "openshift-challenging-client";
const BROWSER_CLIENT = "openshift-browser-client";
const CONTEXT: WriteContext = {
  user: { name: "system:serviceaccount:openshift-infra:oauth-server", groups: ["system:masters"] },
  dryRun: false,
  fieldManager: "oauth-server",
};
const UNAUTHORIZED_CLIENT = {
  error: "unauthorized_client",
  error_description: "The client is not authorized to request a token using this method.",
};
const INVALID_REQUEST = {
  error: "invalid_request",
  error_description:
    "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.",
};
const INVALID_GRANT = {
  error: "invalid_grant",
  error_description:
    "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
};

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined || !/^basic\s+/i.test(header)) return undefined;
  try {
    const text = new TextDecoder().decode(
      Uint8Array.from(atob(header.replace(/^basic\s+/i, "").trim()), (c) => c.charCodeAt(0)),
    );
    const i = text.indexOf(":");
    return i < 0 ? undefined : { user: text.slice(0, i), password: text.slice(i + 1) };
  } catch {
    return undefined;
  }
}

/** Go's `url.Values.Encode` style: spaces as `+`. */
function formEncode(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** The OAuth server of a fake OpenShift cluster. */
export class OAuthServer {
  readonly #o: OAuthServerOptions;

  /** @param options registry, clock, URL, identity provider, token lifetimes */
  constructor(options: OAuthServerOptions) {
    this.#o = options;
  }

  #resource(group: string, plural: string): ServedResource {
    const r = this.#o.registry().table.lookup(`/apis/${group}/v1`, plural);
    if (r === undefined) throw new Error(`${plural}.${group} is not served`);
    return r;
  }

  /** The built-in OAuth clients (made once the URL is known). */
  seedClients(): void {
    const registry = this.#o.registry();
    const clients = this.#resource("oauth.openshift.io", "oauthclients");
    const url = this.#o.url();
    const objects: KubeObject[] = [
      {
        kind: "OAuthClient",
        apiVersion: clients.apiVersion,
        metadata: { name: BROWSER_CLIENT },
        secret: randomToken(),
        redirectURIs: [`${url}/oauth/token/display`],
        grantMethod: "auto",
      },
      {
        kind: "OAuthClient",
        apiVersion: clients.apiVersion,
        metadata: { name: CHALLENGING_CLIENT },
        respondWithChallenges: true,
        redirectURIs: [`${url}/oauth/token/implicit`],
        grantMethod: "auto",
      },
      {
        kind: "OAuthClient",
        apiVersion: clients.apiVersion,
        metadata: { name: "openshift-web-console" },
        redirectURIs: [`${url}/console/`],
        grantMethod: "auto",
      },
    ];
    for (const o of objects) registry.create(clients, "", o, CONTEXT);
  }

  get #providerName(): string {
    return this.#o.identityProvider.name ?? (this.#o.identityProvider.users === undefined ? "anypassword" : "htpasswd");
  }

  #checkPassword(user: string, password: string): boolean {
    const users = this.#o.identityProvider.users;
    if (user === "" || user.includes(":")) return false;
    if (users === undefined) return true;
    return Object.hasOwn(users, user) && users[user] === password;
  }

  /** Finds or makes the User of a login (mapping method `claim`). */
  #mapIdentity(userName: string): KubeObject {
    const registry = this.#o.registry();
    const users = this.#resource("user.openshift.io", "users");
    const identities = this.#resource("user.openshift.io", "identities");
    const identityName = `${this.#providerName}:${userName}`;
    let user = registry.find(users, "", userName)?.object;
    if (user === undefined)
      user = registry.create(
        users,
        "",
        {
          kind: "User",
          apiVersion: users.apiVersion,
          metadata: { name: userName },
          identities: [identityName],
          groups: null,
        },
        CONTEXT,
      ).object;
    else if (!((user.identities as string[] | null) ?? []).includes(identityName)) {
      const entry = registry.get(users, "", userName);
      const next = cloneJson(entry.object);
      next.identities = [...((next.identities as string[] | null) ?? []), identityName];
      user = registry.updateFrom(users, entry, next, CONTEXT).object;
    }
    if (registry.find(identities, "", identityName) === undefined)
      registry.create(
        identities,
        "",
        {
          kind: "Identity",
          apiVersion: identities.apiVersion,
          metadata: { name: identityName },
          providerName: this.#providerName,
          providerUserName: userName,
          user: { name: userName, uid: user.metadata?.uid ?? "" },
        },
        CONTEXT,
      );
    return user;
  }

  /**
   * Issues an access token for a user (creating the User on first use), as a login would.
   *
   * @param userName the user
   * @param options client, scopes, lifetime
   * @returns the bearer token
   */
  issueAccessToken(
    userName: string,
    options: { clientName?: string; scopes?: readonly string[]; expiresIn?: number; authorizeToken?: string } = {},
  ): string {
    const user = this.#mapIdentity(userName);
    const tokens = this.#resource("oauth.openshift.io", "oauthaccesstokens");
    const token = randomToken();
    this.#o.registry().create(
      tokens,
      "",
      {
        kind: "OAuthAccessToken",
        apiVersion: tokens.apiVersion,
        metadata: { name: token },
        clientName: options.clientName ?? CHALLENGING_CLIENT,
        expiresIn: options.expiresIn ?? this.#o.accessTokenMaxAgeSeconds,
        scopes: [...(options.scopes ?? ["user:full"])],
        redirectURI: `${this.#o.url()}/oauth/token/implicit`,
        userName,
        userUID: user.metadata?.uid ?? "",
        ...(options.authorizeToken === undefined ? {} : { authorizeToken: options.authorizeToken }),
      },
      CONTEXT,
    );
    return token;
  }

  /** The authenticator of OAuth access tokens. */
  authenticator(): Authenticator {
    return { authenticate: (request) => this.#authenticate(request) };
  }

  #authenticate(request: AuthenticationRequest): AuthenticationResult {
    const token = request.token;
    if (token === undefined) return undefined;
    const registry = this.#o.registry();
    const entry = registry.find(this.#resource("oauth.openshift.io", "oauthaccesstokens"), "", token);
    if (entry === undefined) return undefined;
    const t = entry.object as KubeObject & {
      expiresIn?: number;
      userName?: string;
      userUID?: string;
      scopes?: string[];
    };
    const created = Date.parse(t.metadata?.creationTimestamp ?? "");
    if (typeof t.expiresIn === "number" && t.expiresIn > 0 && created + t.expiresIn * 1000 <= this.#o.clock.now())
      return { rejected: "token expired" };
    if (this.#o.revoked.has(token)) return { rejected: "token revoked" };
    const user = registry.find(this.#resource("user.openshift.io", "users"), "", t.userName ?? "");
    if (user === undefined || user.object.metadata?.uid !== t.userUID) return { rejected: "user changed" };
    const groups: string[] = [];
    for (const g of registry.storage.list(this.#resource("user.openshift.io", "groups").storageKey).items) {
      const members = Array.isArray(g.object.users) ? (g.object.users as string[]) : [];
      if (members.includes(t.userName ?? "")) groups.push(g.name);
    }
    groups.push("system:authenticated:oauth");
    const info: UserInfo = {
      name: t.userName ?? "",
      uid: t.userUID ?? "",
      groups,
      extra: { "scopes.authorization.openshift.io": [...(t.scopes ?? [])] },
    };
    return { user: info };
  }

  /** The OAuth routes (they authenticate themselves: public). */
  routes(): Route[] {
    return [
      { path: "/.well-known/oauth-authorization-server", public: true, handle: (ctx) => this.#metadata(ctx) },
      { path: "/oauth/authorize", public: true, handle: (ctx) => this.#authorize(ctx) },
      { path: "/oauth/token", public: true, handle: (ctx) => this.#token(ctx) },
      {
        path: /^\/oauth\/token\/(implicit|display)$/,
        public: true,
        handle: (ctx) => {
          html(ctx, 200, "<p>The fake cluster issued this code or token; use it with your client.</p>");
          return true;
        },
      },
      {
        path: "/oauth/token/request",
        public: true,
        handle: (ctx) => {
          const target = `${this.#o.url()}/oauth/authorize?${formEncode({
            client_id: BROWSER_CLIENT,
            redirect_uri: `${this.#o.url()}/oauth/token/display`,
            response_type: "code",
          })}`;
          redirect(ctx, target);
          return true;
        },
      },
      {
        path: "/login",
        public: true,
        handle: (ctx) => {
          html(
            ctx,
            200,
            "<p>The fake cluster has no login form: log in with a client that sends Basic credentials (openshift-challenging-client).</p>",
          );
          return true;
        },
      },
    ];
  }

  #metadata(ctx: HandlerContext): boolean {
    const url = this.#o.url();
    json(ctx, 200, {
      issuer: url,
      authorization_endpoint: `${url}/oauth/authorize`,
      token_endpoint: `${url}/oauth/token`,
      scopes_supported: SCOPES,
      response_types_supported: ["code", "token"],
      grant_types_supported: ["authorization_code", "implicit"],
      code_challenge_methods_supported: ["plain", "S256"],
    });
    return true;
  }

  #client(id: string): KubeObject | undefined {
    return this.#o.registry().find(this.#resource("oauth.openshift.io", "oauthclients"), "", id)?.object;
  }

  #authorize(ctx: HandlerContext): boolean {
    const q = ctx.query;
    const client = this.#client(q.get("client_id") ?? "");
    if (client === undefined) {
      json(ctx, 400, UNAUTHORIZED_CLIENT);
      return true;
    }
    const allowed = Array.isArray(client.redirectURIs) ? (client.redirectURIs as string[]) : [];
    const redirectUri = q.get("redirect_uri") ?? allowed[0] ?? "";
    if (!allowed.some((u) => redirectUri === u || redirectUri.startsWith(u))) {
      json(ctx, 400, INVALID_REQUEST);
      return true;
    }
    const credentials = basicCredentials(ctx.req.headers.authorization);
    const challenging = client.respondWithChallenges === true;
    if (credentials === undefined || !this.#checkPassword(credentials.user, credentials.password)) {
      if (!challenging) {
        redirect(ctx, `/login?then=${encodeURIComponent(`${ctx.url.pathname}${ctx.url.search}`)}`);
        return true;
      }
      if (credentials === undefined && (ctx.req.headers["x-csrf-token"] ?? "") === "") {
        ctx.sink.send(
          401,
          {
            "Content-Type": "text/plain; charset=utf-8",
            Warning: '199 Origin "A non-empty X-CSRF-Token header is required to receive basic-auth challenges"',
          },
          "A non-empty X-CSRF-Token header is required to receive basic-auth challenges\n",
        );
        return true;
      }
      ctx.sink.send(401, { "WWW-Authenticate": 'Basic realm="openshift"' }, "");
      return true;
    }
    const responseType = q.get("response_type") ?? "";
    const fail = (error: string, description: string): boolean => {
      redirect(ctx, `${redirectUri}?${formEncode({ error, error_description: description })}`);
      return true;
    };
    if (responseType !== "token" && responseType !== "code")
      return fail(
        "unsupported_response_type",
        "The authorization server does not support obtaining a token using this method.",
      );
    const scopes = (q.get("scope") ?? "user:full").split(" ").filter((s) => s !== "");
    for (const [i, scope] of scopes.entries())
      if (!SCOPES.includes(scope) && !/^role:[^:]+:[^:]+(:!)?$/.test(scope))
        return fail("invalid_scope", `[${i}]: Invalid value: ${JSON.stringify(scope)}: no scope handler found`);
    const user = this.#mapIdentity(credentials.user);
    if (responseType === "token") {
      const token = this.issueAccessToken(credentials.user, {
        clientName: client.metadata?.name ?? "",
        scopes,
      });
      redirect(
        ctx,
        `${redirectUri}#${formEncode({
          access_token: token,
          expires_in: String(this.#o.accessTokenMaxAgeSeconds),
          scope: scopes.join(" "),
          token_type: "Bearer",
        })}`,
      );
      return true;
    }
    const code = randomToken();
    const codes = this.#resource("oauth.openshift.io", "oauthauthorizetokens");
    const challenge = q.get("code_challenge");
    this.#o.registry().create(
      codes,
      "",
      {
        kind: "OAuthAuthorizeToken",
        apiVersion: codes.apiVersion,
        metadata: { name: code },
        clientName: client.metadata?.name ?? "",
        expiresIn: this.#o.authorizeTokenMaxAgeSeconds,
        scopes,
        redirectURI: redirectUri,
        userName: credentials.user,
        userUID: user.metadata?.uid ?? "",
        ...(challenge === null
          ? {}
          : { codeChallenge: challenge, codeChallengeMethod: q.get("code_challenge_method") ?? "plain" }),
      },
      CONTEXT,
    );
    redirect(ctx, `${redirectUri}?${formEncode({ code, state: q.get("state") ?? "" })}`);
    return true;
  }

  async #token(ctx: HandlerContext): Promise<boolean> {
    if (ctx.req.method !== "POST") {
      json(ctx, 400, INVALID_REQUEST);
      return true;
    }
    const form = new URLSearchParams(new TextDecoder().decode(await ctx.readBody()));
    const basic = basicCredentials(ctx.req.headers.authorization);
    const clientId = basic?.user ?? form.get("client_id") ?? "";
    const secret = basic?.password ?? form.get("client_secret") ?? "";
    const client = this.#client(clientId);
    if (client === undefined || (typeof client.secret === "string" && client.secret !== secret)) {
      json(ctx, 401, { error: "invalid_client", error_description: "Client authentication failed." });
      return true;
    }
    if (form.get("grant_type") !== "authorization_code") {
      json(ctx, 400, {
        error: "unsupported_grant_type",
        error_description: "The authorization grant type is not supported by the authorization server.",
      });
      return true;
    }
    const registry = this.#o.registry();
    const codes = this.#resource("oauth.openshift.io", "oauthauthorizetokens");
    const code = form.get("code") ?? "";
    const entry = code === "" ? undefined : registry.find(codes, "", code);
    // The 3.11 server answers a code it no longer has (already redeemed) with unauthorized_client.
    if (entry === undefined) {
      json(ctx, 400, UNAUTHORIZED_CLIENT);
      return true;
    }
    const t = entry.object as KubeObject & {
      clientName?: string;
      expiresIn?: number;
      redirectURI?: string;
      userName?: string;
      scopes?: string[];
      codeChallenge?: string;
      codeChallengeMethod?: string;
    };
    const created = Date.parse(t.metadata?.creationTimestamp ?? "");
    const expired = typeof t.expiresIn === "number" && created + t.expiresIn * 1000 <= this.#o.clock.now();
    const verifier = form.get("code_verifier") ?? "";
    let verified = true;
    if (t.codeChallenge !== undefined)
      verified =
        verifier !== "" && (t.codeChallengeMethod === "S256" ? await s256(verifier) : verifier) === t.codeChallenge;
    const redirectOk = (form.get("redirect_uri") ?? t.redirectURI) === t.redirectURI;
    registry.systemDelete(codes, entry, "Background");
    if (expired || !verified || !redirectOk || t.clientName !== clientId) {
      json(ctx, 400, INVALID_GRANT);
      return true;
    }
    const token = this.issueAccessToken(t.userName ?? "", {
      clientName: clientId,
      scopes: t.scopes ?? ["user:full"],
      authorizeToken: code,
    });
    json(ctx, 200, {
      access_token: token,
      expires_in: this.#o.accessTokenMaxAgeSeconds,
      scope: (t.scopes ?? ["user:full"]).join(" "),
      token_type: "Bearer",
    });
    return true;
  }
}

function json(ctx: HandlerContext, status: number, body: unknown): void {
  ctx.sink.send(
    status,
    { "Content-Type": "application/json", "Cache-Control": "no-cache, no-store" },
    JSON.stringify(body),
  );
}

function html(ctx: HandlerContext, status: number, body: string): void {
  ctx.sink.send(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache, no-store" }, body);
}

function redirect(ctx: HandlerContext, location: string): void {
  ctx.sink.send(302, { Location: location, "Cache-Control": "no-cache, no-store" }, "");
}
