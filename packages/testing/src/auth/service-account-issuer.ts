/**
 * The cluster's service-account token issuer: one RSA signing key (made at start, in the background), bound tokens
 * for TokenRequest (RS256, the `kubernetes.io` claims: namespace, service account, bound object, audiences, expiry),
 * legacy secret-based tokens as Kubernetes before 1.24 and OpenShift 3.x mint them (issuer
 * `kubernetes/serviceaccount`, no expiry), the public keys for `/openid/v1/jwks`, and verification of both kinds.
 *
 * @module
 */
import { exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { Clock } from "../clock.ts";

/** The issuer of legacy secret-based tokens. */
export const LEGACY_ISSUER = "kubernetes/serviceaccount";

/** An object a bound token names (`kubernetes.io.pod`, `.secret`, `.node`). */
export interface BoundObject {
  readonly kind: "Pod" | "Secret" | "Node";
  readonly name: string;
  readonly uid: string;
}

/** What a bound token is made of. */
export interface BoundTokenRequest {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly serviceAccountUid: string;
  readonly audiences: readonly string[];
  readonly expirationSeconds: number;
  readonly boundObject?: BoundObject;
}

/** What a legacy token is made of. */
export interface LegacyTokenRequest {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly serviceAccountUid: string;
  readonly secretName: string;
}

/** The verified claims of a token this issuer signed. */
export type VerifiedToken =
  | {
      readonly kind: "bound";
      readonly namespace: string;
      readonly serviceAccount: string;
      readonly serviceAccountUid: string;
      readonly audiences: readonly string[];
      readonly expiresAt: number;
      readonly tokenId: string;
      readonly boundObject?: BoundObject;
    }
  | {
      readonly kind: "legacy";
      readonly namespace: string;
      readonly serviceAccount: string;
      readonly serviceAccountUid: string;
      readonly secretName: string;
    };

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

interface Keys {
  readonly privateKey: KeyPair["privateKey"];
  readonly publicKey: KeyPair["publicKey"];
  readonly jwk: JWK;
  readonly kid: string;
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function makeKeys(): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  // kube-apiserver's key id: the base64url SHA-256 of the public key's DER (PKIX) encoding.
  const pem = await exportSPKI(publicKey);
  const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0));
  const kid = base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", der)));
  const { n, e } = await exportJWK(publicKey);
  return { privateKey, publicKey, kid, jwk: { use: "sig", kty: "RSA", kid, alg: "RS256", n: n ?? "", e: e ?? "" } };
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** Signs and verifies the cluster's service-account tokens. */
export class ServiceAccountIssuer {
  /** The `iss` of bound tokens (`--service-account-issuer`). */
  readonly issuer: string;
  /** The API audiences: a bound token authenticates requests only when it names one of them. */
  readonly apiAudiences: readonly string[];
  readonly #clock: Clock;
  #keys: Promise<Keys> | undefined;

  /**
   * @param options issuer URL, API audiences (default: the issuer), clock
   */
  constructor(options: { issuer: string; apiAudiences?: readonly string[]; clock: Clock }) {
    this.issuer = options.issuer;
    this.apiAudiences = options.apiAudiences ?? [options.issuer];
    this.#clock = options.clock;
  }

  /** Starts making the key (RSA generation takes tens of milliseconds). */
  warmUp(): void {
    this.#keys ??= makeKeys();
    this.#keys.catch(() => undefined);
  }

  #key(): Promise<Keys> {
    this.#keys ??= makeKeys();
    return this.#keys;
  }

  /** The JWKS document of `/openid/v1/jwks`. */
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [(await this.#key()).jwk] };
  }

  /**
   * Signs a bound token (TokenRequest).
   *
   * @returns the JWT and its expiry in milliseconds since the epoch
   */
  async issueBound(request: BoundTokenRequest): Promise<{ token: string; expiresAt: number }> {
    const keys = await this.#key();
    const now = Math.floor(this.#clock.now() / 1000);
    const exp = now + request.expirationSeconds;
    const kubernetes: Record<string, unknown> = {
      namespace: request.namespace,
      serviceaccount: { name: request.serviceAccount, uid: request.serviceAccountUid },
    };
    const bound = request.boundObject;
    if (bound !== undefined) kubernetes[bound.kind.toLowerCase()] = { name: bound.name, uid: bound.uid };
    const token = await new SignJWT({ "kubernetes.io": kubernetes })
      .setProtectedHeader({ alg: "RS256", kid: keys.kid })
      .setIssuer(this.issuer)
      .setSubject(`system:serviceaccount:${request.namespace}:${request.serviceAccount}`)
      .setAudience([...request.audiences])
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .setJti(crypto.randomUUID())
      .sign(keys.privateKey);
    return { token, expiresAt: exp * 1000 };
  }

  /** Signs a legacy secret-based token (the tokens controller). */
  async issueLegacy(request: LegacyTokenRequest): Promise<string> {
    const keys = await this.#key();
    return new SignJWT({
      "kubernetes.io/serviceaccount/namespace": request.namespace,
      "kubernetes.io/serviceaccount/secret.name": request.secretName,
      "kubernetes.io/serviceaccount/service-account.name": request.serviceAccount,
      "kubernetes.io/serviceaccount/service-account.uid": request.serviceAccountUid,
    })
      .setProtectedHeader({ alg: "RS256", kid: keys.kid })
      .setIssuer(LEGACY_ISSUER)
      .setSubject(`system:serviceaccount:${request.namespace}:${request.serviceAccount}`)
      .sign(keys.privateKey);
  }

  /**
   * Verifies a token's signature, issuer and lifetime (not whether its service account still exists).
   *
   * @param token a bearer token
   * @returns the claims, `undefined` when this issuer did not sign it, or `"expired"`
   */
  async verify(token: string): Promise<VerifiedToken | "expired" | undefined> {
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return undefined;
    const keys = await this.#key();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys.publicKey, {
        algorithms: ["RS256"],
        currentDate: new Date(this.#clock.now()),
      }));
    } catch (e) {
      return (e as { code?: string }).code === "ERR_JWT_EXPIRED" ? "expired" : undefined;
    }
    if (payload.iss === LEGACY_ISSUER) {
      return {
        kind: "legacy",
        namespace: str(payload["kubernetes.io/serviceaccount/namespace"]),
        serviceAccount: str(payload["kubernetes.io/serviceaccount/service-account.name"]),
        serviceAccountUid: str(payload["kubernetes.io/serviceaccount/service-account.uid"]),
        secretName: str(payload["kubernetes.io/serviceaccount/secret.name"]),
      };
    }
    if (payload.iss !== this.issuer || typeof payload.exp !== "number") return undefined;
    const k = (payload["kubernetes.io"] ?? {}) as Record<string, { name?: string; uid?: string } | string>;
    const sa = (k.serviceaccount ?? {}) as { name?: string; uid?: string };
    let boundObject: BoundObject | undefined;
    for (const kind of ["Pod", "Secret", "Node"] as const) {
      const o = k[kind.toLowerCase()] as { name?: string; uid?: string } | undefined;
      if (o !== undefined) boundObject = { kind, name: str(o.name), uid: str(o.uid) };
    }
    return {
      kind: "bound",
      namespace: str(k.namespace),
      serviceAccount: str(sa.name),
      serviceAccountUid: str(sa.uid),
      audiences: Array.isArray(payload.aud) ? payload.aud : typeof payload.aud === "string" ? [payload.aud] : [],
      expiresAt: payload.exp * 1000,
      tokenId: str(payload.jti),
      ...(boundObject === undefined ? {} : { boundObject }),
    };
  }
}
