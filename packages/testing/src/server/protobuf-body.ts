/**
 * Protobuf request bodies of the review kinds. kubectl 1.26+ sends SelfSubjectAccessReview (`auth can-i`),
 * SelfSubjectRulesReview (`auth can-i --list`) and SelfSubjectReview (`auth whoami`) as
 * `application/vnd.kubernetes.protobuf` and does not fall back to JSON on a 415, so the fake cluster reads these
 * bodies: the `k8s\0` envelope (`runtime.Unknown`), then the few messages the reviews are made of. Answers stay JSON,
 * which kubectl accepts (it lists JSON in its `Accept`).
 *
 * @module
 */
import { badRequest } from "./status-error.ts";

/** One decoded field: varint, or length-delimited bytes. */
type Field = { readonly no: number; readonly varint?: number; readonly bytes?: Uint8Array };

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

function readVarint(buf: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    if (i >= buf.length) throw badRequest("the protobuf body is truncated");
    const b = buf[i++] as number;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, i];
    shift += 7;
    if (shift > 63) throw badRequest("the protobuf body has an over-long varint");
  }
}

/** Splits a message into its fields (unknown wire types are refused). */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  while (i < buf.length) {
    const [key, next] = readVarint(buf, i);
    i = next;
    const no = Math.floor(key / 8);
    switch (key & 7) {
      case 0: {
        const [v, n] = readVarint(buf, i);
        out.push({ no, varint: v });
        i = n;
        break;
      }
      case 2: {
        const [len, n] = readVarint(buf, i);
        if (n + len > buf.length) throw badRequest("the protobuf body is truncated");
        out.push({ no, bytes: buf.subarray(n, n + len) });
        i = n + len;
        break;
      }
      case 1:
        i += 8;
        break;
      case 5:
        i += 4;
        break;
      default:
        throw badRequest(`the protobuf body has an unsupported wire type ${key & 7}`);
    }
  }
  return out;
}

const text = new TextDecoder();

function str(fs: Field[], no: number): string | undefined {
  const f = fs.find((x) => x.no === no && x.bytes !== undefined);
  return f === undefined ? undefined : text.decode(f.bytes);
}

function strs(fs: Field[], no: number): string[] {
  return fs.filter((x) => x.no === no && x.bytes !== undefined).map((x) => text.decode(x.bytes));
}

function msg(fs: Field[], no: number): Field[] | undefined {
  const f = fs.find((x) => x.no === no && x.bytes !== undefined);
  return f?.bytes === undefined ? undefined : fields(f.bytes);
}

/** Sets the non-empty strings of `pairs` (Go's omitempty). */
function strings(fs: Field[], pairs: Record<string, number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, no] of Object.entries(pairs)) {
    const v = str(fs, no);
    if (v !== undefined && v !== "") out[name] = v;
  }
  return out;
}

function objectMeta(fs: Field[] | undefined): Record<string, unknown> {
  if (fs === undefined) return {};
  return strings(fs, { name: 1, generateName: 2, namespace: 3 });
}

function resourceAttributes(fs: Field[]): Record<string, unknown> {
  return strings(fs, {
    namespace: 1,
    verb: 2,
    group: 3,
    version: 4,
    resource: 5,
    subresource: 6,
    name: 7,
  });
}

function accessReviewSpec(fs: Field[] | undefined, withSubject: boolean): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (fs === undefined) return spec;
  const ra = msg(fs, 1);
  if (ra !== undefined) spec.resourceAttributes = resourceAttributes(ra);
  const nra = msg(fs, 2);
  if (nra !== undefined) spec.nonResourceAttributes = strings(nra, { path: 1, verb: 2 });
  if (withSubject) {
    Object.assign(spec, strings(fs, { user: 3, uid: 6 }));
    const groups = strs(fs, 4);
    if (groups.length > 0) spec.groups = groups;
    const extra: Record<string, string[]> = {};
    for (const entry of fs.filter((x) => x.no === 5 && x.bytes !== undefined)) {
      const e = fields(entry.bytes as Uint8Array);
      const key = str(e, 1) ?? "";
      const value = msg(e, 2);
      extra[key] = value === undefined ? [] : strs(value, 1);
    }
    if (Object.keys(extra).length > 0) spec.extra = extra;
  }
  return spec;
}

/**
 * Whether a `Content-Type` is Kubernetes protobuf.
 *
 * @param contentType the header
 * @returns true for `application/vnd.kubernetes.protobuf`
 */
export function isProtobufBody(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() === "application/vnd.kubernetes.protobuf";
}

/**
 * Decodes a protobuf body of one of the review kinds into its JSON form.
 *
 * @param body the request body
 * @returns the object, or `undefined` when the kind is not one this server decodes
 * @throws {StatusError} 400 for a body that is not a Kubernetes protobuf envelope
 */
export function decodeProtobufBody(body: Uint8Array): Record<string, unknown> | undefined {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b))
    throw badRequest("the protobuf body does not start with the Kubernetes magic number");
  const unknown = fields(body.subarray(4));
  const typeMeta = msg(unknown, 1) ?? [];
  const apiVersion = str(typeMeta, 1) ?? "";
  const kind = str(typeMeta, 2) ?? "";
  const raw = unknown.find((f) => f.no === 2)?.bytes ?? new Uint8Array();
  const m = fields(raw);
  const head = { kind, apiVersion, metadata: objectMeta(msg(m, 1)) };
  switch (kind) {
    case "SelfSubjectAccessReview":
      return { ...head, spec: accessReviewSpec(msg(m, 2), false) };
    case "SubjectAccessReview":
    case "LocalSubjectAccessReview":
      return { ...head, spec: accessReviewSpec(msg(m, 2), true) };
    case "SelfSubjectRulesReview": {
      const spec = msg(m, 2);
      return { ...head, spec: spec === undefined ? {} : strings(spec, { namespace: 1 }) };
    }
    case "SelfSubjectReview":
      return head;
    case "TokenReview": {
      const spec = msg(m, 2) ?? [];
      const audiences = strs(spec, 2);
      return {
        ...head,
        spec: { ...strings(spec, { token: 1 }), ...(audiences.length > 0 ? { audiences } : {}) },
      };
    }
    default:
      return undefined;
  }
}
