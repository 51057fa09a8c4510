// Who a connection is from, for the per-address limits: the TCP peer, or behind a trusted reverse
// proxy the address that proxy appended to X-Forwarded-For; then the key it is counted under.
// Runs once per upgrade; never throws on what a client sent.
import { isIP } from 'node:net';

/** One client address as the limits see it. */
export interface ClientAddress {
  /** The address, normalized (normalizeAddress): IPv4 dotted quad, also for IPv4-mapped IPv6; IPv6 as eight hex groups. */
  address: string;
  /** What the limits count under: the IPv4 address, or the IPv6 /64 prefix ("2001:db8:0:1::/64"). */
  key: string;
  /** Loopback and no --trust-proxy: not limited, so local bots, benches and tests run as before. */
  exempt: boolean;
}

/**
 * An IP literal in one canonical spelling, or undefined if `text` is none: IPv4-mapped IPv6
 * (::ffff:a.b.c.d, also written in hex) becomes IPv4; IPv6 loses its zone (%eth0) and brackets and
 * is written as eight lower-case hex groups ("2001:db8:0:0:0:0:0:1").
 */
export function normalizeAddress(text: string): string | undefined {
  let bare = text.trim().toLowerCase();
  const bracketed = bare.startsWith('[') && bare.endsWith(']');
  if (bracketed) bare = bare.slice(1, -1);
  const zone = bare.indexOf('%');
  if (zone !== -1) bare = bare.slice(0, zone);
  // The common dual-stack peer, "::ffff:a.b.c.d", without expanding it (the general case below is ~10× slower).
  if (bare.startsWith('::ffff:') && isIP(bare.slice(7)) === 4) return bare.slice(7);
  const family = isIP(bare);
  if (family === 4) return bracketed ? undefined : bare;
  if (family !== 6) return undefined;
  const groups = ipv6Groups(bare);
  if (groups === undefined) return undefined;
  // ::ffff:0:0/96 is an IPv4 peer seen through a dual-stack socket: the same client as its IPv4.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  // One spelling per address, so a trusted proxy matches however it was written: no "::", no leading zeros.
  return groups.map((g) => g.toString(16)).join(':');
}

/**
 * The eight 16-bit groups of a valid IPv6 literal (isIP already said 6), with "::" expanded and an
 * IPv4 tail (64:ff9b::1.2.3.4) turned into two groups.
 */
function ipv6Groups(address: string): number[] | undefined {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const dotted = text.slice(lastColon + 1);
  if (dotted.includes('.')) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const compressed = text.indexOf('::');
  const part = (piece: string) => (piece === '' ? [] : piece.split(':').map((g) => Number.parseInt(g, 16)));
  const left = part(compressed === -1 ? text : text.slice(0, compressed));
  const right = compressed === -1 ? [] : part(text.slice(compressed + 2));
  const zeros = compressed === -1 ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...new Array<number>(Math.max(0, zeros)).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** 127.0.0.0/8 or ::1, on a normalized address (mapped IPv4 already turned into IPv4). */
export function isLoopbackAddress(address: string): boolean {
  return address.startsWith('127.') || address === '0:0:0:0:0:0:0:1';
}

/**
 * The key the limits count a normalized address under. One IPv6 host usually holds a whole /64 (SLAAC,
 * privacy addresses), so keying by the full address would let one machine open 2^64 "addresses".
 */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address;
  // Normalized IPv6 is eight groups without "::": the first four are the /64.
  const groups = address.split(':', 4);
  return `${groups.join(':')}::/64`;
}

/**
 * One X-Forwarded-For entry as an address: "a.b.c.d", "a.b.c.d:port", an IPv6 literal, or
 * "[v6]" / "[v6]:port" (what some proxies write). Anything else is malformed.
 */
function forwardedEntry(entry: string): string | undefined {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed !== null) return isIP(bracketed[1]!) === 6 ? normalizeAddress(bracketed[1]!) : undefined;
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
  return normalizeAddress(withPort !== null ? withPort[1]! : text);
}

/**
 * The client's address for a connection from `peer` (the socket's remoteAddress) carrying the
 * X-Forwarded-For header `forwardedFor` (Node joins repeated headers with ", ").
 *
 * Only a peer in `trustedProxies` (normalized addresses) is believed about X-Forwarded-For. Each
 * proxy appends the address it received from, so the list reads
 *
 *     X-Forwarded-For: <whatever the client wrote>, …, <client as proxy 1 saw it>, <proxy 1 as proxy 2 saw it>
 *                       ▲ forgeable                                               ▲ rightmost: written by our peer
 *
 * and the client is the first entry, walking from the right, that is not itself a trusted proxy.
 * A malformed entry reached on that walk means the chain cannot be read: the peer is used. If every
 * entry is a trusted proxy, the leftmost of them is the client (a proxy talking for itself).
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: ReadonlySet<string>,
): ClientAddress {
  // A socket already gone has no remoteAddress; it is about to close anyway, so it shares one key.
  const peerAddress = (peer === undefined ? undefined : normalizeAddress(peer)) ?? 'unknown';
  let address = peerAddress;
  if (trustedProxies.has(peerAddress) && forwardedFor !== undefined) {
    address = fromForwardedFor(forwardedFor, trustedProxies) ?? peerAddress;
  }
  return {
    address,
    key: addressKey(address),
    exempt: trustedProxies.size === 0 && isLoopbackAddress(address),
  };
}

function fromForwardedFor(header: string, trustedProxies: ReadonlySet<string>): string | undefined {
  const entries = header.split(',');
  let lastTrusted: string | undefined;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = forwardedEntry(entries[i]!);
    if (entry === undefined) return undefined;
    if (!trustedProxies.has(entry)) return entry;
    lastTrusted = entry;
  }
  return lastTrusted;
}
