// Node-only: the Node adapter is built on undici and ws, which are the Node runtime's; Deno runs the Deno adapter.
import { createNodeTransport } from "../src/node/index.ts";
import { describeTransportConformance } from "./conformance.ts";

describeTransportConformance({
  name: "@kubeshift/transport/node",
  create: (options) => createNodeTransport(options),
  can: {
    customCa: true,
    clientCertificate: true,
    insecure: true,
    tlsServerName: true,
    proxy: true,
    websocketHeaders: true,
    refusedUpgradeBody: true,
    refusedUpgradeStatus: true,
    multiMemberGzip: true,
    http2: true,
  },
});
