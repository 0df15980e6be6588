// Replays the recorded kube-apiserver v1.20.2 patch exchanges through the engines: the recorded previous object and
// patch go in, the recorded result (and its managedFields) must come out.
import { readFileSync } from "node:fs";
import { schema as typesSchema } from "@kubeshift/types/schema";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fixturePath } from "../../../../tools/shared-dir.ts";
import { isJsonObject, type JsonObject } from "./_json.ts";
import { schemaLookupForKind } from "./_schema.ts";
import { applyJsonPatch } from "./json-patch.ts";
import { updateManagedFields } from "./managed-fields.ts";
import { applyMergePatch } from "./merge-patch.ts";
import { PatchError } from "./patch-error.ts";
import { serverSideApply } from "./server-side-apply.ts";
import { applyStrategicMergePatch } from "./strategic-merge-patch.ts";

interface Exchange {
  request: { method: string; path: string; query: string; headers: Record<string, string>; body: unknown };
  response: { status: number; body: JsonObject };
}

function exchanges(name: string): Exchange[] {
  return JSON.parse(readFileSync(fixturePath(`kubernetes-v1.20.2/crud/${name}.json`), "utf8")).exchanges;
}

/** Dotted paths where two JSON values differ (keys order ignored). */
function diffPaths(a: unknown, b: unknown, path = ""): string[] {
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => diffPaths(a[k], b[k], path === "" ? k : `${path}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, i) => diffPaths(a[i], b[i], `${path}[${i}]`)).flat();
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

const TIME = "2026-11-28T22:06:04Z";
const SERVER_SET = ["metadata.resourceVersion", "metadata.managedFields"];

/** Whether a differing path is one the server sets after the engines ran. */
function serverSet(path: string): boolean {
  return SERVER_SET.some((s) => path === s || path.startsWith(`${s}[`) || path.startsWith(`${s}.`));
}

function managed(obj: JsonObject): unknown {
  return (obj.metadata as JsonObject).managedFields;
}

describe("recorded patch exchanges (kube-apiserver v1.20.2)", () => {
  const configMap = schemaLookupForKind(typesSchema, "v1", "ConfigMap");
  const deployment = schemaLookupForKind(typesSchema, "apps/v1", "Deployment");

  it("configmap create and replace: managedFields come out as recorded", () => {
    const created = (exchanges("configmap-create")[0] as Exchange).response.body;
    const entries = updateManagedFields(undefined, created, {
      manager: "unknown",
      operation: "Update",
      time: TIME,
      apiVersion: "v1",
      ...(configMap ? { schema: configMap } : {}),
    });
    expect(entries).toEqual(managed(created));
    const [get, put] = exchanges("configmap-replace") as [Exchange, Exchange];
    const replaced = put.response.body;
    expect(
      updateManagedFields(get.response.body, replaced, {
        manager: "unknown",
        operation: "Update",
        time: TIME,
        apiVersion: "v1",
        ...(configMap ? { schema: configMap } : {}),
      }),
    ).toEqual(managed(replaced));
  });

  it("merge patch: the recorded patch applied to the replaced configmap gives the recorded object", () => {
    const previous = (exchanges("configmap-replace")[1] as Exchange).response.body;
    const ex = exchanges("configmap-merge-patch")[0] as Exchange;
    const out = applyMergePatch(previous, ex.request.body) as JsonObject;
    expect(diffPaths(out, ex.response.body).filter((p) => !serverSet(p))).toEqual([]);
    expect(
      updateManagedFields(previous, out, {
        manager: "unknown",
        operation: "Update",
        time: TIME,
        apiVersion: "v1",
        ...(configMap ? { schema: configMap } : {}),
      }),
    ).toEqual(managed(ex.response.body));
  });

  it("json patch: the recorded operations give the recorded object; the failing test and remove are 422 as recorded", () => {
    const previous = (exchanges("configmap-merge-patch")[0] as Exchange).response.body;
    const [ok, badTest, badRemove] = exchanges("configmap-json-patch") as [Exchange, Exchange, Exchange];
    const out = applyJsonPatch(previous, ok.request.body) as JsonObject;
    expect(diffPaths(out, ok.response.body).filter((p) => !serverSet(p))).toEqual([]);
    expect(
      updateManagedFields(previous, out, {
        manager: "unknown",
        operation: "Update",
        time: TIME,
        apiVersion: "v1",
        ...(configMap ? { schema: configMap } : {}),
      }),
    ).toEqual(managed(ok.response.body));
    for (const ex of [badTest, badRemove]) {
      let error: unknown;
      try {
        applyJsonPatch(ok.response.body, ex.request.body);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PatchError);
      expect((error as PatchError).status).toBe(ex.response.status);
      expect((error as PatchError).toStatus()).toEqual(ex.response.body);
    }
  });

  it("strategic merge patch: containers merge by name; only server defaults of the new container differ", () => {
    const [create, patch] = exchanges("deployment-strategic-merge-patch") as [Exchange, Exchange];
    expect(deployment).toBeDefined();
    const out = applyStrategicMergePatch(create.response.body, patch.request.body, {
      schema: deployment,
    }) as JsonObject;
    const differences = diffPaths(out, patch.response.body).filter((p) => !serverSet(p));
    // The server defaults the added container and bumps the generation after the patch; the engine does neither.
    expect(differences.sort()).toEqual(
      [
        "metadata.generation",
        "spec.template.spec.containers[1].imagePullPolicy",
        "spec.template.spec.containers[1].resources",
        "spec.template.spec.containers[1].terminationMessagePath",
        "spec.template.spec.containers[1].terminationMessagePolicy",
      ].sort(),
    );
    const opts = {
      manager: "unknown",
      operation: "Update" as const,
      time: TIME,
      apiVersion: "apps/v1",
      ...(deployment ? { schema: deployment } : {}),
    };
    expect(updateManagedFields(undefined, create.response.body, opts)).toEqual(managed(create.response.body));
    expect(updateManagedFields(create.response.body, patch.response.body, opts)).toEqual(managed(patch.response.body));
  });

  it("server-side apply: ownership, the 409 conflict Status, force, re-apply and a JSON apply come out as recorded", () => {
    let live: JsonObject | undefined;
    const steps = exchanges("server-side-apply");
    let replayed = 0;
    for (const ex of steps) {
      const query = new URLSearchParams(ex.request.query);
      const manager = query.get("fieldManager");
      // The last exchange (no fieldManager) is refused by the server's option validation before any apply runs.
      if (manager === null) continue;
      const applied = parse(String(ex.request.body)) as JsonObject;
      const options = {
        manager,
        force: query.get("force") === "true",
        time: TIME,
        apiVersion: "v1",
        ...(configMap ? { schema: configMap } : {}),
      };
      if (ex.response.status === 409) {
        let error: unknown;
        try {
          serverSideApply(live, applied, options);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(PatchError);
        expect((error as PatchError).toStatus()).toEqual(ex.response.body);
      } else {
        const result = serverSideApply(live, applied, options);
        const want = ex.response.body;
        expect(
          diffPaths(result.object, want).filter((p) => !serverSet(p) && !p.startsWith("metadata.")),
          manager,
        ).toEqual([]);
        expect((result.object as JsonObject).data).toEqual(want.data);
        expect(((result.object as JsonObject).metadata as JsonObject).labels).toEqual(
          (want.metadata as JsonObject).labels,
        );
        expect(result.managedFields).toEqual(managed(want));
        // A re-apply that changes nothing keeps the resourceVersion on the real server.
        expect(result.changed).toBe(
          live === undefined ||
            (live.metadata as JsonObject).resourceVersion !== (want.metadata as JsonObject).resourceVersion,
        );
        live = want;
      }
      replayed++;
    }
    expect(replayed).toBe(5);
  });
});
