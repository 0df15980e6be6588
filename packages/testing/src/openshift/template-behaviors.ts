/**
 * `processedtemplates` (what `oc process` posts): a Template comes back with its parameters resolved (given values,
 * or values generated from `[a-z0-9]{8}`-style expressions) and substituted into its objects (`${NAME}` in strings,
 * `${{NAME}}` for a non-string value), and the legacy `apiVersion: v1` of OpenShift kinds rewritten to their group,
 * as the 3.11 server does. Nothing is stored.
 *
 * @module
 */
import type { ResourceBehavior } from "../registry/resource-behavior.ts";
import { cloneJson, isPlainObject } from "../resources/kube-object.ts";
import { type FieldError, invalid } from "../server/status-error.ts";
import { legacyGroupOf } from "./openshift-resources.ts";

type Json = Record<string, unknown>;

const CLASSES: Readonly<Record<string, string>> = {
  "a-z": "abcdefghijklmnopqrstuvwxyz",
  "A-Z": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  "0-9": "0123456789",
};

/** Generates a value for `[a-z0-9]{8}`, `[A-Za-z0-9]{16}`, `\w{4}`; other expressions yield an empty string. */
function generate(expression: string): string {
  let out = "";
  for (const m of expression.matchAll(/(\[([^\]]+)\]|\\w|\\d|\\a)\{(\d+)\}/g)) {
    let alphabet = "";
    if (m[2] !== undefined) {
      for (const part of m[2].matchAll(/[a-zA-Z0-9]-[a-zA-Z0-9]|./g)) alphabet += CLASSES[part[0]] ?? part[0];
    } else if (m[1] === "\\w") alphabet = `${CLASSES["a-z"]}${CLASSES["A-Z"]}${CLASSES["0-9"]}_`;
    else if (m[1] === "\\d") alphabet = CLASSES["0-9"] as string;
    else alphabet = `${CLASSES["a-z"]}${CLASSES["A-Z"]}`;
    const n = Number(m[3]);
    const bytes = crypto.getRandomValues(new Uint8Array(n));
    for (const b of bytes) out += alphabet[b % alphabet.length];
  }
  return out;
}

function substitute(value: unknown, params: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{\{([A-Za-z0-9_]+)\}\}$/.exec(value);
    if (whole !== null && params.has(whole[1] as string)) {
      const raw = params.get(whole[1] as string) as string;
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
    }
    return value.replace(/\$\{([A-Za-z0-9_]+)\}/g, (all, name: string) => params.get(name) ?? all);
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, params));
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, params)]));
  return value;
}

/** The behaviour of `processedtemplates`. */
export const processedTemplateBehavior: ResourceBehavior = {
  verbs: {
    create(request) {
      const template = cloneJson(isPlainObject(request.body) ? request.body : {});
      const params = new Map<string, string>();
      const errors: FieldError[] = [];
      const parameters = Array.isArray(template.parameters) ? (template.parameters as Json[]) : [];
      for (const [i, p] of parameters.entries()) {
        const name = typeof p.name === "string" ? p.name : "";
        let value = typeof p.value === "string" ? p.value : "";
        if (value === "" && p.generate === "expression" && typeof p.from === "string") value = generate(p.from);
        if (value === "" && p.required === true)
          errors.push({
            reason: "FieldValueRequired",
            field: `template.parameters[${i}]`,
            detail: `template.parameters[${i}]: parameter ${name} is required and must be specified`,
          });
        p.value = value;
        params.set(name, value);
      }
      const name = (template.metadata as { name?: string } | undefined)?.name ?? "";
      if (errors.length > 0) throw invalid({ group: "template.openshift.io", kind: "Template" }, name, errors);
      const objects = Array.isArray(template.objects) ? template.objects : [];
      template.objects = objects.map((o) => {
        const out = substitute(o, params) as Json;
        const group =
          out.apiVersion === "v1" && typeof out.kind === "string"
            ? legacyGroupOf(`${out.kind.toLowerCase()}s`, out.kind)
            : undefined;
        if (group !== undefined) out.apiVersion = `${group}/v1`;
        return out;
      });
      return {
        status: 201,
        object: { ...template, kind: "Template", apiVersion: request.resource.apiVersion },
      };
    },
  },
};
