/**
 * Content negotiation: which representation an `Accept` header asks for (JSON, YAML, a `meta.k8s.io` Table or
 * PartialObjectMetadata, aggregated discovery), and which body a `Content-Type` carries. The choice follows the
 * API server: clauses in order of preference, `as=` transformations only where the endpoint offers them, and the two
 * 406 wordings the recordings show.
 *
 * @module
 */
import { notAcceptable, notAcceptableMediaType, type StatusError } from "./status-error.ts";

/** One clause of an `Accept` header. */
export interface MediaRange {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
  readonly q: number;
}

/** Parses an `Accept` header into clauses, best first (stable for equal `q`). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === "") return [{ type: "*/*", params: {}, q: 1 }];
  const out: (MediaRange & { index: number })[] = [];
  header.split(",").forEach((clause, index) => {
    const [rawType, ...rawParams] = clause.split(";");
    const type = (rawType ?? "").trim().toLowerCase();
    if (type === "") return;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf("=");
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, "");
      if (key === "q") q = Number.isFinite(Number(value)) ? Number(value) : 0;
      else params[key] = value;
    }
    if (q > 0) out.push({ type, params, q, index });
  });
  return out.sort((a, b) => b.q - a.q || a.index - b.index);
}

/** What the endpoint can answer besides plain JSON and YAML. */
export interface OutputOffer {
  /** `as=Table` (reads of resources). */
  readonly table?: boolean;
  /** `as=PartialObjectMetadata` / `PartialObjectMetadataList`. */
  readonly partialMetadata?: boolean;
  /** `as=APIGroupDiscoveryList` (`/api`, `/apis`). */
  readonly aggregatedDiscovery?: boolean;
  /** YAML is offered (not on watches). @default true */
  readonly yaml?: boolean;
}

/** The representation chosen. */
export type OutputFormat =
  | { readonly kind: "json" }
  | { readonly kind: "yaml" }
  | { readonly kind: "table"; readonly version: "v1" | "v1beta1" }
  | { readonly kind: "partial"; readonly version: "v1" | "v1beta1" }
  | { readonly kind: "discovery"; readonly version: "v2" | "v2beta1" };

const JSON_TYPES = new Set(["application/json", "application/*", "*/*"]);
const KNOWN_TYPES = new Set([
  "application/json",
  "application/yaml",
  "application/vnd.kubernetes.protobuf",
  "application/*",
  "*/*",
  "application/cbor",
]);
const NEUTRAL_PARAMS = new Set(["charset", "pretty", "stream"]);

/**
 * Picks the output format for an `Accept` header.
 *
 * @returns the format, or the 406 error to answer
 */
export function negotiateOutput(accept: string | undefined, offer: OutputOffer): OutputFormat | StatusError {
  let sawKnown = false;
  for (const range of parseAccept(accept)) {
    if (!KNOWN_TYPES.has(range.type)) continue;
    sawKnown = true;
    const as = range.params.as;
    const g = range.params.g;
    const v = range.params.v;
    const other = Object.keys(range.params).filter(
      (k) => !NEUTRAL_PARAMS.has(k) && k !== "as" && k !== "g" && k !== "v",
    );
    if (other.length > 0) continue;
    const json = JSON_TYPES.has(range.type);
    if (as === undefined) {
      if (g !== undefined || v !== undefined) continue;
      if (json) return { kind: "json" };
      if (range.type === "application/yaml" && offer.yaml !== false) return { kind: "yaml" };
      continue;
    }
    if (!json) continue;
    if (as === "Table" && g === "meta.k8s.io" && (v === "v1" || v === "v1beta1") && offer.table === true)
      return { kind: "table", version: v };
    if (
      (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") &&
      g === "meta.k8s.io" &&
      (v === "v1" || v === "v1beta1") &&
      offer.partialMetadata === true
    )
      return { kind: "partial", version: v };
    if (
      as === "APIGroupDiscoveryList" &&
      g === "apidiscovery.k8s.io" &&
      (v === "v2" || v === "v2beta1") &&
      offer.aggregatedDiscovery === true
    )
      return { kind: "discovery", version: v };
  }
  return sawKnown ? notAcceptableMediaType() : notAcceptable();
}

/** The body types a write understands. */
export type BodyType = "json" | "yaml" | "json-patch" | "merge-patch" | "strategic-merge-patch" | "apply-yaml";

/** Reads a `Content-Type` header (parameters ignored). */
export function bodyTypeOf(contentType: string | undefined): BodyType | "protobuf" | "cbor" | undefined {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  switch (type) {
    case "":
    case "application/json":
      return "json";
    case "application/yaml":
      return "yaml";
    case "application/json-patch+json":
      return "json-patch";
    case "application/merge-patch+json":
      return "merge-patch";
    case "application/strategic-merge-patch+json":
      return "strategic-merge-patch";
    case "application/apply-patch+yaml":
      return "apply-yaml";
    case "application/vnd.kubernetes.protobuf":
      return "protobuf";
    case "application/cbor":
    case "application/apply-patch+cbor":
      return "cbor";
    default:
      return undefined;
  }
}
