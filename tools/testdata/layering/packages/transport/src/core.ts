import { connect } from "node:net"; // violation: node built-in in transport core
import type { Client } from "@kubeshift/client"; // violation: type-only import going up
export const x: unknown = [connect, {} as Client];
