/**
 * Test support: the runtime's real transport adapter (`@kubeshift/transport/node` on Node, `/deno` on Deno) with the
 * bearer middleware over a credential source the test controls, and a recording middleware underneath that logs every
 * request that reaches the network (after credentials and retries), for assertions on what was listed and watched.
 *
 * @module
 */
import {
  bearerAuth,
  type CredentialSource,
  composeTransport,
  type Middleware,
  type Transport,
} from "@kubeshift/transport";

/** One request that reached the adapter. */
export interface SentRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly websocket: boolean;
  /** Subprotocols offered (websockets). */
  readonly protocols: readonly string[];
  /** `Date.now()` when it was sent. */
  readonly at: number;
  /** The HTTP status (undefined: no answer yet, or refused below HTTP). */
  status?: number;
  /** `Content-Encoding` of the answer. */
  encoding?: string | null;
  /** The failure, when there was no answer. */
  error?: unknown;
}

/** A credential source whose token can be changed, counting invalidations. */
export interface TestCredentials extends CredentialSource {
  token: string;
  invalidations: number;
  /** What the token becomes after an invalidation (default: unchanged). */
  refresh: (() => string) | undefined;
}

/** A token that counts invalidations and can hand out a new token after one. */
export function testCredentials(token: string): TestCredentials {
  const source: TestCredentials = {
    token,
    invalidations: 0,
    refresh: undefined,
    getToken(signal?: AbortSignal): Promise<string | undefined> {
      if (signal?.aborted === true) return Promise.reject(signal.reason);
      return Promise.resolve(source.token);
    },
    invalidate(refused: string): void {
      source.invalidations++;
      if (refused === source.token && source.refresh !== undefined) source.token = source.refresh();
    },
  };
  return source;
}

/** The request log. */
export class RequestLog {
  readonly requests: SentRequest[] = [];

  /** Requests that are watches (or not), optionally since a time and for a path suffix. */
  count(filter: { watch?: boolean; since?: number; path?: string; websocket?: boolean } = {}): number {
    return this.filter(filter).length;
  }

  filter(filter: { watch?: boolean; since?: number; path?: string; websocket?: boolean } = {}): SentRequest[] {
    return this.requests.filter(
      (r) =>
        (filter.watch === undefined || isWatch(r.url) === filter.watch) &&
        (filter.websocket === undefined || r.websocket === filter.websocket) &&
        (filter.since === undefined || r.at >= filter.since) &&
        (filter.path === undefined || r.url.pathname.endsWith(filter.path)),
    );
  }

  /** The LIST requests. */
  get lists(): SentRequest[] {
    return this.filter({ watch: false }).filter((r) => !r.url.pathname.endsWith("/version"));
  }

  /** The watch requests. */
  get watches(): SentRequest[] {
    return this.filter({ watch: true });
  }

  /** The recording middleware. */
  middleware(): Middleware {
    return (next: Transport): Transport => ({
      fetch: async (request, options) => {
        const sent: SentRequest = {
          method: request.method,
          url: new URL(request.url),
          headers: new Headers(request.headers),
          websocket: false,
          protocols: [],
          at: Date.now(),
        };
        this.requests.push(sent);
        try {
          const response = await next.fetch(request, options);
          sent.status = response.status;
          sent.encoding = response.headers.get("content-encoding");
          return response;
        } catch (error) {
          sent.error = error;
          throw error;
        }
      },
      websocket: async (url, options = {}) => {
        const sent: SentRequest = {
          method: "GET",
          url: new URL(url),
          headers: new Headers(options.headers),
          websocket: true,
          protocols: [...(options.protocols ?? [])],
          at: Date.now(),
        };
        this.requests.push(sent);
        try {
          const connection = await next.websocket(url, options);
          sent.status = 101;
          return connection;
        } catch (error) {
          sent.error = error;
          const status = (error as { status?: unknown }).status;
          if (typeof status === "number") sent.status = status;
          throw error;
        }
      },
    });
  }
}

function isWatch(url: URL): boolean {
  const w = url.searchParams.get("watch");
  return w === "true" || w === "1";
}

/** Whether the tests run on Deno. */
export const onDeno: boolean = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";

/** A transport with a `close()`. */
export interface ClosableTransport extends Transport {
  close(): Promise<void> | void;
}

/**
 * The runtime's adapter for a cluster, wrapped in bearer credentials and the request log.
 *
 * @param caPem the cluster CA (HTTPS clusters)
 * @param credentials the token source
 * @param log where requests are recorded
 */
export async function runtimeTransport(
  caPem: string | undefined,
  credentials: CredentialSource,
  log: RequestLog,
): Promise<{ transport: Transport; close(): Promise<void> }> {
  const options = caPem === undefined ? {} : { caPem };
  const base: ClosableTransport = onDeno
    ? (await import("@kubeshift/transport/deno")).createDenoTransport(options)
    : (await import("@kubeshift/transport/node")).createNodeTransport(options);
  return {
    transport: composeTransport(base, bearerAuth(credentials), log.middleware()),
    close: async () => {
      await base.close();
    },
  };
}
