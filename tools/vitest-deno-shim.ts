/**
 * Runs vitest-style test files under `deno test`.
 *
 * Deno's root `deno.json` maps the bare specifier `vitest` to this module, so the same `*.test.ts` files run on Node
 * (through vitest) and on Deno (through Deno's `node:test`, with vitest's real `expect`). Only the subset of the
 * vitest API the project uses is provided; anything else fails to import, loudly. Tests that need vitest's runner
 * state (`vi.useFakeTimers`, `vi.mock`) are Node-only and are named `*.node.test.ts`.
 *
 * @module
 */
import * as nodeTest from "node:test";

export { expect, expectTypeOf, vi } from "npm:vitest";

type Fn = () => unknown;
type Options = { timeout?: number };
type Args = [fn?: Fn, timeoutOrOptions?: number | Options] | [options: Options, fn?: Fn];

function split(args: Args): { fn: Fn | undefined; options: { timeout?: number } } {
  const [a, b] = args;
  if (typeof a === "function" || a === undefined) {
    const timeout = typeof b === "number" ? b : (b as Options | undefined)?.timeout;
    return { fn: a, options: timeout === undefined ? {} : { timeout } };
  }
  return { fn: b as Fn | undefined, options: a.timeout === undefined ? {} : { timeout: a.timeout } };
}

function format(name: string, row: unknown, index: number): string {
  const values = Array.isArray(row) ? row : [row];
  let i = 0;
  return name
    .replace(/%#/g, String(index))
    .replace(/%[sdifjo]/g, () => {
      const v = values[i++];
      return typeof v === "string" ? v : JSON.stringify(v);
    })
    .replace(/\$([A-Za-z_][\w.]*)/g, (m, key: string) => {
      if (row === null || typeof row !== "object" || Array.isArray(row)) return m;
      const v = key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], row);
      return typeof v === "string" ? v : JSON.stringify(v);
    });
}

type TestFn = ((name: string, ...args: Args) => void) & {
  skip: (name: string, ...args: Args) => void;
  only: (name: string, ...args: Args) => void;
  todo: (name: string) => void;
  skipIf: (condition: unknown) => (name: string, ...args: Args) => void;
  runIf: (condition: unknown) => (name: string, ...args: Args) => void;
  each: <T>(rows: readonly T[]) => (name: string, fn: (...row: never[]) => unknown, timeout?: number) => void;
  concurrent: (name: string, ...args: Args) => void;
};

function makeTest(base: typeof nodeTest.it): TestFn {
  const run = (name: string, ...args: Args): void => {
    const { fn, options } = split(args);
    base(name, options, fn === undefined ? undefined : async () => void (await fn()));
  };
  const t = run as TestFn;
  t.skip = (name, ...args) => {
    const { options } = split(args);
    base.skip(name, options, () => {});
  };
  t.only = (name, ...args) => {
    const { fn, options } = split(args);
    base.only(name, options, fn === undefined ? undefined : async () => void (await fn()));
  };
  t.todo = (name) => base.todo(name);
  t.skipIf = (condition) => (condition ? t.skip : t);
  t.runIf = (condition) => (condition ? t : t.skip);
  t.concurrent = run;
  t.each = (rows) => (name, fn, timeout) => {
    rows.forEach((row, index) => {
      const args = (Array.isArray(row) ? row : [row]) as never[];
      run(format(name, row, index), () => fn(...args), timeout);
    });
  };
  return t;
}

export const it: TestFn = makeTest(nodeTest.it);
export const test: TestFn = it;

type SuiteFn = ((name: string, fn: () => void) => void) & {
  skip: (name: string, fn: () => void) => void;
  only: (name: string, fn: () => void) => void;
  skipIf: (condition: unknown) => (name: string, fn: () => void) => void;
  runIf: (condition: unknown) => (name: string, fn: () => void) => void;
  each: <T>(rows: readonly T[]) => (name: string, fn: (...row: never[]) => void) => void;
};

const suite = ((name: string, fn: () => void) => void nodeTest.describe(name, fn)) as SuiteFn;
suite.skip = (name, fn) => void nodeTest.describe.skip(name, fn);
// biome-ignore lint/suspicious/noFocusedTests: maps vitest's `describe.only` onto Deno's
suite.only = (name, fn) => void nodeTest.describe.only(name, fn);
suite.skipIf = (condition) => (condition ? suite.skip : suite);
suite.runIf = (condition) => (condition ? suite : suite.skip);
suite.each = (rows) => (name, fn) => {
  rows.forEach((row, index) => {
    const args = (Array.isArray(row) ? row : [row]) as never[];
    suite(format(name, row, index), () => fn(...args));
  });
};
export const describe: SuiteFn = suite;

export function beforeAll(fn: Fn, timeout?: number): void {
  nodeTest.before(async () => void (await fn()), timeout === undefined ? {} : { timeout });
}
export function afterAll(fn: Fn, timeout?: number): void {
  nodeTest.after(async () => void (await fn()), timeout === undefined ? {} : { timeout });
}
export function beforeEach(fn: Fn, timeout?: number): void {
  nodeTest.beforeEach(async () => void (await fn()), timeout === undefined ? {} : { timeout });
}
export function afterEach(fn: Fn, timeout?: number): void {
  nodeTest.afterEach(async () => void (await fn()), timeout === undefined ? {} : { timeout });
}
