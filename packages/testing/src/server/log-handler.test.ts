import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, stream } from "../_test-client.ts";
import { type FakeCluster, startFakeCluster } from "../start-fake-cluster.ts";

let cluster: FakeCluster;

beforeAll(async () => {
  cluster = await startFakeCluster({ tls: false });
  cluster.store.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "one", namespace: "default" },
    spec: { containers: [{ name: "main", image: "busybox" }] },
  });
  cluster.store.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "two", namespace: "default" },
    spec: {
      containers: [
        { name: "a", image: "busybox" },
        { name: "b", image: "busybox" },
      ],
    },
  });
  cluster.store.appendLog("default", "one", "first\nsecond\nthird\n");
});
afterAll(async () => {
  await cluster.close();
});

const LOG = "/api/v1/namespaces/default/pods/one/log";

describe("pods/log", () => {
  it("answers the stored lines as text/plain, with tailLines, timestamps and limitBytes", async () => {
    const all = await call(cluster, "GET", LOG);
    expect(all.headers["content-type"]).toBe("text/plain");
    expect(all.text).toBe("first\nsecond\nthird\n");
    expect((await call(cluster, "GET", `${LOG}?tailLines=2`)).text).toBe("second\nthird\n");
    expect((await call(cluster, "GET", `${LOG}?timestamps=true&tailLines=1`)).text).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z third\n$/,
    );
    expect((await call(cluster, "GET", `${LOG}?limitBytes=8`)).text).toBe("first\nse");
  });

  it("follows new lines until the client leaves, and ends when the pod is deleted", async () => {
    const s = await stream(cluster, `${LOG}?follow=true&tailLines=0`);
    cluster.store.appendLog("default", "one", "live-1");
    cluster.store.appendLog("default", "one", "live-2");
    expect(await s.waitFor(2)).toEqual(["live-1", "live-2"]);
    cluster.store.delete({ apiVersion: "v1", kind: "Pod" }, "one", "default");
    expect(await s.ended).toBe("end");
  });

  it("needs a container name for a pod with several, and words bad names as the server does", async () => {
    const r = await call(cluster, "GET", "/api/v1/namespaces/default/pods/two/log");
    expect(r.status).toBe(400);
    expect(r.json().message).toBe("a container name must be specified for pod two, choose one of: [a b]");
    const bad = await call(cluster, "GET", "/api/v1/namespaces/default/pods/two/log?container=c");
    expect(bad.json().message).toBe("container c is not valid for pod two");
    cluster.store.appendLog("default", "two", "from b", "b");
    expect((await call(cluster, "GET", "/api/v1/namespaces/default/pods/two/log?container=b")).text).toBe("from b\n");
  });

  it("reports a waiting container, and the previous instance after a restart", async () => {
    const pod = cluster.store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "waiting", namespace: "default" },
      spec: { containers: [{ name: "c", image: "busybox" }] },
    });
    const stored = cluster.store.get<Record<string, unknown>>(
      { apiVersion: "v1", kind: "Pod" },
      pod.metadata.name,
      "default",
    );
    cluster.store.updateStatus({
      ...stored,
      status: {
        phase: "Pending",
        containerStatuses: [{ name: "c", state: { waiting: { reason: "ContainerCreating" } } }],
      },
    });
    const r = await call(cluster, "GET", "/api/v1/namespaces/default/pods/waiting/log");
    expect(r.json().message).toBe('container "c" in pod "waiting" is waiting to start: ContainerCreating');
    cluster.store.appendLog("default", "waiting", "before restart");
    cluster.store.restartLog("default", "waiting", "c");
    expect((await call(cluster, "GET", "/api/v1/namespaces/default/pods/waiting/log?previous=true")).text).toBe(
      "before restart\n",
    );
  });
});
