import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isKubeError } from "@kubeshift/transport";
import { afterAll, describe, expect, it } from "vitest";
import type { AuthHost } from "./auth-host.ts";
import { inClusterConfig, isInCluster } from "./in-cluster-config.ts";
import { nodeAuthHost } from "./node/node-auth-host.ts";

const dir = mkdtempSync(join(tmpdir(), "kubeshift-in-cluster-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function fakeRoot(files: Record<string, string>): string {
  const root = join(dir, `sa-${Math.random().toString(36).slice(2)}`);
  mkdirSync(root);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

function hostWith(env: Record<string, string>): AuthHost {
  return { ...nodeAuthHost(), env };
}

describe("inClusterConfig", () => {
  it("builds the server from KUBERNETES_SERVICE_HOST/PORT and reads token, CA and namespace from the root", async () => {
    const root = fakeRoot({ token: "sa-token\n", "ca.crt": CA, namespace: "team-a\n" });
    const c = await inClusterConfig({
      host: hostWith({ KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" }),
      root,
    });
    expect(c.source).toBe("in-cluster");
    expect(c.server).toBe("https://10.0.0.1:443");
    expect(c.namespace).toBe("team-a");
    expect(c.connection.caPem).toBe(CA);
    expect(await c.credentials?.getToken()).toBe("sa-token");
  });

  it("brackets an IPv6 service host", async () => {
    const root = fakeRoot({ token: "t" });
    const c = await inClusterConfig({
      host: hostWith({ KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "6443" }),
      root,
      onWarning: () => {},
    });
    expect(c.server).toBe("https://[fd00::1]:6443");
    expect(new URL(c.server).hostname).toBe("[fd00::1]");
  });

  it("prefers POD_NAMESPACE, and falls back to default without a namespace file", async () => {
    const root = fakeRoot({ token: "t", "ca.crt": CA });
    const env = { KUBERNETES_SERVICE_HOST: "h", KUBERNETES_SERVICE_PORT: "1" };
    expect((await inClusterConfig({ host: hostWith(env), root })).namespace).toBe("default");
    expect((await inClusterConfig({ host: hostWith({ ...env, POD_NAMESPACE: "from-env" }), root })).namespace).toBe(
      "from-env",
    );
  });

  it("re-reads the token as the kubelet rotates it", async () => {
    const root = fakeRoot({ token: "first", "ca.crt": CA });
    const clock = { t: 0, now: () => clock.t };
    const c = await inClusterConfig({
      host: hostWith({ KUBERNETES_SERVICE_HOST: "h", KUBERNETES_SERVICE_PORT: "1" }),
      root,
      clock,
    });
    expect(await c.credentials?.getToken()).toBe("first");
    writeFileSync(join(root, "token"), "second-and-longer");
    clock.t += 61_000;
    expect(await c.credentials?.getToken()).toBe("second-and-longer");
  });

  it("fails with ERR_CONFIG outside a cluster or without a token, and warns without a CA", async () => {
    const outside = await inClusterConfig({ host: hostWith({}), root: dir }).catch((e: unknown) => e);
    expect(isKubeError(outside) && outside.code).toBe("ERR_CONFIG");
    expect((outside as Error).message).toContain("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined");

    const env = { KUBERNETES_SERVICE_HOST: "h", KUBERNETES_SERVICE_PORT: "1" };
    const noToken = await inClusterConfig({ host: hostWith(env), root: fakeRoot({}) }).catch((e: unknown) => e);
    expect(isKubeError(noToken) && noToken.code).toBe("ERR_CONFIG");

    const warnings: string[] = [];
    const c = await inClusterConfig({
      host: hostWith(env),
      root: fakeRoot({ token: "t" }),
      onWarning: (m) => warnings.push(m),
    });
    expect(c.connection.caPem).toBeUndefined();
    expect(warnings[0]).toContain("ca.crt");
  });

  it("isInCluster needs both service variables", () => {
    expect(isInCluster({ KUBERNETES_SERVICE_HOST: "h", KUBERNETES_SERVICE_PORT: "1" })).toBe(true);
    expect(isInCluster({ KUBERNETES_SERVICE_HOST: "h" })).toBe(false);
  });
});
