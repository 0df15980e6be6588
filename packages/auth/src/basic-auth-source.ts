/**
 * `createBasicAuthSource`: the kubeconfig `username`/`password` pair as an `Authorization: Basic` credential.
 *
 * @module
 */
import { type CredentialSource, registerSecret } from "@kubeshift/transport";
import { encodeBase64Text } from "./_base64.ts";

/**
 * A credential source whose "token" is sent with a scheme other than `Bearer`. Transport middleware that supports
 * it sends `Authorization: <scheme> <token>`; a source without `scheme` is a bearer source.
 */
export interface SchemeCredentialSource extends CredentialSource {
  /** The HTTP authorization scheme. */
  readonly scheme: "Basic";
}

/**
 * HTTP basic authentication, which old clusters and some proxies still accept. The encoded credentials and the
 * password are registered for redaction.
 *
 * @param username the user name
 * @param password the password
 * @returns a source with `scheme: "Basic"` whose token is `base64(username:password)`
 * @throws {TypeError} when the user name is empty or contains a colon
 * @example
 * ```ts
 * const basic = createBasicAuthSource("admin", secret);
 * const header = `${basic.scheme} ${await basic.getToken()}`;
 * ```
 */
export function createBasicAuthSource(username: string, password: string): SchemeCredentialSource {
  if (typeof username !== "string" || username === "" || username.includes(":")) {
    throw new TypeError("A basic-auth user name must be a non-empty string without ':'");
  }
  if (typeof password !== "string") throw new TypeError("A basic-auth password must be a string");
  registerSecret(password);
  const encoded = encodeBase64Text(`${username}:${password}`);
  registerSecret(encoded);
  return {
    scheme: "Basic",
    getToken: (signal?: AbortSignal): Promise<string | undefined> => {
      if (signal?.aborted === true) return Promise.reject(signal.reason);
      return Promise.resolve(encoded);
    },
  };
}
