import { fileURLToPath } from "node:url";
import { createNodeTransport } from "@kubeshift/transport/node";
import { Agent, request } from "undici";
import { startServerProcess } from "./child-server.ts";
import { defineBenchmark } from "./harness.ts";

const SMALL_GETS = 2000;

export default defineBenchmark({
  async setup() {
    const server = await startServerProcess([fileURLToPath(new URL("./json-server.ts", import.meta.url))]);
    const base = server.url;
    const agent = new Agent();
    const twin = new Agent();
    const transport = createNodeTransport();

    const check = (value: unknown, what: string): void => {
      if (typeof value !== "object" || value === null) throw new Error(`${what}: unexpected body`);
    };
    return {
      measures: [
        {
          // An A/A check: the same call on two identical pools. Its ratio is the noise of this run; when it is far
          // from 1, the machine was too busy for the other ratios to mean much.
          name: "transport/node: A/A noise check, undici.request vs itself on a second pool (2,000 small GETs)",
          goal: 1.1,
          operations: SMALL_GETS,
          rounds: 21,
          async baseline() {
            const { body } = await request(`${base}/small`, { dispatcher: agent });
            check(await body.json(), "undici");
          },
          async candidate() {
            const { body } = await request(`${base}/small`, { dispatcher: twin });
            check(await body.json(), "undici (second pool)");
          },
        },
        {
          name: "transport/node: 2,000 small keep-alive GETs vs undici.request",
          goal: 1.1,
          operations: SMALL_GETS,
          rounds: 21,
          async baseline() {
            const { body } = await request(`${base}/small`, { dispatcher: agent });
            check(await body.json(), "undici");
          },
          async candidate() {
            const response = await transport.fetch(new Request(`${base}/small`));
            check(await response.json(), "transport");
          },
        },
        {
          name: "transport/node: one 30 MiB JSON body read and parsed vs undici.request",
          goal: 1.1,
          async baseline() {
            const { body } = await request(`${base}/big`, { dispatcher: agent });
            check(await body.json(), "undici");
          },
          async candidate() {
            const response = await transport.fetch(new Request(`${base}/big`));
            check(await response.json(), "transport");
          },
        },
      ],
      async teardown() {
        await transport.close();
        await agent.close();
        await twin.close();
        server.stop();
      },
    };
  },
});
