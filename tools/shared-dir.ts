/**
 * Finds the project's shared research data (`shared/specs`, `shared/fixtures`): `$KUBESHIFT_SHARED_DIR`, else a
 * `shared` folder beside the repository (`../shared`), else `/work/shared`. Tests that replay the recordings call
 * it; a missing folder fails the test with this message rather than skipping it.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

/** The shared data folder; throws with what was looked at when it is missing. */
export function sharedDir(): string {
  const candidates = [process.env.KUBESHIFT_SHARED_DIR, join(repoRoot, "..", "shared"), "/work/shared"].filter(
    (c): c is string => c !== undefined && c !== "",
  );
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
