/**
 * Tabs where go-yaml refuses them. kubectl's YAML scanner (go-yaml v2) does not accept a tab at the start of a line
 * in block context — even on a blank or comment-only line — except inside the continuation of a plain scalar,
 * where a tab at or beyond the scalar's indentation is skipped. Nor does it accept a tab right after a block `-` or
 * `?`. The `yaml` library accepts those tabs, so without this check we would load files kubectl refuses.
 *
 * @module
 */
import { CST, Lexer } from "yaml";

/** Where and why a tab is refused. */
export interface TabProblem {
  /** 0-based offset of the tab in the text. */
  offset: number;
  /** go-yaml's wording. */
  message: string;
}

/** What the scanner saw last, as far as tabs care. */
type Last = "none" | "plain" | "other" | "seq-item" | "explicit-key";

/**
 * Finds the first tab go-yaml would refuse in the first document of `text`.
 *
 * @param text the YAML text
 * @returns the problem, or `undefined` when go-yaml accepts every tab
 */
export function findRefusedTab(text: string): TabProblem | undefined {
  if (!text.includes("\t")) return undefined;
  let offset = 0;
  let column = 0;
  let lineStart = true;
  let flow = 0;
  let last: Last = "none";
  // go-yaml's `parser.indent`: the column of the innermost block collection (-1 at the top).
  let collectionColumn = -1;
  let plainIndent = 0;
  let lastScalarColumn = -1;
  let seenContent = false;
  let scalarFollows = false;
  let afterBlockHeader = false;

  const advance = (source: string): void => {
    for (const ch of source) {
      offset += ch.length;
      if (ch === "\n" || ch === "\r") {
        if (ch === "\n") {
          column = 0;
          lineStart = true;
        }
      } else column++;
    }
  };

  for (const token of new Lexer().lex(text)) {
    // Virtual tokens mark what follows; they are not part of the text.
    if (token === CST.DOCUMENT || token === CST.FLOW_END) continue;
    if (token === CST.SCALAR) {
      scalarFollows = true;
      continue;
    }
    if (scalarFollows) {
      // The text of a plain scalar, or the body of a block scalar.
      scalarFollows = false;
      const startColumn = column;
      advance(token);
      if (afterBlockHeader) {
        afterBlockHeader = false;
        last = "other";
      } else if (flow === 0) {
        last = "plain";
        lastScalarColumn = startColumn;
        plainIndent = collectionColumn + 1;
      } else last = "other";
      lineStart = token.endsWith("\n");
      seenContent = true;
      continue;
    }
    const type = CST.tokenType(token);
    if (type === "space" || type === "newline") {
      if (type === "space" && flow === 0) {
        for (let i = 0; i < token.length; i++) {
          if (token[i] !== "\t") continue;
          const col = column + i;
          if (lineStart && last === "plain") {
            if (col < plainIndent)
              return { offset: offset + i, message: "found a tab character that violates indentation" };
          } else if (lineStart || last === "seq-item" || last === "explicit-key") {
            return { offset: offset + i, message: "found character that cannot start any token" };
          }
        }
      }
      advance(token);
      continue;
    }
    if (type === "doc-start" || type === "doc-end") {
      // go-yaml reads the first document only.
      if (seenContent || type === "doc-end") return undefined;
      advance(token);
      last = "other";
      lineStart = false;
      continue;
    }
    if (type === "byte-order-mark") {
      advance(token);
      continue;
    }
    if (type === "comment") {
      advance(token);
      // A comment ends a plain scalar; what follows is scanned between tokens.
      if (last === "plain") last = "other";
      continue;
    }
    const tokenColumn = column;
    advance(token);
    lineStart = false;
    seenContent = true;
    switch (type) {
      case "flow-map-start":
      case "flow-seq-start":
        flow++;
        last = "other";
        break;
      case "flow-map-end":
      case "flow-seq-end":
        flow = Math.max(0, flow - 1);
        last = "other";
        break;
      case "map-value-ind":
        // A block mapping sits at its key's column.
        if (flow === 0 && lastScalarColumn >= 0) collectionColumn = lastScalarColumn;
        last = "other";
        break;
      case "seq-item-ind":
        if (flow === 0) collectionColumn = tokenColumn;
        last = "seq-item";
        break;
      case "explicit-key-ind":
        last = "explicit-key";
        break;
      case "single-quoted-scalar":
      case "double-quoted-scalar":
        lastScalarColumn = tokenColumn;
        last = "other";
        break;
      case "block-scalar-header":
        afterBlockHeader = true;
        last = "other";
        break;
      default:
        last = "other";
    }
  }
  return undefined;
}
