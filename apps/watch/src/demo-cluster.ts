/**
 * `--demo`: the fake cluster of `@kubeshift/testing` started in this process (HTTPS on 127.0.0.1, a fresh CA and
 * token) with its churn generator — deployments whose pods start, restart, crash-loop, scale and go away, with
 * Events — reached through exactly the same client stack as a real cluster.
 *
 * @module
 */
import { parseKubeconfig, resolveConnection } from "@kubeshift/auth";
import { connect } from "@kubeshift/client";
import { fromConnection, type OpenCluster } from "./open-cluster.ts";

/** Options of {@link startDemoCluster}. */
export interface DemoClusterOptions {
  /** Milliseconds between churn steps. @default 800 */
  intervalMs?: number;
  /** Namespaces of the demo. @default 4 */
  namespaces?: number;
  /** Deployments per namespace. @default 3 */
  deploymentsPerNamespace?: number;
  /** Seed of the churn (same seed, same story). @default the current time */
  seed?: number;
}

/**
 * Starts the demo cluster and connects to it.
 *
 * @param options pace and size of the churn
 * @returns the client and who/where; `close()` stops the churn and the server
 * @throws {RangeError} for sizes the demo does not support
 * @example
 * ```ts
 * await using demo = await startDemoCluster();
 * ```
 */
export async function startDemoCluster(options: DemoClusterOptions = {}): Promise<OpenCluster> {
  // Loaded only for --demo: a real cluster never pays for the fake one.
  const { startDemo, startFakeCluster } = await import("@kubeshift/testing");
  const cluster = await startFakeCluster();
  try {
    const demo = startDemo(cluster, {
      intervalMs: options.intervalMs ?? 800,
      namespaces: options.namespaces ?? 4,
      deploymentsPerNamespace: options.deploymentsPerNamespace ?? 3,
      seed: options.seed ?? Date.now() % 1_000_000,
    });
    const config = parseKubeconfig(cluster.kubeconfig.text);
    const connection = await resolveConnection(config);
    const client = await connect({ connection });
    return fromConnection(client, {
      connection: { ...connection, contextName: "kubeshift-demo" },
      close: async () => {
        demo.stop();
        await client.close();
        await cluster.close();
      },
    });
  } catch (error) {
    await cluster.close();
    throw error;
  }
}
