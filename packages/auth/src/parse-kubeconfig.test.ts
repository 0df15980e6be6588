import { isKubeError, KubeError } from "@kubeshift/transport";
import { describe, expect, it } from "vitest";
import { KubeconfigError } from "./kubeconfig-error.ts";
import { parseKubeconfig } from "./parse-kubeconfig.ts";

function failure(text: string, path?: string): KubeconfigError {
  try {
    parseKubeconfig(text, path === undefined ? {} : { path });
  } catch (error) {
    expect(error).toBeInstanceOf(KubeconfigError);
    return error as KubeconfigError;
  }
  throw new Error("parseKubeconfig accepted the text");
}

describe("parseKubeconfig", () => {
  it("reads clusters, users and contexts keyed by name, recording the file as their origin", () => {
    const config = parseKubeconfig(
      [
        "current-context: dev",
        "clusters:",
        "- name: c",
        "  cluster: {server: 'https://k:6443', certificate-authority-data: QUJD, insecure-skip-tls-verify: false}",
        "users:",
        "- name: u",
        "  user: {token: abc, as-groups: [g]}",
        "contexts:",
        "- name: dev",
        "  context: {cluster: c, user: u, namespace: team}",
      ].join("\n"),
      { path: "/home/me/.kube/config" },
    );
    expect(config.currentContext).toBe("dev");
    expect(config.clusters.c).toEqual({
      server: "https://k:6443",
      certificateAuthorityData: new TextEncoder().encode("ABC"),
      locationOfOrigin: "/home/me/.kube/config",
    });
    expect(config.users.u).toEqual({ token: "abc", asGroups: ["g"], locationOfOrigin: "/home/me/.kube/config" });
    expect(config.contexts.dev).toEqual({
      cluster: "c",
      user: "u",
      namespace: "team",
      locationOfOrigin: "/home/me/.kube/config",
    });
  });

  it("returns an empty config for empty, blank, comment-only and null documents", () => {
    for (const text of ["", "\n\n", "# just a comment\n", "---\n", "null", "~\n"]) {
      const config = parseKubeconfig(text);
      expect(Object.keys(config.clusters)).toEqual([]);
      expect(config.currentContext).toBe("");
    }
  });

  it("names the file, line and column of a YAML syntax error", () => {
    const error = failure("clusters:\n- name: a\n  cluster: {server: [\n", "/tmp/broken.yaml");
    expect(error.file).toBe("/tmp/broken.yaml");
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.column).toBeGreaterThan(0);
    expect(error.message).toContain("/tmp/broken.yaml");
  });

  it("names the line and column of a value of the wrong type, like kubectl refusing namespace: n", () => {
    const error = failure("contexts:\n- name: c\n  context:\n    cluster: k\n    namespace: n\n", "kc");
    expect(error.message).toMatch(/contexts\[0\]\.context\.namespace: expected a string, found a boolean/);
    expect([error.line, error.column]).toEqual([5, 16]);
  });

  it("refuses a name used twice in one list", () => {
    const error = failure("users:\n- name: u\n  user: {}\n- name: u\n  user: {}\n");
    expect(error.message).toContain('duplicate name "u" in users');
    expect(error.line).toBe(4);
  });

  it("refuses invalid base64 data and other kinds or versions", () => {
    expect(failure("clusters:\n- name: a\n  cluster: {certificate-authority-data: '@@@@'}\n").message).toContain(
      "illegal base64 data",
    );
    expect(failure("kind: Pod\n").message).toContain('no kind "Pod" is registered for version "v1"');
    expect(failure("apiVersion: v2\n").message).toContain('no kind "Config" is registered for version "v2"');
    expect(failure("- a\n").message).toContain("must be an object, found an array");
  });

  it("is a SyntaxError that also counts as a KubeError with code ERR_CONFIG", () => {
    const error = failure("clusters: {}\n");
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error).toBeInstanceOf(KubeError);
    expect(isKubeError(error)).toBe(true);
    expect(error.code).toBe("ERR_CONFIG");
  });

  it("never puts a secret value into an error message", () => {
    const token = "s3cr3t-t0ken-value-never-shown";
    for (const text of [
      `users:\n- name: u\n  user:\n    token: !!bool ${token}\n`,
      `users:\n- name: u\n  user:\n    client-key-data: ${token}*\n`,
      `users:\n- name: u\n  user:\n    password: [${token}]\n`,
    ]) {
      expect(failure(text).message).not.toContain(token);
    }
  });

  it("guards against exponential alias expansion in extensions", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++) {
      lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
    }
    lines.push("extensions:\n- name: bomb\n  extension: *a11");
    expect(failure(lines.join("\n")).message).toContain("excessive aliasing");
  });

  it("keeps names that are JavaScript prototype keys as plain entries", () => {
    const config = parseKubeconfig("clusters:\n- name: __proto__\n  cluster: {server: x}\n- name: constructor\n");
    expect(Object.keys(config.clusters).sort()).toEqual(["__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(config.clusters, "__proto__")?.value).toEqual({ server: "x" });
    expect(({} as Record<string, unknown>).server).toBeUndefined();
  });

  it("refuses a text argument that is not a string", () => {
    expect(() => parseKubeconfig(42 as unknown as string)).toThrow(TypeError);
  });
});
