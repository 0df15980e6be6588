import { spawnSync } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AuthHost } from "./auth-host.ts";
import { KubeconfigError } from "./kubeconfig-error.ts";
import { loadKubeconfig } from "./load-kubeconfig.ts";
import { realKubectl } from "./node/_test-support.ts";
import { nodeAuthHost } from "./node/node-auth-host.ts";
import { parseKubeconfig } from "./parse-kubeconfig.ts";
import { saveKubeconfig } from "./save-kubeconfig.ts";
import { toKubeconfigObject } from "./to-kubeconfig-object.ts";

const dir = mkdtempSync(join(tmpdir(), "kubeshift-save-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function sandbox(): { root: string; host: (env?: Record<string, string>) => AuthHost } {
  const root = join(dir, `s${++n}`);
  mkdirSync(root, { recursive: true });
  return { root, host: (env = {}) => ({ ...nodeAuthHost(), env, cwd: root, homeDir: join(root, "home") }) };
}

/** What real kubectl reads from a file (a missing kubectl fails the test). */
function kubectlView(file: string): unknown {
  const r = spawnSync(realKubectl(), ["config", "view", "--raw", "-o", "json", "--kubeconfig", file], {
    encoding: "utf8",
  });
  if (r.error !== undefined) throw new Error(`kubectl is needed to check written kubeconfigs: ${r.error.message}`);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("saveKubeconfig", () => {
  it("creates ~/.kube/config with mode 0600 that kubectl reads back as written", async () => {
    const { root, host } = sandbox();
    const result = await saveKubeconfig(
      {
        clusters: {
          dev: { server: "https://dev.example:6443", certificateAuthorityData: new TextEncoder().encode("CA") },
        },
        users: { me: { token: "tok", asGroups: ["yes", "0123"] } },
        contexts: { n: { cluster: "dev", user: "me", namespace: "0123" } },
        currentContext: "n",
      },
      { host: host() },
    );
    const file = join(root, "home", ".kube", "config");
    expect(result.files).toEqual([file]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const ours = parseKubeconfig(readFileSync(file, "utf8"), { path: file });
    expect(ours.contexts.n).toMatchObject({ cluster: "dev", user: "me", namespace: "0123" });
    // YAML 1.1 look-alikes (n, yes, 0123) are quoted so that kubectl reads them as strings.
    expect(kubectlView(file)).toEqual(toKubeconfigObject(ours));
  });

  it("edits an existing file in place, keeping comments, unknown fields and other entries", async () => {
    const { root, host } = sandbox();
    const file = join(root, "config");
    writeFileSync(
      file,
      [
        "# managed by hand, keep this comment",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: prod # the real one",
        "  cluster:",
        "    server: https://old.example",
        "    x-custom: keep-me",
        "- name: other",
        "  cluster: {server: 'https://other'}",
        "current-context: ''",
        "",
      ].join("\n"),
      { mode: 0o640 },
    );
    await saveKubeconfig(
      { clusters: { prod: { server: "https://new.example", tlsServerName: "api" } } },
      { host: host(), path: file },
    );
    const text = readFileSync(file, "utf8");
    expect(text).toContain("# managed by hand, keep this comment");
    expect(text).toContain("# the real one");
    expect(text).toContain("x-custom: keep-me");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const config = parseKubeconfig(text);
    expect(config.clusters.prod).toEqual({ server: "https://new.example", tlsServerName: "api" });
    expect(config.clusters.other).toEqual({ server: "https://other" });
    expect(readdirSync(root)).toEqual(["config"]);
  });

  it("writes each entry to the file that holds it, new ones and current-context to the first existing file", async () => {
    const { root, host } = sandbox();
    writeFileSync(join(root, "b.yaml"), "clusters:\n- name: from-b\n  cluster: {server: 'https://b'}\n");
    writeFileSync(
      join(root, "c.yaml"),
      "contexts:\n- name: ctx-c\n  context: {cluster: from-b, user: ''}\ncurrent-context: ctx-c\n",
    );
    const h = host({ KUBECONFIG: "missing.yaml:b.yaml:c.yaml" });
    const result = await saveKubeconfig(
      {
        clusters: { "from-b": { server: "https://b2" }, fresh: { server: "https://fresh" } },
        contexts: { "ctx-c": { cluster: "fresh", user: "" } },
        currentContext: "ctx-c",
      },
      { host: h },
    );
    expect(result.files.sort()).toEqual([join(root, "b.yaml"), join(root, "c.yaml")]);
    const b = parseKubeconfig(readFileSync(join(root, "b.yaml"), "utf8"));
    expect(Object.keys(b.clusters).sort()).toEqual(["fresh", "from-b"]);
    expect(b.clusters["from-b"]?.server).toBe("https://b2");
    const c = parseKubeconfig(readFileSync(join(root, "c.yaml"), "utf8"));
    expect(c.contexts["ctx-c"]?.cluster).toBe("fresh");
    // current-context did not change (still ctx-c), so no file got a new one.
    expect(b.currentContext).toBe("");
    await saveKubeconfig({ currentContext: "other" }, { host: h });
    expect(parseKubeconfig(readFileSync(join(root, "b.yaml"), "utf8")).currentContext).toBe("other");
    expect((await loadKubeconfig({ host: h })).currentContext).toBe("other");
  });

  it("deletes entries, and clears current-context where it is set", async () => {
    const { root, host } = sandbox();
    const file = join(root, "config");
    writeFileSync(
      file,
      "current-context: a\ncontexts:\n- name: a\n  context: {cluster: k, user: u}\n- name: b\n  context: {cluster: k, user: u}\n",
    );
    await saveKubeconfig({ contexts: { a: null }, currentContext: "" }, { host: host({ KUBECONFIG: file }) });
    const config = parseKubeconfig(readFileSync(file, "utf8"));
    expect(Object.keys(config.contexts)).toEqual(["b"]);
    expect(config.currentContext).toBe("");
  });

  it("writes through a symlinked kubeconfig instead of replacing the link", async () => {
    const { root, host } = sandbox();
    const real = join(root, "real-config");
    writeFileSync(real, "clusters: []\n");
    const link = join(root, "link-config");
    symlinkSync(real, link);
    await saveKubeconfig({ clusters: { k: { server: "https://k" } } }, { host: host(), path: link });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(parseKubeconfig(readFileSync(real, "utf8")).clusters.k?.server).toBe("https://k");
  });

  it("refuses to touch a file that does not parse, leaving it as it was", async () => {
    const { root, host } = sandbox();
    const file = join(root, "config");
    writeFileSync(file, "clusters: [\n");
    const error = await saveKubeconfig(
      { clusters: { k: { server: "https://k" } } },
      { host: host(), path: file },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeconfigError);
    expect(readFileSync(file, "utf8")).toBe("clusters: [\n");
  });
});
