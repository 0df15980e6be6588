import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { KubeconfigError } from "./kubeconfig-error.ts";
import { parseKubeconfig } from "./parse-kubeconfig.ts";
import { toKubeconfigObject } from "./to-kubeconfig-object.ts";

const RUNS = 4_000;
const seen = { parsed: 0, refused: 0 };

/** The invariant: a config that serialises, or a KubeconfigError; nothing else ever escapes. */
function parsesOrFailsTyped(text: string): boolean {
  let config: ReturnType<typeof parseKubeconfig>;
  try {
    config = parseKubeconfig(text, { path: "/fuzz/config" });
  } catch (error) {
    if (error instanceof KubeconfigError && typeof error.message === "string") {
      seen.refused++;
      return true;
    }
    throw error;
  }
  seen.parsed++;
  JSON.stringify(toKubeconfigObject(config));
  JSON.stringify(toKubeconfigObject(config, { redact: true }));
  return true;
}

const KEYS = [
  "apiVersion",
  "kind",
  "current-context",
  "preferences",
  "clusters",
  "users",
  "contexts",
  "extensions",
  "name",
  "cluster",
  "user",
  "context",
  "server",
  "certificate-authority",
  "certificate-authority-data",
  "insecure-skip-tls-verify",
  "tls-server-name",
  "proxy-url",
  "disable-compression",
  "client-certificate-data",
  "client-key-data",
  "token",
  "tokenFile",
  "as",
  "as-groups",
  "as-user-extra",
  "username",
  "password",
  "exec",
  "command",
  "args",
  "env",
  "value",
  "provideClusterInfo",
  "interactiveMode",
  "auth-provider",
  "config",
  "namespace",
  "extension",
  "colors",
  "<<",
];

const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom("yes", "n", "0123", "~", "null", "1e400", ".inf", "QUJD", "@@", "v1", "Config", "", "1:20"),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("tree"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie("tree"), { maxKeys: 5 }),
  ),
}));

const kubeconfigShaped = fc.record({
  apiVersion: fc.constantFrom("v1", "v2", undefined),
  "current-context": scalar,
  clusters: fc.array(fc.record({ name: scalar, cluster: tree }), { maxLength: 3 }),
  users: fc.array(fc.record({ name: scalar, user: tree }), { maxLength: 3 }),
  contexts: fc.oneof(fc.array(fc.record({ name: scalar, context: tree }), { maxLength: 3 }), tree),
});

const TOKENS = [
  "- ",
  ": ",
  "\n",
  "\n  ",
  "\t",
  "&a ",
  "*a",
  "<<: ",
  "!!int ",
  "!!str ",
  "|\n",
  ">-\n",
  "'",
  '"',
  "{",
  "}",
  "[",
  "]",
  ", ",
  "# c",
  "---\n",
  "...\n",
  "? ",
  "%YAML 1.1\n",
  "\\u00e9",
  "\u0000",
  "\ufeff",
  ...KEYS,
];

// Thousands of parses per test: a guard against a hang, not a speed target (a loaded CI machine took 22 s).
const FUZZ_TIMEOUT = 180_000;

describe("parseKubeconfig under fuzzing (12,000 generated inputs)", () => {
  it(
    "arbitrary text only ever yields a config or a KubeconfigError",
    () => {
      fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 400 }), parsesOrFailsTyped), { numRuns: RUNS });
    },
    FUZZ_TIMEOUT,
  );

  it(
    "kubeconfig-shaped YAML with values of random types only ever yields a config or a KubeconfigError",
    () => {
      fc.assert(
        fc.property(
          kubeconfigShaped,
          fc.boolean(),
          fc.nat(),
          fc.string({ maxLength: 3 }),
          (config, flow, cut, insert) => {
            const text = stringify(config, null, { collectionStyle: flow ? "flow" : "block", version: "1.1" });
            // Also a mutated copy: a few characters replaced somewhere in the document.
            const at = cut % (text.length + 1);
            return parsesOrFailsTyped(text) && parsesOrFailsTyped(text.slice(0, at) + insert + text.slice(at + 2));
          },
        ),
        { numRuns: RUNS / 2 },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "YAML token soup (anchors, tags, block scalars, directives, tabs) only ever yields a config or a KubeconfigError",
    () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (parts) =>
          parsesOrFailsTyped(parts.join("")),
        ),
        { numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT,
  );

  it("parsed at least 10,000 inputs, a good share of them accepted and of them refused", () => {
    expect(seen.parsed + seen.refused).toBeGreaterThanOrEqual(10_000);
    expect(seen.parsed).toBeGreaterThan(1_000);
    expect(seen.refused).toBeGreaterThan(1_000);
  });
});
