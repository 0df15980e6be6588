/**
 * Splits decoded text into lines (without their `\n` or `\r\n`); the last line is emitted even without a newline.
 *
 * @module
 */

/** A stream that turns text chunks into lines. */
export function lineSplitter(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream<string, string>({
    transform(chunk, controller) {
      const text = rest + chunk;
      let start = 0;
      for (let nl = text.indexOf("\n", start); nl >= 0; nl = text.indexOf("\n", start)) {
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        controller.enqueue(text.slice(start, end));
        start = nl + 1;
      }
      rest = text.slice(start);
    },
    flush(controller) {
      if (rest !== "") controller.enqueue(rest.endsWith("\r") ? rest.slice(0, -1) : rest);
      rest = "";
    },
  });
}
