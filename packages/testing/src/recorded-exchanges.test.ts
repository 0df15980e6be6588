/**
 * Fidelity: replays the exchanges recorded against a real kube-apiserver v1.20.2 (shared/fixtures) against the fake
 * cluster and compares status codes, Status reasons, messages and details, object bodies (without the fields the
 * recordings name volatile), list and watch framing and discovery entries. Each scenario gets the setup its
 * recording describes; the deliberate differences are listed in the package README and skipped here by exchange,
 * each with its reason.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../tools/shared-dir.ts";
import { type CallResult, call, events, stream } from "./_test-client.ts";
import type { AuthorizationAttributes, AuthorizationDecision } from "./auth/authorizer.ts";
import { type FakeCluster, type FakeClusterOptions, startFakeCluster } from "./start-fake-cluster.ts";

interface Exchange {
  request: {
    method: string;
    path: string;
    query: string;
    headers: Record<string, string>;
    auth: string;
    body: unknown;
  };
  response: {
    status: number;
    headers: Record<string, string>;
    body: unknown;
    stream?: string[];
    actions?: { afterLine: number; did: string }[];
  };
}

interface Fixture {
  scenario: string;
  exchanges: Exchange[];
  volatile: string[];
}

interface Scenario {
  /** Cluster options beyond the defaults of this replay. */
  readonly options?: FakeClusterOptions;
  /** Namespaces to create. */
  readonly namespaces?: readonly string[];
  /** Objects to create first. */
  readonly objects?: readonly object[];
  /** Runs before exchange `index`. */
  readonly before?: (cluster: FakeCluster, index: number, previous: CallResult | undefined) => void | Promise<void>;
  /** Exchanges not compared, with the deliberate difference that explains each. */
  readonly differences?: Readonly<Record<number, string>>;
  /** Compare only the listed top-level body keys of 2xx object answers (the rest differs between 1.20 and 1.34). */
  readonly compareKeys?: readonly string[];
  /** More fields to ignore, for behaviour that changed after 1.20 (named in the README). */
  readonly ignore?: readonly string[];
  /** Query parameters to change (a shorter timeoutSeconds keeps the suite fast). */
  readonly query?: Readonly<Record<string, string>>;
}

const ALWAYS_VOLATILE = [
  "metadata.uid",
  "metadata.resourceVersion",
  "metadata.creationTimestamp",
  "metadata.managedFields",
];

function load(scenario: string): Fixture {
  return JSON.parse(readFileSync(fixturePath(`kubernetes-v1.20.2/${scenario}.json`), "utf8")) as Fixture;
}

/** Splits `a.b["c/d"].e` into keys. */
function pathKeys(path: string): string[] {
  const keys: string[] = [];
  const re = /\["([^"]+)"\]|([^.[\]]+)/g;
  for (let m = re.exec(path); m !== null; m = re.exec(path)) keys.push((m[1] ?? m[2]) as string);
  return keys;
}

/** Deletes volatile paths at any depth (arrays traversed implicitly), as the fixtures README defines them. */
function stripVolatile(value: unknown, paths: readonly string[]): unknown {
  const copy = JSON.parse(JSON.stringify(value ?? null));
  const remove = (node: unknown, keys: string[]): void => {
    if (Array.isArray(node)) {
      for (const n of node) remove(n, keys);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const obj = node as Record<string, unknown>;
    const [head, ...rest] = keys;
    if (head === undefined) return;
    if (rest.length === 0) delete obj[head];
    else if (head in obj) remove(obj[head], rest);
    for (const v of Object.values(obj)) remove(v, keys);
  };
  for (const p of [...ALWAYS_VOLATILE, ...paths]) remove(copy, pathKeys(p));
  // A map emptied by the removal (annotations whose only key was volatile) reads as absent.
  const prune = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if ((k === "annotations" || k === "labels") && typeof v === "object" && v !== null && Object.keys(v).length === 0)
        delete (node as Record<string, unknown>)[k];
      else prune(v);
    }
  };
  prune(copy);
  return copy;
}

const CONFIGMAP = (
  namespace: string,
  name: string,
  data: Record<string, string> = { k: "v" },
  labels?: Record<string, string>,
): object => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace, ...(labels === undefined ? {} : { labels }) },
  data,
});

const DEPLOYMENT = (namespace: string, name: string, containers = [{ name: "web", image: "nginx:1.19" }]): object => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers } },
  },
});

/** RBAC of the recorded cluster: admins may do anything, token-user only read in fx-auth, anonymous the public endpoints. */
function recordedRbac(a: AuthorizationAttributes): AuthorizationDecision {
  if (a.user.groups.includes("system:masters")) return { allowed: true };
  if (a.user.name === "system:anonymous")
    return {
      allowed: !a.isResourceRequest && a.verb === "get" && /^\/(healthz|livez|readyz|version)(\/.*)?$/.test(a.path),
    };
  return {
    allowed: a.namespace === "fx-auth" && ["get", "list", "watch"].includes(a.verb) && a.resource !== "secrets",
  };
}

const SCENARIOS: Readonly<Record<string, Scenario>> = {
  "errors/get-missing-pod": { namespaces: ["fx-errors"] },
  "errors/create-in-missing-namespace": {},
  "errors/create-duplicate-configmap": { namespaces: ["fx-errors"] },
  "errors/replace-stale-resourceversion": {
    namespaces: ["fx-errors"],
    before: (_c, i, previous) => {
      if (i === 1) replaceRv.value = previous?.json().metadata.resourceVersion;
    },
  },
  "errors/invalid-name": { namespaces: ["fx-errors"] },
  "errors/pod-without-containers": { namespaces: ["fx-errors"] },
  "errors/bad-label-selector": { namespaces: ["fx-errors"] },
  "errors/bad-field-selector": { namespaces: ["fx-errors"] },
  "errors/malformed-json": { namespaces: ["fx-errors"] },
  "errors/method-not-allowed": { namespaces: ["fx-errors"], objects: [CONFIGMAP("fx-errors", "exists")] },
  "errors/not-acceptable": {
    namespaces: ["fx-errors"],
    objects: [CONFIGMAP("fx-errors", "exists")],
    differences: { 1: "the 406 message lists only the media types the fake cluster encodes (no protobuf)" },
  },
  "errors/unsupported-media-type": {
    namespaces: ["fx-errors"],
    objects: [CONFIGMAP("fx-errors", "exists")],
    differences: { 1: "the 415 message lists only the media types the fake cluster decodes (no protobuf)" },
  },
  "errors/patch-missing-object": { namespaces: ["fx-errors"] },
  "errors/no-token": { options: { anonymous: true, authorizer: recordedRbac }, namespaces: ["fx-errors"] },
  "errors/bad-token": { namespaces: ["fx-errors"] },
  "errors/forbidden-list-pods": { options: { authorizer: recordedRbac }, namespaces: ["fx-errors"] },
  "errors/forbidden-create-configmap": { options: { authorizer: recordedRbac }, namespaces: ["fx-errors"] },
  "errors/forbidden-get-node": { options: { authorizer: recordedRbac } },
  "errors/unknown-resource-path": {
    namespaces: ["fx-errors"],
    differences: {
      3: "the root path list names the paths the fake cluster serves (Kubernetes 1.34 groups), not 1.20's",
    },
  },
  "errors/too-large-resource-version-get": {
    options: { tooLargeResourceVersionWaitMs: 50 },
    namespaces: ["fx-errors"],
    objects: [CONFIGMAP("fx-errors", "exists")],
  },
  "errors/too-large-resource-version-watch": { namespaces: ["fx-errors"] },
  "crud/configmap-create": { namespaces: ["fx-crud"] },
  "crud/configmap-create-generatename": { namespaces: ["fx-crud"] },
  "crud/configmap-get": {
    namespaces: ["fx-crud"],
    objects: [CONFIGMAP("fx-crud", "cm1", { k1: "v1" }, { app: "fx", tier: "a" })],
  },
  "crud/configmap-replace": {
    namespaces: ["fx-crud"],
    objects: [CONFIGMAP("fx-crud", "cm1", { k1: "v1" }, { app: "fx", tier: "a" })],
    before: (_c, i, previous) => {
      if (i === 1) replaceRv.value = previous?.json().metadata.resourceVersion;
    },
  },
  "crud/configmap-merge-patch": {
    namespaces: ["fx-crud"],
    objects: [CONFIGMAP("fx-crud", "cm1", { k1: "v1-replaced", k2: "new" }, { app: "fx", tier: "a" })],
  },
  "crud/configmap-json-patch": {
    namespaces: ["fx-crud"],
    objects: [CONFIGMAP("fx-crud", "cm1", { k1: "v1-replaced", k3: "v3" }, { app: "fx", patched: "merge", tier: "a" })],
  },
  "crud/list-label-selector": {
    namespaces: ["fx-crud"],
    objects: listObjects(),
    compareKeys: ["kind", "apiVersion", "items"],
  },
  "crud/list-field-selector": {
    namespaces: ["fx-crud"],
    objects: listObjects(),
    compareKeys: ["kind", "apiVersion", "items"],
  },
  "crud/list-pagination": {
    namespaces: ["fx-crud"],
    objects: listObjects(),
    compareKeys: ["kind", "apiVersion", "items"],
    before: (_c, _i, previous) => {
      continueToken.value = previous?.json().metadata?.continue;
    },
  },
  "crud/delete-collection": {
    namespaces: ["fx-crud"],
    objects: ["batch-1", "batch-2", "batch-3"].map((n) => CONFIGMAP("fx-crud", n, { k: "v" }, { batch: "x" })),
    compareKeys: ["kind", "apiVersion", "items"],
  },
  "crud/delete-configmap-status": {
    namespaces: ["fx-crud"],
    objects: ["del-me", "del-me-2", "cm2"].map((n) => CONFIGMAP("fx-crud", n)),
  },
  "crud/delete-deployment-background": { namespaces: ["fx-crud"], objects: [DEPLOYMENT("fx-crud", "bg")] },
  "crud/delete-deployment-foreground": {
    // The GET must come before the garbage collector finishes: a margin that a loaded machine does not eat up.
    options: { controllerDelayMs: 2000 },
    namespaces: ["fx-crud"],
    objects: [DEPLOYMENT("fx-crud", "fg")],
    compareKeys: ["kind", "apiVersion", "metadata"],
  },
  "crud/delete-deployment-orphan": {
    options: { controllerDelayMs: 200 },
    namespaces: ["fx-crud"],
    objects: [DEPLOYMENT("fx-crud", "orphan")],
    compareKeys: ["kind", "apiVersion", "metadata"],
  },
  "crud/delete-namespace-object": {
    options: { controllerDelayMs: 200 },
    namespaces: ["fx-crud-del"],
    // Since 1.21 every namespace carries this label.
    ignore: ['metadata.labels["kubernetes.io/metadata.name"]', "metadata.labels"],
  },
  "crud/deployment-scale": {
    namespaces: ["fx-crud"],
    objects: [DEPLOYMENT("fx-crud", "web")],
    compareKeys: ["kind", "apiVersion", "spec"],
  },
  "crud/deployment-strategic-merge-patch": {
    namespaces: ["fx-crud"],
    compareKeys: ["kind", "apiVersion", "spec"],
  },
  "crud/dry-run-create": { namespaces: ["fx-crud"] },
  "crud/server-side-apply": { namespaces: ["fx-crud"] },
  "watch/watch-configmaps": { namespaces: ["fx-watch"] },
  "watch/watch-from-rv-0": {
    namespaces: ["fx-watch"],
    objects: [CONFIGMAP("fx-watch", "pre-1"), CONFIGMAP("fx-watch", "pre-2")],
  },
  "watch/watch-without-rv": {
    namespaces: ["fx-watch"],
    objects: [CONFIGMAP("fx-watch", "pre-1"), CONFIGMAP("fx-watch", "pre-2")],
  },
  "watch/watch-legacy-path": {
    namespaces: ["fx-watch"],
    objects: [CONFIGMAP("fx-watch", "pre-1"), CONFIGMAP("fx-watch", "pre-2")],
  },
  "watch/watch-bookmarks-timeout": {
    options: { bookmarkIntervalMs: 60_000 },
    namespaces: ["fx-watch"],
    query: { timeoutSeconds: "3" },
  },
  "watch/watch-send-initial-events": {
    options: { watchList: "ignored" },
    namespaces: ["fx-watch"],
    objects: [CONFIGMAP("fx-watch", "pre-1"), CONFIGMAP("fx-watch", "pre-2")],
  },
  "watch/watch-table": {
    namespaces: ["fx-watch"],
    objects: [CONFIGMAP("fx-watch", "pre-1"), CONFIGMAP("fx-watch", "pre-2")],
  },
  "discovery/version": {
    options: { anonymous: true, authorizer: recordedRbac },
    differences: { 0: "the fake cluster reports Kubernetes v1.34.1", 1: "the fake cluster reports Kubernetes v1.34.1" },
  },
  "discovery/api": {
    options: { anonymous: true, authorizer: recordedRbac },
    ignore: ["serverAddressByClientCIDRs.serverAddress"],
  },
  "discovery/apis-apps": {},
  "discovery/healthz": {
    options: { anonymous: true, authorizer: recordedRbac },
    differences: { 1: "the verbose list names the checks of the fake cluster" },
  },
  "discovery/livez": {
    options: { anonymous: true, authorizer: recordedRbac },
    differences: { 1: "the verbose list names the checks of the fake cluster" },
  },
  "discovery/readyz": {
    options: { anonymous: true, authorizer: recordedRbac },
    differences: { 1: "the verbose list names the checks of the fake cluster" },
  },
};

/** The setup of crud/list-*: cm1..cm4 and a generated name, as the recording lists them. */
function listObjects(): object[] {
  return [
    CONFIGMAP("fx-crud", "cm1", { k1: "v1" }, { app: "fx", tier: "a" }),
    CONFIGMAP("fx-crud", "cm2", { k: "v" }, { app: "fx", tier: "b" }),
    CONFIGMAP("fx-crud", "cm3", { k: "v" }, { app: "other", tier: "a" }),
    CONFIGMAP("fx-crud", "cm4", { k: "v" }, { app: "fx", tier: "c" }),
    {
      ...CONFIGMAP("fx-crud", "", { k: "v" }, { app: "fx", tier: "gen" }),
      metadata: { generateName: "gen-", namespace: "fx-crud", labels: { app: "fx", tier: "gen" } },
    },
  ];
}

const replaceRv: { value: string | undefined } = { value: undefined };
const continueToken: { value: string | undefined } = { value: undefined };

/** The request's query with this recording's resourceVersions and continue tokens replaced by the live ones. */
function liveQuery(cluster: FakeCluster, query: string, previous: CallResult | undefined): string {
  const params = new URLSearchParams(query);
  const rv = params.get("resourceVersion");
  if (rv !== null && rv !== "0" && rv !== "999999999") {
    const fromList = previous?.json?.().metadata?.resourceVersion;
    params.set(
      "resourceVersion",
      typeof fromList === "string" && previous?.json().kind?.endsWith("List")
        ? fromList
        : cluster.store.resourceVersion,
    );
  }
  if (params.has("continue") && continueToken.value !== undefined) params.set("continue", continueToken.value);
  return params.toString().replace(/\+/g, "%20");
}

/** The request body with this recording's resourceVersion replaced by the live one. */
function liveBody(body: unknown): unknown {
  if (typeof body !== "object" || body === null || replaceRv.value === undefined) return body;
  const copy = JSON.parse(JSON.stringify(body)) as { metadata?: { resourceVersion?: string; uid?: string } };
  if (copy.metadata?.resourceVersion !== undefined) {
    // The first PUT carries the current version; a later one the stale first version, as recorded.
    if (!liveBody.usedOnce) copy.metadata.resourceVersion = replaceRv.value;
    else copy.metadata.resourceVersion = liveBody.first ?? replaceRv.value;
    liveBody.first ??= replaceRv.value;
    liveBody.usedOnce = true;
  }
  delete copy.metadata?.uid;
  return copy;
}
liveBody.usedOnce = false;
liveBody.first = undefined as string | undefined;

async function credentials(
  cluster: FakeCluster,
  auth: string,
): Promise<{ token: string | null; cert?: Awaited<ReturnType<FakeCluster["issueClientCertificate"]>> }> {
  switch (auth) {
    case "token:admin":
      return { token: cluster.token };
    case "token:user":
      return { token: "user-token" };
    case "token:invalid":
      return { token: "not-a-valid-token" };
    case "cert:admin":
      return {
        token: null,
        cert: await cluster.issueClientCertificate({ user: "cert-admin", groups: ["system:masters"] }),
      };
    case "cert:user":
      return {
        token: null,
        cert: await cluster.issueClientCertificate({ user: "cert-user", groups: ["oracle-devs"] }),
      };
    default:
      return { token: null };
  }
}

/** Performs a recorded side action ("POST configmap w1 data {k: v1}", "PATCH (merge) configmap pre-1 data {k: v2}"). */
function act(cluster: FakeCluster, namespace: string, did: string): void {
  const m = /^(POST|PATCH \(merge\)|DELETE) configmap (\S+)(?: data \{(\w+): (\w+)\})?/.exec(did);
  if (m === null) throw new Error(`unknown action: ${did}`);
  const [, verb, name, key, value] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const data = key === undefined ? { k: "v" } : { [key]: value as string };
  if (verb === "POST") cluster.store.create(CONFIGMAP(namespace, name, data));
  else if (verb === "DELETE") cluster.store.delete({ apiVersion: "v1", kind: "ConfigMap" }, name, namespace);
  else cluster.store.put(CONFIGMAP(namespace, name, data));
}

function compareStatus(actual: unknown, expected: Record<string, unknown>, volatile: readonly string[]): void {
  const a = actual as Record<string, unknown>;
  expect(a.kind).toBe("Status");
  for (const key of ["apiVersion", "status", "reason", "code"]) expect(a[key], key).toEqual(expected[key]);
  if (!volatile.includes("message")) expect(a.message).toBe(expected.message);
  const details = stripVolatile(expected.details, ["details.uid", "uid"]);
  if (expected.details !== undefined) expect(stripVolatile(a.details, ["uid"])).toEqual(details);
  else expect(a.details).toBeUndefined();
}

for (const [name, scenario] of Object.entries(SCENARIOS)) {
  describe(`replay of ${name}`, () => {
    it("answers as the recorded kube-apiserver v1.20.2 did", async () => {
      const fixture = load(name);
      replaceRv.value = undefined;
      continueToken.value = undefined;
      liveBody.usedOnce = false;
      liveBody.first = undefined;
      await using cluster = await startFakeCluster({
        users: [
          { name: "token-admin", token: "admin-token", groups: ["system:masters"] },
          { name: "token-user", token: "user-token", groups: ["oracle-devs"] },
        ],
        ...scenario.options,
      });
      for (const ns of scenario.namespaces ?? [])
        cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
      for (const o of scenario.objects ?? []) cluster.store.create(o);
      // Let the namespace controllers add their service accounts and root CA config maps.
      await new Promise((r) => setTimeout(r, 20));
      let previous: CallResult | undefined;
      for (const [index, exchange] of fixture.exchanges.entries()) {
        await scenario.before?.(cluster, index, previous);
        const { request, response } = exchange;
        const where = `${name} exchange ${index}: ${request.method} ${request.path}`;
        let query = liveQuery(cluster, request.query, previous);
        if (scenario.query !== undefined) {
          const params = new URLSearchParams(query);
          for (const [k, v] of Object.entries(scenario.query)) params.set(k, v);
          query = params.toString();
        }
        const path = `${request.path}${query === "" ? "" : `?${query}`}`;
        const creds = await credentials(cluster, request.auth);
        const headers = { ...request.headers };
        if (response.stream !== undefined && response.status === 200) {
          const namespace = /namespaces\/([^/]+)/.exec(request.path)?.[1] ?? "default";
          const s = await stream(cluster, path, { headers, ...creds });
          expect(s.status, where).toBe(200);
          const actions = [...(response.actions ?? [])];
          const expectedLines = response.stream.length;
          const timed = /timeoutSeconds/.test(request.query);
          for (let line = -1; line < expectedLines; line++) {
            if (line >= 0 && !(timed && line > 0)) await s.waitFor(line + 1, 12_000);
            for (const a of actions.filter((x) => x.afterLine === line)) act(cluster, namespace, a.did);
          }
          if (/timeoutSeconds/.test(request.query) || response.stream.length === 0) await s.ended;
          else await s.waitFor(expectedLines, 12_000);
          s.close();
          const got = events(s.lines.slice(0, expectedLines + (/timeoutSeconds/.test(request.query) ? 5 : 0)));
          const want = events(response.stream);
          const shape = (list: { type: string; object: Record<string, unknown> }[]): string[] =>
            list
              .map(
                (e) =>
                  `${e.type} ${String(e.object.kind)} ${String((e.object.metadata as { name?: string } | undefined)?.name ?? (e.object as { reason?: string }).reason ?? "")}`,
              )
              .filter((l) => !l.includes("kube-root-ca.crt"));
          if (name.endsWith("bookmarks-timeout"))
            // 1.20 sent the pre-deadline bookmark twice; one is what the watch cache promises.
            expect([...new Set(shape(got))], where).toEqual([...new Set(shape(want))]);
          else if (name.endsWith("from-rv-0") || name.endsWith("without-rv") || name.endsWith("send-initial-events"))
            expect(shape(got).sort(), where).toEqual(shape(want).sort());
          else expect(shape(got), where).toEqual(shape(want));
          previous = undefined;
          continue;
        }
        const r = await call(cluster, request.method, path, {
          headers,
          ...creds,
          ...(request.body === null
            ? {}
            : { body: typeof request.body === "string" ? request.body : (liveBody(request.body) as object) }),
        });
        previous = r;
        if (scenario.differences?.[index] !== undefined) {
          // A deliberate difference (see the README): only the status code is compared.
          expect(r.status, where).toBe(response.status);
          continue;
        }
        expect(r.status, where).toBe(response.status);
        const recordedType = (response.headers["content-type"] ?? "").split(";")[0];
        if (recordedType !== "") expect((r.headers["content-type"] ?? "").split(";")[0], where).toBe(recordedType);
        const body = response.body as Record<string, unknown> | string | null;
        if (body === null || typeof body === "string") {
          if (typeof body === "string" && recordedType === "text/plain") expect(r.text, where).toBe(body);
          continue;
        }
        if (body.kind === "Status") {
          compareStatus(r.json(), body, fixture.volatile);
          continue;
        }
        const keys = scenario.compareKeys;
        const pick = (o: Record<string, unknown>): Record<string, unknown> =>
          keys === undefined ? o : Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
        const volatile = [...fixture.volatile, ...(scenario.ignore ?? [])];
        const actual = stripVolatile(pick(r.json()), volatile) as Record<string, unknown>;
        const expected = stripVolatile(pick(body), volatile) as Record<string, unknown>;
        if (Array.isArray(expected.items)) {
          // kube-root-ca.crt exists in every recorded namespace; it also does here, with another CA.
          expected.items = (expected.items as { metadata?: { name?: string } }[]).filter(
            (i) => i.metadata?.name !== "kube-root-ca.crt",
          );
          actual.items = (actual.items as { metadata?: { name?: string } }[]).filter(
            (i) => i.metadata?.name !== "kube-root-ca.crt",
          );
        }
        expect(actual, where).toEqual(expected);
      }
    });
  });
}
