import { describe, expect, it } from "vitest";
import { lineSplitter } from "./_line-stream.ts";

async function lines(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  const source = new ReadableStream<string>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const stream = source.pipeThrough(lineSplitter());
  for await (const line of stream) out.push(line);
  return out;
}

describe("lineSplitter()", () => {
  it("joins lines split across chunks and strips CRLF", async () => {
    expect(await lines(["a\r", "\nb", "c\n", "\n", "d"])).toEqual(["a", "bc", "", "d"]);
  });

  it("emits the last line without a newline", async () => {
    expect(await lines(["only"])).toEqual(["only"]);
  });

  it("emits nothing for an empty stream", async () => {
    expect(await lines([])).toEqual([]);
  });
});
