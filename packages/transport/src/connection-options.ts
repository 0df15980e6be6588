/**
 * The runtime-neutral description of how to reach one API server: what `@kubeshift/auth` derives from a kubeconfig
 * or in-cluster config, and what every runtime adapter (`/node`, `/deno`, `/web`) accepts. Adapters ignore what their
 * runtime cannot do and report it through `onWarning` (a browser cannot present a client certificate).
 *
 * @module
 */

/** A client certificate and its private key, PEM encoded. */
export interface ClientCertificate {
  /** The certificate chain, PEM. */
  certPem: string;
  /** The private key, PEM (PKCS#1, PKCS#8 or SEC1). */
  keyPem: string;
}

/**
 * Supplies the client certificate, possibly rotating (files that change, exec plugins that return certificates).
 * The Node and Deno adapters call it before every request and websocket (so it should answer from memory, reading
 * files or running plugins only when its own cache is stale) and rebuild their TLS state when the returned pair
 * changes: new connections use the new pair, in-flight requests finish on the old one.
 */
export type ClientCertificateProvider = (signal?: AbortSignal) => Promise<ClientCertificate | undefined>;

/** How to reach one API server; every field is optional. */
export interface ConnectionOptions {
  /** Certificate authorities to trust, PEM (one or several certificates). Defaults to the runtime's trust store. */
  caPem?: string;
  /** The client certificate for mutual TLS, fixed or from a provider that may rotate it. */
  clientCertificate?: ClientCertificate | ClientCertificateProvider;
  /** Skips server certificate verification. Explicit only; adapters warn through `onWarning`. @default false */
  insecureSkipTlsVerify?: boolean;
  /** Server name for SNI and certificate verification, when it differs from the URL's host. */
  tlsServerName?: string;
  /** HTTP(S) proxy URL (kubeconfig `proxy-url`); when unset, adapters that can honour `HTTPS_PROXY`/`NO_PROXY` do. */
  proxyUrl?: string;
  /** Asks for uncompressed responses (kubeconfig `disable-compression`). @default false */
  disableCompression?: boolean;
  /** Uses HTTP/2 where the adapter supports it. @default false */
  http2?: boolean;
  /** Receives warnings (insecure mode, options the runtime cannot honour). */
  onWarning?: (message: string) => void;
}
