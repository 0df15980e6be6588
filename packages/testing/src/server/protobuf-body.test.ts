import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeProtobufBody, isProtobufBody } from "./protobuf-body.ts";
import { StatusError } from "./status-error.ts";

/** Encodes a length-delimited field (test helper). */
function field(no: number, bytes: Uint8Array | string): Uint8Array {
  const b = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const out: number[] = [(no << 3) | 2];
  let n = b.length;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n, ...b);
  return Uint8Array.from(out);
}

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

function envelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const typeMeta = concat(field(1, apiVersion), field(2, kind));
  return concat(Uint8Array.from([0x6b, 0x38, 0x73, 0x00]), field(1, typeMeta), field(2, raw));
}

describe("protobuf review bodies", () => {
  it("recognises the Kubernetes protobuf content type", () => {
    expect(isProtobufBody("application/vnd.kubernetes.protobuf")).toBe(true);
    expect(isProtobufBody("application/vnd.kubernetes.protobuf; charset=x")).toBe(true);
    expect(isProtobufBody("application/json")).toBe(false);
  });

  it("decodes a SubjectAccessReview with user, groups, extra and non-resource attributes", () => {
    const extra = field(5, concat(field(1, "scopes"), field(2, concat(field(1, "a"), field(1, "b")))));
    const spec = concat(
      field(2, concat(field(1, "/healthz"), field(2, "get"))),
      field(3, "jane"),
      field(4, "devs"),
      extra,
    );
    const body = envelope("authorization.k8s.io/v1", "SubjectAccessReview", field(2, spec));
    expect(decodeProtobufBody(body)).toEqual({
      kind: "SubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: {},
      spec: {
        nonResourceAttributes: { path: "/healthz", verb: "get" },
        user: "jane",
        groups: ["devs"],
        extra: { scopes: ["a", "b"] },
      },
    });
  });

  it("decodes TokenReview and SelfSubjectRulesReview, and leaves other kinds to the caller", () => {
    const token = envelope("authentication.k8s.io/v1", "TokenReview", field(2, concat(field(1, "t"), field(2, "aud"))));
    expect(decodeProtobufBody(token)).toMatchObject({ spec: { token: "t", audiences: ["aud"] } });
    const rules = envelope("authorization.k8s.io/v1", "SelfSubjectRulesReview", field(2, field(1, "ns")));
    expect(decodeProtobufBody(rules)).toMatchObject({ spec: { namespace: "ns" } });
    expect(decodeProtobufBody(envelope("v1", "ConfigMap", new Uint8Array()))).toBeUndefined();
  });

  it("any byte string after the magic number decodes or is a 400, never another error (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeProtobufBody(concat(Uint8Array.from([0x6b, 0x38, 0x73, 0x00]), bytes));
        } catch (e) {
          expect(e).toBeInstanceOf(StatusError);
          expect((e as StatusError).code).toBe(400);
        }
      }),
      { numRuns: 500 },
    );
    expect(() => decodeProtobufBody(new TextEncoder().encode("{}"))).toThrow(StatusError);
  });
});
