/**
 * OpenShift Origin 3.11's printers for its own kinds, as its API server answers `as=Table` (`meta.k8s.io/v1beta1`):
 * upper-case column names that double as descriptions, every cell a string, no AGE column.
 *
 * @module
 */
import { dockerHumanDuration, goDurationString } from "./_durations.ts";
import { type ColumnDefinition, entry, get, type JsonObject, list, num, obj, type Printer, str } from "./_printer.ts";

function columns(...names: string[]): ColumnDefinition[] {
  return names.map((name, i) => ({
    name,
    type: "string",
    format: i === 0 ? "name" : "",
    description: name,
    priority: 0,
  }));
}

function name(o: JsonObject): string {
  return str(o, "metadata.name");
}

function ago(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== "string" || timestamp === "") return "";
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? "" : `${dockerHumanDuration(now.getTime() - t)} ago`;
}

/** A Git commit hash of full length is shortened to 7 characters. */
function gitRevision(spec: unknown): string {
  let rev = str(spec, "revision.git.commit");
  if (rev === "") rev = str(spec, "source.git.ref");
  return /^[0-9a-fA-F]{40}$/.test(rev) ? rev.slice(0, 7) : rev;
}

function sourceType(spec: unknown): string {
  const source = obj(spec, "source");
  if (source.binary) return "Binary";
  if (source.dockerfile !== undefined && source.git) return "Dockerfile,Git";
  if (source.dockerfile !== undefined) return "Dockerfile";
  if (source.git) return "Git";
  if (list(source, "images").length > 0) return "Image";
  return "None";
}

/** `describeSourceShort`: the source type, with the Git revision when there is one. */
function describeSource(spec: unknown): string {
  const type = sourceType(spec);
  if (type === "Binary" || type === "Dockerfile,Git" || type === "Git") {
    const rev = gitRevision(spec);
    return rev === "" ? type : `${type}@${rev}`;
  }
  return type;
}

function strategyType(spec: unknown): string {
  const strategy = obj(spec, "strategy");
  if (typeof strategy.type === "string" && strategy.type !== "") return strategy.type;
  if (strategy.dockerStrategy) return "Docker";
  if (strategy.sourceStrategy) return "Source";
  if (strategy.customStrategy) return "Custom";
  if (strategy.jenkinsPipelineStrategy) return "JenkinsPipeline";
  return "";
}

function routeHost(route: JsonObject): string {
  const specHost = str(route, "spec.host");
  const ingress = get(route, "status.ingress");
  // A route without status.ingress shows its spec host (no router has answered, or an old server).
  if (!Array.isArray(ingress)) return specHost;
  let host = specHost;
  let matched = false;
  let admitted = 0;
  let errors = 0;
  let reason = "";
  for (const ing of ingress) {
    const condition = list(ing, "conditions").find((c) => str(c, "type") === "Admitted");
    const status = condition === undefined ? "" : str(condition, "status");
    if (status === "True") {
      admitted++;
      if (!matched) {
        matched = str(ing, "host") === specHost;
        host = str(ing, "host");
      }
    } else if (status === "False") {
      reason = str(condition, "reason");
      errors++;
    }
  }
  if (admitted === 0 && errors > 0) return reason;
  if (errors > 0) return `${host} ... ${errors} rejected`;
  if (admitted === 0) return "Pending";
  if (admitted > 1) return `${host} ... ${admitted - 1} more`;
  return host;
}

function routeServices(route: JsonObject): string {
  const backends = [
    obj(route, "spec.to"),
    ...list(route, "spec.alternateBackends").map((b) => (b ?? {}) as JsonObject),
  ];
  const total = backends.reduce((sum, b) => sum + (typeof b.weight === "number" ? b.weight : 0), 0);
  return backends
    .map((b) => {
      const backendName = typeof b.name === "string" ? b.name : "";
      if (typeof b.weight !== "number" || (backends.length === 1 && total !== 0)) return backendName;
      if (total === 0) return `${backendName}(0%)`;
      return `${backendName}(${Math.trunc((b.weight * 100) / total)}%)`;
    })
    .join(",");
}

function routeTermination(route: JsonObject): string {
  const termination = str(route, "spec.tls.termination");
  const insecure = str(route, "spec.tls.insecureEdgeTerminationPolicy");
  if (termination !== "" && insecure !== "") return `${termination}/${insecure}`;
  if (termination !== "") return termination;
  if (insecure !== "") return `default/${insecure}`;
  return "";
}

function imageStreamTags(stream: JsonObject): string {
  const tags = new Set<string>();
  for (const t of list(stream, "status.tags")) tags.add(str(t, "tag"));
  for (const t of list(stream, "spec.tags")) tags.add(str(t, "name"));
  // Newest first by the time of each tag's latest image, then by name, as origin sorts them.
  const created = new Map<string, number>();
  for (const t of list(stream, "status.tags")) {
    const first = list(t, "items")[0];
    const when = first === undefined ? Number.NaN : Date.parse(str(first, "created"));
    created.set(str(t, "tag"), Number.isNaN(when) ? 0 : when);
  }
  const sorted = [...tags].sort(
    (a, b) => (created.get(b) ?? 0) - (created.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
  );
  let width = 0;
  let shown = sorted;
  for (let i = 0; i < sorted.length; i++) {
    width += (sorted[i] as string).length + 1;
    if (width > 40 && i > 0) {
      shown = sorted.slice(0, i);
      break;
    }
  }
  const text = shown.join(",");
  return shown.length < sorted.length ? `${text} + ${sorted.length - shown.length} more...` : text;
}

function imageStreamUpdated(stream: JsonObject, now: Date): string {
  let latest = 0;
  for (const t of list(stream, "status.tags")) {
    const first = list(t, "items")[0];
    const when = first === undefined ? Number.NaN : Date.parse(str(first, "created"));
    if (!Number.isNaN(when) && when > latest) latest = when;
  }
  return latest === 0 ? "" : `${dockerHumanDuration(now.getTime() - latest)} ago`;
}

function deploymentConfigTriggers(dc: JsonObject): string {
  const containers = new Set(list(dc, "spec.template.spec.containers").map((c) => str(c, "name")));
  const triggers = new Set<string>();
  for (const t of list(dc, "spec.triggers")) {
    const type = str(t, "type");
    if (type === "ConfigChange") triggers.add("config");
    else if (type === "ImageChange") {
      const p = obj(t, "imageChangeParams");
      if (p.automatic !== true) continue;
      const names = list(p, "containerNames").filter((x): x is string => typeof x === "string");
      let prefix = "";
      if (containers.size !== 1 && !names.every((n) => containers.has(n))) prefix = `${[...names].sort().join(",")}:`;
      const kind = str(p, "from.kind");
      const from = str(p, "from.name");
      triggers.add(kind === "ImageStreamTag" ? `image(${prefix}${from})` : `${kind}(${prefix}${from})`);
    } else triggers.add(type);
  }
  return [...triggers].sort().join(",");
}

/** Printers by `group/Kind`; legacy `/oapi/v1` kinds use their group's entry. */
export const OPENSHIFT_PRINTERS: Readonly<Record<string, Printer>> = {
  "route.openshift.io/Route": {
    columns: columns("NAME", "HOST/PORT", "PATH", "SERVICES", "PORT", "TERMINATION", "WILDCARD"),
    row: (o) => {
      const targetPort = get(o, "spec.port.targetPort");
      const port =
        get(o, "spec.port") === undefined
          ? "<all>"
          : typeof targetPort === "number"
            ? String(targetPort)
            : str(o, "spec.port.targetPort");
      return {
        cells: [
          name(o),
          routeHost(o),
          str(o, "spec.path"),
          routeServices(o),
          port,
          routeTermination(o),
          str(o, "spec.wildcardPolicy"),
        ],
      };
    },
  },
  "build.openshift.io/BuildConfig": {
    columns: columns("NAME", "TYPE", "FROM", "LATEST"),
    row: (o) => {
      const custom = get(o, "spec.strategy.customStrategy");
      const from = custom ? str(custom, "from.name") : describeSource(obj(o, "spec"));
      return { cells: [name(o), strategyType(obj(o, "spec")), from, String(num(o, "status.lastVersion"))] };
    },
  },
  "build.openshift.io/Build": {
    columns: columns("NAME", "TYPE", "FROM", "STATUS", "STARTED", "DURATION"),
    row: (o, now) => {
      const reason = str(o, "status.reason");
      const phase = str(o, "status.phase");
      const durationNs = num(o, "status.duration");
      return {
        cells: [
          name(o),
          strategyType(obj(o, "spec")),
          describeSource(obj(o, "spec")),
          reason === "" ? phase : `${phase} (${reason})`,
          ago(get(o, "status.startTimestamp"), now),
          durationNs > 0 ? goDurationString(durationNs) : "",
        ],
      };
    },
  },
  "image.openshift.io/ImageStream": {
    columns: columns("NAME", "DOCKER REPO", "TAGS", "UPDATED"),
    row: (o, now) => {
      let repo = str(o, "spec.dockerImageRepository") || str(o, "status.dockerImageRepository");
      if (str(o, "status.publicDockerImageRepository") !== "") repo = str(o, "status.publicDockerImageRepository");
      return { cells: [name(o), repo, imageStreamTags(o), imageStreamUpdated(o, now)] };
    },
  },
  "apps.openshift.io/DeploymentConfig": {
    columns: columns("NAME", "REVISION", "DESIRED", "CURRENT", "TRIGGERED BY"),
    row: (o) => {
      const replicas = num(o, "spec.replicas");
      return {
        cells: [
          name(o),
          String(num(o, "status.latestVersion")),
          get(o, "spec.test") === true ? `${replicas} (during test)` : String(replicas),
          String(num(o, "status.updatedReplicas")),
          deploymentConfigTriggers(o),
        ],
      };
    },
  },
  "project.openshift.io/Project": {
    columns: columns("NAME", "DISPLAY NAME", "STATUS"),
    row: (o) => ({
      cells: [name(o), entry(get(o, "metadata.annotations"), "openshift.io/display-name"), str(o, "status.phase")],
    }),
  },
};

/** Legacy `/oapi/v1` kinds and the group whose printer they use. */
export const LEGACY_OPENSHIFT_GROUPS: Readonly<Record<string, string>> = {
  Route: "route.openshift.io",
  BuildConfig: "build.openshift.io",
  Build: "build.openshift.io",
  ImageStream: "image.openshift.io",
  DeploymentConfig: "apps.openshift.io",
  Project: "project.openshift.io",
};
