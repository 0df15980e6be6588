import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../../tools/shared-dir.ts";
import {
  escapeFieldValue,
  fieldsForObject,
  parseFieldSelector,
  selectableFieldSpec,
  supportedFieldSelectors,
} from "./field-selector.ts";
import { parseLabelSelector } from "./label-selector.ts";
import { SelectorError } from "./selector-error.ts";

const podOptions = { ...selectableFieldSpec("Pod", ""), resource: "pods" };
const cmOptions = { supportedFields: supportedFieldSelectors("ConfigMap", ""), resource: "configmaps" };

function error(text: string, options = cmOptions): SelectorError {
  try {
    parseFieldSelector(text, options);
  } catch (e) {
    if (e instanceof SelectorError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

interface Exchange {
  request: { query: string };
  response: {
    body: {
      message?: string;
      items?: { metadata: { name: string; namespace: string; labels?: Record<string, string> } }[];
    };
  };
}

function exchanges(file: string): Exchange[] {
  return JSON.parse(readFileSync(fixturePath(`kubernetes-v1.20.2/${file}`), "utf8")).exchanges;
}

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-1", namespace: "prod" },
  spec: {
    nodeName: "node-a",
    restartPolicy: "Always",
    schedulerName: "default-scheduler",
    serviceAccountName: "default",
    hostNetwork: true,
  },
  status: { phase: "Running", podIP: "10.0.0.7", podIPs: [{ ip: "10.0.0.7" }, { ip: "fd00::7" }] },
};

describe("parseFieldSelector", () => {
  it("matches =, == and != against the pod's selectable fields", () => {
    const fields = fieldsForObject("Pod", "", pod);
    expect(fields).toEqual({
      "metadata.name": "web-1",
      "metadata.namespace": "prod",
      "spec.nodeName": "node-a",
      "spec.restartPolicy": "Always",
      "spec.schedulerName": "default-scheduler",
      "spec.serviceAccountName": "default",
      "spec.hostNetwork": "true",
      "status.phase": "Running",
      "status.podIP": "10.0.0.7",
      "status.nominatedNodeName": "",
    });
    const cases: [string, boolean][] = [
      ["status.phase=Running", true],
      ["status.phase==Running", true],
      ["status.phase!=Running", false],
      ["spec.nodeName=node-a,metadata.namespace=prod", true],
      ["spec.nodeName=", false],
      ["status.nominatedNodeName=", true],
      ["spec.hostNetwork=true", true],
      ["spec.host=node-a", true],
      ["status.podIPs=10.0.0.7", false],
      ["", true],
    ];
    for (const [text, want] of cases) expect(parseFieldSelector(text, podOptions).matches(fields), text).toBe(want);
  });

  it("converts the old spec.host to spec.nodeName for pods", () => {
    expect(parseFieldSelector("spec.host=n", podOptions).requirements).toEqual([
      { field: "spec.nodeName", operator: "=", value: "n" },
    ]);
  });

  it("unescapes \\, \\= and \\\\ in values and escapes them back in toString()", () => {
    const s = parseFieldSelector("metadata.name=a\\,b\\=c\\\\d", cmOptions);
    expect(s.requirements[0]?.value).toBe("a,b=c\\d");
    expect(s.toString()).toBe("metadata.name=a\\,b\\=c\\\\d");
    expect(escapeFieldValue("x=y,z\\")).toBe("x\\=y\\,z\\\\");
  });

  it("reproduces the recorded 400 messages", () => {
    for (const ex of exchanges("errors/bad-field-selector.json")) {
      const text = new URLSearchParams(ex.request.query).get("fieldSelector") as string;
      const e = error(text);
      expect(e.message).toBe(ex.response.body.message);
    }
  });

  it("selects the recorded configmaps for each recorded field selector", () => {
    const all = new Map<string, { metadata: { name: string; namespace: string; labels?: Record<string, string> } }>();
    for (const ex of exchanges("crud/list-label-selector.json"))
      for (const item of ex.response.body.items ?? []) all.set(item.metadata.name, item);
    for (const ex of exchanges("crud/list-field-selector.json")) {
      const q = new URLSearchParams(ex.request.query);
      const selector = parseFieldSelector(q.get("fieldSelector") as string, cmOptions);
      const picked = [...all.values()]
        .filter((o) => selector.matches(fieldsForObject("ConfigMap", "", o)))
        .filter((o) => parseLabelSelector(q.get("labelSelector") ?? "").matches(o.metadata.labels))
        .map((o) => o.metadata.name)
        .sort();
      expect(picked, ex.request.query).toEqual((ex.response.body.items ?? []).map((i) => i.metadata.name).sort());
    }
  });

  it("words unsupported fields per kind: custom funcs name the field, the default lists name and namespace", () => {
    expect(error("spec.nodeName=x").message).toBe(
      '"spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(error("status.podIPx=1", podOptions).message).toBe("field label not supported: status.podIPx");
    const nodes = { ...selectableFieldSpec("Node", ""), resource: "nodes" };
    expect(error("metadata.namespace=x", nodes).message).toBe("field label not supported: metadata.namespace");
    const routes = { ...selectableFieldSpec("Route", "route.openshift.io"), resource: "routes" };
    expect(parseFieldSelector("spec.host=a.example.com", routes).isEmpty()).toBe(false);
    expect(error("spec.tls=x", routes).message).toBe(
      '"spec.tls" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  it("reports terms without an operator and bad escapes like the server", () => {
    expect(error("metadata.name").message).toBe("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
    expect(error("a=1,metadata.name").message).toBe(
      "invalid selector: 'a=1,metadata.name'; can't understand 'metadata.name'",
    );
    expect(error("metadata.name=a\\x").message).toBe("invalid field selector: invalid escape sequence: \\x");
    expect(error("metadata.name=a=b").message).toBe("invalid field selector: unescaped character in value: 61");
    expect(error("metadata.name=a\\").message).toBe("invalid field selector: invalid escape sequence: \\");
  });

  it("knows the per-kind tables of the real server", () => {
    expect(supportedFieldSelectors("Secret", "")).toEqual(["type", "metadata.namespace", "metadata.name"]);
    expect(supportedFieldSelectors("Namespace", "")).toEqual(["status.phase", "metadata.name"]);
    expect(supportedFieldSelectors("Deployment", "apps")).toEqual(["metadata.name", "metadata.namespace"]);
    expect(supportedFieldSelectors("Job", "batch")).toContain("status.successful");
    expect(supportedFieldSelectors("Event", "")).toContain("involvedObject.name");
    expect(
      fieldsForObject("Job", "batch", { metadata: { name: "j", namespace: "n" }, status: { succeeded: 2 } })[
        "status.successful"
      ],
    ).toBe("2");
    expect(fieldsForObject("Node", "", { metadata: { name: "n" }, spec: { unschedulable: true } })).toEqual({
      "metadata.name": "n",
      "spec.unschedulable": "true",
    });
    const event = {
      metadata: { name: "e", namespace: "n" },
      involvedObject: { kind: "Pod", name: "p" },
      reason: "Started",
      type: "Normal",
      reportingComponent: "kubelet",
      source: {},
    };
    expect(fieldsForObject("Event", "", event).source).toBe("kubelet");
    expect(
      fieldsForObject("Build", "", { metadata: { name: "app-1", namespace: "n" }, status: { phase: "Complete" } }),
    ).toMatchObject({ status: "Complete", podName: "app-1-build" });
    expect(fieldsForObject("Widget", "example.com", { metadata: { name: "w" } })).toEqual({ "metadata.name": "w" });
  });

  it("field selector: toString() round-trips, whatever the values", () => {
    const field = fc.constantFrom("metadata.name", "metadata.namespace");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(field, fc.constantFrom("=", "==", "!="), fc.string({ maxLength: 6 })), { maxLength: 4 }),
        fc.string({ maxLength: 6 }),
        (terms, name) => {
          const text = terms.map(([f, op, v]) => `${f}${op}${escapeFieldValue(v)}`).join(",");
          const s = parseFieldSelector(text, cmOptions);
          const again = parseFieldSelector(s.toString(), cmOptions);
          expect(again.toString()).toBe(s.toString());
          const fields = { "metadata.name": name, "metadata.namespace": "ns" };
          expect(again.matches(fields)).toBe(s.matches(fields));
          expect(s.requirements.map((r) => r.value).sort()).toEqual(terms.map(([, , v]) => v).sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
