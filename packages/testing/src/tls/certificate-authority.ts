/**
 * The fake cluster's certificate authority: a throwaway ECDSA P-256 CA generated at start (about 20 ms with
 * WebCrypto), the serving certificate for 127.0.0.1/localhost, and client certificates whose subject carries the
 * user (CN) and groups (O), as kube-apiserver's x509 authenticator reads them.
 *
 * @module
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(globalThis.crypto);

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 86_400_000;

/** A certificate and its private key, PEM-encoded. */
export interface CertificatePem {
  /** The certificate (`-----BEGIN CERTIFICATE-----`). */
  readonly certPem: string;
  /** The PKCS#8 private key (`-----BEGIN PRIVATE KEY-----`). */
  readonly keyPem: string;
}

/** Options of {@link CertificateAuthority.issueClientCertificate}. */
export interface ClientCertificateOptions {
  /** User name (subject CN). */
  readonly user: string;
  /** Groups (one subject O each). */
  readonly groups?: readonly string[];
  /** Validity in days. @default 365 */
  readonly days?: number;
  /** Start of validity in ms since the epoch. @default now minus one minute */
  readonly notBefore?: number;
}

function toPem(label: string, der: ArrayBuffer): string {
  const b64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function serial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] as number) & 0x7f;
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A CA that signs serving and client certificates. */
export class CertificateAuthority {
  readonly #cert: x509.X509Certificate;
  readonly #keys: CryptoKeyPair;
  /** The CA certificate, PEM. */
  readonly certPem: string;

  private constructor(cert: x509.X509Certificate, keys: CryptoKeyPair) {
    this.#cert = cert;
    this.#keys = keys;
    this.certPem = cert.toString("pem");
  }

  /**
   * Generates a new CA.
   *
   * @param name subject common name
   * @param now current time in ms (certificates start a minute before it)
   */
  static async create(name = "kubeshift-fake-cluster-ca", now: number = Date.now()): Promise<CertificateAuthority> {
    const keys = (await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: [{ CN: [name] }],
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 3650 * DAY),
      signingAlgorithm: ALGORITHM,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new CertificateAuthority(cert, keys);
  }

  async #issue(
    subject: x509.JsonName,
    usage: string,
    extensions: x509.Extension[],
    notBefore: number,
    days: number,
  ): Promise<CertificatePem> {
    const keys = (await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: this.#cert.subject,
      notBefore: new Date(notBefore),
      notAfter: new Date(notBefore + days * DAY),
      signingAlgorithm: ALGORITHM,
      publicKey: keys.publicKey,
      signingKey: this.#keys.privateKey,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage]),
        new x509.BasicConstraintsExtension(false, undefined, true),
        await x509.AuthorityKeyIdentifierExtension.create(this.#keys.publicKey),
        ...extensions,
      ],
    });
    const keyDer = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
    return { certPem: cert.toString("pem"), keyPem: toPem("PRIVATE KEY", keyDer) };
  }

  /**
   * Issues the API server's serving certificate.
   *
   * @param hosts IP addresses and DNS names for the subject alternative names
   * @param now current time in ms
   */
  issueServingCertificate(hosts: readonly string[], now: number = Date.now()): Promise<CertificatePem> {
    const names = hosts.map((h) =>
      /^[\d.]+$/.test(h) || h.includes(":") ? { type: "ip" as const, value: h } : { type: "dns" as const, value: h },
    );
    return this.#issue(
      [{ CN: ["kube-apiserver"] }],
      x509.ExtendedKeyUsage.serverAuth,
      [new x509.SubjectAlternativeNameExtension(names)],
      now - 60_000,
      365,
    );
  }

  /**
   * Issues a client certificate: the API server takes CN as the user name and each O as a group.
   *
   * @param options user, groups, validity
   * @returns certificate and key, PEM
   * @throws {TypeError} when the user name is empty
   */
  issueClientCertificate(options: ClientCertificateOptions): Promise<CertificatePem> {
    if (typeof options.user !== "string" || options.user === "")
      throw new TypeError("issueClientCertificate() needs a non-empty user name");
    const subject: x509.JsonName = [{ CN: [options.user] }, ...(options.groups ?? []).map((g) => ({ O: [g] }))];
    return this.#issue(
      subject,
      x509.ExtendedKeyUsage.clientAuth,
      [],
      options.notBefore ?? Date.now() - 60_000,
      options.days ?? 365,
    );
  }
}
