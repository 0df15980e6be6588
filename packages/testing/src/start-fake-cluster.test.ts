import { existsSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { call } from "./_test-client.ts";
import { startFakeCluster } from "./start-fake-cluster.ts";

describe("startFakeCluster()", () => {
  it("serves HTTPS on 127.0.0.1 with a certificate the cluster CA verifies, and refuses clients that do not trust it", async () => {
    await using cluster = await startFakeCluster();
    expect(cluster.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect((await call(cluster, "GET", "/version")).status).toBe(200);
    await expect(call(cluster, "GET", "/version", { ca: null })).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    );
  });

  it("writes a kubeconfig (0600) that names the server, the CA and the admin token, and removes it on close", async () => {
    const cluster = await startFakeCluster();
    const path = await cluster.kubeconfig.writeTempFile();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const config = parse(readFileSync(path, "utf8"));
    expect(config.clusters[0].cluster.server).toBe(cluster.url);
    expect(Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64").toString()).toBe(
      cluster.caPem,
    );
    expect(config.users[0].user.token).toBe(cluster.token);
    expect(config["current-context"]).toBe(config.contexts[0].name);
    await cluster.close();
    expect(existsSync(path)).toBe(false);
  });

  it("serves plain HTTP when asked, on a given port", async () => {
    await using probe = await startFakeCluster({ tls: false });
    const port = probe.port;
    await probe.close();
    await using cluster = await startFakeCluster({ tls: false, port });
    expect(cluster.url).toBe(`http://127.0.0.1:${port}`);
    expect(cluster.caPem).toBeUndefined();
    expect(() => cluster.issueClientCertificate({ user: "x" })).toThrow(TypeError);
  });

  it("creates the system namespaces and the kubernetes Service, and seeds the given objects", async () => {
    await using cluster = await startFakeCluster({
      tls: false,
      objects: [
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "seed", namespace: "default" }, data: { a: "b" } },
      ],
    });
    const names = cluster.store
      .list<{ metadata: { name: string } }>({ apiVersion: "v1", kind: "Namespace" })
      .map((n) => n.metadata.name);
    expect(names).toEqual(["default", "kube-node-lease", "kube-public", "kube-system"]);
    expect(
      cluster.store.get<{ spec: { clusterIP: string } }>({ apiVersion: "v1", kind: "Service" }, "kubernetes", "default")
        ?.spec.clusterIP,
    ).toBe("10.96.0.1");
    expect(
      cluster.store.get<{ data: object }>({ apiVersion: "v1", kind: "ConfigMap" }, "seed", "default")?.data,
    ).toEqual({ a: "b" });
  });

  it("refuses bad options with RangeError and TypeError", async () => {
    await expect(startFakeCluster({ port: 70000 })).rejects.toThrow(RangeError);
    await expect(startFakeCluster({ historySize: -1 })).rejects.toThrow(RangeError);
    await expect(startFakeCluster({ users: [{ name: "" }] })).rejects.toThrow(TypeError);
    await expect(startFakeCluster({ signal: AbortSignal.abort(new Error("stop")) })).rejects.toThrow("stop");
  });
});

describe("authentication", () => {
  it("answers 401 Unauthorized for no credentials (anonymous off) and for an unknown token, even on /version", async () => {
    await using cluster = await startFakeCluster({ tls: false });
    for (const token of [null, "not-a-token"]) {
      const r = await call(cluster, "GET", "/version", { token });
      expect(r.status).toBe(401);
      expect(r.json()).toEqual({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "Unauthorized",
        reason: "Unauthorized",
        code: 401,
      });
    }
  });

  it("runs anonymous requests as system:anonymous when enabled: public endpoints only, 403 worded as the server does", async () => {
    await using cluster = await startFakeCluster({ tls: false, anonymous: true });
    expect((await call(cluster, "GET", "/version", { token: null })).status).toBe(200);
    expect((await call(cluster, "GET", "/healthz", { token: null })).text).toBe("ok");
    const api = await call(cluster, "GET", "/api", { token: null });
    expect(api.json()).toMatchObject({
      reason: "Forbidden",
      message: 'forbidden: User "system:anonymous" cannot get path "/api"',
      details: {},
    });
    const pods = await call(cluster, "GET", "/api/v1/namespaces/default/pods", { token: null });
    expect(pods.json()).toMatchObject({
      message:
        'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"',
      details: { kind: "pods" },
    });
  });

  it("maps static tokens to users and groups, and revokes them", async () => {
    const seen: string[] = [];
    await using cluster = await startFakeCluster({
      tls: false,
      users: [
        { name: "admin", token: "admin-token", groups: ["system:masters"] },
        { name: "dev", token: "dev-token", groups: ["devs"] },
      ],
      authorizer: (a) => {
        seen.push(`${a.user.name}:${a.user.groups.join("+")}`);
        return { allowed: a.user.name === "admin" || a.resource !== "secrets", reason: "secrets are for admins" };
      },
    });
    expect(cluster.token).toBe("admin-token");
    expect((await call(cluster, "GET", "/api/v1/namespaces/default/configmaps", { token: "dev-token" })).status).toBe(
      200,
    );
    const denied = await call(cluster, "GET", "/api/v1/namespaces/default/secrets/x", { token: "dev-token" });
    expect(denied.json().message).toBe(
      'secrets "x" is forbidden: User "dev" cannot get resource "secrets" in API group "" in the namespace "default": secrets are for admins',
    );
    expect(seen).toContain("dev:devs+system:authenticated");
    expect(cluster.revokeToken("dev-token")).toBe(true);
    expect((await call(cluster, "GET", "/version", { token: "dev-token" })).status).toBe(401);
    cluster.addUser({ name: "late", token: "late-token" });
    expect((await call(cluster, "GET", "/version", { token: "late-token" })).status).toBe(200);
  });

  it("authenticates client certificates signed by the cluster CA: CN is the user, O the groups", async () => {
    const users: string[] = [];
    await using cluster = await startFakeCluster({
      authorizer: (a) => {
        users.push(`${a.user.name}:${a.user.groups.join("+")}`);
        return { allowed: a.user.groups.includes("ops") };
      },
    });
    const cert = await cluster.issueClientCertificate({ user: "cert-user", groups: ["ops", "devs"] });
    expect(cert.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect((await call(cluster, "GET", "/api/v1/namespaces/default/configmaps", { token: null, cert })).status).toBe(
      200,
    );
    expect(users).toContain("cert-user:ops+devs+system:authenticated");
    const other = await cluster.issueClientCertificate({ user: "nobody" });
    const r = await call(cluster, "GET", "/api/v1/nodes/node-1", { token: null, cert: other });
    expect(r.json().message).toBe(
      'nodes "node-1" is forbidden: User "nobody" cannot get resource "nodes" in API group "" at the cluster scope',
    );
    const kubeconfig = parse(cluster.kubeconfigFor(cert, { userName: "cert-user" }));
    expect(kubeconfig.users[0]).toMatchObject({
      name: "cert-user",
      user: { "client-certificate-data": expect.any(String), "client-key-data": expect.any(String) },
    });
  });
});
