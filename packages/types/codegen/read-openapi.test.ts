import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { specPath } from "../../../tools/shared-dir.ts";
import { deriveResources } from "./derive-resources.ts";
import { convertSchema, readOpenApi } from "./read-openapi.ts";
import { parseJsonText, SpecSyntaxError } from "./spec-syntax-error.ts";

const readSpec = (relative: string) => readOpenApi(JSON.parse(readFileSync(specPath(relative), "utf8")), relative);

describe("readOpenApi()", () => {
  it("reads the 36 Kubernetes 1.34 v3 documents into exactly the definitions and resources of the v2 document", () => {
    const v2 = readSpec("kubernetes/v1.34/swagger.json");
    const v2Resources = deriveResources(v2);
    const dir = specPath("kubernetes/v1.34/openapi-v3");
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files.length).toBe(36);
    let compared = 0;
    for (const file of files) {
      const v3 = readSpec(`kubernetes/v1.34/openapi-v3/${file}`);
      for (const [name, def] of v3.definitions) {
        expect(def, `${file} ${name}`).toEqual(v2.definitions.get(name));
        compared++;
      }
      for (const r of deriveResources(v3)) {
        expect(r, `${file} ${r.plural}`).toEqual(
          v2Resources.find((x) => x.apiPath === r.apiPath && x.plural === r.plural),
        );
      }
    }
    expect(compared).toBeGreaterThan(1500);
  });

  it("turns v3 `allOf: [{$ref}]` wrappers into references and keeps their description", () => {
    const node = convertSchema(
      { allOf: [{ $ref: "#/components/schemas/io.k8s.api.core.v1.PodSpec" }], default: {}, description: "Spec." },
      (ref) => ref.slice("#/components/schemas/".length),
    );
    expect(node).toEqual({ kind: "ref", ref: "io.k8s.api.core.v1.PodSpec", description: "Spec." });
  });

  it("recognises int-or-string and quantity in every spelling", () => {
    const id = (r: string): string => r;
    expect(convertSchema({ type: "string", format: "int-or-string" }, id).kind).toBe("int-or-string");
    expect(convertSchema({ oneOf: [{ type: "integer" }, { type: "string" }] }, id).kind).toBe("int-or-string");
    expect(
      convertSchema({ "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] }, id).kind,
    ).toBe("int-or-string");
    expect(convertSchema({ oneOf: [{ type: "string" }, { type: "number" }] }, id).kind).toBe("quantity");
    const v2 = readSpec("kubernetes/v1.34/swagger.json");
    expect(v2.definitions.get("io.k8s.apimachinery.pkg.api.resource.Quantity")?.type.kind).toBe("quantity");
    expect(v2.definitions.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString")?.type.kind).toBe("int-or-string");
  });

  it("reads a Kubernetes 1.5-era spec without x-kubernetes extensions (origin 1.5.1) through response and body schemas", () => {
    const legacy = readSpec("openshift/origin-v1.5.1/openshift-openapi-spec.json");
    const dc = deriveResources(legacy, (p) => p === "/oapi/v1").find((r) => r.plural === "deploymentconfigs");
    expect(dc).toMatchObject({
      kind: "DeploymentConfig",
      definition: "v1.DeploymentConfig",
      listDefinition: "v1.DeploymentConfigList",
      namespaced: true,
      subresources: ["instantiate", "log", "rollback", "scale", "status"],
    });
    const imports = deriveResources(legacy, (p) => p === "/oapi/v1").find((r) => r.plural === "imagestreamimports");
    expect(imports).toMatchObject({ kind: "ImageStreamImport", verbs: ["create"] });
  });

  it("rejects what is not OpenAPI v2 or v3, naming the file and what it found", () => {
    const swagger12 = JSON.parse(readFileSync(specPath("openshift/origin-v1.5.1/oapi-v1.json"), "utf8"));
    expect(() => readOpenApi(swagger12, "oapi-v1.json")).toThrow(SpecSyntaxError);
    expect(() => readOpenApi(swagger12, "oapi-v1.json")).toThrow(
      /oapi-v1\.json: not an OpenAPI v2 or v3 document \(Swagger 1\.2\)/,
    );
    expect(() => readOpenApi([], "list.json")).toThrow(/list\.json: not an OpenAPI document/);
    expect(() =>
      readOpenApi({ swagger: "2.0", definitions: { A: { $ref: "other.json#/definitions/B" } } }, "remote.json"),
    ).toThrow(/unsupported \$ref "other\.json#\/definitions\/B"/);
  });
});

describe("parseJsonText()", () => {
  it("reports the line and column of a syntax error", () => {
    try {
      parseJsonText('{\n  "swagger": "2.0",\n  "paths": {,}\n}', "bad.json");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SpecSyntaxError);
      expect(e).toBeInstanceOf(SyntaxError);
      const err = e as SpecSyntaxError;
      expect([err.file, err.line, err.column]).toEqual(["bad.json", 3, 13]);
      expect(err.message).toMatch(/^bad\.json:3:13: not valid JSON/);
    }
  });

  it("reports text that ends too early at its end", () => {
    const err = (() => {
      try {
        parseJsonText('{"a": [1, 2', "short.json");
      } catch (e) {
        return e as SpecSyntaxError;
      }
      throw new Error("no error");
    })();
    expect(err.line).toBe(1);
    expect(err.column).toBeGreaterThan(0);
  });
});
