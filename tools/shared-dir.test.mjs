import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { localOrigin } from "./shared-dir.ts";

const made = [];
function repo(config) {
  const root = mkdtempSync(join(tmpdir(), "shared-dir-"));
  made.push(root);
  if (config !== undefined) {
    mkdirSync(join(root, ".git"));
    writeFileSync(join(root, ".git", "config"), config);
  }
  return root;
}
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("localOrigin()", () => {
  it("reads the origin of a local clone, as a path or a file: URL", () => {
    const source = join(tmpdir(), "some", "main");
    const config = (url) =>
      `[core]\n\tbare = false\n[remote "upstream"]\n\turl = /elsewhere\n[remote "origin"]\n\turl = ${url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n`;
    expect(localOrigin(repo(config(source)))).toBe(source);
    expect(localOrigin(repo(config(pathToFileURL(source).href)))).toBe(source);
  });

  it("says nothing for a network origin, a relative path, no origin or no repository", () => {
    expect(localOrigin(repo('[remote "origin"]\n\turl = https://example.com/x.git\n'))).toBeUndefined();
    expect(localOrigin(repo('[remote "origin"]\n\turl = ../main\n'))).toBeUndefined();
    expect(localOrigin(repo('[remote "upstream"]\n\turl = /elsewhere\n'))).toBeUndefined();
    expect(localOrigin(repo(undefined))).toBeUndefined();
  });
});
