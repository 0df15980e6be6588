/**
 * Test certificates, generated at run time (never committed): a CA, server certificates for 127.0.0.1/localhost and
 * for a name that differs from the address (tls-server-name), client certificates, and an unrelated CA for the
 * untrusted-server cases. ECDSA P-256 keys in PKCS#8, which Node, Deno (rustls) and undici all accept.
 *
 * @module
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface TestPki {
  caPem: string;
  /** Valid for localhost, 127.0.0.1 and kube.test. */
  server: KeyPair;
  /** Valid only for kube.internal (connect to 127.0.0.1 with tlsServerName "kube.internal"). */
  renamedServer: KeyPair;
  /** Signed by another CA that nothing trusts. */
  untrustedServer: KeyPair;
  /** Client certificates with CN alice (groups system:masters) and bob. */
  alice: KeyPair;
  bob: KeyPair;
}

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

async function authority(name: string): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

let serial = 100;

async function leaf(
  ca: { cert: x509.X509Certificate; keys: CryptoKeyPair },
  subject: string,
  usage: "server" | "client",
  names: Array<{ type: "dns" | "ip"; value: string }> = [],
): Promise<KeyPair> {
  const keys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(4, "0"),
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([
        usage === "server" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { certPem: cert.toString("pem"), keyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY") };
}

let pki: Promise<TestPki> | undefined;

/** The test PKI, generated once per process. */
export function testPki(): Promise<TestPki> {
  pki ??= (async () => {
    const ca = await authority("kubeshift test CA");
    const other = await authority("untrusted test CA");
    const loopback = [
      { type: "dns", value: "localhost" },
      { type: "dns", value: "kube.test" },
      { type: "ip", value: "127.0.0.1" },
    ] as const;
    return {
      caPem: ca.cert.toString("pem"),
      server: await leaf(ca, "CN=kube-apiserver", "server", [...loopback]),
      renamedServer: await leaf(ca, "CN=kube.internal", "server", [{ type: "dns", value: "kube.internal" }]),
      untrustedServer: await leaf(other, "CN=kube-apiserver", "server", [...loopback]),
      alice: await leaf(ca, "CN=alice, O=system:masters", "client"),
      bob: await leaf(ca, "CN=bob", "client"),
    };
  })();
  return pki;
}
