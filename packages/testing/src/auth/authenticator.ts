/**
 * Authentication: who sent a request. The fake cluster runs a chain of authenticators (client certificates signed
 * by the cluster CA, static bearer tokens, and whatever later layers add: service-account JWTs, OAuth tokens), the
 * first that recognises the credentials wins; a bearer token nobody recognises is a 401, as on the real server.
 *
 * @module
 */
import type { UserInfo } from "./user-info.ts";

/** A verified client certificate. */
export interface PeerCertificate {
  /** Subject common name (the user name). */
  readonly commonName: string;
  /** Subject organisations (the groups). */
  readonly organizations: readonly string[];
}

/** The credentials of one request. */
export interface AuthenticationRequest {
  /** Bearer token from `Authorization` or the websocket token subprotocol. */
  readonly token: string | undefined;
  /** The client certificate, when the TLS handshake verified one against the cluster CA. */
  readonly certificate: PeerCertificate | undefined;
  /** Request headers (Basic credentials for the OAuth server, impersonation). */
  readonly headers: Headers;
  /** The request path. */
  readonly path: string;
  /** Audiences a token must be for (TokenReview's `spec.audiences`); the API audiences when absent. */
  readonly audiences?: readonly string[];
}

/**
 * An authenticator's answer: a user (and the audiences its token is for), a definite rejection (with the reason a
 * TokenReview reports), or no opinion (`undefined`).
 */
export type AuthenticationResult =
  | { readonly user: UserInfo; readonly audiences?: readonly string[] }
  | { readonly rejected: string }
  | undefined;

/** Recognises credentials. */
export interface Authenticator {
  /**
   * @param request the request's credentials
   * @returns the user, a rejection, or `undefined` when these credentials are not its kind
   */
  authenticate(request: AuthenticationRequest): AuthenticationResult | Promise<AuthenticationResult>;
}

/** A static user of the fake cluster. */
export interface FakeUser {
  /** User name. */
  readonly name: string;
  /** Bearer token that authenticates as this user. */
  readonly token?: string;
  /** Groups. */
  readonly groups?: readonly string[];
  /** UID. */
  readonly uid?: string;
}

/** Authenticates the static tokens of the configured users (like `--token-auth-file`). */
export class StaticTokenAuthenticator implements Authenticator {
  readonly #byToken = new Map<string, UserInfo>();

  /** @param users the users; those with a `token` can log in with it */
  constructor(users: readonly FakeUser[]) {
    for (const u of users) this.add(u);
  }

  /** Adds (or replaces) a user's token. */
  add(user: FakeUser): void {
    if (user.token === undefined || user.token === "") return;
    this.#byToken.set(user.token, {
      name: user.name,
      groups: [...(user.groups ?? [])],
      ...(user.uid === undefined ? {} : { uid: user.uid }),
    });
  }

  /** Forgets a token: requests with it get 401 from now on. */
  revoke(token: string): boolean {
    return this.#byToken.delete(token);
  }

  authenticate(request: AuthenticationRequest): AuthenticationResult {
    if (request.token === undefined) return undefined;
    const user = this.#byToken.get(request.token);
    return user === undefined ? undefined : { user };
  }
}

/** Authenticates client certificates: CN is the user, O the groups (like `--client-ca-file`). */
export class ClientCertificateAuthenticator implements Authenticator {
  authenticate(request: AuthenticationRequest): AuthenticationResult {
    const cert = request.certificate;
    if (cert === undefined || cert.commonName === "") return undefined;
    return { user: { name: cert.commonName, groups: [...cert.organizations] } };
  }
}
