#!/usr/bin/env node
/**
 * The `kubeshift-watch` bin.
 *
 * @module
 */

// React's development build costs several times more per frame (owner stacks, render logging): a terminal app runs
// the production build unless told otherwise. Set before React loads, hence the dynamic import.
process.env.NODE_ENV ??= "production";
const { runCli } = await import("./run-cli.ts");

const code = await runCli(process.argv.slice(2));
// Keep-alive sockets and the demo cluster's timers must not hold the process once the watcher is done; what was
// written to a pipe is flushed first.
process.exitCode = code;
process.stdout.write("", () => process.exit(code));
