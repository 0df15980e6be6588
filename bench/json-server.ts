/**
 * The HTTP server the transport benchmarks talk to, in a child process so that its work is not timed with the
 * client's: `/small` answers a ConfigMap of about 700 bytes, `/big` a PodList of 30 MiB (built once at start).
 * Prints its port on stdout when ready.
 *
 * @module
 */
import { createServer } from "node:http";
import { announce } from "./child-server.ts";

const small = Buffer.from(
  JSON.stringify({
    kind: "ConfigMap",
    apiVersion: "v1",
    metadata: {
      name: "kube-root-ca.crt",
      namespace: "default",
      uid: "0b1d5e2c-6a40-4e0c-9a56-0f7c7e1f3a41",
      resourceVersion: "4711",
      creationTimestamp: "2026-11-01T10:00:00Z",
      annotations: {
        "kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver",
      },
    },
    data: {
      "ca.crt":
        "-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n-----END CERTIFICATE-----\n",
    },
  }),
);

function pod(i: number): unknown {
  return {
    metadata: {
      name: `web-${i}`,
      namespace: "default",
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      resourceVersion: String(100000 + i),
      labels: { app: "web", tier: "frontend", "pod-template-hash": "5d8f7c9b6" },
    },
    spec: { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 80 }] }], nodeName: "node-1" },
    status: { phase: "Running", podIP: `10.0.${(i >> 8) & 255}.${i & 255}` },
  };
}

const TARGET = 30 * 1024 * 1024;
const perItem = JSON.stringify(pod(100000)).length + 1;
const items = Array.from({ length: Math.ceil(TARGET / perItem) }, (_, i) => pod(i));
const big = Buffer.from(
  JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items }),
);

const server = createServer((req, res) => {
  const body = req.url === "/big" ? big : small;
  res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
announce(server, big.length);
