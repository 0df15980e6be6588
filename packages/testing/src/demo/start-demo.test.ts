import { describe, expect, it } from "vitest";
import { startFakeCluster } from "../start-fake-cluster.ts";
import { startDemo } from "./start-demo.ts";

type Obj = {
  metadata: { name: string; namespace?: string; ownerReferences?: { kind: string }[] };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

describe("startDemo()", () => {
  it("creates namespaces and deployments with replica sets and owned pods that go Pending → ContainerCreating → Running", async () => {
    await using cluster = await startFakeCluster({ tls: false });
    const demo = startDemo(cluster, { namespaces: 2, deploymentsPerNamespace: 2, intervalMs: 0, seed: 7 });
    const namespaces = cluster.store.list<Obj>({ apiVersion: "v1", kind: "Namespace" }).map((n) => n.metadata.name);
    expect(namespaces).toEqual(expect.arrayContaining(["shop", "payments"]));
    const deployments = cluster.store.list<Obj>({ apiVersion: "apps/v1", kind: "Deployment" }, { namespace: "shop" });
    expect(deployments.map((d) => d.metadata.name)).toEqual(["api", "web"]);
    const phases = new Set<string>();
    for (let i = 0; i < 6; i++) {
      demo.step();
      for (const p of cluster.store.list<Obj>({ apiVersion: "v1", kind: "Pod" })) {
        const cs = (p.status?.containerStatuses as { state: { waiting?: { reason: string } } }[] | undefined)?.[0];
        phases.add(cs?.state.waiting?.reason ?? String(p.status?.phase));
        expect(p.metadata.ownerReferences?.[0]?.kind).toBe("ReplicaSet");
      }
    }
    expect(phases).toEqual(expect.objectContaining(new Set(["Pending", "ContainerCreating", "Running"])));
    expect(demo.steps).toBe(7);
    const events = cluster.store.list<{ reason: string }>({ apiVersion: "v1", kind: "Event" }, { namespace: "shop" });
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(["ScalingReplicaSet", "Scheduled", "Started"]));
    const pod = cluster.store
      .list<Obj>({ apiVersion: "v1", kind: "Pod" }, { namespace: "shop" })
      .find((p) => p.status?.phase === "Running");
    expect(pod).toBeDefined();
    const deployment = cluster.store.get<Obj>({ apiVersion: "apps/v1", kind: "Deployment" }, "web", "shop");
    expect(deployment?.status?.replicas).toBe(deployment?.spec?.replicas);
  });

  it("runs on a timer until stopped, and refuses sizes out of range", async () => {
    await using cluster = await startFakeCluster({ tls: false });
    const demo = startDemo(cluster, { intervalMs: 20 });
    const deadline = Date.now() + 5000;
    while (demo.steps < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    demo.stop();
    const steps = demo.steps;
    expect(steps).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(demo.steps).toBe(steps);
    expect(() => startDemo(cluster, { namespaces: 0 })).toThrow(RangeError);
    expect(() => startDemo(cluster, { deploymentsPerNamespace: 99 })).toThrow(RangeError);
  });
});
