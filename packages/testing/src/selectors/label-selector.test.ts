import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../../tools/shared-dir.ts";
import { parseLabelSelector } from "./label-selector.ts";
import { SelectorError } from "./selector-error.ts";

function error(text: string): SelectorError {
  try {
    parseLabelSelector(text);
  } catch (e) {
    if (e instanceof SelectorError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

interface Exchange {
  request: { query: string };
  response: {
    status: number;
    body: { message?: string; items?: { metadata: { name: string; labels?: Record<string, string> } }[] };
  };
}

function exchanges(file: string): Exchange[] {
  return JSON.parse(readFileSync(fixturePath(`kubernetes-v1.20.2/${file}`), "utf8")).exchanges;
}

describe("parseLabelSelector", () => {
  it("matches =, ==, !=, in, notin, exists and !key like the server", () => {
    const labels = { app: "web", tier: "a", "example.com/team": "x" };
    const cases: [string, boolean][] = [
      ["app=web", true],
      ["app==web", true],
      ["app=api", false],
      ["app!=api", true],
      ["missing!=x", true],
      ["tier in (a,b)", true],
      ["tier in (b,c)", false],
      ["missing in (a)", false],
      ["tier notin (b)", true],
      ["missing notin (b)", true],
      ["tier notin (a)", false],
      ["app", true],
      ["missing", false],
      ["!missing", true],
      ["!app", false],
      ["example.com/team=x", true],
      ["app=web,tier in (a),!missing", true],
      ["app=web,tier=b", false],
      ["", true],
      ["app=", false],
      ["missing=", false],
      ["tier in ()", false],
    ];
    for (const [text, want] of cases) expect(parseLabelSelector(text).matches(labels), text).toBe(want);
    expect(parseLabelSelector("app").matches(undefined)).toBe(false);
    expect(parseLabelSelector("!app").matches(undefined)).toBe(true);
  });

  it("compares integers with > and <, and never matches a non-integer label", () => {
    expect(parseLabelSelector("n>5").matches({ n: "10" })).toBe(true);
    expect(parseLabelSelector("n<5").matches({ n: "10" })).toBe(false);
    expect(parseLabelSelector("n>5").matches({ n: "x" })).toBe(false);
    expect(parseLabelSelector("n>5").matches({})).toBe(false);
    expect(parseLabelSelector("n<3").matches({ n: "-2" })).toBe(true);
    // The value must also be a valid label value, so negative bounds are refused, as on the server.
    expect(error("n<-1").message).toContain('invalid label value: "-1"');
    expect(error("n>x").message).toBe(
      "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer",
    );
  });

  it("treats in/notin as values inside parentheses and folds ',,' into the empty value", () => {
    const s = parseLabelSelector("x in (foo,,baz),y,z notin ()");
    expect(s.requirements).toEqual([
      { key: "x", operator: "in", values: ["", "baz", "foo"] },
      { key: "y", operator: "exists", values: [] },
      { key: "z", operator: "notin", values: [""] },
    ]);
    expect(parseLabelSelector("a in (in,notin)").matches({ a: "notin" })).toBe(true);
  });

  it("reproduces the recorded 400 messages", () => {
    for (const ex of exchanges("errors/bad-label-selector.json")) {
      const text = new URLSearchParams(ex.request.query).get("labelSelector") as string;
      const e = error(text);
      expect(e.message).toBe(ex.response.body.message);
      expect(e.toStatus()).toEqual(ex.response.body);
    }
  });

  it("selects the recorded configmaps for each recorded selector", () => {
    const all = new Map<string, Record<string, string> | undefined>();
    const steps = exchanges("crud/list-label-selector.json");
    for (const ex of steps)
      for (const item of ex.response.body.items ?? []) all.set(item.metadata.name, item.metadata.labels);
    expect(all.size).toBe(6);
    for (const ex of steps) {
      const selector = parseLabelSelector(new URLSearchParams(ex.request.query).get("labelSelector") as string);
      const picked = [...all]
        .filter(([, labels]) => selector.matches(labels))
        .map(([name]) => name)
        .sort();
      expect(picked, ex.request.query).toEqual((ex.response.body.items ?? []).map((i) => i.metadata.name).sort());
    }
  });

  it("words syntax and validation errors as the 1.20 server, with the column where parsing stopped", () => {
    const cases: [string, string, number | undefined][] = [
      ["a=b=c", "found '=', expected: ',' or 'end of string'", 4],
      ["a in (b", "unable to parse requirement: found '', expected: ',' or ')'", 8],
      [",a", "found ',', expected: !, identifier, or 'end of string'", 1],
      ["a,", "found '', expected: identifier after ','", 3],
      ["a b", "unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'", 3],
      ["a in b", "unable to parse requirement: found 'b' expected: '('", 6],
      ["!", "unable to parse requirement: found '', expected: identifier", 2],
      ["!a=b", "found '=', expected: ',' or 'end of string'", 3],
    ];
    for (const [text, message, column] of cases) {
      const e = error(text);
      expect(e.message, text).toBe(message);
      expect(e.column, text).toBe(column);
      expect(e).toBeInstanceOf(SyntaxError);
      expect(e.status).toBe(400);
    }
    expect(error("-a").message).toBe(
      "unable to parse requirement: invalid label key \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
    expect(error("a=-b").message).toBe(
      "unable to parse requirement: invalid label value: \"-b\": at key: \"a\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
    expect(error(`k=${"v".repeat(64)}`).message).toContain("must be no more than 63 characters");
    expect(error("Example.com/a=b").message).toContain("prefix part a lowercase RFC 1123 subdomain");
    expect(error("a/b/c").message).toContain("a qualified name must consist of");
  });

  it("rejects a non-string with a TypeError", () => {
    expect(() => parseLabelSelector(42 as unknown as string)).toThrow(TypeError);
  });

  const key = fc.oneof(
    fc.stringMatching(/^[a-z0-9]([-a-z0-9_.]{0,8}[a-z0-9])?$/),
    fc
      .tuple(fc.stringMatching(/^[a-z0-9]{1,5}(\.[a-z0-9]{1,5})?$/), fc.stringMatching(/^[A-Za-z0-9]{1,6}$/))
      .map(([p, n]) => `${p}/${n}`),
  );
  const value = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?)?$/);
  const requirement = fc.oneof(
    fc.tuple(key, fc.constantFrom("=", "==", "!="), value).map(([k, op, v]) => `${k}${op}${v}`),
    fc
      .tuple(key, fc.constantFrom("in", "notin"), fc.array(value, { minLength: 1, maxLength: 3 }))
      .map(([k, op, vs]) => `${k} ${op} (${vs.join(",")})`),
    key,
    key.map((k) => `!${k}`),
    fc.tuple(key, fc.constantFrom(">", "<"), fc.nat()).map(([k, op, n]) => `${k}${op}${n}`),
  );

  it("label selector: toString() round-trips (same requirements, same matches)", () => {
    fc.assert(
      fc.property(
        fc.array(requirement, { maxLength: 4 }),
        fc.dictionary(key, value, { maxKeys: 4 }),
        (reqs, labels) => {
          const s = parseLabelSelector(reqs.join(","));
          const again = parseLabelSelector(s.toString());
          expect(again.requirements).toEqual(s.requirements);
          expect(again.toString()).toBe(s.toString());
          expect(again.matches(labels)).toBe(s.matches(labels));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("label selector: a conjunction matches exactly when every requirement matches alone", () => {
    fc.assert(
      fc.property(
        fc.array(requirement, { minLength: 1, maxLength: 4 }),
        fc.dictionary(key, value, { maxKeys: 4 }),
        (reqs, labels) => {
          const all = parseLabelSelector(reqs.join(",")).matches(labels);
          expect(all).toBe(reqs.every((r) => parseLabelSelector(r).matches(labels)));
        },
      ),
    );
  });

  it("label selector: arbitrary text either parses or fails with a SelectorError, never anything else", () => {
    fc.assert(
      fc.property(
        fc.string({
          maxLength: 20,
          unit: fc.constantFrom("a", "b", "=", "!", "(", ")", ",", " ", "in", "notin", "-", "/", ".", "<", ">", "1"),
        }),
        (text) => {
          try {
            parseLabelSelector(text);
          } catch (e) {
            expect(e).toBeInstanceOf(SelectorError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
