#!/usr/bin/env node
/**
 * `kubeshift-fake-cluster [--port N] [--demo] [--http] [--kubeconfig PATH]`: starts a fake cluster on 127.0.0.1,
 * writes a kubeconfig for it, prints the kubeconfig's path on stdout, and runs until interrupted (SIGINT, SIGTERM).
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { startDemo } from "../demo/start-demo.ts";
import { startFakeCluster } from "../start-fake-cluster.ts";

const USAGE = `Usage: kubeshift-fake-cluster [--port N] [--demo] [--http] [--openshift] [--image-registry] [--kubeconfig PATH]

Starts a fake Kubernetes API server on 127.0.0.1 that kubectl and the kubeshift packages can talk to,
writes a kubeconfig for it and prints the kubeconfig's path. Runs until interrupted.

  --port N           listen on port N (default: a free port)
  --demo             churn: namespaces with deployments whose pods start, restart, crash and scale
  --demo-interval MS milliseconds between demo steps (default 1000)
  --http             plain HTTP instead of HTTPS with a generated CA
  --openshift        serve the OpenShift surface too (/oapi/v1, *.openshift.io, OAuth: any user and password)
  --image-registry   with --openshift: an image registry on a second port (printed on stderr)
  --kubeconfig PATH  write the kubeconfig here (default: a new temporary file)
  -h, --help         show this help
`;

async function main(): Promise<number> {
  let values: {
    port?: string;
    demo?: boolean;
    http?: boolean;
    openshift?: boolean;
    "image-registry"?: boolean;
    kubeconfig?: string;
    help?: boolean;
    "demo-interval"?: string;
  };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        demo: { type: "boolean" },
        "demo-interval": { type: "string" },
        http: { type: "boolean" },
        openshift: { type: "boolean" },
        "image-registry": { type: "boolean" },
        kubeconfig: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`kubeshift-fake-cluster: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`kubeshift-fake-cluster: --port needs a port number, got ${JSON.stringify(values.port)}\n`);
    return 2;
  }
  const interval = values["demo-interval"] === undefined ? 1000 : Number(values["demo-interval"]);
  if (!Number.isFinite(interval) || interval < 10) {
    process.stderr.write("kubeshift-fake-cluster: --demo-interval needs a number of milliseconds (at least 10)\n");
    return 2;
  }
  let cluster: Awaited<ReturnType<typeof startFakeCluster>>;
  try {
    cluster = await startFakeCluster({
      port,
      tls: values.http !== true,
      openshift: values.openshift === true,
      imageRegistry: values["image-registry"] === true,
    });
  } catch (e) {
    process.stderr.write(`kubeshift-fake-cluster: cannot start: ${(e as Error).message}\n`);
    return 1;
  }
  let path: string;
  if (values.kubeconfig !== undefined) {
    path = values.kubeconfig;
    await writeFile(path, cluster.kubeconfig.text, { mode: 0o600 });
  } else path = await cluster.kubeconfig.writeTempFile();
  const demo = values.demo === true ? startDemo(cluster, { intervalMs: interval }) : undefined;
  // Listen for the signals before telling anyone where the cluster is: a caller may stop it right away.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  process.stderr.write(
    `kubeshift-fake-cluster: serving ${cluster.url}${demo === undefined ? "" : " with demo churn"}${cluster.imageRegistry === undefined ? "" : `, image registry ${cluster.imageRegistry.url}`}\n  export KUBECONFIG=${path}\n  (Ctrl-C stops it)\n`,
  );
  process.stdout.write(`${path}\n`);
  await stopped;
  demo?.stop();
  await cluster.close();
  return 0;
}

process.exitCode = await main();
