/**
 * Collects the discovery documents (`APIResourceList`) that real servers answered in the shared recordings
 * (`shared/fixtures/<server>/`): the scenario files' exchanges, and the response bodies kubectl printed in its
 * `-v=8` logs. The generator takes short names and categories from them; the cross-check test compares the
 * descriptors with them.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type DiscoveredResource, readResourceList } from "./read-discovery.ts";

/** The resources of one group/version as one server reported them. */
export interface RecordedGroupVersion {
  /** `/api/v1`, `/apis/<group>/<version>` or `/oapi/v1`. */
  apiPath: string;
  resources: DiscoveredResource[];
  /** The file the document came from. */
  file: string;
  /** True when the document was cut short in a log and only its complete entries were kept. */
  partial: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** Closes a truncated APIResourceList after its last complete resource entry. */
function repairTruncated(text: string): string | undefined {
  const cut = text.lastIndexOf('},{"name":');
  if (cut < 0) return undefined;
  return `${text.slice(0, cut + 1)}]}`;
}

function apiPathOf(groupVersion: string, requestPath: string | undefined): string {
  if (requestPath?.startsWith("/oapi/")) return requestPath.replace(/\/$/, "");
  return groupVersion.includes("/") ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
}

/**
 * Reads every `APIResourceList` recorded for one server.
 *
 * @param serverDir `shared/fixtures/<server>`
 * @returns one entry per apiPath; a complete document wins over a partial one
 */
export function loadRecordedDiscovery(serverDir: string): Map<string, RecordedGroupVersion> {
  const found = new Map<string, RecordedGroupVersion>();
  const offer = (entry: RecordedGroupVersion): void => {
    const existing = found.get(entry.apiPath);
    if (existing === undefined || (existing.partial && !entry.partial)) found.set(entry.apiPath, entry);
  };
  for (const file of walk(serverDir)) {
    if (file.endsWith(".json") && !file.endsWith(".body.json")) {
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(file, "utf8"));
      } catch {
        continue;
      }
      if (!isObject(doc) || !Array.isArray(doc.exchanges)) continue;
      for (const ex of doc.exchanges) {
        if (!isObject(ex) || !isObject(ex.request) || !isObject(ex.response)) continue;
        const body = ex.response.body;
        if (ex.response.status !== 200 || !isObject(body) || body.kind !== "APIResourceList") continue;
        const path = typeof ex.request.path === "string" ? ex.request.path : undefined;
        const apiPath = apiPathOf(String(body.groupVersion), path);
        offer({ apiPath, resources: readResourceList(body), file, partial: false });
      }
    } else if (file.endsWith(".log")) {
      const text = readFileSync(file, "utf8");
      // kubectl 1.27 prints `Response Body: {…}`; 1.33 prints `"Response Body" body=<\n\t{…}\n >` or an escaped string.
      const bodies: string[] = [];
      for (const m of text.matchAll(/Response Body: (\{.*)$/gm)) if (m[1] !== undefined) bodies.push(m[1]);
      for (const m of text.matchAll(/"Response Body" body=<\n\t(\{.*)\n >/g)) if (m[1] !== undefined) bodies.push(m[1]);
      for (const m of text.matchAll(/"Response Body" body="((?:[^"\\]|\\.)*)"/g)) {
        if (m[1] === undefined) continue;
        try {
          bodies.push(JSON.parse(`"${m[1]}"`));
        } catch {
          // not a JSON string literal; nothing to recover
        }
      }
      for (const raw of bodies) {
        if (!raw.startsWith('{"kind":"APIResourceList"')) continue;
        const truncated = / \[truncated \d+ chars\]$/.test(raw);
        const jsonText = truncated ? repairTruncated(raw.replace(/ \[truncated \d+ chars\]$/, "")) : raw;
        if (jsonText === undefined) continue;
        let body: unknown;
        try {
          body = JSON.parse(jsonText);
        } catch {
          continue;
        }
        if (!isObject(body)) continue;
        offer({
          apiPath: apiPathOf(String(body.groupVersion), undefined),
          resources: readResourceList(body),
          file,
          partial: truncated,
        });
      }
    }
  }
  return found;
}
