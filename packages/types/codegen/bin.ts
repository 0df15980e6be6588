#!/usr/bin/env node
// The `kubeshift-codegen` executable; the work is in cli.ts.
import { main } from "./cli.ts";

const controller = new AbortController();
process.once("SIGINT", () => controller.abort(new Error("interrupted")));
main(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`kubeshift-codegen: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
