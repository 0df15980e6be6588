import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { syncVersions } from "./sync-deno-versions.mjs";

const roots = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repository with one package as `changeset version` leaves it: package.json bumped, the rest not. */
function bumpedRepository() {
  const root = mkdtempSync(join(tmpdir(), "sync-versions-"));
  roots.push(root);
  const pkg = join(root, "packages", "transport");
  mkdirSync(join(pkg, "src"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "@kubeshift/transport", version: "0.2.0" }));
  writeFileSync(join(pkg, "deno.json"), JSON.stringify({ name: "@kubeshift/transport", version: "0.1.0" }));
  writeFileSync(
    join(pkg, "src", "_version.ts"),
    '/** The version of this package. */\nexport const VERSION = "0.1.0";\n',
  );
  return { root, pkg };
}

describe("sync-deno-versions", () => {
  it("writes the package.json version into deno.json and src/_version.ts", () => {
    const { root, pkg } = bumpedRepository();
    expect(syncVersions(root)).toEqual([
      "packages/transport/deno.json 0.1.0 -> 0.2.0",
      "packages/transport/src/_version.ts 0.1.0 -> 0.2.0",
    ]);
    expect(JSON.parse(readFileSync(join(pkg, "deno.json"), "utf8")).version).toBe("0.2.0");
    expect(readFileSync(join(pkg, "src", "_version.ts"), "utf8")).toBe(
      '/** The version of this package. */\nexport const VERSION = "0.2.0";\n',
    );
    expect(syncVersions(root)).toEqual([]);
  });

  it("--check reports the drift without writing", () => {
    const { root, pkg } = bumpedRepository();
    expect(syncVersions(root, { check: true })).toHaveLength(2);
    expect(readFileSync(join(pkg, "src", "_version.ts"), "utf8")).toContain('"0.1.0"');
  });

  it("refuses a _version.ts without the VERSION line instead of leaving it stale", () => {
    const { root, pkg } = bumpedRepository();
    writeFileSync(join(pkg, "src", "_version.ts"), "export const version = 1;\n");
    expect(() => syncVersions(root)).toThrow(/no line `export const VERSION/);
  });

  it("the real repository is in sync", () => {
    expect(syncVersions(join(fileURLToPath(new URL(".", import.meta.url)), ".."), { check: true })).toEqual([]);
  });
});
