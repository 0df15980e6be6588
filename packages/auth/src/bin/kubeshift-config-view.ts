#!/usr/bin/env node
/**
 * `kubeshift-config-view`: prints the merged kubeconfig like `kubectl config view`, with the same flags, so that our
 * loader can be compared with kubectl from a shell:
 *
 * ```sh
 * kubeshift-config-view --merge --flatten -o json
 * kubeshift-config-view --minify --flatten -o json --context prod
 * ```
 *
 * @module
 */
import process from "node:process";
import { loadKubeconfig } from "../load-kubeconfig.ts";
import { nodeAuthHost } from "../node/node-auth-host.ts";
import { stringifyKubeconfig } from "../stringify-kubeconfig.ts";

const USAGE = `Display merged kubeconfig settings or a specified kubeconfig file (like kubectl config view).

Options:
    --flatten=false: Flatten the resulting kubeconfig file into self-contained output
    --merge=true: Merge the full hierarchy of kubeconfig files
    --minify=false: Remove all information not used by current-context from the output
    -o, --output='yaml': Output format. One of: (json, yaml)
    --raw=false: Display raw byte data and sensitive data
    --kubeconfig='': Path to the kubeconfig file to use
    --context='': The name of the kubeconfig context to use

Usage:
  kubeshift-config-view [options]
`;

interface Flags {
  flatten: boolean;
  merge: boolean;
  minify: boolean;
  raw: boolean;
  output: string;
  kubeconfig: string;
  context: string;
}

const BOOLEAN = new Set(["flatten", "merge", "minify", "raw"]);
const STRING = new Set(["output", "kubeconfig", "context"]);

function parseBool(name: string, value: string): boolean {
  if (["true", "1", "t", "T", "TRUE", "True"].includes(value)) return true;
  if (["false", "0", "f", "F", "FALSE", "False"].includes(value)) return false;
  throw new Error(
    `invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
  );
}

function parseFlags(argv: readonly string[]): Flags | "help" {
  const flags: Flags = {
    flatten: false,
    merge: true,
    minify: false,
    raw: false,
    output: "yaml",
    kubeconfig: "",
    context: "",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-h" || arg === "--help") return "help";
    let name: string;
    let value: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      value = eq < 0 ? undefined : arg.slice(eq + 1);
    } else if (arg.startsWith("-o")) {
      name = "output";
      value = arg.length > 2 ? arg.slice(2).replace(/^=/, "") : undefined;
    } else {
      throw new Error(`unknown command "${arg}" for "kubeshift-config-view"`);
    }
    if (BOOLEAN.has(name)) {
      (flags as unknown as Record<string, boolean>)[name] = value === undefined ? true : parseBool(name, value);
    } else if (STRING.has(name)) {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new Error(`flag needs an argument: --${name}`);
      }
      (flags as unknown as Record<string, string>)[name] = value;
    } else {
      throw new Error(`unknown flag: --${name}`);
    }
  }
  return flags;
}

async function main(argv: readonly string[]): Promise<number> {
  let flags: Flags | "help";
  try {
    flags = parseFlags(argv);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
  if (flags === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (flags.output !== "json" && flags.output !== "yaml") {
    process.stderr.write(`error: unable to match a printer suitable for the output format "${flags.output}"\n`);
    return 1;
  }
  if (!flags.merge && flags.kubeconfig === "") {
    process.stderr.write("error: if merge==false a precise file must be specified\n");
    return 1;
  }
  const host = nodeAuthHost();
  try {
    // `kubectl config view --kubeconfig x` tolerates a missing x (it shows an empty config), unlike other commands.
    const config = await loadKubeconfig(flags.kubeconfig === "" ? { host } : { host, paths: [flags.kubeconfig] });
    const text = await stringifyKubeconfig(config, {
      format: flags.output,
      minify: flags.minify,
      flatten: flags.flatten,
      raw: flags.raw,
      context: flags.context,
      host,
    });
    process.stdout.write(text);
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
