/**
 * A `createConnection` for `ws` (and any `http.request`) that reaches the target through an HTTP CONNECT tunnel:
 * undici's proxy agents serve `fetch`, but a websocket upgrade goes through `node:http`.
 */
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { TransportError } from "../transport-error.ts";
import type { TlsMaterial } from "./_tls-material.ts";

/** Options `ws` passes to `createConnection`, as far as used here. */
interface TargetOptions {
  host?: string;
  port?: number | string;
  servername?: string;
}

/**
 * Builds the connection factory for one proxy.
 *
 * @param proxyUrl `http://[user:password@]host:port` or `https://…`
 * @param secure whether the target speaks TLS (wss)
 * @param tls TLS options for the target connection
 */
export function tunnelThrough(
  proxyUrl: string,
  secure: boolean,
  tls: TlsMaterial,
): (options: TargetOptions, callback: (error: Error | null, socket?: Socket) => void) => undefined {
  const proxy = new URL(proxyUrl);
  if (proxy.protocol !== "http:" && proxy.protocol !== "https:") {
    throw new TypeError(`websockets cannot go through a ${proxy.protocol.slice(0, -1)} proxy; use an http(s) proxy`);
  }
  return (options, callback) => {
    const host = options.host ?? "localhost";
    const port = Number(options.port ?? (secure ? 443 : 80));
    const authority = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
    const headers: Record<string, string> = { host: authority };
    if (proxy.username !== "" || proxy.password !== "") {
      const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers["proxy-authorization"] = `Basic ${Buffer.from(credentials).toString("base64")}`;
    }
    const connectOptions: RequestOptions = {
      host: proxy.hostname.replace(/^\[|\]$/g, ""),
      port: proxy.port === "" ? (proxy.protocol === "https:" ? 443 : 80) : Number(proxy.port),
      method: "CONNECT",
      path: authority,
      headers,
      agent: false,
    };
    const req = (proxy.protocol === "https:" ? httpsRequest : httpRequest)(connectOptions);
    req.once("connect", (response, socket: Socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        callback(
          new TransportError("proxy", `the proxy refused to tunnel to ${authority} (HTTP ${response.statusCode})`),
        );
        return;
      }
      if (!secure) {
        callback(null, socket);
        return;
      }
      const servername = tls.servername ?? options.servername ?? host;
      callback(null, tlsConnect({ ...tls, socket, servername }));
    });
    req.once("error", (error) => callback(error));
    req.end();
    return undefined;
  };
}
