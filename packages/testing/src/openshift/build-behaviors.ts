/**
 * BuildConfig and Build (`build.openshift.io/v1`, `/oapi/v1`): the 3.11 defaults, the admission check that refuses
 * a BuildConfig without a strategy (403, as recorded), and `instantiate`, which makes Build `<config>-<n>` with the
 * labels, annotations, owner reference and spec the real server gives it (phase `New`: no builder runs here).
 *
 * @module
 */
import type { Registry } from "../registry/registry.ts";
import type { ResourceBehavior, VerbRequest } from "../registry/resource-behavior.ts";
import { cloneJson, isPlainObject, type KubeObject } from "../resources/kube-object.ts";
import { forbidden } from "../server/status-error.ts";

type Json = Record<string, unknown>;

function qualified(request: VerbRequest, plural: string): string {
  return request.resource.group === "" ? plural : `${plural}.${request.resource.group}`;
}

function details(request: VerbRequest, plural: string, name: string): Json {
  return { name, ...(request.resource.group === "" ? {} : { group: request.resource.group }), kind: plural };
}

const STRATEGIES = ["dockerStrategy", "sourceStrategy", "customStrategy", "jenkinsPipelineStrategy"];

function buildConfigBehavior(registry: () => Registry): ResourceBehavior {
  return {
    defaults(object) {
      const spec = isPlainObject(object.spec) ? object.spec : {};
      object.spec = spec;
      spec.triggers ??= [];
      spec.runPolicy ??= "Serial";
      spec.resources ??= {};
      spec.postCommit ??= {};
      if (!("nodeSelector" in spec)) spec.nodeSelector = null;
      spec.successfulBuildsHistoryLimit ??= 5;
      spec.failedBuildsHistoryLimit ??= 5;
    },
    prepareForCreate(object) {
      const spec = object.spec as Json;
      const strategy = isPlainObject(spec.strategy) ? spec.strategy : {};
      if (!STRATEGIES.some((s) => isPlainObject(strategy[s])))
        throw forbidden(
          `buildconfigs.build.openshift.io ${JSON.stringify(object.metadata?.name ?? "")} is forbidden: unrecognized build strategy: build.BuildStrategy{DockerStrategy:(*build.DockerBuildStrategy)(nil), SourceStrategy:(*build.SourceBuildStrategy)(nil), CustomStrategy:(*build.CustomBuildStrategy)(nil), JenkinsPipelineStrategy:(*build.JenkinsPipelineBuildStrategy)(nil)}`,
          { name: object.metadata?.name ?? "", group: "build.openshift.io", kind: "buildconfigs" },
        );
      object.status = { lastVersion: 0 };
    },
    verbs: {
      "create/instantiate": (request) => {
        const reg = registry();
        const body = isPlainObject(request.body) ? request.body : {};
        const name = (body.metadata as { name?: string } | undefined)?.name || request.name;
        const config = name === request.name ? reg.find(request.resource, request.namespace, name) : undefined;
        if (config === undefined) {
          const q = qualified(request, "buildconfigs");
          throw forbidden(
            `${q} ${JSON.stringify(name)} is forbidden: ${q} ${JSON.stringify(name)} not found`,
            details(request, "buildconfigs", name),
          );
        }
        const bc = config.object;
        const bcSpec = cloneJson((bc.spec ?? {}) as Json);
        const version = (((bc.status as Json | undefined)?.lastVersion as number | undefined) ?? 0) + 1;
        const strategy = isPlainObject(bcSpec.strategy) ? bcSpec.strategy : {};
        const env = Array.isArray(body.env) ? body.env : undefined;
        if (env !== undefined)
          for (const s of STRATEGIES) {
            const st = strategy[s];
            if (isPlainObject(st)) st.env = [...(Array.isArray(st.env) ? st.env : []), ...env];
          }
        const {
          triggers: _t,
          runPolicy,
          successfulBuildsHistoryLimit: _s,
          failedBuildsHistoryLimit: _f,
          ...buildSpec
        } = bcSpec;
        const builds = reg.table.lookup(request.resource.apiPath, "builds");
        if (builds === undefined) throw new Error("builds are not served");
        const bcName = bc.metadata?.name ?? "";
        const build: KubeObject = {
          kind: "Build",
          apiVersion: builds.apiVersion,
          metadata: {
            name: `${bcName}-${version}`,
            labels: {
              buildconfig: bcName,
              "openshift.io/build-config.name": bcName,
              "openshift.io/build.start-policy": String(runPolicy ?? "Serial"),
            },
            annotations: { "openshift.io/build-config.name": bcName, "openshift.io/build.number": String(version) },
            ownerReferences: [
              {
                apiVersion: "build.openshift.io/v1",
                kind: "BuildConfig",
                name: bcName,
                uid: bc.metadata?.uid ?? "",
                controller: true,
              },
            ],
          },
          spec: {
            serviceAccount: "builder",
            ...buildSpec,
            triggeredBy: [{ message: "Manually triggered" }],
          },
          status: {
            phase: "New",
            config: { kind: "BuildConfig", namespace: request.namespace, name: bcName },
            output: {},
          },
        };
        const context = { user: request.user, dryRun: request.dryRun, fieldManager: "openshift-apiserver" };
        const created = reg.create(builds, request.namespace, build, context);
        if (!request.dryRun) {
          const next = cloneJson(bc);
          next.status = { ...((bc.status as Json | undefined) ?? {}), lastVersion: version };
          reg.updateFrom(request.resource, config, next, context, "status");
        }
        return { status: 201, object: created.object };
      },
    },
  };
}

/**
 * The build behaviours, by `<group>/<plural>`.
 *
 * @param registry the registry (for `instantiate`)
 * @returns the behaviours
 */
export function buildBehaviors(registry: () => Registry): Map<string, ResourceBehavior> {
  return new Map<string, ResourceBehavior>([
    ["build.openshift.io/buildconfigs", buildConfigBehavior(registry)],
    [
      "build.openshift.io/builds",
      {
        prepareForCreate(object) {
          const status = isPlainObject(object.status) ? object.status : {};
          object.status = { phase: "New", ...status };
        },
      },
    ],
  ]);
}
