/**
 * A forward proxy for the conformance suite: HTTP CONNECT tunnels and absolute-form requests, recording every target
 * it served. It can map a made-up host name to 127.0.0.1, which proves a request really went through it (the name
 * resolves nowhere else).
 *
 * @module
 */
import { createServer, request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";

export interface TestProxy {
  url: string;
  /** `host:port` of each CONNECT, or the absolute URL of each forwarded request. */
  targets: string[];
  /** Proxy-Authorization headers received. */
  authorizations: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(options: { aliases?: Record<string, string> } = {}): Promise<TestProxy> {
  const targets: string[] = [];
  const authorizations: string[] = [];
  const sockets = new Set<Socket>();
  const resolveHost = (host: string): string => options.aliases?.[host] ?? host;
  const server = createServer((req, res) => {
    targets.push(req.url ?? "");
    if (req.headers["proxy-authorization"]) authorizations.push(String(req.headers["proxy-authorization"]));
    const target = new URL(req.url ?? "");
    const upstream = httpRequest(
      {
        host: resolveHost(target.hostname),
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("connect", (req, client: Socket, head: Buffer) => {
    targets.push(req.url ?? "");
    if (req.headers["proxy-authorization"]) authorizations.push(String(req.headers["proxy-authorization"]));
    const [host = "", port = "443"] = (req.url ?? "").split(/:(?=\d+$)/);
    const upstream = connect(Number(port), resolveHost(host.replace(/^\[|\]$/g, "")), () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    authorizations,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
