/**
 * A `Transport` for middleware tests: records what reaches it and answers from a script, one step per call.
 *
 * @module
 */
import type { FetchOptions, Transport, WebSocketConnection, WebSocketOptions } from "../src/transport.ts";

/** One answer: a response, a function of the request, or an error to reject with. */
export type Step = Response | ((request: Request) => Response | Promise<Response>) | { reject: unknown };

export interface Recorded {
  request: Request;
  options: FetchOptions | undefined;
  /** The body as sent, read when the call arrived. */
  body: string;
}

export class ScriptedTransport implements Transport {
  readonly calls: Recorded[] = [];
  readonly sockets: Array<{ url: string; options: WebSocketOptions }> = [];
  #steps: Step[];
  #socketSteps: Array<WebSocketConnection | { reject: unknown }>;

  constructor(steps: Step[] = [], socketSteps: Array<WebSocketConnection | { reject: unknown }> = []) {
    this.#steps = steps;
    this.#socketSteps = socketSteps;
  }

  async fetch(request: Request, options?: FetchOptions): Promise<Response> {
    const body = request.body === null ? "" : await request.text();
    this.calls.push({ request, options, body });
    if (request.signal.aborted) throw request.signal.reason;
    const step = this.#steps.shift();
    if (step === undefined) throw new Error(`ScriptedTransport: no step left for call ${this.calls.length}`);
    if (step instanceof Response) return step;
    if (typeof step === "function") return step(request);
    throw step.reject;
  }

  async websocket(url: string | URL, options: WebSocketOptions = {}): Promise<WebSocketConnection> {
    this.sockets.push({ url: String(url), options });
    const step = this.#socketSteps.shift();
    if (step === undefined)
      throw new Error(`ScriptedTransport: no websocket step left for call ${this.sockets.length}`);
    if ("reject" in step) throw step.reject;
    return step;
  }
}

/** A JSON response. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** A stand-in open websocket. */
export function fakeSocket(protocol = ""): WebSocketConnection {
  return {
    protocol,
    readable: new ReadableStream(),
    send() {},
    close() {},
    closed: new Promise(() => {}),
  };
}
