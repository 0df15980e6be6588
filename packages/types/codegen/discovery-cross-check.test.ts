import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedDir } from "../../../tools/shared-dir.ts";
import { catalog } from "../src/generated/catalog.ts";
import { crossCheckDiscovery, differenceKey, RECORDED_SERVERS } from "./discovery-cross-check.ts";
import { DISCOVERY_EXCEPTIONS } from "./discovery-exceptions.ts";
import { packageDir } from "./generate-builtins.ts";
import { loadRecordedDiscovery } from "./recorded-discovery.ts";

const fixtures = join(sharedDir(), "fixtures");
const differences = crossCheckDiscovery(fixtures, (apiPath, plural) => catalog.byApiPath(apiPath, plural));
const exceptionKey = (e: { server: string; apiPath: string; plural: string; field: string }): string =>
  `${e.server} ${e.apiPath} ${e.plural} ${e.field}`;

describe("discovery cross-check against the recorded servers", () => {
  it("reads the recordings of both servers, core and groups, including /oapi/v1 and the openshift.io groups", () => {
    for (const server of RECORDED_SERVERS) {
      const recorded = loadRecordedDiscovery(join(fixtures, server));
      expect(recorded.get("/api/v1")?.resources.length, server).toBeGreaterThan(15);
      expect(recorded.size, server).toBeGreaterThan(30);
    }
    const os = loadRecordedDiscovery(join(fixtures, "openshift-v3.11.0"));
    expect(os.get("/oapi/v1")?.resources.map((r) => r.plural)).toContain("deploymentconfigs");
    expect(os.get("/apis/route.openshift.io/v1")?.resources.map((r) => r.plural)).toEqual(["routes"]);
  });

  it("every difference in kind, plural, scope or verbs is a documented exception, and every exception still applies", () => {
    const unexplained = differences
      .filter((d) => !DISCOVERY_EXCEPTIONS.some((e) => exceptionKey(e) === exceptionKey(d)))
      .map(differenceKey);
    const stale = DISCOVERY_EXCEPTIONS.filter((e) => !differences.some((d) => exceptionKey(d) === exceptionKey(e))).map(
      exceptionKey,
    );
    expect(unexplained).toEqual([]);
    expect(stale).toEqual([]);
    expect(new Set(DISCOVERY_EXCEPTIONS.map(exceptionKey)).size).toBe(DISCOVERY_EXCEPTIONS.length);
  });

  it("agrees with the real servers on every resource both serve: all OpenShift groups and /oapi/v1 match", () => {
    const openshiftDiffs = differences.filter((d) => d.apiPath === "/oapi/v1" || d.apiPath.includes(".openshift.io/"));
    expect(openshiftDiffs.map(differenceKey)).toEqual([]);
    const compared = RECORDED_SERVERS.flatMap((server) =>
      [...loadRecordedDiscovery(join(fixtures, server)).entries()].flatMap(([apiPath, gv]) =>
        gv.resources.filter((r) => catalog.byApiPath(apiPath, r.plural) !== undefined),
      ),
    );
    expect(compared.length).toBeGreaterThan(170);
  });

  it("the README lists every exception with its reason", () => {
    // Biome pads table cells; compare with the padding collapsed.
    const readme = readFileSync(join(packageDir, "README.md"), "utf8").replace(/ *\| */g, " | ");
    for (const e of DISCOVERY_EXCEPTIONS) {
      expect(readme).toContain(`${e.server} | ${e.apiPath} ${e.plural} | ${e.field} |`);
    }
  });
});
