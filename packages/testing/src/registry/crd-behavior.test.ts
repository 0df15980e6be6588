import { describe, expect, it } from "vitest";
import { call } from "../_test-client.ts";
import { startFakeCluster } from "../start-fake-cluster.ts";

const CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wd"] },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: ".spec.size", statusReplicasPath: ".status.size" } },
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: { type: "object", properties: { size: { type: "integer" }, color: { type: "string" } } },
              status: { type: "object", properties: { size: { type: "integer" } } },
            },
          },
        },
      },
    ],
  },
};

describe("CustomResourceDefinitions", () => {
  it("serve their resource once created: discovery, CRUD with the schema, status and scale subresources", async () => {
    await using cluster = await startFakeCluster({ tls: false });
    const created = await call(cluster, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
      body: CRD,
    });
    expect(created.status).toBe(201);
    expect(created.json().status.conditions.map((c: { type: string }) => c.type)).toEqual([
      "NamesAccepted",
      "Established",
    ]);
    const group = (await call(cluster, "GET", "/apis/example.com/v1")).json();
    expect(group.resources.map((r: { name: string }) => r.name)).toEqual([
      "widgets",
      "widgets/scale",
      "widgets/status",
    ]);
    const base = "/apis/example.com/v1/namespaces/default/widgets";
    const w = await call(cluster, "POST", `${base}?fieldValidation=Strict`, {
      body: {
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "w1" },
        spec: { size: 2, color: "red" },
        status: { size: 9 },
      },
    });
    expect(w.status).toBe(201);
    expect(w.json()).toMatchObject({ metadata: { generation: 1 }, spec: { size: 2 } });
    expect(w.json().status).toBeUndefined();
    const unknown = await call(cluster, "POST", `${base}?fieldValidation=Strict`, {
      body: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w2" }, spec: { shape: "round" } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json().message).toMatch(/unknown field "spec\.shape"/);
    const list = (await call(cluster, "GET", base)).json();
    expect(list.kind).toBe("WidgetList");
    expect(list.items[0].kind).toBe("Widget");
    const scaled = await call(cluster, "PATCH", `${base}/w1/scale`, {
      body: { spec: { replicas: 5 } },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    expect(scaled.json().spec.replicas).toBe(5);
    expect((await call(cluster, "GET", `${base}/w1`)).json().spec.size).toBe(5);
    const smp = await call(cluster, "PATCH", `${base}/w1`, {
      body: {},
      headers: { "Content-Type": "application/strategic-merge-patch+json" },
    });
    expect(smp.status).toBe(415);
  });

  it("stop serving and lose their objects when deleted", async () => {
    await using cluster = await startFakeCluster({ tls: false });
    await call(cluster, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { body: CRD });
    cluster.store.create({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w", namespace: "default" },
      spec: { size: 1 },
    });
    const r = await call(
      cluster,
      "DELETE",
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com",
    );
    expect(r.json().metadata.deletionTimestamp).toBeDefined();
    const deadline = Date.now() + 3000;
    while (
      (await call(cluster, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"))
        .status !== 404
    ) {
      if (Date.now() > deadline) throw new Error("CRD not removed");
      await new Promise((res) => setTimeout(res, 10));
    }
    expect((await call(cluster, "GET", "/apis/example.com/v1")).status).toBe(404);
    expect(() => cluster.store.list({ apiVersion: "example.com/v1", kind: "Widget" })).toThrow(TypeError);
  });

  it("reject a name that is not <plural>.<group>", async () => {
    await using cluster = await startFakeCluster({ tls: false });
    const r = await call(cluster, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
      body: { ...CRD, metadata: { name: "gadgets.example.com" } },
    });
    expect(r.status).toBe(422);
    expect(r.json().message).toBe(
      'CustomResourceDefinition.apiextensions.k8s.io "gadgets.example.com" is invalid: metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group',
    );
  });
});
