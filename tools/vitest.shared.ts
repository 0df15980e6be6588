/**
 * The vitest configuration every workspace shares: tests run against the TypeScript sources of the workspace
 * packages (the `@kubeshift/source` export condition), never against stale `dist/` output.
 *
 * @module
 */
import { defineConfig } from "vitest/config";

const conditions = ["@kubeshift/source", "import", "module", "node", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@kubeshift/source"] } },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "codegen/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/*.deno.test.ts", "**/node_modules/**", "**/dist/**"],
    passWithNoTests: true,
    // Guards against a hang, not speed targets (those are benchmarks): generous, because CI machines are small and
    // busy, and a test that waits for a condition returns as soon as it holds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: ".results/vitest.json" },
  },
});
