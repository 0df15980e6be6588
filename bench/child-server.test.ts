import { describe, expect, it } from "vitest";
import { startServerProcess } from "./child-server.ts";

const script = (body: string): [string[], string[]] => [["-e", body], ["--input-type=module"]];

describe("startServerProcess()", () => {
  it("resolves with the URL and figures the child announces, and stop() ends it", async () => {
    const server = await startServerProcess(
      ...script(`
        import { createServer } from "node:http";
        const s = createServer((_, res) => res.end("hi"));
        s.listen(0, "127.0.0.1", () => process.stdout.write(s.address().port + " 42 7\\n"));
        process.stdin.on("end", () => process.exit(0));
        process.stdin.resume();
      `),
    );
    expect(server.figures).toEqual([42, 7]);
    expect(await (await fetch(server.url)).text()).toBe("hi");
    const exited = new Promise((resolve) => server.child.once("exit", resolve));
    server.stop();
    await exited;
  });

  it("rejects, instead of waiting forever, when the child dies before it listens", async () => {
    await expect(startServerProcess(...script(`throw new Error("no data to serve");`))).rejects.toThrow(
      /ended before it listened/,
    );
  });
});
