import { describe, expect, it } from "vitest";
import {
  ApiError,
  isConflict,
  isForbidden,
  isGone,
  isNotFound,
  isResourceVersionTooLarge,
  isUnauthorized,
} from "./api-error.ts";
import { KubeError } from "./kube-error.ts";
import { registerSecret } from "./redact.ts";

describe("ApiError", () => {
  it("ApiError.fromBody() keeps the server's Status and words the message as method, path, reason, message", () => {
    const body = JSON.stringify({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'pods "web" not found',
      reason: "NotFound",
      details: { name: "web", kind: "pods" },
      code: 404,
    });
    const err = ApiError.fromBody(body, 404, { method: "GET", path: "/api/v1/namespaces/dev/pods/web" });
    expect(err.message).toBe('Cannot GET "/api/v1/namespaces/dev/pods/web": NotFound (404): pods "web" not found');
    expect(err.status).toBe(404);
    expect(err.details?.name).toBe("web");
    expect(isNotFound(err)).toBe(true);
    expect(isConflict(err)).toBe(false);
    expect(err).toBeInstanceOf(KubeError);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("ERR_API");
  });

  it("ApiError.fromBody() builds a Status from the HTTP status when the body is empty or not JSON", () => {
    const empty = ApiError.fromBody("", 503, { method: "GET", path: "/api" });
    expect(empty.reason).toBe("ServiceUnavailable");
    expect(empty.status).toBe(503);
    const text = ApiError.fromBody("404 page not found\n", 404, { method: "GET", path: "/apis/x/v1/things" });
    expect(text.reason).toBe("NotFound");
    expect(text.message).toContain("404 page not found");
    const truncated = ApiError.fromBody('{"kind":"Status","code":4', 500);
    expect(truncated.reason).toBe("InternalError");
  });

  it("ApiError derives the reason from the code when the Status has none (500 future revision)", () => {
    const err = ApiError.fromBody(
      JSON.stringify({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "etcdserver: mvcc: required revision is a future revision",
        code: 500,
      }),
      500,
    );
    expect(err.reason).toBe("InternalError");
  });

  it("ApiError reads retryAfterSeconds from details and from the Retry-After header", () => {
    const tooLarge = ApiError.fromBody(
      JSON.stringify({
        kind: "Status",
        status: "Failure",
        message: "Timeout: Too large resource version: 999999999, current: 339",
        reason: "Timeout",
        details: {
          causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
          retryAfterSeconds: 1,
        },
        code: 504,
      }),
      504,
    );
    expect(tooLarge.retryAfterSeconds).toBe(1);
    expect(isResourceVersionTooLarge(tooLarge)).toBe(true);
    expect(ApiError.fromBody("", 429, { retryAfter: "7" }).retryAfterSeconds).toBe(7);
  });

  it("ApiError reads Retry-After as the retry middleware does: delay-seconds or an HTTP-date, nothing else", () => {
    const after = (value: string) => ApiError.fromBody("", 429, { retryAfter: value }).retryAfterSeconds;
    expect(after(" 3 ")).toBe(3);
    expect(after("")).toBeUndefined();
    expect(after("soon")).toBeUndefined();
    expect(after(new Date(Date.now() + 5_000).toUTCString())).toBeGreaterThanOrEqual(4);
    expect(after(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
  });

  it("ApiError never carries a token the server echoed back (Authorization header, JWT, registered secret)", () => {
    const token = "s3cr3t-token-value-1234";
    registerSecret(token);
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl";
    const body = JSON.stringify({
      kind: "Status",
      status: "Failure",
      reason: "Unauthorized",
      code: 401,
      message: `Unauthorized: header Authorization: Bearer ${token}; jwt ${jwt}; raw ${token}`,
    });
    const err = ApiError.fromBody(body, 401, { method: "GET", path: `/api?access_token=${token}` });
    expect(isUnauthorized(err)).toBe(true);
    expect(err.message).not.toContain(token);
    expect(err.message).not.toContain(jwt);
    expect(JSON.stringify(err.apiStatus)).not.toContain(token);
    expect(err.path).not.toContain(token);
    expect(err.message).toContain("<redacted>");
  });

  it("isGone() accepts both Expired and the older Gone reason", () => {
    const expired = ApiError.fromBody(
      JSON.stringify({ kind: "Status", reason: "Expired", code: 410, message: "too old resource version: 1 (5)" }),
      200,
    );
    const gone = ApiError.fromBody(JSON.stringify({ kind: "Status", reason: "Gone", code: 410 }), 200);
    expect(isGone(expired)).toBe(true);
    expect(isGone(gone)).toBe(true);
    expect(expired.status).toBe(410);
    expect(isForbidden(gone)).toBe(false);
  });

  it("instanceof works across copies through the Symbol.for brand", () => {
    const foreign = Object.assign(new Error("x"), { code: "ERR_API" });
    Object.defineProperty(foreign, Symbol.for("kubeshift.error"), { value: true });
    expect(foreign instanceof KubeError).toBe(true);
    expect(foreign instanceof ApiError).toBe(true);
    expect(new Error("plain") instanceof KubeError).toBe(false);
  });
});
