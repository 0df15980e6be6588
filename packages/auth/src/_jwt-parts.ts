/**
 * Reads the header and claims of a compact JWS without verifying it, so that inspecting a token does not load jose
 * (jose is imported only when a signature is verified).
 *
 * @module
 */

/** The claims of a JWT, as decoded JSON. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  jti?: string;
  iat?: number;
  nbf?: number;
  exp?: number;
  [claim: string]: unknown;
}

/** The protected header of a JWS. */
export interface JwsHeader {
  alg?: string;
  kid?: string;
  typ?: string;
  [parameter: string]: unknown;
}

function decodeSegment(segment: string, what: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) throw new SyntaxError(`The JWT ${what} is not base64url`);
  const padded = segment.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((segment.length + 3) % 4);
  let text: string;
  try {
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new SyntaxError(`The JWT ${what} is not base64url-encoded UTF-8`, { cause });
  }
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new SyntaxError(`The JWT ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Splits a compact JWS (`header.payload.signature`) and decodes its header and claims.
 *
 * @param jwt the token
 * @returns the decoded header and claims
 * @throws {SyntaxError} when the token is not a compact JWS with JSON object header and claims
 */
export function decodeJwtParts(jwt: string): { header: JwsHeader; claims: JwtClaims } {
  const parts = jwt.split(".");
  if (parts.length !== 3) throw new SyntaxError("A JWT has three dot-separated parts");
  const [header = "", claims = ""] = parts;
  return { header: decodeSegment(header, "header") as JwsHeader, claims: decodeSegment(claims, "claims") as JwtClaims };
}
