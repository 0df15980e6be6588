// Replays the recorded server-side printing (kube-apiserver 1.20.2, OpenShift Origin 3.11) through printTable:
// column definitions must match exactly, and cells must match with ages computed against a "now" derived from the
// recording (the time at which every recorded AGE holds).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../../tools/shared-dir.ts";
import { type PrintableDescriptor, printTable } from "./table.ts";

type JsonObject = Record<string, unknown>;
interface Row {
  cells: unknown[];
  object: JsonObject | null;
}
interface TableBody {
  kind: string;
  apiVersion: string;
  columnDefinitions: unknown[];
  rows: Row[];
}
interface Exchange {
  request: { path: string; query: string; headers: Record<string, string> };
  response: { status: number; body: TableBody };
}

function exchanges(server: string, file: string): Exchange[] {
  return JSON.parse(readFileSync(fixturePath(`${server}/table/${file}`), "utf8")).exchanges;
}

function tables(server: string, file: string): Exchange[] {
  return exchanges(server, file).filter((e) => e.response.status === 200 && e.response.body.kind === "Table");
}

const AGE = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

function ageSeconds(text: string): number {
  const m = AGE.exec(text);
  if (m === null || text === "") throw new Error(`not an age: ${text}`);
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

/** The moment every recorded age in the column holds: the latest of creationTimestamp + age, plus half a second. */
function nowFor(rows: { created: string; age: string }[]): Date {
  const t = Math.max(...rows.map((r) => Date.parse(r.created) + ageSeconds(r.age) * 1000));
  return new Date(t + 500);
}

function meta(row: Row): JsonObject {
  return (row.object?.metadata ?? {}) as JsonObject;
}

/** Keys a manager recorded under `f:<field>` of the object's managedFields (what the object really has). */
function managedKeys(metadata: JsonObject, field: string): string[] {
  const keys: string[] = [];
  for (const e of (metadata.managedFields ?? []) as { fieldsV1?: JsonObject }[]) {
    const sub = e.fieldsV1?.[`f:${field}`] as JsonObject | undefined;
    for (const k of Object.keys(sub ?? {})) if (k !== ".") keys.push(k);
  }
  return keys;
}

const K8S = "kubernetes-v1.20.2";
const OS = "openshift-v3.11.0";
const d = (group: string, kind: string, apiVersion: string): PrintableDescriptor => ({ group, kind, apiVersion });

describe("recorded Tables of kube-apiserver 1.20.2", () => {
  const podTables = tables(K8S, "include-object.json");
  const fullPods = (
    podTables.find((e) => e.request.query === "includeObject=Object") as Exchange
  ).response.body.rows.map((r) => r.object as JsonObject);
  const podNow = nowFor(
    fullPods.map((p, i) => ({
      created: String((p.metadata as JsonObject).creationTimestamp),
      age: String(podTables[0]?.response.body.rows[i]?.cells[4]),
    })),
  );

  it("pods: every recorded pods Table (v1, v1beta1, single object, each includeObject) comes out exactly", () => {
    const all = [...tables(K8S, "pods.json"), ...podTables];
    expect(all.length).toBe(6);
    for (const ex of all) {
      const byName = new Map(fullPods.map((p) => [String((p.metadata as JsonObject).name), p]));
      const objects = ex.response.body.rows.map((r) => byName.get(String(meta(r).name ?? r.cells[0])) as JsonObject);
      const includeObject = (new URLSearchParams(ex.request.query).get("includeObject") ?? "Metadata") as
        | "None"
        | "Object"
        | "Metadata";
      const version = ex.response.body.apiVersion === "meta.k8s.io/v1" ? "v1" : "v1beta1";
      const printed = printTable(d("", "Pod", "v1"), objects, { includeObject, tableVersion: version, now: podNow });
      expect(printed.kind).toBe("Table");
      expect(printed.apiVersion).toBe(ex.response.body.apiVersion);
      expect(printed.columnDefinitions).toEqual(ex.response.body.columnDefinitions);
      expect(printed.rows.map((r) => r.cells)).toEqual(ex.response.body.rows.map((r) => r.cells));
      // The row objects are what the server sent: the full pod, its PartialObjectMetadata, or null.
      expect(printed.rows.map((r) => r.object)).toEqual(ex.response.body.rows.map((r) => r.object));
    }
  });

  it("an empty pod list prints the columns and no rows", () => {
    const ex = tables(K8S, "partial-object-metadata.json")[0] as Exchange;
    const printed = printTable(d("", "Pod", "v1"), [], { includeObject: "Metadata", tableVersion: "v1" });
    expect(printed.columnDefinitions).toEqual(ex.response.body.columnDefinitions);
    expect(printed.rows).toEqual([]);
  });

  /** Prints rebuilt objects for every recorded Table of a file and compares columns, cells and row objects. */
  function replay(
    file: string,
    descriptor: PrintableDescriptor,
    rebuild: (row: Row) => JsonObject,
    ageColumn: number,
  ): number {
    let compared = 0;
    for (const ex of tables(K8S, file)) {
      const rows = ex.response.body.rows;
      const objects = rows.map(rebuild);
      const now = nowFor(
        rows.map((r) => ({ created: String(meta(r).creationTimestamp), age: String(r.cells[ageColumn]) })),
      );
      const version = ex.response.body.apiVersion === "meta.k8s.io/v1" ? "v1" : "v1beta1";
      const printed = printTable(descriptor, objects, { includeObject: "Metadata", tableVersion: version, now });
      expect(printed.columnDefinitions, file).toEqual(ex.response.body.columnDefinitions);
      expect(
        printed.rows.map((r) => r.cells),
        file,
      ).toEqual(rows.map((r) => r.cells));
      expect(
        printed.rows.map((r) => r.object),
        file,
      ).toEqual(rows.map((r) => r.object));
      compared++;
    }
    return compared;
  }

  it("configmaps: the Data count comes from the keys the objects' managedFields record", () => {
    const n = replay(
      "configmaps.json",
      d("", "ConfigMap", "v1"),
      (r) => ({
        metadata: meta(r),
        data: Object.fromEntries(managedKeys(meta(r), "data").map((k) => [k.slice(2), "x"])),
      }),
      2,
    );
    expect(n).toBe(3);
  });

  it("namespaces: name, phase and age", () => {
    const n = replay(
      "namespaces.json",
      d("", "Namespace", "v1"),
      (r) => ({ metadata: meta(r), status: { phase: "Active" } }),
      2,
    );
    expect(n).toBe(3);
  });

  it("serviceaccounts: the Secrets count of the recorded setup (one token secret each)", () => {
    const n = replay(
      "serviceaccounts.json",
      d("", "ServiceAccount", "v1"),
      (r) => ({ metadata: meta(r), secrets: [{ name: `${String(meta(r).name)}-token-abcde` }] }),
      2,
    );
    expect(n).toBe(3);
  });

  it("deployments: Ready n/m, integers for Up-to-date and Available, containers and images of the recorded pod template", () => {
    const template = (fullPods[0] as { spec: JsonObject }).spec;
    const n = replay(
      "deployments.json",
      d("apps", "Deployment", "apps/v1"),
      (r) => ({
        metadata: meta(r),
        spec: { replicas: 1, selector: { matchLabels: { app: "fx-deploy" } }, template: { spec: template } },
        // No node: the replica set's pod exists (updated) but is neither ready nor available.
        status: { replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 },
      }),
      4,
    );
    expect(n).toBe(3);
  });

  it("services: type, cluster IP, ports from the recorded service spec", () => {
    const n = replay(
      "services.json",
      d("", "Service", "v1"),
      (r) => ({
        metadata: meta(r),
        spec: {
          type: "ClusterIP",
          // The allocated IP is only visible in the recorded cell.
          clusterIP: r.cells[2],
          clusterIPs: [r.cells[2]],
          ports: [{ port: 80, protocol: "TCP", targetPort: 80 }],
          selector: { app: "fx-deploy" },
        },
      }),
      5,
    );
    expect(n).toBe(3);
  });

  it("events: object kind/name, source, counts and times of the controllers' events", () => {
    const n = replay(
      "events.json",
      d("", "Event", "v1"),
      (r) => {
        const [, type, reason, object, fieldPath, source, message] = r.cells as string[];
        const [kind, name] = String(object).split("/");
        const created = String(meta(r).creationTimestamp);
        return {
          metadata: meta(r),
          involvedObject: { kind: kind === "replicaset" ? "ReplicaSet" : "Deployment", name, fieldPath },
          type,
          reason,
          message,
          source: { component: source },
          firstTimestamp: created,
          lastTimestamp: created,
          count: 1,
        };
      },
      0,
    );
    expect(n).toBe(2);
  });
});

describe("recorded Tables of OpenShift Origin 3.11", () => {
  const routeTables = tables(OS, "routes.json");
  const routes = (
    routeTables.find((e) => e.request.query === "includeObject=Object") as Exchange
  ).response.body.rows.map((r) => r.object as JsonObject);

  it("routes: host, path, weighted services, port, termination and wildcard, through /oapi/v1 and the group", () => {
    expect(routeTables.length).toBe(6);
    for (const ex of routeTables) {
      const legacy = ex.request.path.startsWith("/oapi/");
      const descriptor = legacy ? d("", "Route", "v1") : d("route.openshift.io", "Route", "route.openshift.io/v1");
      const objects = ex.response.body.rows.map(
        (r) => routes.find((o) => (o.metadata as JsonObject).name === r.cells[0]) as JsonObject,
      );
      const printed = printTable(descriptor, objects, { includeObject: "Metadata", tableVersion: "v1beta1" });
      expect(printed.apiVersion).toBe("meta.k8s.io/v1beta1");
      expect(printed.columnDefinitions).toEqual(ex.response.body.columnDefinitions);
      expect(printed.rows.map((r) => r.cells)).toEqual(ex.response.body.rows.map((r) => r.cells));
    }
  });

  function latest(file: string, kind: string, name: string): JsonObject {
    const all = JSON.parse(readFileSync(fixturePath(`${OS}/openshift/${file}`), "utf8")).exchanges as Exchange[];
    const found = all
      .map((e) => e.response.body as unknown as JsonObject)
      .filter((b) => b?.kind === kind && (b.metadata as JsonObject)?.name === name);
    const last = found[found.length - 1];
    if (last === undefined) throw new Error(`${kind} ${name} is not in ${file}`);
    return structuredClone(last);
  }

  function replay(file: string, group: string, kind: string, objectsFor: (names: string[]) => JsonObject[]): number {
    let compared = 0;
    for (const ex of tables(OS, file)) {
      const legacy = ex.request.path.startsWith("/oapi/");
      const descriptor = legacy ? d("", kind, "v1") : d(group, kind, `${group}/v1`);
      const objects = objectsFor(ex.response.body.rows.map((r) => String(r.cells[0])));
      const printed = printTable(descriptor, objects, { includeObject: "Metadata", tableVersion: "v1beta1" });
      expect(printed.columnDefinitions, file).toEqual(ex.response.body.columnDefinitions);
      expect(
        printed.rows.map((r) => r.cells),
        file,
      ).toEqual(ex.response.body.rows.map((r) => r.cells));
      compared++;
    }
    return compared;
  }

  it("buildconfigs: strategy, source and the latest version", () => {
    const app = latest("buildconfig-oapi.json", "BuildConfig", "app");
    const appG = latest("buildconfig-groups.json", "BuildConfig", "app-g");
    // The table was recorded after the builds app-2 and app-g-1 that those fixtures start.
    (app.status as JsonObject).lastVersion = 2;
    (appG.status as JsonObject).lastVersion = 1;
    expect(replay("buildconfigs.json", "build.openshift.io", "BuildConfig", () => [app, appG])).toBe(4);
  });

  it("deploymentconfigs: revision, desired, current and triggers", () => {
    const frontend = latest("deploymentconfig-oapi.json", "DeploymentConfig", "frontend");
    const frontendG = latest("deploymentconfig-groups.json", "DeploymentConfig", "frontend-g");
    expect(replay("deploymentconfigs.json", "apps.openshift.io", "DeploymentConfig", () => [frontend, frontendG])).toBe(
      4,
    );
  });

  it("imagestreams: repository, tags and the last update", () => {
    const app = latest("imagestream-oapi.json", "ImageStream", "app");
    const busybox = latest("imagestream-groups.json", "ImageStream", "busybox");
    const imported = latest("imagestream-groups.json", "ImageStream", "imported");
    expect(replay("imagestreams.json", "image.openshift.io", "ImageStream", () => [app, busybox, imported])).toBe(4);
  });

  it("projects: display name and phase", () => {
    const n = replay("projects.json", "project.openshift.io", "Project", (names) =>
      names.map((name) => ({ metadata: { name, annotations: {} }, status: { phase: "Active" } })),
    );
    expect(n).toBe(4);
  });
});
