import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../tools/vitest.shared.ts";

// The harness's own tests; benchmarks themselves run through `npm run bench`, never as tests.
export default mergeConfig(shared, defineConfig({ test: { include: ["*.test.ts"] } }));
