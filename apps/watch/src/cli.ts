#!/usr/bin/env node
/**
 * The `kubeshift-watch` bin.
 *
 * @module
 */
import { runCli } from "./run-cli.ts";

const code = await runCli(process.argv.slice(2));
// Keep-alive sockets and the demo cluster's timers must not hold the process once the watcher is done; what was
// written to a pipe is flushed first.
process.exitCode = code;
process.stdout.write("", () => process.exit(code));
