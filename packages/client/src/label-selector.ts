/**
 * Label selectors: the string form the API takes, built from a typed builder, a `metav1.LabelSelector` (the
 * `spec.selector` of a Deployment) or a plain map of equalities, with keys and values checked before anything is sent.
 *
 * @module
 */

/** One requirement of a `metav1.LabelSelector`. */
export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | (string & {});
  values?: readonly string[];
}

/** The `metav1.LabelSelector` object (`matchLabels` and `matchExpressions`), as found in workload specs. */
export interface LabelSelectorObject {
  matchLabels?: Readonly<Record<string, string>> | null;
  matchExpressions?: readonly LabelSelectorRequirement[] | null;
}

/** What a `labelSelector` option accepts: the API's string form, a builder, or a `metav1.LabelSelector`. */
export type LabelSelectorInput = string | LabelSelector | LabelSelectorObject;

// A qualified name: an optional DNS-subdomain prefix and a name of at most 63 characters (validation.IsQualifiedName).
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function checkKey(key: string): string {
  const slash = key.indexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const ok = NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && PREFIX.test(prefix)));
  if (!ok)
    throw new TypeError(`Invalid label key ${JSON.stringify(key)}: expected [prefix/]name, name ≤ 63 characters`);
  return key;
}

function checkValue(key: string, value: string): string {
  if (typeof value !== "string" || !VALUE.test(value))
    throw new TypeError(
      `Invalid value ${JSON.stringify(value)} for label ${JSON.stringify(key)}: at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`,
    );
  return value;
}

/**
 * An immutable label selector under construction; every method returns a new selector with one more requirement.
 *
 * @example
 * ```ts
 * import { labels } from "@kubeshift/client";
 * const sel = labels({ app: "web" }).in("tier", ["front", "back"]).notExists("canary");
 * String(sel); // "app=web,tier in (front,back),!canary"
 * ```
 */
export class LabelSelector {
  readonly #requirements: readonly string[];

  /** @param requirements requirements already in the API's string form (checked by the caller) */
  private constructor(requirements: readonly string[]) {
    this.#requirements = requirements;
  }

  /**
   * Starts a selector, optionally with equality requirements.
   *
   * @param equal label → value pairs that must all match
   * @returns the selector
   * @throws {TypeError} when a key or value is not a valid label key or value
   * @example
   * ```ts
   * LabelSelector.of({ app: "web" });
   * ```
   */
  static of(equal: Readonly<Record<string, string>> = {}): LabelSelector {
    return new LabelSelector(Object.entries(equal).map(([k, v]) => `${checkKey(k)}=${checkValue(k, v)}`));
  }

  #with(requirement: string): LabelSelector {
    return new LabelSelector([...this.#requirements, requirement]);
  }

  /**
   * @param key the label key
   * @param value the value it must have
   * @returns a selector that also requires `key=value`
   * @throws {TypeError} on an invalid key or value
   * @example
   * ```ts
   * labels().eq("app", "web");
   * ```
   */
  eq(key: string, value: string): LabelSelector {
    return this.#with(`${checkKey(key)}=${checkValue(key, value)}`);
  }

  /**
   * @param key the label key
   * @param value the value it must not have (objects without the label match)
   * @returns a selector that also requires `key!=value`
   * @throws {TypeError} on an invalid key or value
   * @example
   * ```ts
   * labels().ne("tier", "db");
   * ```
   */
  ne(key: string, value: string): LabelSelector {
    return this.#with(`${checkKey(key)}!=${checkValue(key, value)}`);
  }

  /**
   * @param key the label key
   * @param values the values it may have (at least one)
   * @returns a selector that also requires `key in (values)`
   * @throws {TypeError} on an invalid key or value, or an empty list
   * @example
   * ```ts
   * labels().in("tier", ["front", "back"]);
   * ```
   */
  in(key: string, values: readonly string[]): LabelSelector {
    return this.#with(`${checkKey(key)} in (${setValues(key, values)})`);
  }

  /**
   * @param key the label key
   * @param values the values it must not have (at least one)
   * @returns a selector that also requires `key notin (values)`
   * @throws {TypeError} on an invalid key or value, or an empty list
   * @example
   * ```ts
   * labels().notIn("tier", ["db"]);
   * ```
   */
  notIn(key: string, values: readonly string[]): LabelSelector {
    return this.#with(`${checkKey(key)} notin (${setValues(key, values)})`);
  }

  /**
   * @param key the label key
   * @returns a selector that also requires the label to be present
   * @throws {TypeError} on an invalid key
   * @example
   * ```ts
   * labels().exists("app");
   * ```
   */
  exists(key: string): LabelSelector {
    return this.#with(checkKey(key));
  }

  /**
   * @param key the label key
   * @returns a selector that also requires the label to be absent
   * @throws {TypeError} on an invalid key
   * @example
   * ```ts
   * labels().notExists("canary");
   * ```
   */
  notExists(key: string): LabelSelector {
    return this.#with(`!${checkKey(key)}`);
  }

  /**
   * @returns the API's string form (`""` selects everything)
   * @example
   * ```ts
   * labels({ app: "web" }).toString(); // "app=web"
   * ```
   */
  toString(): string {
    return this.#requirements.join(",");
  }
}

function setValues(key: string, values: readonly string[]): string {
  if (!Array.isArray(values) || values.length === 0)
    throw new TypeError(`The set of values for label ${JSON.stringify(key)} must not be empty`);
  return values.map((v) => checkValue(key, v)).join(",");
}

/**
 * Starts a typed label selector.
 *
 * @param equal label → value pairs that must all match
 * @returns the selector builder
 * @throws {TypeError} when a key or value is not a valid label key or value
 * @example
 * ```ts
 * await client.list(Pod, { labelSelector: labels({ app: "web" }).exists("version") });
 * ```
 */
export function labels(equal: Readonly<Record<string, string>> = {}): LabelSelector {
  return LabelSelector.of(equal);
}

/**
 * Turns any accepted label-selector form into the API's string form.
 *
 * @param input a string (sent as is), a builder, or a `metav1.LabelSelector`
 * @returns the string for the `labelSelector` query parameter
 * @throws {TypeError} on an unknown operator or an invalid key or value in an object selector
 * @example
 * ```ts
 * formatLabelSelector({ matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "Exists" }] });
 * // "app=web,tier"
 * ```
 */
export function formatLabelSelector(input: LabelSelectorInput): string {
  if (typeof input === "string") return input;
  if (input instanceof LabelSelector) return input.toString();
  if (typeof input !== "object" || input === null)
    throw new TypeError("labelSelector must be a string, a LabelSelector or a metav1.LabelSelector object");
  let selector = LabelSelector.of(input.matchLabels ?? {});
  for (const req of input.matchExpressions ?? []) {
    switch (req.operator) {
      case "In":
        selector = selector.in(req.key, req.values ?? []);
        break;
      case "NotIn":
        selector = selector.notIn(req.key, req.values ?? []);
        break;
      case "Exists":
        selector = selector.exists(req.key);
        break;
      case "DoesNotExist":
        selector = selector.notExists(req.key);
        break;
      default:
        throw new TypeError(`Unknown label selector operator ${JSON.stringify(req.operator)}`);
    }
  }
  return selector.toString();
}
