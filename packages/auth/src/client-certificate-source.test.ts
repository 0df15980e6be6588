import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isKubeError } from "@kubeshift/transport";
import { afterAll, describe, expect, it } from "vitest";
import { createClientCertificateProvider } from "./client-certificate-source.ts";
import { nodeAuthHost } from "./node/node-auth-host.ts";

const dir = mkdtempSync(join(tmpdir(), "kubeshift-client-cert-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const host = nodeAuthHost();
const cert = (n: number): string => `-----BEGIN CERTIFICATE-----\nMIIC${n}\n-----END CERTIFICATE-----\n`;
const key = (n: number): string => `-----BEGIN EC PRIVATE KEY-----\nMHcC${n}\n-----END EC PRIVATE KEY-----\n`;

function write(path: string, text: string, mtimeSeconds: number): void {
  writeFileSync(path, text);
  utimesSync(path, mtimeSeconds, mtimeSeconds);
}

describe("createClientCertificateProvider", () => {
  it("returns inline PEM as given", async () => {
    const provider = createClientCertificateProvider({ certificate: { pem: cert(1) }, key: { pem: key(1) }, host });
    expect(await provider()).toEqual({ certPem: cert(1), keyPem: key(1) });
  });

  it("reloads rotated files, and returns the same object while nothing changed", async () => {
    const certFile = join(dir, "tls.crt");
    const keyFile = join(dir, "tls.key");
    write(certFile, cert(1), 1000);
    write(keyFile, key(1), 1000);
    const clock = { t: 0, now: () => clock.t };
    const provider = createClientCertificateProvider({
      certificate: { file: certFile },
      key: { file: keyFile },
      host,
      clock,
      checkIntervalMs: 1_000,
    });
    const first = await provider();
    clock.t += 5_000;
    expect(await provider()).toBe(first);
    write(certFile, cert(2), 2000);
    write(keyFile, key(2), 2000);
    expect(await provider()).toBe(first);
    clock.t += 1_000;
    const second = await provider();
    expect(second).toEqual({ certPem: cert(2), keyPem: key(2) });
    expect(second).not.toBe(first);
  });

  it("fails with ERR_CONFIG naming a missing file", async () => {
    const missing = join(dir, "absent.crt");
    const provider = createClientCertificateProvider({ certificate: { file: missing }, key: { pem: key(1) }, host });
    const error = await provider().catch((e: unknown) => e);
    expect(isKubeError(error) && error.code).toBe("ERR_CONFIG");
    expect((error as Error).message).toContain(missing);
  });

  it("refuses a key file without a PEM private key, without quoting its content", async () => {
    const keyFile = join(dir, "not-a-key");
    write(keyFile, "super-secret-but-not-pem", 3000);
    const provider = createClientCertificateProvider({ certificate: { pem: cert(1) }, key: { file: keyFile }, host });
    const error = (await provider().catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("does not contain a PEM key");
    expect(error.message).not.toContain("super-secret");
  });
});
