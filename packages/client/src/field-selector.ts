/**
 * Field selectors: the string form the API takes, or a map of field → value equalities, escaped the way
 * apimachinery's `fields.EscapeValue` does.
 *
 * @module
 */

/** What a `fieldSelector` option accepts: the API's string form, or field paths mapped to required values. */
export type FieldSelectorInput = string | Readonly<Record<string, string>>;

/**
 * Turns a field selector into the API's string form.
 *
 * @param input a string (sent as is) or `{ "metadata.name": "web", "status.phase": "Running" }`
 * @returns the string for the `fieldSelector` query parameter
 * @throws {TypeError} when a value is not a string or a field name is empty
 * @example
 * ```ts
 * formatFieldSelector({ "spec.nodeName": "node-1" }); // "spec.nodeName=node-1"
 * ```
 */
export function formatFieldSelector(input: FieldSelectorInput): string {
  if (typeof input === "string") return input;
  if (typeof input !== "object" || input === null)
    throw new TypeError("fieldSelector must be a string or a record of field paths to values");
  return Object.entries(input)
    .map(([field, value]) => {
      if (field === "" || typeof value !== "string")
        throw new TypeError(`Invalid field selector entry ${JSON.stringify(field)}: ${JSON.stringify(value)}`);
      // `\`, `,` and `=` would otherwise split or end the requirement on the server.
      return `${field}=${value.replace(/[\\,=]/g, (c) => `\\${c}`)}`;
    })
    .join(",");
}
