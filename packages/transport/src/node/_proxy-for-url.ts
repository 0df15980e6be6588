/**
 * Which proxy the environment asks for, with the semantics of Go's `golang.org/x/net/http/httpproxy` (what kubectl and
 * client-go use), so that a `NO_PROXY` that works for kubectl works here: `HTTPS_PROXY` for https/wss, `HTTP_PROXY`
 * for http/ws (upper case first, then lower case); `NO_PROXY` entries are `*`, IP addresses, CIDR ranges, and domain
 * names (`example.com` matches itself and its subdomains, `.example.com` and `*.example.com` only subdomains), each
 * optionally with `:port`. `localhost` and loopback addresses never go through a proxy.
 */
import { BlockList, isIP } from "node:net";

/** The environment variables read. */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

function first(env: ProxyEnvironment, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

function family(ip: string): "ipv4" | "ipv6" {
  return isIP(ip) === 6 ? "ipv6" : "ipv4";
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

function bypassed(host: string, port: string, noProxy: string): boolean {
  const ip = isIP(host) === 0 ? undefined : host;
  for (const raw of noProxy.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    const slash = entry.indexOf("/");
    if (slash > 0) {
      const net = entry.slice(0, slash);
      const prefix = Number(entry.slice(slash + 1));
      if (ip !== undefined && isIP(net) !== 0 && Number.isInteger(prefix) && family(net) === family(ip)) {
        const list = new BlockList();
        try {
          list.addSubnet(net, prefix, family(net));
        } catch {
          continue;
        }
        if (list.check(ip, family(ip))) return true;
      }
      continue;
    }
    let entryHost = entry;
    let entryPort = "";
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracket !== null) {
      entryHost = bracket[1] ?? "";
      entryPort = bracket[2] ?? "";
    } else if (isIP(entry) === 0) {
      const colon = entry.lastIndexOf(":");
      if (colon > 0 && /^\d+$/.test(entry.slice(colon + 1))) {
        entryHost = entry.slice(0, colon);
        entryPort = entry.slice(colon + 1);
      }
    }
    if (entryHost === "") continue;
    const portMatches = entryPort === "" || entryPort === port;
    if (isIP(entryHost) !== 0) {
      if (ip !== undefined && family(entryHost) === family(ip)) {
        const list = new BlockList();
        list.addAddress(entryHost, family(entryHost));
        if (list.check(ip, family(ip)) && portMatches) return true;
      }
      continue;
    }
    let suffix = entryHost.startsWith("*.") ? entryHost.slice(1) : entryHost;
    const matchesItself = !suffix.startsWith(".");
    if (matchesItself) suffix = `.${suffix}`;
    if ((host.endsWith(suffix) || (matchesItself && host === suffix.slice(1))) && portMatches) return true;
  }
  return false;
}

/**
 * The proxy URL to use for `url`, or `undefined` for a direct connection.
 *
 * @param url the request or websocket URL
 * @param env the environment (`process.env`)
 * @returns the proxy URL (an `http://` scheme is added to a bare `host:port`)
 */
export function proxyForUrl(url: URL, env: ProxyEnvironment): string | undefined {
  const secure = url.protocol === "https:" || url.protocol === "wss:";
  let proxy: string | undefined;
  if (secure) proxy = first(env, "HTTPS_PROXY", "https_proxy");
  else if (url.protocol === "http:" || url.protocol === "ws:") {
    // Go refuses HTTP_PROXY in a CGI environment, where a client can set it through the Proxy header (httpoxy).
    if (env.REQUEST_METHOD !== undefined && env.REQUEST_METHOD !== "") return undefined;
    proxy = first(env, "HTTP_PROXY", "http_proxy");
  }
  if (proxy === undefined) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return undefined;
  if (isIP(host) !== 0 && LOOPBACK.check(host, family(host))) return undefined;
  const port = url.port !== "" ? url.port : secure ? "443" : "80";
  const noProxy = first(env, "NO_PROXY", "no_proxy");
  if (noProxy !== undefined && bypassed(host, port, noProxy)) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}
