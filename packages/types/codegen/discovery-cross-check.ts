/**
 * Compares the generated descriptors with what real servers reported in discovery (the shared recordings of
 * Kubernetes 1.20.2 and OpenShift 3.11.0): for every resource a server served, its descriptor must exist and agree on
 * kind, plural, scope and verbs. Each difference is either a bug or a documented exception.
 *
 * @module
 */
import { join } from "node:path";
import type { ResourceDescriptor } from "@kubeshift/types";
import { loadRecordedDiscovery } from "./recorded-discovery.ts";

/** One disagreement between a recording and the generated descriptors. */
export interface DiscoveryDifference {
  /** `kubernetes-v1.20.2` or `openshift-v3.11.0`. */
  server: string;
  apiPath: string;
  plural: string;
  kind: string;
  /** `descriptor` (none generated), `kind`, `namespaced` or `verbs`. */
  field: "descriptor" | "kind" | "namespaced" | "verbs";
  /** What the server reported. */
  recorded: string;
  /** What was generated. */
  generated: string;
}

/** The servers of the shared recordings. */
export const RECORDED_SERVERS = ["kubernetes-v1.20.2", "openshift-v3.11.0"] as const;

/**
 * Lists every difference between the recordings and the descriptors.
 *
 * @param fixturesDir `shared/fixtures`
 * @param find looks a descriptor up by URL prefix and plural
 * @returns the differences, sorted
 */
export function crossCheckDiscovery(
  fixturesDir: string,
  find: (apiPath: string, plural: string) => ResourceDescriptor | undefined,
): DiscoveryDifference[] {
  const out: DiscoveryDifference[] = [];
  for (const server of RECORDED_SERVERS) {
    const recorded = loadRecordedDiscovery(join(fixturesDir, server));
    for (const [apiPath, gv] of [...recorded].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const r of [...gv.resources].sort((a, b) => (a.plural < b.plural ? -1 : 1))) {
        const d = find(apiPath, r.plural);
        const base = { server, apiPath, plural: r.plural, kind: r.kind };
        if (d === undefined) {
          out.push({ ...base, field: "descriptor", recorded: "served", generated: "none" });
          continue;
        }
        if (d.kind !== r.kind) out.push({ ...base, field: "kind", recorded: r.kind, generated: d.kind });
        if (d.namespaced !== r.namespaced) {
          out.push({ ...base, field: "namespaced", recorded: String(r.namespaced), generated: String(d.namespaced) });
        }
        const ours = [...d.verbs].sort().join(",");
        const theirs = [...r.verbs].sort().join(",");
        if (ours !== theirs) out.push({ ...base, field: "verbs", recorded: theirs, generated: ours });
      }
    }
  }
  return out;
}

/** A stable one-line key of a difference. */
export function differenceKey(d: DiscoveryDifference): string {
  return `${d.server} ${d.apiPath} ${d.plural} ${d.field}: recorded ${d.recorded}; generated ${d.generated}`;
}
