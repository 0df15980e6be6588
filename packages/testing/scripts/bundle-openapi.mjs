#!/usr/bin/env node
// Bundles the OpenAPI documents the fake cluster serves (/openapi/v2, /openapi/v3) and validates against into one
// brotli-compressed file, data/openapi.json.br, so that the package never reads the shared research folder at run
// time. Input: the Kubernetes 1.34 specs in shared/specs, found as the tests find them (tools/shared-dir.ts). Run from
// anywhere with the project's Node: `npx node packages/testing/scripts/bundle-openapi.mjs`.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";
import { sharedDir } from "../../../tools/shared-dir.ts";

let shared;
try {
  shared = sharedDir();
} catch (error) {
  process.stderr.write(`bundle-openapi: ${error.message}\n`);
  process.exit(1);
}
const k8s = join(shared, "specs/kubernetes/v1.34");
const v3dir = join(k8s, "openapi-v3");
const v3 = {};
for (const file of readdirSync(v3dir).sort()) {
  if (!file.endsWith("_openapi.json")) continue;
  const path = file.slice(0, -"_openapi.json".length).replaceAll("__", "/");
  v3[path] = JSON.parse(readFileSync(join(v3dir, file), "utf8"));
}
const bundle = {
  source: "kubernetes/kubernetes release-1.34 api/openapi-spec (swagger.json and v3/*.json), Apache-2.0",
  v2: JSON.parse(readFileSync(join(k8s, "swagger.json"), "utf8")),
  v3,
};
const json = Buffer.from(JSON.stringify(bundle));
const out = brotliCompressSync(json, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 11,
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
  },
});
writeFileSync(fileURLToPath(new URL("../data/openapi.json.br", import.meta.url)), out);
process.stdout.write(
  `bundle-openapi: ${Object.keys(v3).length} v3 documents + swagger.json, ${json.length} bytes → ${out.length} bytes\n`,
);
