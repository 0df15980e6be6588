import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isKubeError } from "@kubeshift/transport";
import { afterAll, describe, expect, it } from "vitest";
import { nodeAuthHost } from "./node/node-auth-host.ts";
import { createTokenFileSource } from "./token-file-source.ts";

const dir = mkdtempSync(join(tmpdir(), "kubeshift-token-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const host = nodeAuthHost();

function manualClock(start = 1_000_000): { t: number; now(): number } {
  return {
    t: start,
    now() {
      return this.t;
    },
  };
}

/** Writes a file and gives it a distinct modification time (file systems may have coarse timestamps). */
function write(path: string, text: string, mtimeSeconds: number): void {
  writeFileSync(path, text);
  utimesSync(path, mtimeSeconds, mtimeSeconds);
}

describe("createTokenFileSource", () => {
  it("reads the token, trimmed of surrounding whitespace", async () => {
    const path = join(dir, "trim");
    write(path, "  tok-1\n", 1000);
    expect(await createTokenFileSource(path, { host }).getToken()).toBe("tok-1");
  });

  it("re-reads the file once it changed and the stat interval passed (rotation mid-run)", async () => {
    const path = join(dir, "rotate");
    write(path, "first", 1000);
    const clock = manualClock();
    const source = createTokenFileSource(path, { host, clock, statIntervalMs: 1_000 });
    expect(await source.getToken()).toBe("first");
    write(path, "second", 2000);
    clock.t += 500;
    expect(await source.getToken()).toBe("first");
    clock.t += 600;
    expect(await source.getToken()).toBe("second");
  });

  it("re-reads after maxAge even when the modification time looks unchanged", async () => {
    const path = join(dir, "max-age");
    write(path, "old", 3000);
    const clock = manualClock();
    const source = createTokenFileSource(path, { host, clock, statIntervalMs: 1_000_000, maxAgeMs: 60_000 });
    expect(await source.getToken()).toBe("old");
    write(path, "new", 3000);
    clock.t += 59_000;
    expect(await source.getToken()).toBe("old");
    clock.t += 1_000;
    expect(await source.getToken()).toBe("new");
  });

  it("re-reads at once after invalidate() of the current token, and ignores invalidation of an older one", async () => {
    const path = join(dir, "invalidate");
    write(path, "a", 4000);
    const clock = manualClock();
    const source = createTokenFileSource(path, { host, clock, statIntervalMs: 1_000_000 });
    expect(await source.getToken()).toBe("a");
    write(path, "b", 4000);
    source.invalidate?.("not-the-current-token");
    expect(await source.getToken()).toBe("a");
    source.invalidate?.("a");
    expect(await source.getToken()).toBe("b");
  });

  it("fails with ERR_AUTH naming the file when it does not exist", async () => {
    const path = join(dir, "missing");
    const error = await createTokenFileSource(path, { host })
      .getToken()
      .catch((e: unknown) => e);
    expect(isKubeError(error) && error.code).toBe("ERR_AUTH");
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain("does not exist");
  });

  it("fails on an empty file", async () => {
    const path = join(dir, "empty");
    write(path, "\n", 5000);
    await expect(createTokenFileSource(path, { host }).getToken()).rejects.toThrow(/is empty/);
  });

  it("keeps serving the previous token with a warning when the file vanishes", async () => {
    const path = join(dir, "vanish");
    write(path, "kept", 6000);
    const clock = manualClock();
    const warnings: string[] = [];
    const source = createTokenFileSource(path, { host, clock, onWarning: (m) => warnings.push(m) });
    expect(await source.getToken()).toBe("kept");
    rmSync(path);
    clock.t += 61_000;
    expect(await source.getToken()).toBe("kept");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(path);
    expect(warnings[0]).not.toContain("kept");
  });

  it("falls back to the inline token when the file cannot be read", async () => {
    const source = createTokenFileSource(join(dir, "nope"), { host, fallbackToken: "inline-token" });
    expect(await source.getToken()).toBe("inline-token");
  });

  it("shares one read between concurrent callers and honours an already aborted signal", async () => {
    const path = join(dir, "concurrent");
    write(path, "shared", 7000);
    let reads = 0;
    const counting = {
      ...host,
      fs: {
        ...host.fs,
        readFile: (p: string) => {
          reads++;
          return host.fs.readFile(p);
        },
      },
    };
    const source = createTokenFileSource(path, { host: counting });
    const tokens = await Promise.all([source.getToken(), source.getToken(), source.getToken()]);
    expect(tokens).toEqual(["shared", "shared", "shared"]);
    expect(reads).toBe(1);
    const aborted = AbortSignal.abort(new Error("stop"));
    await expect(source.getToken(aborted)).rejects.toThrow("stop");
  });
});
