/**
 * `GET pods/<name>/log`: the stored lines of a container (`container`, `previous`, `tailLines`, `sinceSeconds`,
 * `sinceTime`, `timestamps`, `limitBytes`), and `follow=true` streaming new lines until the client leaves or the pod
 * is deleted. Errors are worded as the kubelet and API server word them.
 *
 * @module
 */

import type { LogLine } from "../registry/pod-logs.ts";
import { isPlainObject } from "../resources/kube-object.ts";
import type { ResourceContext } from "./handler-context.ts";
import { responseHeaders } from "./handler-context.ts";
import { parseBool } from "./request-info.ts";
import { badRequest } from "./status-error.ts";

function containerNames(spec: Record<string, unknown>, key: string): string[] {
  const list = spec[key];
  return Array.isArray(list)
    ? list.map((c) => (isPlainObject(c) ? String(c.name ?? "") : "")).filter((n) => n !== "")
    : [];
}

function stamp(line: LogLine): string {
  const iso = new Date(line.time).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`;
}

/** Serves a pod log request. */
export function handlePodLog(ctx: ResourceContext): void {
  const entry = ctx.services.registry.get(ctx.resource, ctx.namespace, ctx.info.name);
  const pod = entry.object;
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const names = containerNames(spec, "containers");
  const all = [...names, ...containerNames(spec, "initContainers"), ...containerNames(spec, "ephemeralContainers")];
  let container = ctx.query.get("container") ?? "";
  if (container === "") {
    if (names.length !== 1)
      throw badRequest(
        `a container name must be specified for pod ${ctx.info.name}, choose one of: [${names.join(" ")}]${
          all.length > names.length ? ` or one of the init containers: [${all.slice(names.length).join(" ")}]` : ""
        }`,
      );
    container = names[0] as string;
  } else if (!all.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${ctx.info.name}`);
  }
  const status = isPlainObject(pod.status) ? pod.status : {};
  const statuses = Array.isArray(status.containerStatuses)
    ? (status.containerStatuses as Record<string, unknown>[])
    : [];
  const cs = statuses.find((s) => s.name === container);
  const waiting = isPlainObject(cs?.state) && isPlainObject(cs.state.waiting) ? cs.state.waiting : undefined;
  const previous = parseBool(ctx.query.get("previous")) === true;
  const logs = ctx.services.logs;
  const stored = logs.lines(ctx.namespace, ctx.info.name, container, previous);
  if (waiting !== undefined && stored.length === 0 && !previous)
    throw badRequest(
      `container ${JSON.stringify(container)} in pod ${JSON.stringify(ctx.info.name)} is waiting to start: ${String(waiting.reason ?? "ContainerCreating")}`,
    );
  if (previous && stored.length === 0)
    throw badRequest(
      `previous terminated container ${JSON.stringify(container)} in pod ${JSON.stringify(ctx.info.name)} not found`,
    );
  const timestamps = parseBool(ctx.query.get("timestamps")) === true;
  const now = ctx.services.clock.now();
  const sinceSeconds = Number(ctx.query.get("sinceSeconds") ?? "");
  const sinceTime = Date.parse(ctx.query.get("sinceTime") ?? "");
  const since =
    Number.isFinite(sinceSeconds) && sinceSeconds > 0
      ? now - sinceSeconds * 1000
      : Number.isFinite(sinceTime)
        ? sinceTime
        : undefined;
  let lines = since === undefined ? [...stored] : stored.filter((l) => l.time >= since);
  const tail = Number(ctx.query.get("tailLines") ?? "");
  if (ctx.query.has("tailLines") && Number.isInteger(tail) && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  const format = (l: LogLine): string => (timestamps ? `${stamp(l)} ${l.text}\n` : `${l.text}\n`);
  const limitText = ctx.query.get("limitBytes");
  const limitBytes = limitText === null ? undefined : Number(limitText);
  let sent = 0;
  const sink = ctx.sink;
  const write = (text: string): boolean => {
    if (limitBytes !== undefined && Number.isFinite(limitBytes)) {
      const room = limitBytes - sent;
      if (room <= 0) return false;
      const part = Buffer.from(text).subarray(0, room);
      sent += part.length;
      sink.writeChunk(part);
      return sent < limitBytes;
    }
    sink.writeChunk(text);
    return true;
  };
  sink.head(200, responseHeaders(ctx, "text/plain"));
  sink.flushHeaders();
  let open = true;
  for (const l of lines) {
    open = write(format(l));
    if (!open) break;
  }
  const follow = parseBool(ctx.query.get("follow")) === true && !previous;
  if (!follow || !open) {
    sink.end();
    return;
  }
  const stop = logs.follow(ctx.namespace, ctx.info.name, container, (line) => {
    if (line === undefined || !write(format(line))) {
      stop();
      untrack();
      sink.end();
    }
  });
  const untrack = ctx.services.trackWatch(() => {
    stop();
    sink.end();
  });
  sink.onClose(() => {
    stop();
    untrack();
  });
}
