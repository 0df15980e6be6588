export { startFakeCluster } from "@kubeshift/testing"; // violation: testing outside tests
export async function load(): Promise<unknown> {
  return import("node:fs"); // violation: dynamic import of a node built-in in watch
}
