/**
 * `createStaticTokenSource`: a bearer token that never changes (kubeconfig `token`, `--token`).
 *
 * @module
 */
import { type CredentialSource, registerSecret } from "@kubeshift/transport";

/**
 * A credential source that always returns the same token. The token is registered for redaction, so it never
 * appears in a kubeshift error message.
 *
 * @param token the bearer token
 * @returns a credential source
 * @throws {TypeError} when the token is empty or not a string
 * @example
 * ```ts
 * const credentials = createStaticTokenSource(process.env.KUBE_TOKEN ?? "");
 * ```
 */
export function createStaticTokenSource(token: string): CredentialSource {
  if (typeof token !== "string" || token.trim() === "")
    throw new TypeError("A static token must be a non-empty string");
  registerSecret(token);
  return {
    getToken: (signal?: AbortSignal): Promise<string | undefined> => {
      if (signal?.aborted === true) return Promise.reject(signal.reason);
      return Promise.resolve(token);
    },
  };
}
