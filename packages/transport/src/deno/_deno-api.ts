/**
 * The few Deno APIs the Deno adapter touches, declared locally so that the package compiles with Node's types too.
 * They are looked up on `globalThis` at run time.
 */

/** `Deno.HttpClient`. */
export interface DenoHttpClient {
  close(): void;
}

/** `Deno.CreateHttpClientOptions` (with `cert`/`key` from `Deno.TlsCertifiedKeyPem`). */
export interface DenoHttpClientOptions {
  caCerts?: string[];
  cert?: string;
  key?: string;
  proxy?: { url: string; basicAuth?: { username: string; password: string } };
  http1?: boolean;
  http2?: boolean;
}

/** Deno's `WebSocket` constructor, which takes headers and an HTTP client. */
export type DenoWebSocketConstructor = new (
  url: string,
  options: { protocols?: string[]; headers?: HeadersInit; client?: DenoHttpClient },
) => WebSocket;

/** The `Deno` global, as far as used. */
export interface DenoNamespace {
  createHttpClient(options: DenoHttpClientOptions): DenoHttpClient;
  version: { deno: string };
}

/** The `Deno` global, or `undefined` on other runtimes. */
export function denoGlobal(): DenoNamespace | undefined {
  return (globalThis as { Deno?: DenoNamespace }).Deno;
}
