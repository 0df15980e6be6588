/**
 * `kubeshift-watch` from arguments to exit status: read the command line, connect (kubeconfig, or `--demo`), find the
 * resources through discovery, then either run the terminal UI (Ink, alternate screen, at most 10 frames a second)
 * or, without a terminal, stream the changes. Every failure a user can act on ends with an explanation and a status
 * (1: failure, 2: usage), never a stack trace.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import type { DiscoveredResource } from "@kubeshift/client";
import { explainFailure } from "./explain-failure.ts";
import type { OpenCluster } from "./open-cluster.ts";
import { parseArgs, USAGE, UsageError, type WatchArgs } from "./parse-args.ts";
import type { WatchScope } from "./resource-watch.ts";

/** The process a run talks to (injectable for tests). */
export interface CliIo {
  /** Where rows (or the UI) go. */
  readonly stdout: NodeJS.WriteStream;
  /** Where failures go. */
  readonly stderr: { write(text: string): unknown };
  /** Keys. */
  readonly stdin: NodeJS.ReadStream;
  /** The environment (`NO_COLOR`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Ends the run like SIGINT/SIGTERM would. @default the process's signals */
  readonly signal?: AbortSignal;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Streams, environment and signal. @default the process's */
  readonly io?: CliIo;
  /** Milliseconds between demo churn steps. @default 800 */
  readonly demoIntervalMs?: number;
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

function version(): string {
  try {
    // src/ and dist/ are both one level below package.json.
    const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
    return (JSON.parse(text) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

function processSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    },
  };
}

/**
 * Runs `kubeshift-watch`.
 *
 * @param argv the arguments after the program name
 * @param options streams and environment, demo pace
 * @returns the exit status
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const io = options.io ?? defaultIo();
  let args: WatchArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`kubeshift-watch: ${error.message}\nRun "kubeshift-watch --help" for the options.\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (args.version) {
    io.stdout.write(`kubeshift-watch ${version()}\n`);
    return 0;
  }
  const warn = (message: string): void => void io.stderr.write(`kubeshift-watch: warning: ${message}\n`);
  const tui = args.output !== "json" && !args.plain && io.stdout.isTTY === true;
  let cluster: OpenCluster;
  try {
    if (args.demo) {
      const { startDemoCluster } = await import("./demo-cluster.ts");
      cluster = await startDemoCluster(
        options.demoIntervalMs === undefined ? {} : { intervalMs: options.demoIntervalMs },
      );
    } else {
      const { openCluster } = await import("./open-cluster.ts");
      // Warnings would scribble over the UI; on a terminal they are dropped, piped they go to stderr.
      cluster = await openCluster({
        kubeconfig: args.kubeconfig,
        context: args.context,
        ...(tui ? {} : { onWarning: warn }),
      });
    }
  } catch (error) {
    io.stderr.write(`kubeshift-watch: ${explainFailure(error)}\n`);
    return 1;
  }
  const external = io.signal === undefined ? processSignal() : undefined;
  const signal = io.signal ?? (external as { signal: AbortSignal }).signal;
  try {
    let resources: DiscoveredResource[];
    try {
      resources = await findResources(cluster, args.resources, signal);
    } catch (error) {
      if (signal.aborted) return 0;
      io.stderr.write(`kubeshift-watch: ${explainFailure(error, cluster.info)}\n`);
      return 1;
    }
    // The demo's objects live in their own namespaces: show them all unless told otherwise.
    const everywhere = args.allNamespaces || (args.demo && args.namespace === undefined);
    const scope: WatchScope = {
      namespace: everywhere ? undefined : (args.namespace ?? cluster.info.namespace),
      labelSelector: args.labelSelector,
      fieldSelector: args.fieldSelector,
    };
    if (!tui) {
      const { streamChanges } = await import("./stream-changes.ts");
      const format = args.output === "json" ? "json" : args.output === "wide" ? "wide" : "table";
      const out = io.stdout;
      // `| head` closes the pipe: stop quietly, as kubectl does.
      const closed = new AbortController();
      const onPipeError = (): void => closed.abort();
      out.on("error", onPipeError);
      try {
        return await streamChanges(cluster.client, resources, {
          format,
          scope,
          out,
          err: io.stderr,
          signal: AbortSignal.any([signal, closed.signal]),
          info: cluster.info,
        });
      } finally {
        out.off("error", onPipeError);
      }
    }
    return await runTerminal(cluster, resources, scope, args, io, signal);
  } finally {
    external?.dispose();
    await cluster.close();
  }
}

async function findResources(
  cluster: OpenCluster,
  names: readonly string[],
  signal: AbortSignal,
): Promise<DiscoveredResource[]> {
  const found: DiscoveredResource[] = [];
  for (const name of names) {
    const resource = await cluster.client.mapper.find(name, { signal });
    if (!resource.verbs.includes("watch") || !resource.verbs.includes("list"))
      throw new UsageError(
        `${resource.plural}${resource.group === "" ? "" : `.${resource.group}`} cannot be watched (the server allows only: ${resource.verbs.join(", ") || "nothing"})`,
      );
    if (!found.some((r) => r.group === resource.group && r.plural === resource.plural)) found.push(resource);
  }
  return found;
}

async function runTerminal(
  cluster: OpenCluster,
  resources: readonly DiscoveredResource[],
  scope: WatchScope,
  args: WatchArgs,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const [{ render }, { App }, { h }, { WatchSession }] = await Promise.all([
    import("ink"),
    import("./app.ts"),
    import("./h.ts"),
    import("./watch-session.ts"),
  ]);
  const session = new WatchSession(cluster.client, cluster.info, resources, { scope, wide: args.output === "wide" });
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "";
  const instance = render(h(App, { session, color: !noColor }), {
    stdout: io.stdout,
    stdin: io.stdin,
    stderr: io.stderr as NodeJS.WriteStream,
    alternateScreen: true,
    // Only reached with a terminal on stdout. Ink would otherwise go non-interactive whenever a CI variable is set
    // (is-in-ci) and draw a single frame at exit: a watcher in a terminal must stay live.
    interactive: true,
    // Data-driven frames are limited to 10 a second by the App's own scheduler; Ink's cap only bounds key-driven
    // renders. Two 10-a-second throttles in series fall out of phase and draw about 5 a second.
    maxFps: 30,
    // Only the lines that changed are written: about 260 bytes a frame instead of 4.6 KB (160×50, 5,000 pods), the
    // same CPU (bench/watch-app.bench.ts); it matters over SSH.
    incrementalRendering: true,
    exitOnCtrlC: true,
    patchConsole: true,
  });
  const onSignal = (): void => instance.unmount();
  signal.addEventListener("abort", onSignal, { once: true });
  try {
    await instance.waitUntilExit();
  } finally {
    signal.removeEventListener("abort", onSignal);
    await session.stop();
  }
  return 0;
}
