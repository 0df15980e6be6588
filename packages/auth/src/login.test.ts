// login() (oc login -u -p) against a local HTTPS server answering with recorded OpenShift 3.11 bytes; the
// kubeconfig it writes is read back by real kubectl.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createNodeTransport } from "@kubeshift/transport/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import type { AuthHost } from "./auth-host.ts";
import { loadKubeconfig } from "./load-kubeconfig.ts";
import { clusterNickname, contextNickname, login } from "./login.ts";
import {
  type ReplayServer,
  readFixture,
  realKubectl,
  type SeenRequest,
  startReplayServer,
  testTls,
} from "./node/_test-support.ts";
import { nodeAuthHost } from "./node/node-auth-host.ts";
import { resolveConnection } from "./resolve-connection.ts";

const RECORDED_ORIGIN = "https://127.0.0.1:18443";
const metadata = readFixture(fixturePath("openshift-v3.11.0/discovery/oauth-authorization-server.json")).exchanges[0];
const challenge = readFixture(fixturePath("openshift-v3.11.0/openshift/oauth-authorize-challenge.json")).exchanges;
const usersMe = readFixture(fixturePath("openshift-v3.11.0/openshift/oauth-users-me.json")).exchanges;
const projects = readFixture(fixturePath("openshift-v3.11.0/openshift/projects-list.json")).exchanges;
const TOKEN = "sha256~login-test-token-0123456789abcdef";

function recorded(response: unknown): { status: number; headers: Record<string, string>; body: unknown } {
  return JSON.parse(JSON.stringify(response).replaceAll(RECORDED_ORIGIN, "{{origin}}"));
}

const bearer = (req: SeenRequest): boolean => req.headers.authorization === `Bearer ${TOKEN}`;
let server: ReplayServer;
let projectsReply = projects[1]?.response;
const dir = mkdtempSync(join(tmpdir(), "kubeshift-login-"));

beforeAll(async () => {
  server = await startReplayServer([
    { method: "GET", path: "/.well-known/oauth-authorization-server", reply: () => recorded(metadata?.response) },
    {
      method: "GET",
      path: "/oauth/authorize",
      reply: () => {
        const r = recorded(challenge[3]?.response);
        r.headers.location = (r.headers.location ?? "").replace("<token:oauth-developer>", TOKEN);
        return r;
      },
    },
    {
      method: "GET",
      path: "/apis/user.openshift.io/v1/users/~",
      when: bearer,
      reply: () => recorded(usersMe[0]?.response),
    },
    {
      method: "GET",
      path: "/apis/project.openshift.io/v1/projects",
      when: bearer,
      reply: () => recorded(projectsReply),
    },
  ]);
});
const adapter = createNodeTransport({ caPem: testTls.caPem });
const fetch = (request: Request): Promise<Response> => adapter.fetch(request);
afterAll(async () => {
  await server.close();
  await adapter.close();
  rmSync(dir, { recursive: true, force: true });
});

function hostIn(root: string): AuthHost {
  return { ...nodeAuthHost(), env: {}, cwd: root, homeDir: join(root, "home") };
}

describe("clusterNickname and contextNickname name things like oc", () => {
  it.each([
    ["https://127.0.0.1:18444", "127-0-0-1:18444"],
    ["https://api.example.com", "api-example-com:443"],
    ["http://api.example.com", "api-example-com:80"],
    ["https://[fd00::1]:6443/", "[fd00::1]:6443"],
  ])("%s is %s", (server, nick) => {
    expect(clusterNickname(server)).toBe(nick);
  });

  it("joins namespace, cluster and user", () => {
    expect(contextNickname("fx-errors", "https://127.0.0.1:18444", "developer")).toBe(
      "fx-errors/127-0-0-1:18444/developer",
    );
    expect(contextNickname("", "https://api.crc.testing:6443", "developer")).toBe("/api-crc-testing:6443/developer");
  });
});

describe("login", () => {
  it("logs in, picks the first project, and writes oc's cluster, user and context into a new kubeconfig", async () => {
    const root = join(dir, "fresh");
    mkdirSync(root);
    const host = hostIn(root);
    const result = await login({
      server: server.url,
      username: "developer",
      password: "pw",
      fetch,
      flow: "implicit",
      caPem: testTls.caPem,
      host,
    });
    const nick = `127-0-0-1:${new URL(server.url).port}`;
    expect(result).toMatchObject({
      token: TOKEN,
      project: "fx-proj",
      projects: ["fx-proj", "fx-proj-groups"],
      clusterName: nick,
      userName: `developer/${nick}`,
      contextName: `fx-proj/${nick}/developer`,
      files: [join(root, "home", ".kube", "config")],
    });
    expect(result.user.metadata.name).toBe("developer");
    const file = join(root, "home", ".kube", "config");
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // Real kubectl sees the context as current, with the token and the CA.
    const view = spawnSync(realKubectl(), ["config", "view", "--raw", "--minify", "-o", "json", "--kubeconfig", file], {
      encoding: "utf8",
    });
    expect(view.status, view.stderr).toBe(0);
    const minified = JSON.parse(view.stdout);
    expect(minified["current-context"]).toBe(`fx-proj/${nick}/developer`);
    expect(minified.contexts[0].context).toEqual({ cluster: nick, user: `developer/${nick}`, namespace: "fx-proj" });
    expect(minified.users[0].user.token).toBe(TOKEN);
    expect(atob(minified.clusters[0].cluster["certificate-authority-data"])).toBe(testTls.caPem);

    // And our own loader turns it into a working connection.
    const connection = await resolveConnection(await loadKubeconfig({ host }), { host });
    expect([connection.server, connection.namespace, await connection.credentials?.getToken()]).toEqual([
      server.url,
      "fx-proj",
      TOKEN,
    ]);
  });

  it("keeps the current namespace when the user has it, reuses an identical context, and keeps other entries", async () => {
    const root = join(dir, "existing");
    const nick = `127-0-0-1:${new URL(server.url).port}`;
    mkdirSync(join(root, "home", ".kube"), { recursive: true });
    writeFileSync(
      join(root, "home", ".kube", "config"),
      [
        "# my clusters",
        "current-context: mine",
        "clusters:",
        `- {name: '${nick}', cluster: {server: 'https://stale'}}`,
        "- {name: keep, cluster: {server: 'https://keep'}}",
        "users:",
        `- {name: 'developer/${nick}', user: {token: old-token, client-certificate: /old/cert}}`,
        "contexts:",
        `- {name: mine, context: {cluster: '${nick}', user: 'developer/${nick}', namespace: fx-proj-groups}}`,
        "",
      ].join("\n"),
    );
    const host = hostIn(root);
    const result = await login({
      server: server.url,
      username: "developer",
      password: "pw",
      fetch,
      flow: "implicit",
      insecureSkipTlsVerify: true,
      host,
    });
    expect(result.project).toBe("fx-proj-groups");
    expect(result.contextName).toBe("mine");
    const text = readFileSync(join(root, "home", ".kube", "config"), "utf8");
    expect(text).toContain("# my clusters");
    const config = await loadKubeconfig({ host });
    expect(config.currentContext).toBe("mine");
    expect(config.clusters[nick]).toMatchObject({ server: server.url, insecureSkipTlsVerify: true });
    expect(config.clusters.keep?.server).toBe("https://keep");
    // oc replaces the user entry: the stale client certificate is gone.
    expect(config.users[`developer/${nick}`]).toMatchObject({ token: TOKEN });
    expect(config.users[`developer/${nick}`]?.clientCertificate).toBeUndefined();
  });

  it("names the context with an empty project when the user has none, as oc does", async () => {
    const root = join(dir, "no-projects");
    mkdirSync(root);
    projectsReply = {
      status: 200,
      headers: { "content-type": "application/json" },
      body: { kind: "ProjectList", apiVersion: "project.openshift.io/v1", items: [] },
    } as never;
    try {
      const result = await login({
        server: server.url,
        username: "developer",
        password: "pw",
        fetch,
        flow: "implicit",
        host: hostIn(root),
      });
      expect(result.project).toBe("");
      expect(result.contextName).toBe(`/127-0-0-1:${new URL(server.url).port}/developer`);
    } finally {
      projectsReply = projects[1]?.response;
    }
  });
});
