import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "./parse-args.ts";

describe("parseArgs()", () => {
  it("defaults to pods in the context's namespace, as a table", () => {
    const args = parseArgs([]);
    expect(args.resources).toEqual(["pods"]);
    expect(args.namespace).toBeUndefined();
    expect(args.allNamespaces).toBe(false);
    expect(args.output).toBe("table");
    expect(args.demo).toBe(false);
  });

  it("reads several resources, comma-separated or not, without duplicates", () => {
    expect(parseArgs(["po,deploy", "routes", "po"]).resources).toEqual(["po", "deploy", "routes"]);
  });

  it("reads kubectl's flags: -n, -A, -l, --field-selector, --context, --kubeconfig, -o, -w", () => {
    const args = parseArgs([
      "bc",
      "-n",
      "dev",
      "-l",
      "app=web",
      "--field-selector",
      "status.phase=Running",
      "--context",
      "prod",
      "--kubeconfig",
      "/tmp/kc",
      "-o",
      "wide",
      "-w",
    ]);
    expect(args).toMatchObject({
      resources: ["bc"],
      namespace: "dev",
      labelSelector: "app=web",
      fieldSelector: "status.phase=Running",
      context: "prod",
      kubeconfig: "/tmp/kc",
      output: "wide",
    });
    expect(parseArgs(["-A", "--demo", "-o", "json"])).toMatchObject({
      allNamespaces: true,
      demo: true,
      output: "json",
    });
  });

  it("refuses -n with -A, unknown options and formats, and object names", () => {
    expect(() => parseArgs(["-n", "dev", "-A"])).toThrow(UsageError);
    expect(() => parseArgs(["--bogus"])).toThrow(UsageError);
    expect(() => parseArgs(["-o", "yaml"])).toThrow(/wide or json/);
    expect(() => parseArgs(["pod/web"])).toThrow(/names one object/);
    expect(() => parseArgs(["-n"])).toThrow(UsageError);
    expect(() => parseArgs(["--context", ""])).toThrow(/needs a value/);
  });

  it("a UsageError is a TypeError (wrong arguments)", () => {
    let error: unknown;
    try {
      parseArgs(["--nope"]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).name).toBe("UsageError");
  });
});
