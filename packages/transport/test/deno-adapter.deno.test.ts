// Deno-only (vitest excludes *.deno.test.ts): the Deno adapter needs Deno.createHttpClient.
import { createDenoTransport } from "../src/deno/index.ts";
import { describeTransportConformance } from "./conformance.ts";

describeTransportConformance({
  name: "@kubeshift/transport/deno",
  create: (options) => createDenoTransport(options),
  can: {
    customCa: true,
    clientCertificate: true,
    insecure: false,
    tlsServerName: false,
    proxy: true,
    websocketHeaders: true,
    refusedUpgradeBody: false,
    refusedUpgradeStatus: true,
    multiMemberGzip: false,
    http2: true,
  },
});
