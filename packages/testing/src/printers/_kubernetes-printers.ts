/**
 * The kube-apiserver's printers (`pkg/printers/internalversion`) for the built-in kinds: columns as the 1.20 server
 * answers them for the kinds the recordings cover (pods, deployments, services, configmaps, namespaces, events,
 * service accounts), and as the 1.34 server does for the others.
 *
 * @module
 */
import { DESCRIPTIONS as D } from "./_descriptions.ts";
import { humanDuration } from "./_durations.ts";
import {
  AGE_COLUMN,
  age,
  column,
  containerCells,
  entry,
  formatLabelSelector,
  formatLabels,
  get,
  type JsonObject,
  labelSelectorString,
  list,
  NAME_COLUMN,
  num,
  obj,
  type PrintedRow,
  type Printer,
  since,
  str,
} from "./_printer.ts";

const CONTAINERS = column("Containers", "string", "Names of each container in the template.", { priority: 1 });
const IMAGES = column("Images", "string", "Images referenced by each container in the template.", { priority: 1 });

function name(o: JsonObject): string {
  return str(o, "metadata.name");
}

/** Sidecars: init containers with `restartPolicy: Always`. */
function restartableInit(container: unknown): boolean {
  return str(container, "restartPolicy") === "Always";
}

function hasCondition(conditions: unknown[], type: string): boolean {
  return conditions.some((c) => str(c, "type") === type && str(c, "status") === "True");
}

function podRow(pod: JsonObject, now: Date): PrintedRow {
  const initSpecs = list(pod, "spec.initContainers");
  const initByName = new Map(initSpecs.map((c) => [str(c, "name"), c] as const));
  let total = list(pod, "spec.containers").length + initSpecs.filter(restartableInit).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  const phase = str(pod, "status.phase");
  let reason = str(pod, "status.reason") || phase;
  const conditions = list(pod, "status.conditions");
  for (const c of conditions) {
    if (str(c, "type") === "PodScheduled" && str(c, "reason") === "SchedulingGated") reason = "SchedulingGated";
  }
  const row: PrintedRow = { cells: [] };
  if (phase === "Succeeded") {
    row.conditions = [
      { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
    ];
  } else if (phase === "Failed") {
    row.conditions = [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
  }
  let initializing = false;
  const initStatuses = list(pod, "status.initContainerStatuses");
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const count = num(c, "restartCount");
    restarts += count;
    const sidecar = restartableInit(initByName.get(str(c, "name")));
    if (sidecar) sidecarRestarts += count;
    const terminated = get(c, "state.terminated");
    const waiting = get(c, "state.waiting");
    if (terminated !== undefined && num(terminated, "exitCode") === 0) continue;
    if (sidecar && get(c, "started") === true) {
      if (get(c, "ready") === true) ready++;
      continue;
    }
    if (terminated !== undefined) {
      const r = str(terminated, "reason");
      if (r === "") {
        const signal = num(terminated, "signal");
        reason = signal !== 0 ? `Init:Signal:${signal}` : `Init:ExitCode:${num(terminated, "exitCode")}`;
      } else reason = `Init:${r}`;
    } else if (waiting !== undefined && str(waiting, "reason") !== "" && str(waiting, "reason") !== "PodInitializing") {
      reason = `Init:${str(waiting, "reason")}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }
  if (!initializing || hasCondition(conditions, "Initialized")) {
    restarts = sidecarRestarts;
    let hasRunning = false;
    const statuses = list(pod, "status.containerStatuses");
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += num(c, "restartCount");
      const waiting = get(c, "state.waiting");
      const terminated = get(c, "state.terminated");
      if (waiting !== undefined && str(waiting, "reason") !== "") reason = str(waiting, "reason");
      else if (terminated !== undefined && str(terminated, "reason") !== "") reason = str(terminated, "reason");
      else if (terminated !== undefined) {
        const signal = num(terminated, "signal");
        reason = signal !== 0 ? `Signal:${signal}` : `ExitCode:${num(terminated, "exitCode")}`;
      } else if (get(c, "ready") === true && get(c, "state.running") !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = hasCondition(conditions, "Ready") ? "Running" : "NotReady";
  }
  if (get(pod, "metadata.deletionTimestamp") !== undefined && get(pod, "metadata.deletionTimestamp") !== null) {
    if (str(pod, "status.reason") === "NodeLost") reason = "Unknown";
    else if (phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";
  }
  const ips = list(pod, "status.podIPs");
  const ip = (ips.length > 0 ? str(ips[0], "ip") : "") || "<none>";
  const gates = list(pod, "spec.readinessGates");
  let readinessGates = "<none>";
  if (gates.length > 0) {
    let trueCount = 0;
    for (const g of gates) {
      const match = conditions.find((c) => str(c, "type") === str(g, "conditionType"));
      if (match !== undefined && str(match, "status") === "True") trueCount++;
    }
    readinessGates = `${trueCount}/${gates.length}`;
  }
  total = Math.max(total, 0);
  row.cells = [
    name(pod),
    `${ready}/${total}`,
    reason,
    restarts,
    age(pod, now),
    ip,
    str(pod, "spec.nodeName") || "<none>",
    str(pod, "status.nominatedNodeName") || "<none>",
    readinessGates,
  ];
  return row;
}

function externalIP(svc: JsonObject): string {
  const externalIPs = list(svc, "spec.externalIPs").filter((x): x is string => typeof x === "string");
  switch (str(svc, "spec.type")) {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const lb: string[] = [];
      for (const ing of list(svc, "status.loadBalancer.ingress")) {
        const v = str(ing, "ip") || str(ing, "hostname");
        if (v !== "" && !lb.includes(v)) lb.push(v);
      }
      if (externalIPs.length > 0) return [...lb, ...externalIPs].join(",");
      return lb.length > 0 ? lb.join(",") : "<pending>";
    }
    case "ExternalName":
      return str(svc, "spec.externalName");
    default:
      return "<unknown>";
  }
}

function servicePorts(svc: JsonObject): string {
  const ports = list(svc, "spec.ports").map((p) => {
    const port = num(p, "port");
    const protocol = str(p, "protocol");
    const nodePort = num(p, "nodePort");
    return nodePort > 0 ? `${port}:${nodePort}/${protocol}` : `${port}/${protocol}`;
  });
  return ports.length > 0 ? ports.join(",") : "<none>";
}

function formatEndpoints(ep: JsonObject): string {
  const subsets = list(ep, "subsets");
  if (subsets.length === 0) return "<none>";
  const out: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = list(ss, "addresses");
    const ports = list(ss, "ports");
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (out.length === max) {
          more = true;
          break;
        }
        out.push(str(a, "ip"));
      }
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (out.length === max) {
          more = true;
          break;
        }
        const ip = str(a, "ip");
        out.push(`${ip.includes(":") ? `[${ip}]` : ip}:${num(p, "port")}`);
      }
    }
  }
  const text = out.join(",");
  return more ? `${text} + ${count - max} more...` : text;
}

const ACCESS_MODES: readonly [string, string][] = [
  ["ReadWriteOnce", "RWO"],
  ["ReadOnlyMany", "ROX"],
  ["ReadWriteMany", "RWX"],
  ["ReadWriteOncePod", "RWOP"],
];

function accessModes(modes: unknown[]): string {
  return ACCESS_MODES.filter(([mode]) => modes.includes(mode))
    .map(([, short]) => short)
    .join(",");
}

function storageClass(o: JsonObject): string {
  const annotation = entry(get(o, "metadata.annotations"), "volume.beta.kubernetes.io/storage-class");
  const value = get(o, "spec.storageClassName");
  return typeof value === "string" ? value : annotation;
}

function quantity(o: unknown, path: string): string {
  const v = get(o, path);
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return "0";
}

function nodeRoles(node: JsonObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj(node, "metadata.labels"))) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const role = k.slice("node-role.kubernetes.io/".length);
      if (role !== "") roles.add(role);
    } else if (k === "kubernetes.io/role" && typeof v === "string" && v !== "") roles.add(v);
  }
  return roles.size === 0 ? "<none>" : [...roles].sort().join(",");
}

function nodeAddress(node: JsonObject, type: string): string {
  const found = list(node, "status.addresses").find((a) => str(a, "type") === type);
  return found === undefined ? "<none>" : str(found, "address");
}

function jobStatus(job: JsonObject): string {
  const conditions = list(job, "status.conditions");
  const has = (type: string) => {
    const c = conditions.find((x) => str(x, "type") === type);
    return c !== undefined && str(c, "status") === "True";
  };
  if (has("Complete")) return "Complete";
  if (has("Failed")) return "Failed";
  if (get(job, "metadata.deletionTimestamp")) return "Terminating";
  if (has("Suspended")) return "Suspended";
  if (has("FailureTarget")) return "FailureTarget";
  return "Running";
}

function eventRow(e: JsonObject, now: Date): PrintedRow {
  let first = since(get(e, "firstTimestamp"), now);
  if (!get(e, "firstTimestamp")) first = since(get(e, "eventTime"), now);
  let last = get(e, "lastTimestamp") ? since(get(e, "lastTimestamp"), now) : first;
  let count = num(e, "count");
  if (get(e, "series")) {
    last = since(get(e, "series.lastObservedTime"), now);
    count = num(e, "series.count");
  } else if (count === 0) count = 1;
  const kind = str(e, "involvedObject.kind").toLowerCase();
  const target = str(e, "involvedObject.name") !== "" ? `${kind}/${str(e, "involvedObject.name")}` : kind;
  const component = str(e, "source.component") || str(e, "reportingComponent");
  const host = str(e, "source.host") || str(e, "reportingInstance");
  return {
    cells: [
      last,
      str(e, "type"),
      str(e, "reason"),
      target,
      str(e, "involvedObject.fieldPath"),
      host === "" ? component : `${component}, ${host}`,
      str(e, "message").trim(),
      first,
      count,
      name(e),
    ],
  };
}

/** Printers by `group/Kind` (core: `/Kind`). */
export const KUBERNETES_PRINTERS: Readonly<Record<string, Printer>> = {
  "/Pod": {
    columns: [
      NAME_COLUMN,
      column("Ready", "string", D.podReady),
      column("Status", "string", D.podStatus),
      column("Restarts", "integer", D.podRestarts),
      AGE_COLUMN,
      column("IP", "string", D.podIP, { priority: 1 }),
      column("Node", "string", D.podNodeName, { priority: 1 }),
      column("Nominated Node", "string", D.podNominatedNodeName, { priority: 1 }),
      column("Readiness Gates", "string", D.podReadinessGates, { priority: 1 }),
    ],
    row: podRow,
  },
  "apps/Deployment": {
    columns: [
      NAME_COLUMN,
      column("Ready", "string", D.deploymentReady),
      column("Up-to-date", "string", D.deploymentUpdated),
      column("Available", "string", D.deploymentAvailable),
      AGE_COLUMN,
      CONTAINERS,
      IMAGES,
      column("Selector", "string", D.deploymentSelector, { priority: 1 }),
    ],
    row: (o, now) => {
      const [names, images] = containerCells(list(o, "spec.template.spec.containers"));
      return {
        cells: [
          name(o),
          `${num(o, "status.readyReplicas")}/${num(o, "spec.replicas")}`,
          num(o, "status.updatedReplicas"),
          num(o, "status.availableReplicas"),
          age(o, now),
          names,
          images,
          labelSelectorString(get(o, "spec.selector")),
        ],
      };
    },
  },
  "apps/ReplicaSet": {
    columns: [
      NAME_COLUMN,
      column("Desired", "integer", D.rsSpecReplicas),
      column("Current", "integer", D.rsStatusReplicas),
      column("Ready", "integer", D.rsStatusReady),
      AGE_COLUMN,
      CONTAINERS,
      IMAGES,
      column("Selector", "string", D.rsSpecSelector, { priority: 1 }),
    ],
    row: (o, now) => {
      const [names, images] = containerCells(list(o, "spec.template.spec.containers"));
      return {
        cells: [
          name(o),
          num(o, "spec.replicas"),
          num(o, "status.replicas"),
          num(o, "status.readyReplicas"),
          age(o, now),
          names,
          images,
          formatLabelSelector(get(o, "spec.selector")),
        ],
      };
    },
  },
  "/ReplicationController": {
    columns: [
      NAME_COLUMN,
      column("Desired", "integer", D.rcSpecReplicas),
      column("Current", "integer", D.rcStatusReplicas),
      column("Ready", "integer", D.rcStatusReady),
      AGE_COLUMN,
      CONTAINERS,
      IMAGES,
      column("Selector", "string", D.rcSpecSelector, { priority: 1 }),
    ],
    row: (o, now) => {
      const [names, images] = containerCells(list(o, "spec.template.spec.containers"));
      return {
        cells: [
          name(o),
          num(o, "spec.replicas"),
          num(o, "status.replicas"),
          num(o, "status.readyReplicas"),
          age(o, now),
          names,
          images,
          formatLabels(get(o, "spec.selector")),
        ],
      };
    },
  },
  "apps/DaemonSet": {
    columns: [
      NAME_COLUMN,
      column("Desired", "integer", D.dsDesired),
      column("Current", "integer", D.dsCurrent),
      column("Ready", "integer", D.dsReady),
      column("Up-to-date", "integer", D.dsUpdated),
      column("Available", "integer", D.dsAvailable),
      column("Node Selector", "string", D.podNodeSelector),
      AGE_COLUMN,
      CONTAINERS,
      IMAGES,
      column("Selector", "string", D.dsSelector, { priority: 1 }),
    ],
    row: (o, now) => {
      const [names, images] = containerCells(list(o, "spec.template.spec.containers"));
      return {
        cells: [
          name(o),
          num(o, "status.desiredNumberScheduled"),
          num(o, "status.currentNumberScheduled"),
          num(o, "status.numberReady"),
          num(o, "status.updatedNumberScheduled"),
          num(o, "status.numberAvailable"),
          formatLabels(get(o, "spec.template.spec.nodeSelector")),
          age(o, now),
          names,
          images,
          formatLabelSelector(get(o, "spec.selector")),
        ],
      };
    },
  },
  "apps/StatefulSet": {
    columns: [
      NAME_COLUMN,
      column("Ready", "string", "Number of the pod with ready state"),
      AGE_COLUMN,
      CONTAINERS,
      IMAGES,
    ],
    row: (o, now) => {
      const [names, images] = containerCells(list(o, "spec.template.spec.containers"));
      return {
        cells: [name(o), `${num(o, "status.readyReplicas")}/${num(o, "spec.replicas")}`, age(o, now), names, images],
      };
    },
  },
  "batch/Job": {
    columns: [
      NAME_COLUMN,
      column("Status", "string", "Status of the job."),
      column("Completions", "string", D.jobSucceeded),
      column("Duration", "string", "Time required to complete the job."),
      AGE_COLUMN,
      CONTAINERS,
      IMAGES,
      column("Selector", "string", D.jobSelector, { priority: 1 }),
    ],
    row: (o, now) => {
      const succeeded = num(o, "status.succeeded");
      let completions: string;
      if (typeof get(o, "spec.completions") === "number") completions = `${succeeded}/${num(o, "spec.completions")}`;
      else {
        const parallelism = num(o, "spec.parallelism");
        completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
      }
      const start = get(o, "status.startTime");
      const end = get(o, "status.completionTime");
      let jobDuration = "";
      if (typeof start === "string") {
        const from = Date.parse(start);
        jobDuration = humanDuration((typeof end === "string" ? Date.parse(end) : now.getTime()) - from);
      }
      const [names, images] = containerCells(list(o, "spec.template.spec.containers"));
      return {
        cells: [
          name(o),
          jobStatus(o),
          completions,
          jobDuration,
          age(o, now),
          names,
          images,
          formatLabelSelector(get(o, "spec.selector")),
        ],
      };
    },
  },
  "batch/CronJob": {
    columns: [
      NAME_COLUMN,
      column("Schedule", "string", D.cronSchedule),
      column("Timezone", "string", D.cronTimeZone),
      column("Suspend", "boolean", D.cronSuspend),
      column("Active", "integer", D.cronActive),
      column("Last Schedule", "string", D.cronLastSchedule),
      AGE_COLUMN,
      CONTAINERS,
      IMAGES,
      column("Selector", "string", D.jobSelector, { priority: 1 }),
    ],
    row: (o, now) => {
      const suspend = get(o, "spec.suspend");
      const last = get(o, "status.lastScheduleTime");
      const [names, images] = containerCells(list(o, "spec.jobTemplate.spec.template.spec.containers"));
      return {
        cells: [
          name(o),
          str(o, "spec.schedule"),
          typeof get(o, "spec.timeZone") === "string" ? str(o, "spec.timeZone") : "<none>",
          typeof suspend === "boolean" ? (suspend ? "True" : "False") : "<unset>",
          list(o, "status.active").length,
          typeof last === "string" ? since(last, now) : "<none>",
          age(o, now),
          names,
          images,
          formatLabelSelector(get(o, "spec.jobTemplate.spec.selector")),
        ],
      };
    },
  },
  "/Service": {
    columns: [
      NAME_COLUMN,
      column("Type", "string", D.serviceType),
      column("Cluster-IP", "string", D.serviceClusterIP),
      column("External-IP", "string", D.serviceExternalIPs),
      column("Port(s)", "string", D.servicePorts),
      AGE_COLUMN,
      column("Selector", "string", D.serviceSelector, { priority: 1 }),
    ],
    row: (o, now) => {
      const clusterIPs = list(o, "spec.clusterIPs");
      const clusterIP =
        (clusterIPs.length > 0 && typeof clusterIPs[0] === "string" ? clusterIPs[0] : str(o, "spec.clusterIP")) ||
        "<none>";
      return {
        cells: [
          name(o),
          str(o, "spec.type"),
          clusterIP,
          externalIP(o),
          servicePorts(o),
          age(o, now),
          formatLabels(get(o, "spec.selector")),
        ],
      };
    },
  },
  "/Endpoints": {
    columns: [NAME_COLUMN, column("Endpoints", "string", D.endpointsSubsets), AGE_COLUMN],
    row: (o, now) => ({ cells: [name(o), formatEndpoints(o), age(o, now)] }),
  },
  "/ConfigMap": {
    columns: [NAME_COLUMN, column("Data", "string", D.configMapData), AGE_COLUMN],
    row: (o, now) => ({
      cells: [name(o), Object.keys(obj(o, "data")).length + Object.keys(obj(o, "binaryData")).length, age(o, now)],
    }),
  },
  "/Secret": {
    columns: [NAME_COLUMN, column("Type", "string", D.secretType), column("Data", "string", D.secretData), AGE_COLUMN],
    row: (o, now) => ({ cells: [name(o), str(o, "type"), Object.keys(obj(o, "data")).length, age(o, now)] }),
  },
  "/ServiceAccount": {
    columns: [NAME_COLUMN, column("Secrets", "string", D.serviceAccountSecrets), AGE_COLUMN],
    row: (o, now) => ({ cells: [name(o), list(o, "secrets").length, age(o, now)] }),
  },
  "/Namespace": {
    columns: [NAME_COLUMN, column("Status", "string", D.namespaceStatus), AGE_COLUMN],
    row: (o, now) => ({ cells: [name(o), str(o, "status.phase"), age(o, now)] }),
  },
  "/Node": {
    columns: [
      NAME_COLUMN,
      column("Status", "string", "The status of the node"),
      column("Roles", "string", "The roles of the node"),
      AGE_COLUMN,
      column("Version", "string", D.nodeKubeletVersion),
      column("Internal-IP", "string", D.nodeAddresses, { priority: 1 }),
      column("External-IP", "string", D.nodeAddresses, { priority: 1 }),
      column("OS-Image", "string", D.nodeOsImage, { priority: 1 }),
      column("Kernel-Version", "string", D.nodeKernelVersion, { priority: 1 }),
      column("Container-Runtime", "string", D.nodeContainerRuntime, { priority: 1 }),
    ],
    row: (o, now) => {
      const ready = list(o, "status.conditions").find((c) => str(c, "type") === "Ready");
      const status: string[] = [];
      if (ready !== undefined) status.push(str(ready, "status") === "True" ? "Ready" : "NotReady");
      if (status.length === 0) status.push("Unknown");
      if (get(o, "spec.unschedulable") === true) status.push("SchedulingDisabled");
      return {
        cells: [
          name(o),
          status.join(","),
          nodeRoles(o),
          age(o, now),
          str(o, "status.nodeInfo.kubeletVersion"),
          nodeAddress(o, "InternalIP"),
          nodeAddress(o, "ExternalIP"),
          str(o, "status.nodeInfo.osImage") || "<unknown>",
          str(o, "status.nodeInfo.kernelVersion") || "<unknown>",
          str(o, "status.nodeInfo.containerRuntimeVersion") || "<unknown>",
        ],
      };
    },
  },
  "/Event": {
    columns: [
      column("Last Seen", "string", D.eventLastTimestamp),
      column("Type", "string", D.eventType),
      column("Reason", "string", D.eventReason),
      column("Object", "string", D.eventInvolvedObject),
      column("Subobject", "string", D.eventFieldPath, { priority: 1 }),
      column("Source", "string", D.eventSource, { priority: 1 }),
      column("Message", "string", D.eventMessage),
      column("First Seen", "string", D.eventFirstTimestamp, { priority: 1 }),
      column("Count", "string", D.eventCount, { priority: 1 }),
      column("Name", "string", D.name, { format: "name", priority: 1 }),
    ],
    row: eventRow,
  },
  "/PersistentVolume": {
    columns: [
      NAME_COLUMN,
      column("Capacity", "string", D.pvCapacity),
      column("Access Modes", "string", D.pvAccessModes),
      column("Reclaim Policy", "string", D.pvReclaim),
      column("Status", "string", D.pvPhase),
      column("Claim", "string", D.pvClaimRef),
      column("StorageClass", "string", "StorageClass of the pv"),
      column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
      column("Reason", "string", D.pvReason),
      AGE_COLUMN,
      column("VolumeMode", "string", D.pvVolumeMode, { priority: 1 }),
    ],
    row: (o, now) => {
      const claim = get(o, "spec.claimRef")
        ? `${str(o, "spec.claimRef.namespace")}/${str(o, "spec.claimRef.name")}`
        : "";
      return {
        cells: [
          name(o),
          quantity(o, "spec.capacity.storage"),
          accessModes(list(o, "spec.accessModes")),
          str(o, "spec.persistentVolumeReclaimPolicy"),
          get(o, "metadata.deletionTimestamp") ? "Terminating" : str(o, "status.phase"),
          claim,
          storageClass(o),
          typeof get(o, "spec.volumeAttributesClassName") === "string"
            ? str(o, "spec.volumeAttributesClassName")
            : "<unset>",
          str(o, "status.reason"),
          age(o, now),
          typeof get(o, "spec.volumeMode") === "string" ? str(o, "spec.volumeMode") : "<unset>",
        ],
      };
    },
  },
  "/PersistentVolumeClaim": {
    columns: [
      NAME_COLUMN,
      column("Status", "string", D.pvcPhase),
      column("Volume", "string", D.pvcVolumeName),
      column("Capacity", "string", D.pvcCapacity),
      column("Access Modes", "string", D.pvcAccessModes),
      column("StorageClass", "string", "StorageClass of the pvc"),
      column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
      AGE_COLUMN,
      column("VolumeMode", "string", D.pvcVolumeMode, { priority: 1 }),
    ],
    row: (o, now) => {
      const bound = str(o, "spec.volumeName") !== "";
      return {
        cells: [
          name(o),
          get(o, "metadata.deletionTimestamp") ? "Terminating" : str(o, "status.phase"),
          str(o, "spec.volumeName"),
          bound ? quantity(o, "status.capacity.storage") : "",
          bound ? accessModes(list(o, "status.accessModes")) : "",
          storageClass(o),
          typeof get(o, "spec.volumeAttributesClassName") === "string"
            ? str(o, "spec.volumeAttributesClassName")
            : "<unset>",
          age(o, now),
          typeof get(o, "spec.volumeMode") === "string" ? str(o, "spec.volumeMode") : "<unset>",
        ],
      };
    },
  },
  "policy/PodDisruptionBudget": {
    columns: [
      NAME_COLUMN,
      column("Min Available", "string", "The minimum number of pods that must be available."),
      column("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
      column("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
      AGE_COLUMN,
    ],
    row: (o, now) => {
      // IntOrString.String(): an integer or a percentage as written; a field not set is N/A.
      const intOrString = (path: string): string => {
        const v = get(o, path);
        return typeof v === "number" || typeof v === "string" ? String(v) : "N/A";
      };
      return {
        cells: [
          name(o),
          intOrString("spec.minAvailable"),
          intOrString("spec.maxUnavailable"),
          num(o, "status.disruptionsAllowed"),
          age(o, now),
        ],
      };
    },
  },
  "networking.k8s.io/Ingress": {
    columns: [
      NAME_COLUMN,
      column(
        "Class",
        "string",
        "The name of the IngressClass resource that should be used for additional configuration",
      ),
      column("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
      column("Address", "string", "Address is a list containing ingress points for the load-balancer"),
      column("Ports", "string", "Ports of TLS configurations that open"),
      AGE_COLUMN,
    ],
    row: (o, now) => {
      const rules = list(o, "spec.rules");
      const hosts: string[] = [];
      let more = false;
      for (const r of rules) {
        if (hosts.length === 3) more = true;
        if (!more && str(r, "host") !== "") hosts.push(str(r, "host"));
      }
      let hostText = hosts.length === 0 ? "*" : hosts.join(",");
      if (hosts.length > 0 && more) hostText = `${hostText} + ${rules.length - 3} more...`;
      const address: string[] = [];
      for (const ing of list(o, "status.loadBalancer.ingress")) {
        const v = str(ing, "ip") || str(ing, "hostname");
        if (v !== "" && !address.includes(v)) address.push(v);
      }
      return {
        cells: [
          name(o),
          typeof get(o, "spec.ingressClassName") === "string" ? str(o, "spec.ingressClassName") : "<none>",
          hostText,
          address.join(","),
          list(o, "spec.tls").length > 0 ? "80, 443" : "80",
          age(o, now),
        ],
      };
    },
  },
};
