/**
 * `createServiceAccountKeySet`: the cluster's service-account signing keys (`/openid/v1/jwks`), fetched once, cached,
 * and fetched again when a token names a key the cache does not have (key rotation).
 *
 * @module
 */
import { ApiError, type ApiRequester } from "@kubeshift/transport";
import type { JSONWebKeySet, JWTVerifyGetKey } from "jose";
import { raceSignal } from "./_abortable.ts";
import { systemWallClock, type WallClock } from "./auth-host.ts";
import type { FetchFunction } from "./login-with-password.ts";
import { ServiceAccountTokenError } from "./service-account-token-error.ts";

/** Where the keys come from: the API server itself, a JWKS URL, or an issuer's OIDC discovery document. */
export type ServiceAccountKeySource =
  | { requester: ApiRequester }
  | { jwksUrl: string | URL; fetch?: FetchFunction }
  | { issuer: string; fetch?: FetchFunction }
  | { jwks: JSONWebKeySet };

/** Options of {@link createServiceAccountKeySet}. */
export interface ServiceAccountKeySetOptions {
  /** Keys are fetched again after this long. @default 600000 (10 minutes) */
  maxAgeMs?: number;
  /** An unknown `kid` triggers a new fetch at most this often. @default 30000 */
  cooldownMs?: number;
  /** Time source. @default the system clock */
  clock?: WallClock;
}

/** A cached key set for `jose.jwtVerify`, plus what discovery said. */
export interface ServiceAccountKeySet {
  /** The key resolver for `jwtVerify`. */
  readonly getKey: JWTVerifyGetKey;
  /** The issuer from OIDC discovery, when the source was discovered (requester or issuer). */
  issuer(signal?: AbortSignal): Promise<string | undefined>;
  /** Fetches the keys now. */
  refresh(signal?: AbortSignal): Promise<void>;
  /** How many times the keys were fetched. */
  readonly fetches: number;
}

interface Discovery {
  issuer?: unknown;
  jwks_uri?: unknown;
}

async function readJson(response: Response, what: string, method: string, url: string): Promise<unknown> {
  if (!response.ok) {
    const cause = await ApiError.fromResponse(response, { method, url });
    throw new ServiceAccountTokenError("keys-unavailable", `Cannot get ${what}: ${cause.message}`, { cause });
  }
  try {
    return await response.json();
  } catch (cause) {
    throw new ServiceAccountTokenError("keys-unavailable", `${what} is not JSON`, { cause });
  }
}

/**
 * A key set for verifying service-account tokens. With `requester` it asks the API server
 * (`/.well-known/openid-configuration` for the issuer, `/openid/v1/jwks` with `Accept: application/jwk-set+json`,
 * the only type kube-apiserver serves it as); with `issuer` it follows the discovery document's `jwks_uri`. Keys
 * are cached for `maxAgeMs`; a token signed by a key not in the cache makes it fetch again (at most every
 * `cooldownMs`), so rotated keys are picked up.
 *
 * @param source where the keys are
 * @param options cache age, cooldown, clock
 * @returns the key set
 * @example
 * ```ts
 * const keys = createServiceAccountKeySet({ requester: client });
 * await verifyServiceAccountToken(token, { keySet: keys, audience: "vault" });
 * ```
 */
export function createServiceAccountKeySet(
  source: ServiceAccountKeySource,
  options: ServiceAccountKeySetOptions = {},
): ServiceAccountKeySet {
  const clock = options.clock ?? systemWallClock;
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const fetchFn: FetchFunction =
    ("fetch" in source && source.fetch) || ((r: Request): Promise<Response> => globalThis.fetch(r));
  let local: JWTVerifyGetKey | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let discoveredIssuer: string | undefined;
  let pending: Promise<void> | undefined;
  let count = 0;

  const discover = async (): Promise<{ issuer: string | undefined; jwks: unknown }> => {
    if ("jwks" in source) return { issuer: undefined, jwks: source.jwks };
    if ("requester" in source) {
      const d = (await readJson(
        await source.requester.request("/.well-known/openid-configuration", {
          headers: { Accept: "application/json" },
        }),
        "the OpenID configuration",
        "GET",
        "/.well-known/openid-configuration",
      )) as Discovery;
      const jwks = await readJson(
        await source.requester.request("/openid/v1/jwks", { headers: { Accept: "application/jwk-set+json" } }),
        "the service-account keys",
        "GET",
        "/openid/v1/jwks",
      );
      return { issuer: typeof d?.issuer === "string" ? d.issuer : undefined, jwks };
    }
    let jwksUrl: URL;
    let issuer: string | undefined;
    if ("issuer" in source) {
      const url = new URL(`${source.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`);
      const d = (await readJson(
        await fetchFn(new Request(url, { headers: { Accept: "application/json" } })),
        "the OpenID configuration",
        "GET",
        url.href,
      )) as Discovery;
      if (typeof d?.jwks_uri !== "string") {
        throw new ServiceAccountTokenError("keys-unavailable", "The OpenID configuration names no jwks_uri");
      }
      jwksUrl = new URL(d.jwks_uri);
      issuer = typeof d.issuer === "string" ? d.issuer : undefined;
    } else jwksUrl = new URL(source.jwksUrl);
    const jwks = await readJson(
      await fetchFn(new Request(jwksUrl, { headers: { Accept: "application/jwk-set+json, application/json;q=0.9" } })),
      "the service-account keys",
      "GET",
      jwksUrl.href,
    );
    return { issuer, jwks };
  };

  const load = (): Promise<void> => {
    pending ??= (async () => {
      try {
        const { issuer, jwks } = await discover();
        const { createLocalJWKSet } = await import("jose");
        local = createLocalJWKSet(jwks as JSONWebKeySet);
        discoveredIssuer = issuer;
        fetchedAt = clock.now();
        count++;
      } catch (error) {
        if (error instanceof ServiceAccountTokenError) throw error;
        throw new ServiceAccountTokenError(
          "keys-unavailable",
          `Cannot get the service-account keys: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (local === undefined || clock.now() - fetchedAt >= maxAgeMs) await load();
    try {
      return await (local as JWTVerifyGetKey)(header, token);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "ERR_JWKS_NO_MATCHING_KEY" || clock.now() - fetchedAt < cooldownMs) throw error;
      // A key we have not seen: the cluster may have rotated its signing key.
      await load();
      return (local as JWTVerifyGetKey)(header, token);
    }
  };

  return {
    getKey,
    async issuer(signal?: AbortSignal): Promise<string | undefined> {
      if (local === undefined) await raceSignal(load(), signal);
      return discoveredIssuer;
    },
    refresh: (signal?: AbortSignal): Promise<void> => raceSignal(load(), signal),
    get fetches(): number {
      return count;
    },
  };
}
