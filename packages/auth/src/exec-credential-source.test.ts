import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isKubeError } from "@kubeshift/transport";
import { afterAll, describe, expect, it } from "vitest";
import type { AuthHost, RunProcessOptions } from "./auth-host.ts";
import { createExecCredentialSource } from "./exec-credential-source.ts";
import type { KubeconfigExec } from "./kubeconfig.ts";
import { nodeAuthHost } from "./node/node-auth-host.ts";

const dir = mkdtempSync(join(tmpdir(), "kubeshift-exec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = nodeAuthHost();
let serial = 0;

/** A credential plugin as a shell script: counts its runs, records KUBERNETES_EXEC_INFO, prints a credential. */
function plugin(body?: string): { command: string; countFile: string; infoFile: string; runs(): number } {
  const n = ++serial;
  const command = join(dir, `plugin-${n}.sh`);
  const countFile = join(dir, `count-${n}`);
  const infoFile = join(dir, `info-${n}`);
  writeFileSync(
    command,
    body ??
      `#!/bin/sh
n=$(( $(cat "$COUNT_FILE" 2>/dev/null || echo 0) + 1 ))
echo $n > "$COUNT_FILE"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$INFO_FILE"
echo "plugin says hello on stderr" >&2
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"tok-%s-%s"%s}}' "$API" "$n" "$FROM_PARENT" "$EXTRA"
`,
  );
  chmodSync(command, 0o755);
  return {
    command,
    countFile,
    infoFile,
    runs: () => (existsSync(countFile) ? Number(readFileSync(countFile, "utf8").trim()) : 0),
  };
}

function execConfig(
  p: { command: string; countFile: string; infoFile: string },
  extra = "",
  api = "v1",
): KubeconfigExec {
  return {
    command: p.command,
    args: null,
    env: [
      { name: "COUNT_FILE", value: p.countFile },
      { name: "INFO_FILE", value: p.infoFile },
      { name: "API", value: `client.authentication.k8s.io/${api}` },
      { name: "EXTRA", value: extra },
    ],
    apiVersion: `client.authentication.k8s.io/${api}`,
    provideClusterInfo: false,
    interactiveMode: "Never",
  };
}

const host: AuthHost = { ...base, env: { ...base.env, FROM_PARENT: "parent" }, stdinIsTerminal: false };
const quiet = { onStderr: (): void => {} };

describe("createExecCredentialSource", () => {
  it("runs the plugin with our environment, its env and KUBERNETES_EXEC_INFO, and returns its token", async () => {
    const p = plugin();
    const source = createExecCredentialSource(
      { ...execConfig(p), provideClusterInfo: true },
      {
        host,
        ...quiet,
        cluster: {
          server: "https://k.example:6443",
          tlsServerName: "k",
          certificateAuthorityData: new TextEncoder().encode("CA"),
          extensions: { "client.authentication.k8s.io/exec": { audience: "x" } },
        },
      },
    );
    expect(await source.getToken()).toBe("tok-1-parent");
    expect(JSON.parse(readFileSync(p.infoFile, "utf8"))).toEqual({
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      spec: {
        interactive: false,
        cluster: {
          server: "https://k.example:6443",
          "tls-server-name": "k",
          "certificate-authority-data": "Q0E=",
          config: { audience: "x" },
        },
      },
    });
  });

  it("leaves the cluster out of KUBERNETES_EXEC_INFO without provideClusterInfo (v1beta1)", async () => {
    const p = plugin();
    const exec = { ...execConfig(p, "", "v1beta1") };
    delete exec.interactiveMode;
    const source = createExecCredentialSource(exec, { host, ...quiet, cluster: { server: "https://k" } });
    await source.getToken();
    expect(JSON.parse(readFileSync(p.infoFile, "utf8"))).toEqual({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      kind: "ExecCredential",
      spec: { interactive: false },
    });
  });

  it("caches the credential until expirationTimestamp, then runs the plugin again", async () => {
    const p = plugin();
    const clock = { t: Date.parse("2030-01-01T00:00:00Z"), now: () => clock.t };
    const source = createExecCredentialSource(execConfig(p, ',"expirationTimestamp":"2030-01-01T00:10:00Z"'), {
      host,
      clock,
      ...quiet,
    });
    expect(await source.getToken()).toBe("tok-1-parent");
    clock.t += 9 * 60_000;
    expect(await source.getToken()).toBe("tok-1-parent");
    expect(p.runs()).toBe(1);
    clock.t += 60_000;
    expect(await source.getToken()).toBe("tok-2-parent");
    expect(p.runs()).toBe(2);
  });

  it("runs the plugin again after invalidate() of its token (the 401 path), and only then", async () => {
    const p = plugin();
    const source = createExecCredentialSource(execConfig(p), { host, ...quiet });
    const first = await source.getToken();
    source.invalidate("some-other-token");
    expect(await source.getToken()).toBe(first);
    source.invalidate(first as string);
    expect(await source.getToken()).toBe("tok-2-parent");
    expect(p.runs()).toBe(2);
  });

  it("runs the plugin once for concurrent callers", async () => {
    const p = plugin();
    const source = createExecCredentialSource(execConfig(p), { host, ...quiet });
    const tokens = await Promise.all(Array.from({ length: 5 }, () => source.getToken()));
    expect(new Set(tokens)).toEqual(new Set(["tok-1-parent"]));
    expect(p.runs()).toBe(1);
  });

  it("passes the plugin's stderr through", async () => {
    const p = plugin();
    const chunks: string[] = [];
    const source = createExecCredentialSource(execConfig(p), {
      host,
      onStderr: (c) => chunks.push(new TextDecoder().decode(c)),
    });
    await source.getToken();
    expect(chunks.join("")).toContain("plugin says hello on stderr");
  });

  it("returns a client certificate from status, with or without a token", async () => {
    const p = plugin(`#!/bin/sh
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"-----BEGIN CERTIFICATE-----\\\\nX\\\\n-----END CERTIFICATE-----","clientKeyData":"-----BEGIN PRIVATE KEY-----\\\\nY\\\\n-----END PRIVATE KEY-----"}}'
`);
    const source = createExecCredentialSource(execConfig(p), { host, ...quiet });
    expect(await source.getToken()).toBeUndefined();
    expect(await source.clientCertificate()).toEqual({
      certPem: "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----",
      keyPem: "-----BEGIN PRIVATE KEY-----\nY\n-----END PRIVATE KEY-----",
    });
  });

  it("fails with the installHint when the command does not exist", async () => {
    const source = createExecCredentialSource(
      { ...execConfig(plugin()), command: join(dir, "no-such-plugin"), installHint: "brew install the-plugin" },
      { host, ...quiet },
    );
    const error = (await source.getToken().catch((e: unknown) => e)) as Error;
    expect(isKubeError(error) && error.code).toBe("ERR_AUTH");
    expect(error.message).toContain("no-such-plugin not found");
    expect(error.message).toContain("brew install the-plugin");
  });

  it("kills a hanging plugin after timeoutMs with a clear error", async () => {
    const p = plugin("#!/bin/sh\nsleep 30\n");
    const source = createExecCredentialSource(execConfig(p), { host, ...quiet, timeoutMs: 300 });
    const started = Date.now();
    const error = (await source.getToken().catch((e: unknown) => e)) as Error;
    expect(isKubeError(error) && error.code).toBe("ERR_AUTH");
    expect(error.message).toContain("did not finish within 300 ms");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("reports a failing plugin by exit code, without its output", async () => {
    const p = plugin("#!/bin/sh\necho 'leaked-secret-output'\nexit 3\n");
    const error = (await createExecCredentialSource(execConfig(p), { host, ...quiet })
      .getToken()
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("exit code 3");
    expect(error.message).not.toContain("leaked-secret-output");
  });

  it.each([
    ["output that is not JSON", "echo not-json", "is not JSON"],
    [
      "a different apiVersion",
      `echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t0ps3cret"}}'`,
      "plugin returned version",
    ],
    [
      "no status",
      `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}'`,
      "didn't return a status",
    ],
    [
      "an empty status",
      `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}'`,
      "didn't return a token or cert/key pair",
    ],
    [
      "half a key pair",
      `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientKeyData":"k"}}'`,
      "must both be set",
    ],
  ])("refuses %s with ERR_AUTH", async (_label, line, message) => {
    const p = plugin(`#!/bin/sh\n${line}\n`);
    const error = (await createExecCredentialSource(execConfig(p), { host, ...quiet })
      .getToken()
      .catch((e: unknown) => e)) as Error;
    expect(isKubeError(error) && error.code).toBe("ERR_AUTH");
    expect(error.message).toContain(message);
    expect(error.message).not.toContain("t0ps3cret");
  });

  it("refuses unsupported protocol versions and a v1 config without interactiveMode", () => {
    const p = plugin();
    expect(() =>
      createExecCredentialSource({ ...execConfig(p), apiVersion: "client.authentication.k8s.io/v1alpha1" }),
    ).toThrow(/not supported/);
    const v1 = execConfig(p);
    delete v1.interactiveMode;
    expect(() => createExecCredentialSource(v1, { userName: "eks" })).toThrow(
      'interactiveMode must be specified for user "eks" to use exec authentication plugin',
    );
  });

  it("gives an interactive plugin our stdin when stdin is a terminal (IfAvailable), and refuses Always without one", async () => {
    const p = plugin();
    const seen: RunProcessOptions[] = [];
    const terminal: AuthHost = {
      ...host,
      stdinIsTerminal: true,
      runProcess: (command, options) => {
        seen.push(options);
        return host.runProcess(command, { ...options, stdin: "ignore" });
      },
    };
    await createExecCredentialSource(
      { ...execConfig(p), interactiveMode: "IfAvailable" },
      { host: terminal, ...quiet },
    ).getToken();
    expect(seen[0]?.stdin).toBe("inherit");
    expect(JSON.parse(readFileSync(p.infoFile, "utf8")).spec.interactive).toBe(true);

    await createExecCredentialSource(
      { ...execConfig(p), interactiveMode: "Never" },
      { host: terminal, ...quiet },
    ).getToken();
    expect(seen[1]?.stdin).toBe("ignore");

    const always = createExecCredentialSource({ ...execConfig(p), interactiveMode: "Always" }, { host, ...quiet });
    await expect(always.getToken()).rejects.toThrow(/requires an interactive terminal/);
  });
});
