// The address and Host settings: defaults, normalized --trust-proxy, validated lists.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

describe('address and Host settings', () => {
  it('defaults to 16 connections and 30 joins a minute per address, no proxy, no extra hosts', () => {
    expect(parseConfig([], {})).toMatchObject({
      maxConnectionsPerIp: 16,
      joinsPerMinutePerIp: 30,
      trustProxy: [],
      allowedHosts: [],
    });
  });

  it('normalizes --trust-proxy addresses so they match the socket peer', () => {
    const config = parseConfig(['--trust-proxy', '::ffff:10.0.0.2, 2001:DB8::5'], {});
    expect(config.trustProxy).toEqual(['10.0.0.2', '2001:db8:0:0:0:0:0:5']);
  });

  it('refuses a --trust-proxy entry that is not an IP address', () => {
    expect(() => parseConfig(['--trust-proxy', 'proxy.internal'], {})).toThrow(ConfigError);
    expect(() => parseConfig([], { TICKWIRE_TRUST_PROXY: '10.0.0.0/8' })).toThrow(/TICKWIRE_TRUST_PROXY/);
  });

  it('takes host names, *.domain and * for --allowed-hosts, and refuses anything else', () => {
    expect(parseConfig(['--allowed-hosts', 'Game.Example.com,*.example.net'], {}).allowedHosts).toEqual([
      'game.example.com',
      '*.example.net',
    ]);
    expect(parseConfig(['--allowed-hosts=*'], {}).allowedHosts).toEqual(['*']);
    for (const bad of ['http://game.example.com', 'game.example.com:8080', '*example.com', 'a b']) {
      expect(() => parseConfig(['--allowed-hosts', bad], {}), bad).toThrow(ConfigError);
    }
  });
});
