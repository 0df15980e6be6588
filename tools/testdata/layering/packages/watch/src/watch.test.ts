import { startFakeCluster } from "@kubeshift/testing"; // allowed in tests
import { createServer } from "node:http"; // allowed in tests
import { WebSocketServer } from "ws"; // violation: ws stays confined, also in tests
export const t: unknown = [startFakeCluster, createServer, WebSocketServer];
