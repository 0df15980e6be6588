import { defineConfig } from "vitest/config";

// Tests of the repository tools (layering check, test summary). Node-only by nature: they are repo tooling.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*.test.mjs"],
    reporters: ["default", "json"],
    outputFile: { json: ".results/vitest.json" },
  },
});
