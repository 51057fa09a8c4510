// The Host rule against DNS rebinding: a page on evil.test whose name is re-pointed at this server
// reaches it with `Host: evil.test` (and a matching Origin, so the Origin check passes). Built once
// at start; checked per upgrade and per request for the paths in HOST_CHECKED_PATHS.
//
// Allowed by default, with any port: the loopback names (localhost, *.localhost), any IP literal
// (rebinding needs a name; LAN players connect as http://192.168.x.y:8080), this machine's
// hostname, and the host of the public URL once there is one. --allowed-hosts adds names
// ("game.example.com", "*.example.com" for its subdomains); "*" turns the check off.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';

/**
 * The HTTP paths that answer a foreign Host with 421; every WebSocket upgrade is checked too.
 * /matchmake makes rooms and seats: a rebinding page's matching Origin must not pass for it either.
 */
export const HOST_CHECKED_PATHS: ReadonlySet<string> = new Set(['/dashboard', '/matchmake']);

export interface HostRule {
  /** Any Host is allowed ("*" in --allowed-hosts). */
  any: boolean;
  /** Exact names, lower case, without a trailing dot. */
  names: ReadonlySet<string>;
  /** Suffixes from "*.example.com" entries, as ".example.com". */
  suffixes: readonly string[];
}

export interface HostRuleSources {
  /** --allowed-hosts. */
  allowedHosts: readonly string[];
  /** os.hostname(). */
  hostname: string;
  /**
   * Hosts of URLs the server is published under. None yet: when a public-URL setting exists, its
   * host goes here (the one seam to fill).
   */
  publicHosts?: readonly string[];
}

export function hostRule(sources: HostRuleSources): HostRule {
  const entries = [
    'localhost',
    '*.localhost',
    sources.hostname,
    ...(sources.publicHosts ?? []),
    ...sources.allowedHosts,
  ].map((entry) => bareName(entry));
  return {
    any: entries.includes('*'),
    names: new Set(entries.filter((entry) => entry !== '' && !entry.startsWith('*'))),
    suffixes: entries.filter((entry) => entry.startsWith('*.')).map((entry) => entry.slice(1)),
  };
}

/** Lower case, without a trailing dot ("evil.test." is evil.test) and without a port. */
function bareName(host: string): string {
  let name = host.trim().toLowerCase();
  // "[v6]" or "[v6]:port"; anything else starting with "[" is kept whole, and so matches nothing.
  if (name.startsWith('[')) return /^(\[[^\]]*\])(?::\d*)?$/.exec(name)?.[1] ?? name;
  const colon = name.lastIndexOf(':');
  if (colon !== -1) name = name.slice(0, colon);
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/**
 * Whether a request with these Host header values may proceed. `hosts` is every Host header the
 * request carried (req.headersDistinct.host): none, or more than one, is refused.
 */
export function isHostAllowed(hosts: readonly string[] | undefined, rule: HostRule): boolean {
  if (hosts === undefined || hosts.length !== 1) return rule.any;
  if (rule.any) return true;
  const name = bareName(hosts[0]!);
  if (name === '') return false;
  if (name.startsWith('[')) return name.endsWith(']') && isIP(name.slice(1, -1)) === 6;
  if (isIP(name) === 4) return true;
  return rule.names.has(name) || rule.suffixes.some((suffix) => name.endsWith(suffix));
}

/** The HTTP refusal of a foreign Host: 421 Misdirected Request ("not the server you meant to reach"). */
export const MISDIRECTED = { status: 421, text: 'Misdirected Request' } as const;

/** Answer 421 and return true when `path` is checked and the Host is not allowed; else return false. */
export function refuseForeignHost(rule: HostRule, path: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (!HOST_CHECKED_PATHS.has(path) || isHostAllowed(req.headersDistinct.host, rule)) return false;
  res.writeHead(MISDIRECTED.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end('this server does not answer to that Host (see --allowed-hosts)\n');
  return true;
}
