/**
 * The OpenAPI documents bundled with the package (`data/openapi.json.br`, made by `scripts/bundle-openapi.mjs` from
 * the Kubernetes 1.34 specs): the swagger 2.0 document served at `/openapi/v2` and the per-group-version OpenAPI v3
 * documents served under `/openapi/v3`. Loaded once per process, on first use.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { brotliDecompress } from "node:zlib";

/** A swagger 2.0 document (only what the server reads is typed). */
export interface SwaggerDocument {
  swagger: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
  definitions: Record<string, Record<string, unknown>>;
  parameters?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** An OpenAPI 3.0 document. */
export interface OpenApiV3Document {
  openapi: string;
  paths: Record<string, unknown>;
  components?: { schemas?: Record<string, Record<string, unknown>> };
  [key: string]: unknown;
}

/** The bundle. */
export interface OpenApiBundle {
  /** Where the documents come from. */
  readonly source: string;
  /** `/openapi/v2`. */
  readonly v2: SwaggerDocument;
  /** `/openapi/v3/<path>` by path (`api/v1`, `apis/apps/v1`). */
  readonly v3: Readonly<Record<string, OpenApiV3Document>>;
}

let cached: Promise<OpenApiBundle> | undefined;

async function readBundleBytes(): Promise<Uint8Array> {
  const url = new URL("../../data/openapi.json.br", import.meta.url);
  if (url.protocol === "file:") return await readFile(fileURLToPath(url));
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`cannot read the bundled OpenAPI documents at ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Loads (once) and returns the bundled OpenAPI documents.
 *
 * @returns the bundle
 * @throws {Error} when the data file is missing or damaged (a broken installation)
 */
export function loadOpenApiBundle(): Promise<OpenApiBundle> {
  cached ??= (async () => {
    const compressed = await readBundleBytes();
    const json = await new Promise<Buffer>((resolve, reject) =>
      brotliDecompress(compressed, (error, result) => (error === null ? resolve(result) : reject(error))),
    );
    return JSON.parse(json.toString("utf8")) as OpenApiBundle;
  })();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
