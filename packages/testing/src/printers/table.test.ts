import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dockerHumanDuration, goDurationString, humanDuration } from "./_durations.ts";
import { hasPrinter, type PrintableDescriptor, printTable } from "./table.ts";

type JsonObject = Record<string, unknown>;
const NOW = new Date("2026-01-10T12:00:00Z");
const POD: PrintableDescriptor = { group: "", kind: "Pod", apiVersion: "v1" };
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

function cells(descriptor: PrintableDescriptor, object: JsonObject): unknown[] {
  return printTable(descriptor, [object], { includeObject: "None", tableVersion: "v1", now: NOW }).rows[0]?.cells ?? [];
}

function pod(status: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    metadata: { name: "p", namespace: "n", creationTimestamp: ago(300), ...((extra.metadata as JsonObject) ?? {}) },
    spec: { containers: [{ name: "a", image: "i" }], ...((extra.spec as JsonObject) ?? {}) },
    status,
  };
}

const running = (restartCount = 0) => ({
  name: "a",
  ready: true,
  restartCount,
  state: { running: { startedAt: ago(60) } },
});

describe("printTable: pods", () => {
  it("prints Running 1/1 with restarts, IP, node, and <none> for what is unset", () => {
    expect(
      cells(
        POD,
        pod(
          { phase: "Running", podIP: "10.0.0.7", podIPs: [{ ip: "10.0.0.7" }], containerStatuses: [running(2)] },
          { spec: { nodeName: "node-a" } },
        ),
      ),
    ).toEqual(["p", "1/1", "Running", 2, "5m", "10.0.0.7", "node-a", "<none>", "<none>"]);
  });

  it("shows the waiting reason (ContainerCreating, CrashLoopBackOff) and not-ready containers", () => {
    const creating = pod({
      phase: "Pending",
      containerStatuses: [
        { name: "a", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } },
      ],
    });
    expect(cells(POD, creating).slice(1, 4)).toEqual(["0/1", "ContainerCreating", 0]);
    const crashing = pod({
      phase: "Running",
      containerStatuses: [
        { name: "a", ready: false, restartCount: 7, state: { waiting: { reason: "CrashLoopBackOff" } } },
      ],
    });
    expect(cells(POD, crashing).slice(1, 4)).toEqual(["0/1", "CrashLoopBackOff", 7]);
  });

  it("shows Init:n/m, Init:<reason> and Init:ExitCode while init containers run or fail", () => {
    const spec = { initContainers: [{ name: "i1" }, { name: "i2" }] };
    const first = pod(
      { phase: "Pending", initContainerStatuses: [{ name: "i1", restartCount: 0, state: { running: {} } }] },
      { spec },
    );
    expect(cells(POD, first)[2]).toBe("Init:0/2");
    const second = pod(
      {
        phase: "Pending",
        initContainerStatuses: [
          { name: "i1", state: { terminated: { exitCode: 0 } } },
          { name: "i2", state: { waiting: { reason: "PodInitializing" } } },
        ],
      },
      { spec },
    );
    expect(cells(POD, second)[2]).toBe("Init:1/2");
    const crash = pod(
      {
        phase: "Pending",
        initContainerStatuses: [{ name: "i1", restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } } }],
      },
      { spec },
    );
    expect(cells(POD, crash).slice(2, 4)).toEqual(["Init:CrashLoopBackOff", 3]);
    const failed = pod(
      { phase: "Pending", initContainerStatuses: [{ name: "i1", state: { terminated: { exitCode: 2 } } }] },
      { spec },
    );
    expect(cells(POD, failed)[2]).toBe("Init:ExitCode:2");
  });

  it("shows Completed with a Completed row condition for succeeded pods, and NotReady when a container still runs", () => {
    const done = printTable(
      POD,
      [
        pod({
          phase: "Succeeded",
          containerStatuses: [{ name: "a", ready: false, state: { terminated: { exitCode: 0, reason: "Completed" } } }],
        }),
      ],
      {
        includeObject: "None",
        tableVersion: "v1",
        now: NOW,
      },
    ).rows[0];
    expect(done?.cells[2]).toBe("Completed");
    expect(done?.conditions).toEqual([
      { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
    ]);
    const mixed = pod(
      {
        phase: "Running",
        containerStatuses: [
          { name: "a", ready: false, state: { terminated: { exitCode: 0, reason: "Completed" } } },
          running(),
        ],
      },
      { spec: { containers: [{ name: "a" }, { name: "b" }] } },
    );
    expect(cells(POD, mixed).slice(1, 3)).toEqual(["1/2", "NotReady"]);
  });

  it("shows Terminating for a pod being deleted, Unknown when its node is lost, and the pod's reason (Evicted)", () => {
    const deleting = pod(
      { phase: "Running", containerStatuses: [running()] },
      { metadata: { deletionTimestamp: ago(1) } },
    );
    expect(cells(POD, deleting)[2]).toBe("Terminating");
    const lost = pod({ phase: "Running", reason: "NodeLost" }, { metadata: { deletionTimestamp: ago(1) } });
    expect(cells(POD, lost)[2]).toBe("Unknown");
    expect(cells(POD, pod({ phase: "Failed", reason: "Evicted" }))[2]).toBe("Evicted");
  });

  it("counts readiness gates that are True", () => {
    const gated = pod(
      {
        phase: "Running",
        containerStatuses: [running()],
        conditions: [
          { type: "g1", status: "True" },
          { type: "g2", status: "False" },
        ],
      },
      { spec: { readinessGates: [{ conditionType: "g1" }, { conditionType: "g2" }] } },
    );
    expect(cells(POD, gated)[8]).toBe("1/2");
  });
});

describe("printTable: other kinds", () => {
  it("prints nodes with Ready/NotReady, SchedulingDisabled, sorted roles and addresses", () => {
    const node = {
      metadata: {
        name: "n1",
        creationTimestamp: ago(3 * 86400),
        labels: { "node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/control-plane": "" },
      },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: "Ready", status: "True" }],
        addresses: [{ type: "InternalIP", address: "10.0.0.1" }],
        nodeInfo: {
          kubeletVersion: "v1.34.1",
          osImage: "Debian",
          kernelVersion: "6.1",
          containerRuntimeVersion: "containerd://2.0",
        },
      },
    };
    expect(cells({ group: "", kind: "Node", apiVersion: "v1" }, node)).toEqual([
      "n1",
      "Ready,SchedulingDisabled",
      "control-plane,worker",
      "3d",
      "v1.34.1",
      "10.0.0.1",
      "<none>",
      "Debian",
      "6.1",
      "containerd://2.0",
    ]);
  });

  it("prints services of every type with their external IP and ports", () => {
    const svc = (spec: JsonObject, status: JsonObject = {}) =>
      cells(
        { group: "", kind: "Service", apiVersion: "v1" },
        { metadata: { name: "s", creationTimestamp: ago(10) }, spec, status },
      );
    expect(
      svc({
        type: "NodePort",
        clusterIP: "10.0.0.5",
        ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }],
        selector: { b: "2", a: "1" },
      }),
    ).toEqual(["s", "NodePort", "10.0.0.5", "<none>", "80:30080/TCP", "10s", "a=1,b=2"]);
    expect(svc({ type: "LoadBalancer", clusterIP: "10.0.0.6", ports: [] })[3]).toBe("<pending>");
    expect(
      svc({ type: "LoadBalancer", clusterIP: "10.0.0.6" }, { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } })[3],
    ).toBe("1.2.3.4");
    expect(svc({ type: "ExternalName", externalName: "db.example.com" }).slice(2, 5)).toEqual([
      "<none>",
      "db.example.com",
      "<none>",
    ]);
  });

  it("prints workloads: replica sets, daemon sets, stateful sets, jobs and cron jobs", () => {
    const template = {
      spec: {
        containers: [
          { name: "a", image: "x:1" },
          { name: "b", image: "y:2" },
        ],
      },
    };
    const selector = {
      matchLabels: { app: "w" },
      matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }],
    };
    const rs = {
      metadata: { name: "rs", creationTimestamp: ago(90) },
      spec: { replicas: 3, selector, template },
      status: { replicas: 3, readyReplicas: 2 },
    };
    expect(cells({ group: "apps", kind: "ReplicaSet", apiVersion: "apps/v1" }, rs)).toEqual([
      "rs",
      3,
      3,
      2,
      "90s",
      "a,b",
      "x:1,y:2",
      "app=w,tier in (a,b)",
    ]);
    const ss = {
      metadata: { name: "ss", creationTimestamp: ago(600) },
      spec: { replicas: 2, template },
      status: { readyReplicas: 1 },
    };
    expect(cells({ group: "apps", kind: "StatefulSet", apiVersion: "apps/v1" }, ss)).toEqual([
      "ss",
      "1/2",
      "10m",
      "a,b",
      "x:1,y:2",
    ]);
    const ds = {
      metadata: { name: "ds", creationTimestamp: ago(60) },
      spec: { template: { spec: { ...template.spec, nodeSelector: { disk: "ssd" } } } },
      status: { desiredNumberScheduled: 2 },
    };
    expect(cells({ group: "apps", kind: "DaemonSet", apiVersion: "apps/v1" }, ds).slice(0, 8)).toEqual([
      "ds",
      2,
      0,
      0,
      0,
      0,
      "disk=ssd",
      "60s",
    ]);
    const job = {
      metadata: { name: "j", creationTimestamp: ago(400) },
      spec: { completions: 3, template },
      status: {
        succeeded: 3,
        startTime: ago(400),
        completionTime: ago(250),
        conditions: [{ type: "Complete", status: "True" }],
      },
    };
    expect(cells({ group: "batch", kind: "Job", apiVersion: "batch/v1" }, job).slice(0, 5)).toEqual([
      "j",
      "Complete",
      "3/3",
      "2m30s",
      "6m40s",
    ]);
    const cron = {
      metadata: { name: "c", creationTimestamp: ago(7200) },
      spec: { schedule: "*/5 * * * *", suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{}], lastScheduleTime: ago(120) },
    };
    expect(cells({ group: "batch", kind: "CronJob", apiVersion: "batch/v1" }, cron).slice(0, 7)).toEqual([
      "c",
      "*/5 * * * *",
      "<none>",
      "False",
      1,
      "2m",
      "120m",
    ]);
  });

  it("prints secrets, endpoints, volumes, claims and ingresses", () => {
    expect(
      cells(
        { group: "", kind: "Secret", apiVersion: "v1" },
        { metadata: { name: "s", creationTimestamp: ago(5) }, type: "Opaque", data: { a: "", b: "" } },
      ),
    ).toEqual(["s", "Opaque", 2, "5s"]);
    const ep = {
      metadata: { name: "e", creationTimestamp: ago(5) },
      subsets: [
        {
          addresses: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }, { ip: "fd00::3" }, { ip: "10.0.0.4" }],
          ports: [{ port: 80 }],
        },
      ],
    };
    expect(cells({ group: "", kind: "Endpoints", apiVersion: "v1" }, ep)[1]).toBe(
      "10.0.0.1:80,10.0.0.2:80,[fd00::3]:80 + 1 more...",
    );
    const pv = {
      metadata: { name: "pv", creationTimestamp: ago(5) },
      spec: {
        capacity: { storage: "10Gi" },
        accessModes: ["ReadWriteMany", "ReadWriteOnce"],
        persistentVolumeReclaimPolicy: "Retain",
        claimRef: { namespace: "n", name: "c" },
        storageClassName: "fast",
      },
      status: { phase: "Bound" },
    };
    expect(cells({ group: "", kind: "PersistentVolume", apiVersion: "v1" }, pv)).toEqual([
      "pv",
      "10Gi",
      "RWO,RWX",
      "Retain",
      "Bound",
      "n/c",
      "fast",
      "<unset>",
      "",
      "5s",
      "<unset>",
    ]);
    const pvc = {
      metadata: {
        name: "c",
        creationTimestamp: ago(5),
        annotations: { "volume.beta.kubernetes.io/storage-class": "old" },
      },
      spec: { volumeName: "pv" },
      status: { phase: "Bound", capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"] },
    };
    expect(cells({ group: "", kind: "PersistentVolumeClaim", apiVersion: "v1" }, pvc)).toEqual([
      "c",
      "Bound",
      "pv",
      "10Gi",
      "RWO",
      "old",
      "<unset>",
      "5s",
      "<unset>",
    ]);
    const ing = {
      metadata: { name: "i", creationTimestamp: ago(5) },
      spec: { ingressClassName: "nginx", rules: [{ host: "a.example.com" }, {}], tls: [{}] },
      status: { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } },
    };
    expect(cells({ group: "networking.k8s.io", kind: "Ingress", apiVersion: "networking.k8s.io/v1" }, ing)).toEqual([
      "i",
      "nginx",
      "a.example.com",
      "lb.example.com",
      "80, 443",
      "5s",
    ]);
  });

  it("prints PodDisruptionBudgets with their budget (N/A when not set) and allowed disruptions", () => {
    const pdb: PrintableDescriptor = { group: "policy", kind: "PodDisruptionBudget", apiVersion: "policy/v1" };
    const table = printTable(
      pdb,
      [
        {
          metadata: { name: "a", creationTimestamp: ago(5) },
          spec: { minAvailable: 2 },
          status: { disruptionsAllowed: 1 },
        },
        { metadata: { name: "b", creationTimestamp: ago(5) }, spec: { maxUnavailable: "25%" } },
      ],
      { includeObject: "None", tableVersion: "v1", now: NOW },
    );
    expect(table.columnDefinitions.map((c) => [c.name, c.type])).toEqual([
      ["Name", "string"],
      ["Min Available", "string"],
      ["Max Unavailable", "string"],
      ["Allowed Disruptions", "integer"],
      ["Age", "string"],
    ]);
    expect(table.rows.map((r) => r.cells)).toEqual([
      ["a", "2", "N/A", 1, "5s"],
      ["b", "N/A", "25%", 0, "5s"],
    ]);
  });

  it("falls back to the server's generic Name / Created At table for kinds without a printer", () => {
    const widget = { group: "example.com", kind: "Widget", apiVersion: "example.com/v1" };
    expect(hasPrinter(widget)).toBe(false);
    expect(hasPrinter({ group: "", kind: "Route", apiVersion: "v1" })).toBe(true);
    const table = printTable(
      widget,
      [{ metadata: { name: "w", creationTimestamp: "2026-01-01T10:00:00.123Z" } }, { metadata: { name: "x" } }],
      {
        includeObject: "Object",
        tableVersion: "v1",
      },
    );
    expect(table.columnDefinitions.map((c) => [c.name, c.type, c.format])).toEqual([
      ["Name", "string", "name"],
      ["Created At", "date", ""],
    ]);
    expect(table.rows.map((r) => r.cells)).toEqual([
      ["w", "2026-01-01T10:00:00Z"],
      ["x", "0001-01-01T00:00:00Z"],
    ]);
    // includeObject=Object gives the object, with kind and apiVersion when the stored one lacks them.
    expect(table.rows[1]?.object).toEqual({ kind: "Widget", apiVersion: "example.com/v1", metadata: { name: "x" } });
  });

  it("wraps metadata in PartialObjectMetadata of the Table's version, and prints <unknown> for a missing creation time", () => {
    const table = printTable(
      { group: "", kind: "ConfigMap", apiVersion: "v1" },
      [{ metadata: { name: "c", labels: { a: "1" } } }],
      { includeObject: "Metadata", tableVersion: "v1beta1", now: NOW },
    );
    expect(table.apiVersion).toBe("meta.k8s.io/v1beta1");
    expect(table.rows[0]?.object).toEqual({
      kind: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1beta1",
      metadata: { name: "c", labels: { a: "1" } },
    });
    expect(table.rows[0]?.cells).toEqual(["c", 0, "<unknown>"]);
    expect(() => printTable(POD, [null as unknown as object], { includeObject: "None", tableVersion: "v1" })).toThrow(
      TypeError,
    );
  });

  it("prints OpenShift builds with origin's STARTED and DURATION", () => {
    const build = {
      metadata: { name: "app-1" },
      spec: {
        strategy: { type: "Source" },
        source: { git: { uri: "u", ref: "main" } },
        revision: { git: { commit: "0123456789abcdef0123456789abcdef01234567" } },
      },
      status: { phase: "Complete", startTimestamp: ago(180), duration: 95_000_000_000 },
    };
    expect(cells({ group: "build.openshift.io", kind: "Build", apiVersion: "build.openshift.io/v1" }, build)).toEqual([
      "app-1",
      "Source",
      "Git@0123456",
      "Complete",
      "3 minutes ago",
      "1m35s",
    ]);
  });
});

describe("durations", () => {
  it("formats AGE like apimachinery's HumanDuration", () => {
    const cases: [number, string][] = [
      [-5, "<invalid>"],
      [-1, "0s"],
      [0, "0s"],
      [119, "119s"],
      [120, "2m"],
      [125, "2m5s"],
      [600, "10m"],
      [3 * 3600 + 120, "3h2m"],
      [8 * 3600, "8h"],
      [47 * 3600, "47h"],
      [2 * 86400, "2d"],
      [2 * 86400 + 3 * 3600, "2d3h"],
      [30 * 86400, "30d"],
      [3 * 365 * 86400 + 5 * 86400, "3y5d"],
      [9 * 365 * 86400, "9y"],
    ];
    for (const [s, want] of cases) expect(humanDuration(s * 1000), String(s)).toBe(want);
  });

  it("formats docker's human durations and Go's Duration.String()", () => {
    expect(dockerHumanDuration(500)).toBe("Less than a second");
    expect(dockerHumanDuration(90_000)).toBe("About a minute");
    expect(dockerHumanDuration(3 * 3600_000)).toBe("3 hours");
    expect(dockerHumanDuration(20 * 86400_000)).toBe("2 weeks");
    expect(goDurationString(0)).toBe("0s");
    expect(goDurationString(1_500_000)).toBe("1.5ms");
    expect(goDurationString(3_723_500_000_000)).toBe("1h2m3.5s");
    expect(goDurationString(90_000_000_000)).toBe("1m30s");
  });

  it("AGE never exceeds the elapsed time and drops at most an eighth of it", () => {
    const unit: Record<string, number> = { y: 365 * 86400, d: 86400, h: 3600, m: 60, s: 1 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * 365 * 86400 }), (seconds) => {
        const text = humanDuration(seconds * 1000);
        let shown = 0;
        for (const [, n, u] of text.matchAll(/(\d+)([ydhms])/g)) shown += Number(n) * (unit[u as string] as number);
        expect(shown).toBeLessThanOrEqual(seconds);
        expect(seconds - shown).toBeLessThanOrEqual(seconds / 8);
      }),
      { numRuns: 1000 },
    );
  });
});
