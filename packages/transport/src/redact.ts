/**
 * Keeps secrets out of error messages: known secret values (registered by credential middleware) and anything
 * shaped like a credential (bearer and basic authorization values, JWTs, OpenShift `sha256~` tokens, PEM keys).
 *
 * @module
 */

const REGISTRY_KEY = Symbol.for("kubeshift.secrets");
const MAX_SECRETS = 64;
const MIN_SECRET_LENGTH = 6;

function registry(): Set<string> {
  const g = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  let set = g[REGISTRY_KEY];
  if (set === undefined) {
    set = new Set();
    Object.defineProperty(globalThis, REGISTRY_KEY, { value: set, enumerable: false });
  }
  return set;
}

/**
 * Remembers a secret value (a token, a password) so that {@link redactSecrets} removes it from any text, even when
 * it does not look like a credential. The newest 64 values are kept; values shorter than 6 characters are ignored
 * (they would redact ordinary words).
 *
 * @param value the secret
 * @example
 * ```ts
 * registerSecret(token);
 * ```
 */
export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH) return;
  const set = registry();
  set.delete(value);
  set.add(value);
  if (set.size > MAX_SECRETS) {
    const oldest = set.values().next().value;
    if (oldest !== undefined) set.delete(oldest);
  }
}

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, "<redacted private key>"],
  [/\b(Bearer|Basic)(\s+|%20)[A-Za-z0-9._~+/=:%-]+/gi, "$1$2<redacted>"],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "<redacted jwt>"],
  [/\bsha256~[A-Za-z0-9_-]{10,}/g, "sha256~<redacted>"],
  [/\bbase64url\.bearer\.authorization\.k8s\.io\.[A-Za-z0-9_-]+/g, "base64url.bearer.authorization.k8s.io.<redacted>"],
  [/(access_token=)[^&#\s"]+/g, "$1<redacted>"],
];

/**
 * Removes registered secrets and credential-shaped substrings from a text.
 *
 * @param text a message about to be shown or thrown
 * @returns the text with every secret replaced by `<redacted>`
 * @example
 * ```ts
 * redactSecrets("Authorization: Bearer abc.def"); // "Authorization: Bearer <redacted>"
 * ```
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of registry()) {
    if (out.includes(secret)) out = out.split(secret).join("<redacted>");
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
