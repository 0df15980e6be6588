import { Agent } from "undici"; // allowed: the node adapter
import { WebSocket } from "ws"; // allowed
import { readFile } from "node:fs/promises"; // allowed
export const y: unknown = [Agent, WebSocket, readFile];
