import { startFakeCluster } from "@kubeshift/testing"; // allowed: apps may import anything
import { spawn } from "node:child_process"; // allowed in apps
import WebSocket from "ws"; // violation: apps do not get ws either
export const a: unknown = [startFakeCluster, spawn, WebSocket];
