/**
 * Test support: sets of recorded exchanges several test files replay. The caller passes the loader (test files may
 * read files; this module stays free of runtime built-ins).
 *
 * @module
 */
import type { Exchange, Fixture } from "./replay-transport.ts";

/** Reads one fixture by its path under `shared/fixtures`, without `.json`. */
export type LoadFixture = (relative: string) => Fixture;

/** OpenShift 3.11 discovery as `oc create serviceaccount` recorded it (every group/version), plus /oapi/v1 and /version. */
export function openshiftDiscovery(load: LoadFixture): Exchange[] {
  return [
    ...load("openshift-v3.11.0/openshift/rbac-oc-create-serviceaccount").exchanges.filter(
      (e) => e.request.method === "GET",
    ),
    ...load("openshift-v3.11.0/discovery/oapi-v1").exchanges,
    ...load("openshift-v3.11.0/discovery/version").exchanges,
  ];
}
