/**
 * Finds the project's shared research data (`shared/specs`, `shared/fixtures`): `$KUBESHIFT_SHARED_DIR`, else a
 * `shared` folder beside the repository (`../shared`), else one beside the repository this one was cloned from (a
 * local `origin`, as in `git clone . /tmp/ci-check`). Tests that replay the recordings call it; a missing folder
 * fails the test with this message rather than skipping it.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

/** The folder a local clone was made from: `remote.origin.url` of `.git/config` when it is a path. */
export function localOrigin(root: string): string | undefined {
  let config: string;
  try {
    config = readFileSync(join(root, ".git", "config"), "utf8");
  } catch {
    return undefined;
  }
  const section = /^\[remote "origin"\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(config)?.[1] ?? "";
  const url = /^\s*url\s*=\s*(.+?)\s*$/m.exec(section)?.[1];
  if (url === undefined) return undefined;
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  return isAbsolute(path) ? path : undefined;
}

/** The shared data folder; throws with what was looked at when it is missing. */
export function sharedDir(): string {
  const origin = localOrigin(repoRoot);
  const candidates = [
    process.env.KUBESHIFT_SHARED_DIR,
    join(repoRoot, "..", "shared"),
    origin === undefined ? undefined : join(origin, "..", "shared"),
  ].filter((c): c is string => c !== undefined && c !== "");
  for (const dir of candidates) if (existsSync(join(dir, "fixtures")) && existsSync(join(dir, "specs"))) return dir;
  throw new Error(
    `The shared research data (specs and fixtures) was not found; looked in: ${candidates.join(", ")}. Set KUBESHIFT_SHARED_DIR.`,
  );
}

/** Path of a recorded fixture file, e.g. `fixturePath("kubernetes-v1.20.2/errors/no-token.json")`. */
export function fixturePath(relative: string): string {
  return join(sharedDir(), "fixtures", relative);
}

/** Path of a spec file, e.g. `specPath("kubernetes/v1.34/swagger.json")`. */
export function specPath(relative: string): string {
  return join(sharedDir(), "specs", relative);
}
