/**
 * `cluster.faults`: the fault hooks of the fake cluster. Rules match requests (method, path, query, verb, resource)
 * and make them fail in the ways real clusters and networks fail; one-shot actions close every watch, restart the
 * resourceVersion counter or refuse connections for a while.
 *
 * @module
 */
import type { FaultMatch, FaultRule, InjectedError, Matcher } from "./fault-rule.ts";

/** The request attributes rules match on. */
export interface FaultRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly verb: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly websocket: boolean;
}

/** The combined effects of every rule that matched one request. */
export interface FaultEffects {
  readonly delayMs: number;
  readonly respond: FaultRule["respond"] | undefined;
  readonly dropAfterBytes: number | undefined;
  readonly dropAfterEvents: number | undefined;
  readonly cutEventAfter: number | undefined;
  readonly injectError: InjectedError | undefined;
  readonly injectLine: { readonly line: string; readonly afterEvents?: number } | undefined;
  readonly stallAfterEvents: number | undefined;
  readonly gzip: boolean;
}

/** No faults. */
export const NO_FAULTS: FaultEffects = Object.freeze({
  delayMs: 0,
  respond: undefined,
  dropAfterBytes: undefined,
  dropAfterEvents: undefined,
  cutEventAfter: undefined,
  injectError: undefined,
  injectLine: undefined,
  stallAfterEvents: undefined,
  gzip: false,
});

/** A rule once added. */
export interface FaultHandle {
  /** The rule. */
  readonly rule: FaultRule;
  /** Requests it has affected so far. */
  readonly hits: number;
  /** Requests it has matched so far (including skipped ones). */
  readonly matched: number;
  /** Whether it still applies. */
  readonly active: boolean;
  /** Retires the rule. */
  remove(): void;
}

/** What the cluster lets the fault registry do. */
export interface FaultControls {
  closeAllWatches(): number;
  resetResourceVersion(to?: number): number;
  refuseConnections(ms: number): Promise<void>;
}

class Handle implements FaultHandle {
  readonly rule: FaultRule;
  hits = 0;
  matched = 0;
  active = true;
  readonly #owner: Faults;
  constructor(rule: FaultRule, owner: Faults) {
    this.rule = rule;
    this.#owner = owner;
  }
  remove(): void {
    this.active = false;
    this.#owner.delete(this);
  }
}

function matches(m: Matcher, value: string): boolean {
  return typeof m === "string" ? m === value : m.test(value);
}

function listMatches(expected: string | readonly string[] | undefined, value: string, fold = false): boolean {
  if (expected === undefined) return true;
  const list = typeof expected === "string" ? [expected] : expected;
  return list.some((e) => (fold ? e.toUpperCase() === value.toUpperCase() : e === value));
}

function requestMatches(match: FaultMatch | undefined, request: FaultRequest): boolean {
  if (match === undefined) return true;
  if (!listMatches(match.method, request.method, true)) return false;
  if (match.path !== undefined && !matches(match.path, request.path)) return false;
  if (!listMatches(match.verb, request.verb)) return false;
  if (match.resource !== undefined) {
    const full = request.subresource === "" ? request.resource : `${request.resource}/${request.subresource}`;
    if (match.resource !== full) return false;
  }
  if (match.namespace !== undefined && match.namespace !== request.namespace) return false;
  if (match.websocket !== undefined && match.websocket !== request.websocket) return false;
  if (match.query !== undefined) {
    for (const [key, expected] of Object.entries(match.query)) {
      const value = request.query.get(key);
      if (value === null) return false;
      if (expected !== true && !matches(expected, value)) return false;
    }
  }
  return true;
}

function checkCount(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
    throw new RangeError(`fault rule: ${name} must be a non-negative integer, got ${String(value)}`);
}

function validate(rule: FaultRule): void {
  if (typeof rule !== "object" || rule === null) throw new TypeError("faults.add() needs a rule object");
  for (const key of ["skip", "times", "dropAfterBytes", "dropAfterEvents", "cutEventAfter"] as const)
    checkCount(key, rule[key]);
  if (rule.delayMs !== undefined && (typeof rule.delayMs !== "number" || !(rule.delayMs >= 0)))
    throw new RangeError(`fault rule: delayMs must be a non-negative number, got ${String(rule.delayMs)}`);
  if (rule.respond !== undefined) {
    const s = rule.respond.status;
    if (!Number.isInteger(s) || s < 100 || s > 599)
      throw new RangeError(`fault rule: respond.status must be an HTTP status code, got ${String(s)}`);
    checkCount("respond.retryAfterSeconds", rule.respond.retryAfterSeconds);
  }
  if (rule.injectError !== undefined) {
    if (!Number.isInteger(rule.injectError.code))
      throw new RangeError("fault rule: injectError.code must be an integer");
    checkCount("injectError.afterEvents", rule.injectError.afterEvents);
  }
  if (rule.injectLine !== undefined) {
    if (typeof rule.injectLine.line !== "string") throw new TypeError("fault rule: injectLine.line must be a string");
    checkCount("injectLine.afterEvents", rule.injectLine.afterEvents);
  }
  if (typeof rule.stall === "object") checkCount("stall.afterEvents", rule.stall.afterEvents);
  if (rule.match?.path !== undefined && typeof rule.match.path !== "string" && !(rule.match.path instanceof RegExp))
    throw new TypeError("fault rule: match.path must be a string or a RegExp");
}

/** The fault registry of one cluster. */
export class Faults {
  readonly #rules: Handle[] = [];
  readonly #controls: FaultControls;

  /** @internal */
  constructor(controls: FaultControls) {
    this.#controls = controls;
  }

  /**
   * Adds a rule.
   *
   * @param rule what to match and what goes wrong
   * @returns a handle to count hits and remove the rule
   * @throws {TypeError} or {RangeError} for a malformed rule
   * @example
   * ```ts
   * cluster.faults.add({ match: { verb: "watch", resource: "pods" }, times: 1, injectError: { code: 410 } });
   * ```
   */
  add(rule: FaultRule): FaultHandle {
    validate(rule);
    const handle = new Handle(rule, this);
    this.#rules.push(handle);
    return handle;
  }

  /** Removes every rule. */
  clear(): void {
    for (const r of this.#rules) r.active = false;
    this.#rules.length = 0;
  }

  /** @internal */
  delete(handle: FaultHandle): void {
    const i = this.#rules.indexOf(handle as Handle);
    if (i >= 0) this.#rules.splice(i, 1);
  }

  /** Rules currently active. */
  get rules(): readonly FaultHandle[] {
    return [...this.#rules];
  }

  /**
   * Ends every open watch now (HTTP streams end cleanly, websockets close with 1000), like an API server restart or
   * a load balancer dropping idle connections.
   *
   * @returns how many watches were closed
   */
  closeAllWatches(): number {
    return this.#controls.closeAllWatches();
  }

  /**
   * Restarts the resourceVersion counter, as a restored or replaced etcd would: every object is stamped again with
   * low revisions, the history is gone, and all watches end. Clients holding a newer resourceVersion then get
   * `Too large resource version` answers.
   *
   * @param to the new counter (at least the number of objects)
   * @returns the new current resourceVersion
   */
  resetResourceVersion(to?: number): string {
    if (to !== undefined && (!Number.isInteger(to) || to < 0))
      throw new RangeError(`resetResourceVersion() needs a non-negative integer, got ${String(to)}`);
    return String(this.#controls.resetResourceVersion(to));
  }

  /**
   * Stops listening for a while: connection attempts are refused (ECONNREFUSED) until the listener reopens on the
   * same port. Open connections are not touched.
   *
   * @param ms how long, in milliseconds
   * @returns settles when the listener is back
   */
  refuseConnections(ms: number): Promise<void> {
    if (!(ms >= 0)) return Promise.reject(new RangeError(`refuseConnections() needs a duration in ms, got ${ms}`));
    return this.#controls.refuseConnections(ms);
  }

  /** @internal The effects for a request; counts hits and retires exhausted rules. */
  effectsFor(request: FaultRequest): FaultEffects {
    if (this.#rules.length === 0) return NO_FAULTS;
    let effects: {
      -readonly [K in keyof FaultEffects]: FaultEffects[K];
    } = { ...NO_FAULTS };
    let any = false;
    for (const handle of [...this.#rules]) {
      const rule = handle.rule;
      if (!requestMatches(rule.match, request)) continue;
      handle.matched++;
      if (handle.matched <= (rule.skip ?? 0)) continue;
      handle.hits++;
      if (rule.times !== undefined && handle.hits >= rule.times) handle.remove();
      any = true;
      effects = {
        delayMs: effects.delayMs + (rule.delayMs ?? 0),
        respond: effects.respond ?? rule.respond,
        dropAfterBytes: effects.dropAfterBytes ?? rule.dropAfterBytes,
        dropAfterEvents: effects.dropAfterEvents ?? rule.dropAfterEvents,
        cutEventAfter: effects.cutEventAfter ?? rule.cutEventAfter,
        injectError: effects.injectError ?? rule.injectError,
        injectLine: effects.injectLine ?? rule.injectLine,
        stallAfterEvents:
          effects.stallAfterEvents ??
          (rule.stall === true ? 0 : typeof rule.stall === "object" ? (rule.stall.afterEvents ?? 0) : undefined),
        gzip: effects.gzip || rule.gzip === true,
      };
    }
    return any ? effects : NO_FAULTS;
  }
}
