/**
 * `kubeshift-codegen`: generates typed modules and descriptors for APIs that `@kubeshift/types` does not ship, such
 * as CustomResourceDefinitions and aggregated API servers, in the same shape as the built-in modules.
 *
 * ```
 * kubeshift-codegen --openapi <file|url> --out <dir>     OpenAPI v2 or v3 document (a file or an http(s) URL)
 * kubeshift-codegen --crd <file.yaml> --out <dir>        apiextensions.k8s.io/v1 CRDs, several documents per file
 * kubeshift-codegen --cluster --out <dir>                a live cluster's /openapi/v3 (needs @kubeshift/client)
 * ```
 *
 * @module
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { deriveResources } from "./derive-resources.ts";
import { type Builtins, builtinsFrom, generateModules } from "./generate-modules.ts";
import type { Definition, ResourceInfo } from "./model.ts";
import { readCrds } from "./read-crd.ts";
import { readOpenApi } from "./read-openapi.ts";
import { parseJsonText, SpecSyntaxError } from "./spec-syntax-error.ts";

/** Where the CLI writes messages. */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Cancels downloads and file work. */
  signal?: AbortSignal;
}

/** Usage text of the CLI. */
export const USAGE = `Usage: kubeshift-codegen (--openapi <file|url> | --crd <file.yaml> | --cluster)... --out <dir>

Generates one TypeScript module per group/version: interfaces with the API's JSON names and a descriptor per
resource (usable with @kubeshift/client), importing what @kubeshift/types already has.

  --openapi <file|url>  OpenAPI v2 (swagger 2.0) or v3 document; repeatable
  --crd <file>          YAML or JSON with apiextensions.k8s.io/v1 CustomResourceDefinitions; repeatable
  --cluster             read /openapi/v3 of the current kubeconfig context (needs @kubeshift/client)
  --out <dir>           output folder (created if missing)
  -h, --help            this text`;

/** The CLI's own usage errors: wrong or missing flags. */
export class UsageError extends Error {
  override name = "UsageError";
}

interface Options {
  openapi: string[];
  crd: string[];
  cluster: boolean;
  out: string | undefined;
  help: boolean;
}

/**
 * Parses the command line.
 *
 * @param argv the arguments after the program name
 * @returns the options
 * @throws {UsageError} for unknown flags or a flag without its value
 */
export function parseArgs(argv: readonly string[]): Options {
  const options: Options = { openapi: [], crd: [], cluster: false, out: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "" || (inline === undefined && v.startsWith("--")))
        throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--openapi":
        options.openapi.push(value());
        break;
      case "--crd":
        options.crd.push(value());
        break;
      case "--out":
        options.out = value();
        break;
      case "--cluster":
        options.cluster = true;
        break;
      case "-h":
      case "--help":
        options.help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return options;
}

async function readText(location: string, signal: AbortSignal | undefined): Promise<string> {
  if (/^https?:\/\//.test(location)) {
    let response: Response;
    try {
      response = await fetch(location, { headers: { accept: "application/json" }, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw new Error(`cannot download ${location}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (!response.ok) throw new Error(`cannot download ${location}: HTTP ${response.status}`);
    return await response.text();
  }
  return await readFile(location, { encoding: "utf8", ...(signal ? { signal } : {}) });
}

async function loadBuiltins(): Promise<Builtins> {
  // The package's own data modules (self-reference), loaded only when the CLI runs.
  const [{ schema }, { resources }] = await Promise.all([
    import("@kubeshift/types/schema"),
    import("@kubeshift/types/catalog"),
  ]);
  return builtinsFrom(
    Object.keys(schema.definitions),
    resources.map((r) => `${r.apiPath} ${r.plural}`),
  );
}

/**
 * Reads a CRD file: YAML (several documents) or JSON.
 *
 * @param text the file text
 * @param file the file name for errors
 * @returns the parsed documents
 * @throws {SpecSyntaxError} with line and column when the text is not YAML
 */
export async function parseYamlDocuments(text: string, file: string): Promise<unknown[]> {
  // yaml is loaded on demand: only --crd needs it.
  const { parseAllDocuments } = await import("yaml");
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const pos = error.linePos?.[0];
      throw new SpecSyntaxError(
        `not valid YAML: ${(error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`,
        file,
        {
          ...(pos ? { line: pos.line, column: pos.col } : {}),
          cause: error,
        },
      );
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/**
 * Runs the CLI.
 *
 * @param argv the arguments after the program name
 * @param io output and cancellation
 * @returns the exit status: 0 done, 1 unusable input, 2 usage error
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`kubeshift-codegen: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (options.cluster) {
    io.stderr(
      "kubeshift-codegen: --cluster reads /openapi/v3 through @kubeshift/client, which does not exist yet. " +
        "Until it does, save the document and pass it with --openapi, for example:\n" +
        "  kubectl get --raw /openapi/v3/apis/example.com/v1 > example.json\n" +
        "  kubeshift-codegen --openapi example.json --out src/api",
    );
    return 2;
  }
  if (options.out === undefined || (options.openapi.length === 0 && options.crd.length === 0)) {
    io.stderr(`kubeshift-codegen: give --out and at least one --openapi or --crd\n\n${USAGE}`);
    return 2;
  }
  const definitions = new Map<string, Definition>();
  const resources: ResourceInfo[] = [];
  const inputs: string[] = [];
  try {
    for (const location of options.openapi) {
      const text = await readText(location, io.signal);
      const model = readOpenApi(parseJsonText(text, location), location);
      for (const [name, def] of model.definitions) definitions.set(name, def);
      resources.push(...deriveResources(model));
      inputs.push(`--openapi ${location}`);
    }
    for (const location of options.crd) {
      const text = await readText(location, io.signal);
      const trimmed = text.trimStart();
      const docs = trimmed.startsWith("{") ? [parseJsonText(text, location)] : await parseYamlDocuments(text, location);
      const flat = docs.flatMap((d) =>
        typeof d === "object" && d !== null && (d as { kind?: unknown }).kind === "List"
          ? ((d as { items?: unknown[] }).items ?? [])
          : [d],
      );
      const model = readCrds(flat, location);
      for (const [name, def] of model.definitions) definitions.set(name, def);
      resources.push(...model.resources);
      inputs.push(`--crd ${location}`);
    }
  } catch (e) {
    if (io.signal?.aborted && e === io.signal.reason) throw e;
    if (e instanceof SpecSyntaxError || (e instanceof Error && /^cannot download /.test(e.message))) {
      io.stderr(`kubeshift-codegen: ${e.message}`);
      return 1;
    }
    if (e instanceof Error && "code" in e && (e.code === "ENOENT" || e.code === "EISDIR" || e.code === "EACCES")) {
      io.stderr(`kubeshift-codegen: cannot read ${(e as { path?: string }).path ?? "input"}: ${e.code}`);
      return 1;
    }
    throw e;
  }
  const builtins = await loadBuiltins();
  const header = `Generated by kubeshift-codegen from ${inputs.join(" ")} (kubeshift-codegen ${inputs.join(" ")} --out <dir>). Do not edit.`;
  const { files, skipped } = generateModules({ definitions, resources, header, builtins });
  const out = resolve(options.out);
  for (const [path, text] of files) {
    const target = join(out, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text, io.signal ? { signal: io.signal } : {});
  }
  for (const s of skipped) io.stderr(`kubeshift-codegen: skipped ${s}`);
  io.stdout(`kubeshift-codegen: wrote ${files.size} module${files.size === 1 ? "" : "s"} to ${out}`);
  for (const path of [...files.keys()].sort()) io.stdout(`  ${path}`);
  return 0;
}
