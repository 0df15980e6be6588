import { readFileSync } from "node:fs"; // violation: auth may use node: only in the files layering.json names
export * from "@kubeshift/types"; // allowed: downward re-export
export const v: unknown = readFileSync;
