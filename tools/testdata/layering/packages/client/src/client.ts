// import { watch } from "@kubeshift/watch";  (a comment: not an import)
/* export * from "@kubeshift/watch"; */
import { request } from "undici"; // violation: undici outside transport/src/node
import type { Transport } from "@kubeshift/transport"; // allowed: downward
const doc = "import { watch } from '@kubeshift/watch'"; // a string: not an import
const tpl = `export * from "@kubeshift/watch"`; // a template: not an import
const re = /from "@kubeshift\/watch"/; // a regex: not an import
export const z: unknown = [request, doc, tpl, re, {} as Transport];
