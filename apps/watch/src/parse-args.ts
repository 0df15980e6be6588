/**
 * The command line of `kubeshift-watch`, read the way kubectl reads `kubectl get -w`: resources by any name the
 * server knows (`po`, `deploy`, `routes`, `pods,deployments`), `-n`/`-A`, selectors, `--context`, `--kubeconfig`,
 * `-o wide|json`, plus `--demo` for the embedded cluster.
 *
 * @module
 */
import { parseArgs as parseNodeArgs } from "node:util";

/** How rows are printed. */
export type OutputFormat = "table" | "wide" | "json";

/** What the command line asks for. */
export interface WatchArgs {
  /** Resource names as typed (`po`, `deploy`, `routes.route.openshift.io`), in order, without duplicates. */
  resources: string[];
  /** `-n`: the namespace (else the context's). */
  namespace: string | undefined;
  /** `-A`: every namespace. */
  allNamespaces: boolean;
  /** `-l`: label selector sent to the server. */
  labelSelector: string | undefined;
  /** `--field-selector`: field selector sent to the server. */
  fieldSelector: string | undefined;
  /** `--context`: the kubeconfig context. */
  context: string | undefined;
  /** `--kubeconfig`: one explicit file. */
  kubeconfig: string | undefined;
  /** `--demo`: start the embedded fake cluster with churn and watch it. */
  demo: boolean;
  /** `-o`: `table` (default), `wide`, or `json` (one watch event per line). */
  output: OutputFormat;
  /** `--plain`: the append-only stream even on a terminal. */
  plain: boolean;
  /** `-h`/`--help`. */
  help: boolean;
  /** `--version`. */
  version: boolean;
}

/** A command line that cannot be run; the message says what is wrong. Exit status 2, as kubectl. */
export class UsageError extends TypeError {
  override readonly name = "UsageError";
}

/** The help text. */
export const USAGE: string = `Usage: kubeshift-watch [RESOURCE ...] [-n NAMESPACE | -A] [-l SELECTOR] [--field-selector SELECTOR]
                      [--context NAME] [--kubeconfig PATH] [-o wide|json] [--demo] [--plain]

Watches resources live, like "kubectl get -w" and k9s. RESOURCE is any name the server knows: plural,
singular, short name or kind (po, deploy, svc, routes, bc, is, dc, …), several at once as separate
arguments or "pods,deployments". Default: pods.

  -n, --namespace NAME    the namespace (default: the context's)
  -A, --all-namespaces    every namespace
  -l, --selector SEL      label selector, sent to the server (app=web,tier!=db)
      --field-selector S  field selector, sent to the server (status.phase=Running)
      --context NAME      the kubeconfig context to use
      --kubeconfig PATH   the kubeconfig file to use (default: $KUBECONFIG, else ~/.kube/config)
  -o, --output FORMAT     wide: the extra columns; json: one watch event per line ({"type","object"})
      --demo              start an embedded demo cluster with churn and watch it (no cluster needed)
      --plain             print an append-only stream even on a terminal
  -h, --help              show this help
      --version           print the version

On a terminal: / filter (text or regex, ! inverts), l label selector, s/S sort, n namespace,
: resource, Enter YAML, e events, w wide, Tab next resource, ? help, q quit.
Piped (no terminal): one line per change, like "kubectl get -w --output-watch-events". NO_COLOR is honoured.
`;

/**
 * Reads the arguments of `kubeshift-watch`.
 *
 * @param argv the arguments after the program name
 * @returns what they ask for
 * @throws {UsageError} on an unknown option, a missing value, `-n` with `-A`, or an unknown output format
 * @example
 * ```ts
 * parseArgs(["po,deploy", "-A", "-l", "app=web"]).resources; // ["po", "deploy"]
 * ```
 */
export function parseArgs(argv: readonly string[]): WatchArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const resources: string[] = [];
  for (const arg of positionals) {
    for (const name of arg.split(",")) {
      const trimmed = name.trim();
      if (trimmed === "") continue;
      // `kubectl get pod/web` names one object; a watcher follows collections.
      if (trimmed.includes("/"))
        throw new UsageError(
          `${JSON.stringify(trimmed)} names one object; give the resource only (${trimmed.split("/")[0]})`,
        );
      if (!resources.includes(trimmed)) resources.push(trimmed);
    }
  }
  if (resources.length === 0) resources.push("pods");
  const output = values.output ?? "table";
  if (output !== "table" && output !== "wide" && output !== "json")
    throw new UsageError(`--output must be wide or json, got ${JSON.stringify(output)}`);
  const allNamespaces = values["all-namespaces"] === true;
  if (allNamespaces && values.namespace !== undefined)
    throw new UsageError("--namespace and --all-namespaces cannot be used together");
  for (const key of ["namespace", "selector", "field-selector", "context", "kubeconfig"] as const) {
    if (values[key] === "") throw new UsageError(`--${key} needs a value`);
  }
  return {
    resources,
    namespace: values.namespace,
    allNamespaces,
    labelSelector: values.selector,
    fieldSelector: values["field-selector"],
    context: values.context,
    kubeconfig: values.kubeconfig,
    demo: values.demo === true,
    output,
    plain: values.plain === true,
    help: values.help === true,
    version: values.version === true,
  };
}

function parse(argv: readonly string[]) {
  return parseNodeArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      namespace: { type: "string", short: "n" },
      "all-namespaces": { type: "boolean", short: "A" },
      selector: { type: "string", short: "l" },
      "field-selector": { type: "string" },
      context: { type: "string" },
      kubeconfig: { type: "string" },
      output: { type: "string", short: "o" },
      demo: { type: "boolean" },
      plain: { type: "boolean" },
      watch: { type: "boolean", short: "w" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
}
