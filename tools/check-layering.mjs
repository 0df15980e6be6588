#!/usr/bin/env node
// The layering check of DESIGN.md, run by `npm test`:
//  - a workspace imports only workspaces below it (tools/layering.json), never an app, and never @kubeshift/testing
//    outside tests;
//  - `undici` and `ws` only in packages/transport/src/node/ (plus transport's test support and packages/testing);
//  - `node:` built-ins (and bare built-in names) not in transport core, client, watch or types; in auth, registry and
//    signatures only in the files layering.json names.
// Every import form counts: static, type-only, re-exports, side-effect imports, dynamic import() and require().
// Comments and string contents are not imports. Usage: node tools/check-layering.mjs [--root <dir>] [--json]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const TEST = /\.test\.(ts|tsx|mts|js|mjs)$/;
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith("_")));

/** Splits source text into tokens, skipping comments and template literals; strings keep their value. */
export function tokenize(text) {
  const tokens = [];
  let i = 0;
  const n = text.length;
  const regexAllowedAfter = new Set([
    "(",
    ",",
    "=",
    ":",
    "[",
    "!",
    "&",
    "|",
    "?",
    "{",
    "}",
    ";",
    "+",
    "-",
    "*",
    "%",
    "<",
    ">",
    "~",
    "^",
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "yield",
    "await",
    "=>",
  ]);
  const last = () => (tokens.length === 0 ? ";" : tokens[tokens.length - 1].value);
  const skipTemplate = () => {
    // at the opening backtick
    i++;
    while (i < n) {
      const c = text[i];
      if (c === "\\") {
        i += 2;
        continue;
      }
      if (c === "`") {
        i++;
        return;
      }
      if (c === "$" && text[i + 1] === "{") {
        i += 2;
        let depth = 1;
        while (i < n && depth > 0) {
          const d = text[i];
          if (d === "`") {
            skipTemplate();
            continue;
          }
          if (d === '"' || d === "'") {
            skipString(d);
            continue;
          }
          if (d === "{") depth++;
          else if (d === "}") depth--;
          i++;
        }
        continue;
      }
      i++;
    }
  };
  const skipString = (q) => {
    let value = "";
    i++;
    while (i < n && text[i] !== q && text[i] !== "\n") {
      if (text[i] === "\\") {
        value += text[i + 1] ?? "";
        i += 2;
        continue;
      }
      value += text[i++];
    }
    i++;
    return value;
  };
  while (i < n) {
    const c = text[i];
    if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      tokens.push({ type: "string", value: skipString(c) });
      continue;
    }
    if (c === "`") {
      skipTemplate();
      tokens.push({ type: "template", value: "`" });
      continue;
    }
    if (c === "/" && regexAllowedAfter.has(last())) {
      i++;
      let inClass = false;
      while (i < n && text[i] !== "\n") {
        if (text[i] === "\\") {
          i += 2;
          continue;
        }
        if (text[i] === "[") inClass = true;
        else if (text[i] === "]") inClass = false;
        else if (text[i] === "/" && !inClass) break;
        i++;
      }
      i++;
      while (i < n && /[a-z]/i.test(text[i])) i++;
      tokens.push({ type: "regex", value: "/re/" });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$]/.test(text[j])) j++;
      tokens.push({ type: "word", value: text.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w.]/.test(text[j])) j++;
      tokens.push({ type: "number", value: text.slice(i, j) });
      i = j;
      continue;
    }
    if (c === "=" && text[i + 1] === ">") {
      tokens.push({ type: "punct", value: "=>" });
      i += 2;
      continue;
    }
    tokens.push({ type: "punct", value: c });
    i++;
  }
  return tokens;
}

/** The module specifiers a source text imports, with the kind of import. */
export function findImports(text) {
  const t = tokenize(text);
  const found = [];
  for (let k = 0; k < t.length; k++) {
    const tok = t[k];
    if (tok.type !== "word") continue;
    const prev = t[k - 1];
    if (prev && prev.type === "punct" && prev.value === ".") continue; // obj.import / obj.require
    const next = t[k + 1];
    if ((tok.value === "import" || tok.value === "require") && next?.value === "(" && t[k + 2]?.type === "string") {
      found.push({ specifier: t[k + 2].value, kind: tok.value === "import" ? "dynamic" : "require" });
      continue;
    }
    if (tok.value === "import" && next?.type === "string") {
      found.push({ specifier: next.value, kind: "side-effect" });
      continue;
    }
    if (tok.value === "import" || tok.value === "export") {
      if (
        tok.value === "export" &&
        !(
          next?.value === "{" ||
          next?.value === "*" ||
          (next?.value === "type" && (t[k + 2]?.value === "{" || t[k + 2]?.value === "*"))
        )
      )
        continue;
      if (tok.value === "import" && next?.value === "(") continue;
      // scan to `from "x"` within the statement (braces balanced, stop at `;` outside braces)
      let depth = 0;
      for (let m = k + 1; m < t.length && m < k + 400; m++) {
        const v = t[m];
        if (v.type === "punct" && v.value === "{") depth++;
        else if (v.type === "punct" && v.value === "}") depth--;
        else if (depth === 0 && v.type === "punct" && v.value === ";") break;
        else if (depth === 0 && v.type === "word" && (v.value === "import" || v.value === "export") && m > k + 1) break;
        else if (depth <= 0 && v.type === "word" && v.value === "from" && t[m + 1]?.type === "string") {
          const typeOnly = t[k + 1]?.value === "type";
          found.push({
            specifier: t[m + 1].value,
            kind:
              tok.value === "export" ? (typeOnly ? "export-type" : "re-export") : typeOnly ? "import-type" : "import",
          });
          break;
        }
      }
    }
  }
  return found;
}

function glob(pattern) {
  const re = pattern
    .split("/")
    .map((part) =>
      part === "**" ? "(?:.*/)?" : `${part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}/`,
    )
    .join("");
  return new RegExp(`^${re.replace(/\/$/, "").replace(/\(\?:\.\*\/\)\?$/, ".*")}$`);
}
function matchesAny(patterns, rel) {
  if (patterns === "*") return true;
  return patterns.some((p) => glob(p).test(rel));
}

function walk(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules" || name === "dist" || name === ".turbo" || name === ".results" || name === "testdata")
      continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) walk(path, out);
    else if (SOURCE.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** Runs the check on a repository root; returns the list of violations. */
export function checkLayering(root, config = JSON.parse(readFileSync(join(root, "tools/layering.json"), "utf8"))) {
  const violations = [];
  const workspaces = [];
  for (const kind of ["packages", "apps"]) {
    let names = [];
    try {
      names = readdirSync(join(root, kind)).filter((d) => statSync(join(root, kind, d)).isDirectory());
    } catch {}
    for (const name of names) workspaces.push({ kind, name, dir: join(root, kind, name) });
  }
  const packageNames = new Set(workspaces.filter((w) => w.kind === "packages").map((w) => w.name));
  for (const ws of workspaces) {
    const rules = ws.kind === "apps" ? config.apps : config.packages[ws.name];
    const label = `${ws.kind}/${ws.name}`;
    if (!rules) {
      violations.push({ file: label, specifier: "", rule: `workspace ${label} has no entry in tools/layering.json` });
      continue;
    }
    // package.json dependencies must respect the layers too
    try {
      const pkg = JSON.parse(readFileSync(join(ws.dir, "package.json"), "utf8"));
      for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"]) {
        for (const dep of Object.keys(pkg[field] ?? {})) {
          const m = /^@kubeshift\/(.+)$/.exec(dep);
          if (!m || rules.may === "*") continue;
          const target = m[1];
          if (field === "devDependencies" && config.testOnly.includes(target)) continue;
          if (!rules.may.includes(target))
            violations.push({
              file: `${label}/package.json`,
              specifier: dep,
              rule: `${field} goes up or sideways: ${ws.name} may depend on [${rules.may.join(", ")}]`,
            });
        }
      }
    } catch {}
    for (const file of walk(ws.dir)) {
      const rel = relative(ws.dir, file).split(sep).join("/");
      const isTest = TEST.test(rel);
      const text = readFileSync(file, "utf8");
      for (const { specifier, kind } of findImports(text)) {
        const where = `${label}/${rel}`;
        const ks = /^@kubeshift\/([^/]+)/.exec(specifier);
        if (ks) {
          const target = ks[1];
          if (target === ws.name && ws.kind === "packages") continue;
          if (target.endsWith("-app") || (!packageNames.has(target) && !config.packages[target])) {
            violations.push({ file: where, specifier, kind, rule: "imports an app or an unknown workspace" });
            continue;
          }
          if (rules.may === "*") continue;
          if (config.testOnly.includes(target)) {
            if (!isTest)
              violations.push({ file: where, specifier, kind, rule: `@kubeshift/${target} is for tests only` });
            continue;
          }
          if (!rules.may.includes(target))
            violations.push({
              file: where,
              specifier,
              kind,
              rule: `goes up the layers: ${ws.name} may import [${rules.may.join(", ")}]`,
            });
          continue;
        }
        const bare = specifier.replace(/^npm:/, "").replace(/@[^/]*$/, "");
        const pkgName = bare.startsWith("@") ? bare.split("/").slice(0, 2).join("/") : bare.split("/")[0];
        if (pkgName === "undici" || pkgName === "ws" || pkgName === "undici-types") {
          const allowed = rules["undici-ws"] ?? [];
          if (!matchesAny(allowed, rel))
            violations.push({
              file: where,
              specifier,
              kind,
              rule: "undici/ws are allowed only in packages/transport/src/node/ (and packages/testing)",
            });
          continue;
        }
        const isBuiltin = specifier.startsWith("node:") || (BUILTINS.has(pkgName) && !specifier.startsWith("."));
        if (isBuiltin && !isTest) {
          const allowed = rules.node ?? [];
          if (!matchesAny(allowed, rel))
            violations.push({
              file: where,
              specifier,
              kind,
              rule: `node built-ins are not allowed here in ${ws.name}${allowed.length ? ` (only in ${allowed.join(", ")})` : ""}`,
            });
        }
      }
    }
  }
  return violations;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const rootArg = args.indexOf("--root");
  const root = rootArg >= 0 ? args[rootArg + 1] : join(fileURLToPath(import.meta.url), "../..");
  const violations = checkLayering(root);
  if (args.includes("--json")) console.log(JSON.stringify(violations, null, 2));
  else if (violations.length === 0) console.log("layering: ok");
  else {
    for (const v of violations)
      console.error(
        `layering: ${v.file}: ${v.specifier ? `"${v.specifier}" ` : ""}${v.kind ? `(${v.kind}) ` : ""}${v.rule}`,
      );
    console.error(`layering: ${violations.length} violation(s)`);
  }
  process.exit(violations.length === 0 ? 0 : 1);
}
