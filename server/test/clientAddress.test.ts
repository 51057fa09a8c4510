// clientAddress: normalizing peers, keying IPv6 by its /64, the loopback exemption, and reading the
// client out of X-Forwarded-For only behind a trusted proxy, from the right.
import { describe, expect, it } from 'vitest';
import {
  addressKey,
  isLoopbackAddress,
  normalizeAddress,
  resolveClientAddress,
} from '../src/transport/clientAddress.js';

const NONE = new Set<string>();
const PROXY = new Set(['10.0.0.2']);

describe('normalizeAddress', () => {
  it('keeps IPv4 and turns IPv4-mapped IPv6 (dotted or hex) into IPv4', () => {
    expect(normalizeAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeAddress('::FFFF:cb00:7107')).toBe('203.0.113.7');
  });
  it('spells one IPv6 address one way, whatever its case, zeros, brackets or zone', () => {
    const canonical = '2001:db8:0:0:0:0:0:1';
    for (const spelling of ['2001:db8::1', '2001:DB8:0:0::0001', '[2001:db8::1]', '2001:db8::1%eth0']) {
      expect(normalizeAddress(spelling)).toBe(canonical);
    }
    expect(normalizeAddress('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0:0:0:c000:201');
  });
  it('refuses what is not an IP literal', () => {
    for (const text of ['', 'example.com', '1.2.3', '1.2.3.4.5', '999.1.1.1', ':::', '[1.2.3.4]', '1::2::3']) {
      expect(normalizeAddress(text)).toBeUndefined();
    }
  });
});

describe('addressKey', () => {
  it('keys IPv4 by the address and IPv6 by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    const a = addressKey(normalizeAddress('2001:db8:1:2:aaaa::1')!);
    const b = addressKey(normalizeAddress('2001:db8:1:2:ffff:ffff:ffff:ffff')!);
    const c = addressKey(normalizeAddress('2001:db8:1:3::1')!);
    expect(a).toBe('2001:db8:1:2::/64');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });
});

describe('isLoopbackAddress', () => {
  it('is 127.0.0.0/8 and ::1, also when mapped', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('127.200.3.4')).toBe(true);
    expect(isLoopbackAddress(normalizeAddress('::1')!)).toBe(true);
    expect(isLoopbackAddress(normalizeAddress('::ffff:127.0.0.9')!)).toBe(true);
    expect(isLoopbackAddress('128.0.0.1')).toBe(false);
    expect(isLoopbackAddress(normalizeAddress('::')!)).toBe(false);
    expect(isLoopbackAddress(normalizeAddress('::2')!)).toBe(false);
  });
});

describe('resolveClientAddress', () => {
  it('uses the peer, and exempts a loopback peer, when no proxy is trusted', () => {
    expect(resolveClientAddress('::ffff:198.51.100.4', '203.0.113.7', NONE)).toEqual({
      address: '198.51.100.4',
      key: '198.51.100.4',
      exempt: false,
    });
    expect(resolveClientAddress('::ffff:127.0.0.1', '203.0.113.7', NONE)).toMatchObject({
      address: '127.0.0.1',
      exempt: true,
    });
    expect(resolveClientAddress('::1', undefined, NONE).exempt).toBe(true);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(resolveClientAddress('198.51.100.4', '203.0.113.7', PROXY).address).toBe('198.51.100.4');
  });

  it('takes the rightmost entry from a trusted proxy, however the peer spells it', () => {
    expect(resolveClientAddress('::ffff:10.0.0.2', '203.0.113.7', PROXY).address).toBe('203.0.113.7');
  });

  it('does not count a forged leftmost entry: the client is what the proxy appended', () => {
    const forged = resolveClientAddress('10.0.0.2', '198.51.100.1, 192.0.2.99, 203.0.113.7', PROXY);
    expect(forged.key).toBe('203.0.113.7');
    // Junk on the left, before the proxy's own entry, is the client's writing and changes nothing.
    expect(resolveClientAddress('10.0.0.2', 'not-an-ip, 203.0.113.7', PROXY).key).toBe('203.0.113.7');
  });

  it('walks a chain of trusted proxies from the right, skipping each of them', () => {
    const chain = new Set(['10.0.0.2', '10.0.0.3', normalizeAddress('2001:db8::5')!]);
    expect(
      resolveClientAddress('10.0.0.2', '198.51.100.1, 203.0.113.7, [2001:db8::5]:443, 10.0.0.3', chain).address,
    ).toBe('203.0.113.7');
    // Every entry a trusted proxy: the leftmost is the client (a proxy speaking for itself).
    expect(resolveClientAddress('10.0.0.2', '10.0.0.3', chain).address).toBe('10.0.0.3');
  });

  it('reads IPv6, bracketed and port-suffixed entries, keyed by /64', () => {
    expect(resolveClientAddress('10.0.0.2', '2001:db8:7:8::42', PROXY).key).toBe('2001:db8:7:8::/64');
    expect(resolveClientAddress('10.0.0.2', '[2001:db8:7:8::42]:51000', PROXY).key).toBe('2001:db8:7:8::/64');
    expect(resolveClientAddress('10.0.0.2', '203.0.113.7:51000', PROXY).key).toBe('203.0.113.7');
  });

  it('falls back to the peer on a malformed header from a trusted proxy, without throwing', () => {
    for (const header of [
      '',
      ' ',
      ',',
      'garbage',
      '203.0.113.7, garbage',
      '203.0.113.7,,',
      '[::1',
      '1.2.3.4:99999999',
      'x'.repeat(10_000),
    ]) {
      expect(resolveClientAddress('10.0.0.2', header, PROXY)).toEqual({
        address: '10.0.0.2',
        key: '10.0.0.2',
        exempt: false,
      });
    }
    expect(resolveClientAddress('10.0.0.2', undefined, PROXY).address).toBe('10.0.0.2');
  });

  it('exempts nobody once a proxy is trusted, not even loopback', () => {
    const local = new Set(['127.0.0.1']);
    expect(resolveClientAddress('127.0.0.1', undefined, local).exempt).toBe(false);
    expect(resolveClientAddress('127.0.0.1', '127.0.0.5', local)).toMatchObject({
      address: '127.0.0.5',
      exempt: false,
    });
  });

  it('gives a peer without an address (socket already gone) one shared key', () => {
    expect(resolveClientAddress(undefined, undefined, NONE)).toEqual({
      address: 'unknown',
      key: 'unknown',
      exempt: false,
    });
  });
});
