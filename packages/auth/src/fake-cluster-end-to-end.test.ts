// End to end against @kubeshift/testing's fake cluster over HTTPS: kubeconfig → resolveConnection → requests through
// transport's own middleware (bearerAuth with its 401 retry, basicAuth, impersonate), for a token user, a
// client-certificate user, an exec plugin whose token expires and is revoked (401 → re-run), a token file rotated
// mid-run, and the in-cluster configuration from a fake service-account folder. The bottom of the stack is
// transport's Node adapter built from the resolved ConnectionOptions (CA, client certificate provider).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allowAuthenticated, type FakeCluster, startFakeCluster } from "@kubeshift/testing";
import { bearerAuth, composeTransport, impersonate, type Middleware } from "@kubeshift/transport";
import { createNodeTransport, type NodeTransport } from "@kubeshift/transport/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthHost } from "./auth-host.ts";
import { inClusterConfig } from "./in-cluster-config.ts";
import { loadKubeconfig } from "./load-kubeconfig.ts";
import { nodeAuthHost } from "./node/node-auth-host.ts";
import { resolveConnection } from "./resolve-connection.ts";
import type { ResolvedConnection } from "./resolved-connection.ts";

const dir = mkdtempSync(join(tmpdir(), "kubeshift-auth-e2e-"));
let cluster: FakeCluster;
const seenUsers: string[] = [];

beforeAll(async () => {
  cluster = await startFakeCluster({
    users: [{ name: "admin", token: "admin-token-0123456789", groups: ["system:masters"] }],
    authorizer: (attributes) => {
      seenUsers.push(attributes.user.name);
      return allowAuthenticated(attributes);
    },
  });
});
afterAll(async () => {
  await cluster.close();
  rmSync(dir, { recursive: true, force: true });
});

function host(env: Record<string, string> = {}): AuthHost {
  return {
    ...nodeAuthHost(),
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    cwd: dir,
    homeDir: join(dir, "home"),
  };
}

const adapters: NodeTransport[] = [];
afterAll(async () => {
  for (const a of adapters) await a.close();
});

/** One request through transport's Node adapter and middleware, as the client will compose them. */
async function send(conn: ResolvedConnection, path: string): Promise<Response> {
  const base = createNodeTransport(conn.connection);
  adapters.push(base);
  const middleware: Middleware[] = [];
  if (conn.impersonation !== undefined) middleware.push(impersonate(conn.impersonation));
  if (conn.credentials !== undefined) middleware.push(bearerAuth(conn.credentials));
  const response = await composeTransport(base, ...middleware).fetch(new Request(`${conn.server}${path}`));
  // Read the body: an unread body keeps the connection busy, and close() waits for it.
  const body = await response.arrayBuffer();
  return new Response(body, { status: response.status, headers: response.headers });
}

async function status(transport: NodeTransport, url: string): Promise<number> {
  const response = await transport.fetch(new Request(url));
  await response.arrayBuffer();
  return response.status;
}

async function connect(
  kubeconfig: string,
  options: { env?: Record<string, string>; clock?: { now(): number } } = {},
): Promise<ResolvedConnection> {
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, kubeconfig);
  const h = host(options.env);
  return resolveConnection(await loadKubeconfig({ host: h, path: file }), {
    host: h,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    onExecStderr: () => {},
  });
}

describe("against the fake cluster over HTTPS", () => {
  it("a token user from the cluster's own kubeconfig gets in; a wrong token gets 401", async () => {
    const conn = await connect(cluster.kubeconfig.text);
    const ok = await send(conn, "/api/v1/namespaces/default");
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { metadata: { name: string } }).metadata.name).toBe("default");
    expect(seenUsers.at(-1)).toBe("admin");
    const bad = await connect(cluster.kubeconfigFor({ token: "not-a-token-anyone-issued" }));
    expect((await send(bad, "/api/v1/namespaces/default")).status).toBe(401);
  });

  it("a client-certificate user is recognised by the certificate's CN", async () => {
    const pair = await cluster.issueClientCertificate({ user: "jane", groups: ["devs"] });
    const conn = await connect(cluster.kubeconfigFor(pair, { userName: "jane" }));
    expect(conn.credentials).toBeUndefined();
    const response = await send(conn, "/api/v1/namespaces");
    expect(response.status).toBe(200);
    expect(seenUsers.at(-1)).toBe("jane");
  });

  it("a client certificate from files is used, relative to the kubeconfig", async () => {
    const pair = await cluster.issueClientCertificate({ user: "file-user" });
    mkdirSync(join(dir, "pki"), { recursive: true });
    writeFileSync(join(dir, "pki", "user.crt"), pair.certPem);
    writeFileSync(join(dir, "pki", "user.key"), pair.keyPem);
    const text = [
      "current-context: c",
      "contexts: [{name: c, context: {cluster: k, user: u}}]",
      `clusters: [{name: k, cluster: {server: '${cluster.url}', certificate-authority-data: ${btoa(cluster.caPem ?? "")}}}]`,
      "users: [{name: u, user: {client-certificate: pki/user.crt, client-key: pki/user.key}}]",
    ].join("\n");
    const response = await send(await connect(text), "/api/v1/namespaces");
    expect(response.status).toBe(200);
    expect(seenUsers.at(-1)).toBe("file-user");
  });

  it("a client certificate rotated on disk mid-run is presented on the next request by the same transport", async () => {
    const first = await cluster.issueClientCertificate({ user: "rotating-cert-1" });
    const second = await cluster.issueClientCertificate({ user: "rotating-cert-2" });
    mkdirSync(join(dir, "rotating"), { recursive: true });
    const certFile = join(dir, "rotating", "tls.crt");
    const keyFile = join(dir, "rotating", "tls.key");
    writeFileSync(certFile, first.certPem);
    writeFileSync(keyFile, first.keyPem);
    const clock = { t: 0, now: () => clock.t };
    const text = [
      "current-context: c",
      "contexts: [{name: c, context: {cluster: k, user: u}}]",
      `clusters: [{name: k, cluster: {server: '${cluster.url}', certificate-authority-data: ${btoa(cluster.caPem ?? "")}}}]`,
      `users: [{name: u, user: {client-certificate: ${certFile}, client-key: ${keyFile}}}]`,
    ].join("\n");
    const conn = await connect(text, { clock });
    const transport = createNodeTransport(conn.connection);
    adapters.push(transport);
    expect(await status(transport, `${conn.server}/api/v1/namespaces`)).toBe(200);
    expect(seenUsers.at(-1)).toBe("rotating-cert-1");
    writeFileSync(certFile, second.certPem);
    writeFileSync(keyFile, second.keyPem);
    clock.t += 2_000;
    expect(await status(transport, `${conn.server}/api/v1/namespaces`)).toBe(200);
    expect(seenUsers.at(-1)).toBe("rotating-cert-2");
  });

  it("an exec plugin's token is cached until it expires, and a 401 runs the plugin again", async () => {
    const counter = join(dir, "exec-count");
    const plugin = join(dir, "token-plugin.sh");
    writeFileSync(
      plugin,
      `#!/bin/sh
n=$(( $(cat "${counter}" 2>/dev/null || echo 0) + 1 ))
echo $n > "${counter}"
echo "issuing exec-token-$n" >&2
# Each credential lives ten minutes of the test's clock: run n expires at 00:(n*10).
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token-%s","expirationTimestamp":"2030-01-01T00:%02d:00Z"}}' "$n" "$((n * 10))"
`,
    );
    chmodSync(plugin, 0o755);
    for (let i = 1; i <= 3; i++) cluster.addUser({ name: `exec-user-${i}`, token: `exec-token-${i}` });
    const clock = { t: Date.parse("2030-01-01T00:00:00Z"), now: () => clock.t };
    const text = [
      "current-context: c",
      "contexts: [{name: c, context: {cluster: k, user: u}}]",
      `clusters: [{name: k, cluster: {server: '${cluster.url}', certificate-authority-data: ${btoa(cluster.caPem ?? "")}}}]`,
      `users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}]`,
    ].join("\n");
    const conn = await connect(text, { clock });
    const runs = (): number => (existsSync(counter) ? Number(readFileSync(counter, "utf8")) : 0);

    expect((await send(conn, "/api/v1/namespaces")).status).toBe(200);
    expect((await send(conn, "/api/v1/namespaces")).status).toBe(200);
    expect([runs(), seenUsers.at(-1)]).toEqual([1, "exec-user-1"]);

    // The server stops accepting the token: one 401, the plugin runs again, the retry gets in.
    cluster.revokeToken("exec-token-1");
    expect((await send(conn, "/api/v1/namespaces")).status).toBe(200);
    expect([runs(), seenUsers.at(-1)]).toEqual([2, "exec-user-2"]);

    // The second credential expires at 00:20: the next request runs the plugin without waiting for a 401.
    clock.t += 19 * 60_000;
    expect((await send(conn, "/api/v1/namespaces")).status).toBe(200);
    expect(runs()).toBe(2);
    clock.t += 60_000;
    expect((await send(conn, "/api/v1/namespaces")).status).toBe(200);
    expect([runs(), seenUsers.at(-1)]).toEqual([3, "exec-user-3"]);
  });

  it("a token file rotated mid-run is picked up", async () => {
    cluster.addUser({ name: "rotating-1", token: "rotating-token-one" });
    cluster.addUser({ name: "rotating-2", token: "rotating-token-two-longer" });
    const tokenFile = join(dir, "rotating-token");
    writeFileSync(tokenFile, "rotating-token-one\n");
    const clock = { t: 0, now: () => clock.t };
    const text = [
      "current-context: c",
      "contexts: [{name: c, context: {cluster: k, user: u}}]",
      `clusters: [{name: k, cluster: {server: '${cluster.url}', certificate-authority-data: ${btoa(cluster.caPem ?? "")}}}]`,
      `users: [{name: u, user: {tokenFile: ${tokenFile}}}]`,
    ].join("\n");
    const conn = await connect(text, { clock });
    expect((await send(conn, "/api/v1/namespaces")).status).toBe(200);
    expect(seenUsers.at(-1)).toBe("rotating-1");
    writeFileSync(tokenFile, "rotating-token-two-longer\n");
    clock.t += 2_000;
    expect((await send(conn, "/api/v1/namespaces")).status).toBe(200);
    expect(seenUsers.at(-1)).toBe("rotating-2");
    // Rotated again and the old token revoked before the next check: the 401 makes the source re-read at once.
    cluster.addUser({ name: "rotating-3", token: "rotating-token-three-longest" });
    writeFileSync(tokenFile, "rotating-token-three-longest\n");
    cluster.revokeToken("rotating-token-two-longer");
    expect((await send(conn, "/api/v1/namespaces")).status).toBe(200);
    expect(seenUsers.at(-1)).toBe("rotating-3");
  });

  it("in-cluster configuration from a fake service-account folder and KUBERNETES_SERVICE_* reaches the cluster", async () => {
    const root = join(dir, "serviceaccount");
    mkdirSync(root, { recursive: true });
    cluster.addUser({ name: "system:serviceaccount:apps:robot", token: "in-cluster-robot-token" });
    writeFileSync(join(root, "token"), "in-cluster-robot-token");
    writeFileSync(join(root, "ca.crt"), cluster.caPem ?? "");
    writeFileSync(join(root, "namespace"), "apps");
    const conn = await inClusterConfig({
      host: host({ KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: String(cluster.port) }),
      root,
    });
    expect(conn.server).toBe(cluster.url);
    expect(conn.namespace).toBe("apps");
    expect((await send(conn, "/api/v1/namespaces/default")).status).toBe(200);
    expect(seenUsers.at(-1)).toBe("system:serviceaccount:apps:robot");
  });
});
