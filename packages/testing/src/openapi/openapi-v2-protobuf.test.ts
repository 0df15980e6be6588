import { describe, expect, it } from "vitest";
import { call } from "../_test-client.ts";
import { startFakeCluster } from "../start-fake-cluster.ts";
import { encodeOpenApiV2Protobuf } from "./openapi-v2-protobuf.ts";

/** A minimal protobuf reader: field number → raw values (varints as numbers, length-delimited as bytes). */
function fields(buf: Uint8Array): Map<number, (number | Uint8Array)[]> {
  const out = new Map<number, (number | Uint8Array)[]>();
  let i = 0;
  const varint = (): number => {
    let n = 0;
    let shift = 1;
    for (;;) {
      const b = buf[i++] as number;
      n += (b & 0x7f) * shift;
      if (b < 0x80) return n;
      shift *= 128;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value: number | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = varint();
      value = buf.subarray(i, i + len);
      i += len;
    } else if (wire === 1) {
      value = buf.subarray(i, i + 8);
      i += 8;
    } else throw new Error(`unexpected wire type ${wire}`);
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

const text = (v: number | Uint8Array | undefined): string => new TextDecoder().decode(v as Uint8Array);

describe("encodeOpenApiV2Protobuf()", () => {
  it("writes gnostic's Document: version, named definitions, vendor extensions as YAML, properties, refs", () => {
    const doc = {
      swagger: "2.0",
      info: { title: "Kubernetes", version: "v1.34.1" },
      paths: {},
      definitions: {
        "io.k8s.api.core.v1.ConfigMap": {
          description: "ConfigMap holds configuration data.",
          type: "object",
          properties: {
            data: { type: "object", additionalProperties: { type: "string" } },
            metadata: { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" },
          },
          "x-kubernetes-group-version-kind": [{ group: "", kind: "ConfigMap", version: "v1" }],
        },
      },
    };
    const top = fields(encodeOpenApiV2Protobuf(doc));
    expect(text(top.get(1)?.[0])).toBe("2.0");
    const info = fields(top.get(2)?.[0] as Uint8Array);
    expect(text(info.get(1)?.[0])).toBe("Kubernetes");
    const named = fields(fields(top.get(9)?.[0] as Uint8Array).get(1)?.[0] as Uint8Array);
    expect(text(named.get(1)?.[0])).toBe("io.k8s.api.core.v1.ConfigMap");
    const schema = fields(named.get(2)?.[0] as Uint8Array);
    expect(text(schema.get(4)?.[0])).toBe("ConfigMap holds configuration data.");
    expect(text(fields(schema.get(22)?.[0] as Uint8Array).get(1)?.[0])).toBe("object");
    const extension = fields(schema.get(31)?.[0] as Uint8Array);
    expect(text(extension.get(1)?.[0])).toBe("x-kubernetes-group-version-kind");
    const yaml = text(fields(extension.get(2)?.[0] as Uint8Array).get(2)?.[0]);
    expect(JSON.parse(yaml)).toEqual([{ group: "", kind: "ConfigMap", version: "v1" }]);
    const properties = fields(schema.get(25)?.[0] as Uint8Array).get(1) as Uint8Array[];
    expect(properties.map((p) => text(fields(p).get(1)?.[0]))).toEqual(["data", "metadata"]);
    const metadata = fields(fields(properties[1] as Uint8Array).get(2)?.[0] as Uint8Array);
    expect(text(metadata.get(1)?.[0])).toBe("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  });

  it("keeps query parameters of operations (the fieldValidation check of kubectl reads them)", () => {
    const doc = {
      swagger: "2.0",
      info: { title: "t", version: "v" },
      paths: {
        "/api/v1/namespaces/{namespace}/configmaps/{name}": {
          patch: {
            operationId: "patchCoreV1NamespacedConfigMap",
            parameters: [
              { name: "fieldValidation", in: "query", type: "string", uniqueItems: true },
              { $ref: "#/parameters/body-78PwaGsr" },
            ],
            "x-kubernetes-group-version-kind": { group: "", kind: "ConfigMap", version: "v1" },
          },
        },
      },
      definitions: {},
    };
    const paths = fields(fields(encodeOpenApiV2Protobuf(doc)).get(8)?.[0] as Uint8Array);
    const item = fields(paths.get(2)?.[0] as Uint8Array);
    expect(text(item.get(1)?.[0])).toBe("/api/v1/namespaces/{namespace}/configmaps/{name}");
    const patch = fields(fields(item.get(2)?.[0] as Uint8Array).get(8)?.[0] as Uint8Array);
    const [query, ref] = patch.get(8) as Uint8Array[];
    const nonBody = fields(fields(fields(query as Uint8Array).get(1)?.[0] as Uint8Array).get(2)?.[0] as Uint8Array);
    const querySchema = fields(nonBody.get(3)?.[0] as Uint8Array);
    expect(text(querySchema.get(4)?.[0])).toBe("fieldValidation");
    expect(text(querySchema.get(6)?.[0])).toBe("string");
    expect(text(fields(fields(ref as Uint8Array).get(2)?.[0] as Uint8Array).get(1)?.[0])).toBe(
      "#/parameters/body-78PwaGsr",
    );
  });
});

describe("/openapi", () => {
  it("serves /openapi/v2 as JSON and as protobuf, and the /openapi/v3 index and documents", async () => {
    await using cluster = await startFakeCluster({ tls: false });
    const json = await call(cluster, "GET", "/openapi/v2", { headers: { Accept: "application/json" } });
    expect(json.json().definitions["io.k8s.api.core.v1.Pod"]).toBeDefined();
    const pb = await call(cluster, "GET", "/openapi/v2", {
      headers: { Accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" },
    });
    expect(pb.headers["content-type"]).toBe("application/octet-stream");
    const definitions = fields(fields(pb.body).get(9)?.[0] as Uint8Array).get(1) as Uint8Array[];
    expect(definitions.length).toBe(Object.keys(json.json().definitions).length);
    const index = (await call(cluster, "GET", "/openapi/v3")).json();
    expect(index.paths["apis/apps/v1"].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{64}$/);
    const doc = await call(cluster, "GET", index.paths["apis/apps/v1"].serverRelativeURL);
    expect(doc.headers["cache-control"]).toBe("public, immutable");
    expect(doc.json().components.schemas["io.k8s.api.apps.v1.Deployment"]).toBeDefined();
    await using noV3 = await startFakeCluster({ tls: false, openapiV3: false });
    expect((await call(noV3, "GET", "/openapi/v3")).status).toBe(404);
  });
});
