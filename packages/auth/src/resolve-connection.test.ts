import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isKubeError } from "@kubeshift/transport";
import { afterAll, describe, expect, it } from "vitest";
import type { AuthHost } from "./auth-host.ts";
import { KubeconfigError } from "./kubeconfig-error.ts";
import { loadConnection } from "./load-connection.ts";
import { loadKubeconfig } from "./load-kubeconfig.ts";
import { nodeAuthHost } from "./node/node-auth-host.ts";
import { parseKubeconfig } from "./parse-kubeconfig.ts";
import { resolveConnection } from "./resolve-connection.ts";

const dir = mkdtempSync(join(tmpdir(), "kubeshift-resolve-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CA = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";
const CERT = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nMIIBkey\n-----END PRIVATE KEY-----\n";

function files(tree: Record<string, string>): string {
  const root = join(dir, Math.random().toString(36).slice(2));
  for (const [name, text] of Object.entries(tree)) {
    const path = join(root, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
  }
  return root;
}

function hostAt(cwd: string, env: Record<string, string> = {}): AuthHost {
  return { ...nodeAuthHost(), cwd, env, homeDir: join(cwd, "no-home") };
}

describe("resolveConnection", () => {
  it("reads certificate and token files relative to the kubeconfig that names them, not the working folder", async () => {
    const root = files({
      "conf/kubeconfig": [
        "current-context: c",
        "contexts: [{name: c, context: {cluster: k, user: u, namespace: ns}}]",
        "clusters: [{name: k, cluster: {server: 'https://k.example:6443/', certificate-authority: pki/ca.crt, tls-server-name: api, proxy-url: 'http://proxy:3128', disable-compression: true}}]",
        "users: [{name: u, user: {client-certificate: pki/u.crt, client-key: pki/u.key, tokenFile: ../secrets/token}}]",
      ].join("\n"),
      "conf/pki/ca.crt": CA,
      "conf/pki/u.crt": CERT,
      "conf/pki/u.key": KEY,
      "secrets/token": "file-token\n",
    });
    const host = hostAt(join(root, "elsewhere"));
    const config = await loadKubeconfig({ host, path: join(root, "conf/kubeconfig") });
    const c = await resolveConnection(config, { host });
    expect(c).toMatchObject({
      source: "kubeconfig",
      server: "https://k.example:6443",
      namespace: "ns",
      contextName: "c",
      clusterName: "k",
      userName: "u",
      impersonation: undefined,
    });
    expect(c.connection).toMatchObject({
      caPem: CA,
      tlsServerName: "api",
      proxyUrl: "http://proxy:3128",
      disableCompression: true,
    });
    const provider = c.connection.clientCertificate;
    expect(typeof provider).toBe("function");
    expect(await (provider as () => Promise<unknown>)()).toEqual({ certPem: CERT, keyPem: KEY });
    expect(await c.credentials?.getToken()).toBe("file-token");
  });

  it("applies overrides from loadKubeconfig, and options of resolveConnection over them", async () => {
    const root = files({
      config: [
        "current-context: a",
        "contexts: [{name: a, context: {cluster: ka, user: ua, namespace: na}}, {name: b, context: {cluster: kb, user: ub}}]",
        "clusters: [{name: ka, cluster: {server: 'https://a'}}, {name: kb, cluster: {server: 'https://b'}}]",
        "users: [{name: ua, user: {token: ta}}, {name: ub, user: {token: tb}}]",
      ].join("\n"),
    });
    const host = hostAt(root);
    const loaded = await loadKubeconfig({ host, path: "config", context: "b", namespace: "override" });
    const viaLoad = await resolveConnection(loaded, { host });
    expect([viaLoad.server, viaLoad.namespace, await viaLoad.credentials?.getToken()]).toEqual([
      "https://b",
      "override",
      "tb",
    ]);
    const mixed = await resolveConnection(loaded, { host, context: "a", cluster: "kb", user: "ua", namespace: "x" });
    expect([mixed.server, mixed.namespace, await mixed.credentials?.getToken()]).toEqual(["https://b", "x", "ta"]);
    const plain = await resolveConnection(
      parseKubeconfig(
        "current-context: b\ncontexts: [{name: b, context: {cluster: k}}]\nclusters: [{name: k, cluster: {server: 'https://k'}}]",
      ),
      { host },
    );
    expect(plain.namespace).toBe("default");
    expect(plain.credentials).toBeUndefined();
  });

  it.each([
    ["a context", "current-context: ghost\n", { kind: "context", name: "ghost" }],
    [
      "a cluster",
      "current-context: c\ncontexts: [{name: c, context: {cluster: gone, user: ''}}]\n",
      { kind: "cluster", name: "gone" },
    ],
    [
      "a user",
      "current-context: c\ncontexts: [{name: c, context: {cluster: k, user: nobody}}]\nclusters: [{name: k, cluster: {server: 'https://k'}}]\n",
      { kind: "user", name: "nobody" },
    ],
  ])("names the missing item when %s does not exist", async (_label, text, missing) => {
    const error = await resolveConnection(parseKubeconfig(text), { host: hostAt(dir) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeconfigError);
    expect((error as KubeconfigError).missing).toEqual(missing);
  });

  it("refuses a config without a current context, and a cluster without a server", async () => {
    const none = await resolveConnection(parseKubeconfig(""), { host: hostAt(dir) }).catch((e: unknown) => e);
    expect(isKubeError(none) && none.code).toBe("ERR_CONFIG");
    expect((none as Error).message).toContain("no configuration has been provided");
    const noServer = parseKubeconfig(
      "current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k}]",
    );
    await expect(resolveConnection(noServer, { host: hostAt(dir) })).rejects.toThrow('cluster "k" has no server');
  });

  it("tells auth-provider users which exec plugin replaces it", async () => {
    const config = parseKubeconfig(
      "current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: 'https://k'}}]\nusers: [{name: u, user: {auth-provider: {name: oidc, config: {id-token: secret-id-token}}}}]",
    );
    const error = (await resolveConnection(config, { host: hostAt(dir) }).catch((e: unknown) => e)) as Error;
    expect(isKubeError(error) && error.code).toBe("ERR_CONFIG");
    expect(error.message).toContain("exec credential plugins");
    expect(error.message).toContain("kubelogin");
    expect(error.message).not.toContain("secret-id-token");
  });

  it("refuses contradictions kubectl refuses: token with basic auth, CA with insecure", async () => {
    const base = "current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n";
    const both = parseKubeconfig(
      `${base}clusters: [{name: k, cluster: {server: 'https://k'}}]\nusers: [{name: u, user: {token: t, username: a, password: b}}]`,
    );
    await expect(resolveConnection(both, { host: hostAt(dir) })).rejects.toThrow("may be set, but not both");
    const insecure = parseKubeconfig(
      `${base}clusters: [{name: k, cluster: {server: 'https://k', insecure-skip-tls-verify: true, certificate-authority-data: QUJD}}]\nusers: [{name: u}]`,
    );
    await expect(resolveConnection(insecure, { host: hostAt(dir) })).rejects.toThrow("insecure flag is not allowed");
  });

  it("hands username/password to transport's basicAuth, with no bearer source", async () => {
    const config = parseKubeconfig(
      "current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: 'https://k'}}]\nusers: [{name: u, user: {username: admin, password: pw}}]",
    );
    const c = await resolveConnection(config, { host: hostAt(dir) });
    expect(c.basicAuth).toEqual({ username: "admin", password: "pw" });
    expect(c.credentials).toBeUndefined();
  });

  it("carries impersonation for transport's impersonate(), and refuses groups without a user like client-go", async () => {
    const config = parseKubeconfig(
      "current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: 'https://k'}}]\nusers: [{name: u, user: {token: t, as: jane, as-uid: '42', as-groups: [devs, ops], as-user-extra: {'reason/why': [on call]}}}]",
    );
    const c = await resolveConnection(config, { host: hostAt(dir) });
    expect(c.impersonation).toEqual({
      user: "jane",
      uid: "42",
      groups: ["devs", "ops"],
      extra: { "reason/why": ["on call"] },
    });
    const groupsOnly = parseKubeconfig(
      "current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: 'https://k'}}]\nusers: [{name: u, user: {as-groups: [devs]}}]",
    );
    await expect(resolveConnection(groupsOnly, { host: hostAt(dir) })).rejects.toThrow("without impersonating a user");
  });

  it("resolves an exec command with a path separator against the kubeconfig, and leaves a bare name to PATH", async () => {
    const root = files({
      "k/config": [
        "current-context: rel",
        "contexts: [{name: rel, context: {cluster: k, user: rel}}, {name: bare, context: {cluster: k, user: bare}}]",
        "clusters: [{name: k, cluster: {server: 'https://k'}}]",
        "users:",
        "- {name: rel, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/plugin, interactiveMode: Never}}}",
        "- {name: bare, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: my-plugin, interactiveMode: Never}}}",
      ].join("\n"),
    });
    const commands: string[] = [];
    const host: AuthHost = {
      ...hostAt(dir),
      runProcess: (command) => {
        commands.push(command);
        const out = '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x"}}';
        return Promise.resolve({ exitCode: 0, stdout: new TextEncoder().encode(out) });
      },
    };
    const config = await loadKubeconfig({ host, path: join(root, "k/config") });
    await (await resolveConnection(config, { host })).credentials?.getToken();
    await (await resolveConnection(config, { host, context: "bare" })).credentials?.getToken();
    expect(commands).toEqual([join(root, "k/bin/plugin"), "my-plugin"]);
  });
});

describe("loadConnection", () => {
  it("uses the kubeconfig when one exists, and the in-cluster service account when none does", async () => {
    const root = files({
      "sa/token": "in-cluster-token",
      "sa/ca.crt": CA,
      "sa/namespace": "pod-ns",
      "home/.kube/config":
        "current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, cluster: {server: 'https://from-kubeconfig'}}]",
    });
    const env = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
    const withConfig: AuthHost = { ...hostAt(root, env), homeDir: join(root, "home") };
    expect((await loadConnection({ host: withConfig, serviceAccountRoot: join(root, "sa") })).server).toBe(
      "https://from-kubeconfig",
    );
    const inPod = await loadConnection({ host: hostAt(root, env), serviceAccountRoot: join(root, "sa") });
    expect([inPod.source, inPod.server, inPod.namespace]).toEqual(["in-cluster", "https://10.96.0.1:443", "pod-ns"]);
    expect(await inPod.credentials?.getToken()).toBe("in-cluster-token");
  });
});
