// The Host rule against DNS rebinding: loopback names, IP literals and this machine's name by
// default, --allowed-hosts on top, ports ignored, a foreign, missing or doubled Host refused.
import { describe, expect, it } from 'vitest';
import { hostRule, isHostAllowed } from '../src/http/hostCheck.js';

const byDefault = hostRule({ allowedHosts: [], hostname: 'gamebox' });
const allowed = (host: string | string[] | undefined, rule = byDefault) =>
  isHostAllowed(typeof host === 'string' ? [host] : host, rule);

describe('Host rule', () => {
  it('allows the loopback names, with or without a port', () => {
    for (const host of ['localhost', 'localhost:8080', 'LOCALHOST:8080', 'localhost.', 'dev.localhost:5173']) {
      expect(allowed(host), host).toBe(true);
    }
  });

  it('allows any IP literal, since rebinding needs a name', () => {
    for (const host of ['127.0.0.1:8080', '192.168.1.20:8080', '203.0.113.7', '[::1]:8080', '[2001:db8::1]']) {
      expect(allowed(host), host).toBe(true);
    }
  });

  it("allows this machine's hostname", () => {
    expect(allowed('gamebox:8080')).toBe(true);
    expect(allowed('GameBox')).toBe(true);
  });

  it('refuses a foreign name, including ones dressed up as allowed ones', () => {
    for (const host of [
      'evil.test',
      'evil.test:8080',
      'localhost.evil.test',
      'evillocalhost',
      '127.0.0.1.evil.test',
      'gamebox.evil.test',
      '[::1].evil.test',
      '[evil.test]',
      '127.1',
    ]) {
      expect(allowed(host), host).toBe(false);
    }
  });

  it('refuses a missing, empty or doubled Host', () => {
    expect(allowed(undefined)).toBe(false);
    expect(allowed([])).toBe(false);
    expect(allowed('')).toBe(false);
    expect(allowed(':8080')).toBe(false);
    expect(allowed(['localhost', 'evil.test'])).toBe(false);
  });

  it('adds --allowed-hosts names and *.domain subdomains', () => {
    const rule = hostRule({ allowedHosts: ['game.example.com', '*.play.example.net'], hostname: 'gamebox' });
    expect(allowed('game.example.com', rule)).toBe(true);
    expect(allowed('game.example.com:443', rule)).toBe(true);
    expect(allowed('eu.play.example.net', rule)).toBe(true);
    expect(allowed('play.example.net', rule)).toBe(false);
    expect(allowed('example.com', rule)).toBe(false);
    expect(allowed('localhost', rule)).toBe(true);
  });

  it('allows any Host with *', () => {
    const rule = hostRule({ allowedHosts: ['*'], hostname: 'gamebox' });
    expect(allowed('evil.test', rule)).toBe(true);
    expect(allowed(undefined, rule)).toBe(true);
  });

  it('allows the host of a public URL (the seam for a future setting)', () => {
    const rule = hostRule({ allowedHosts: [], hostname: 'gamebox', publicHosts: ['play.example.org'] });
    expect(allowed('play.example.org', rule)).toBe(true);
  });
});
