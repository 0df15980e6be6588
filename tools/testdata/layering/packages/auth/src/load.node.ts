import { readFileSync } from "node:fs"; // allowed: a *.node.ts file of auth
export const u: unknown = readFileSync;
