// Server settings: defaults, environment, flags, and clear errors for bad values.
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, helpText, parseConfig, SETTINGS } from '../src/config.js';

describe('parseConfig', () => {
  it('gives the documented defaults with no flags and no environment', () => {
    const config = parseConfig([], {});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', tickRate: 30, snapshotRate: 30, scenario: 'game' });
    expect(config).toEqual(defaultConfig());
  });
  it('reads environment variables, and flags override them', () => {
    const config = parseConfig(['--tick-rate', '60', '--port=0'], {
      TICKWIRE_TICK_RATE: '20',
      TICKWIRE_SNAPSHOT_RATE: '20',
    });
    expect(config.tickRate).toBe(60);
    expect(config.snapshotRate).toBe(20);
    expect(config.port).toBe(0);
  });
  it('splits allowed origins on commas', () => {
    expect(parseConfig(['--allowed-origins', 'https://a.example, https://b.example'], {}).allowedOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });
  it.each([
    [['--tick-rate', '9'], /--tick-rate: expected an integer in \[10, 128\]/],
    [['--tick-rate', '129'], /--tick-rate/],
    [['--tick-rate', '30.5'], /--tick-rate/],
    [['--port', 'http'], /--port/],
    [['--scenario', 'moon'], /--scenario: expected one of game, arena/],
    [['--snapshot-rate', '60'], /must not exceed --tick-rate/],
    [['--bogus', '1'], /unknown option --bogus/],
    [['--port'], /--port needs a value/],
  ])('refuses %j with a message naming the setting', (argv, message) => {
    expect(() => parseConfig(argv, {})).toThrow(ConfigError);
    expect(() => parseConfig(argv, {})).toThrow(message);
  });
  it('takes a true/false setting given bare as true, before another flag or at the end', () => {
    expect(parseConfig(['--agones'], {}).agones).toBe(true);
    expect(parseConfig(['--debug-state', '--port', '9'], {})).toMatchObject({ debugState: true, port: 9 });
    expect(parseConfig(['--debug-state', 'false'], {}).debugState).toBe(false);
    expect(parseConfig(['--debug-state=false'], {}).debugState).toBe(false);
  });

  it('takes --redis-url and --public-url only in their forms', () => {
    expect(
      parseConfig(['--redis-url', 'redis://10.0.0.2:6379', '--public-url', 'http://10.0.0.5:8080/'], {}),
    ).toMatchObject({
      redisUrl: 'redis://10.0.0.2:6379',
      publicUrl: 'http://10.0.0.5:8080',
    });
    expect(() => parseConfig(['--redis-url', 'http://x'], {})).toThrow(/redis:\/\//);
    expect(() => parseConfig(['--public-url', 'http://x:1/path'], {})).toThrow(/no path/);
    expect(() => parseConfig(['--process-id', 'has space'], {})).toThrow(/--process-id/);
  });

  it('names the environment variable when it is the bad one', () => {
    expect(() => parseConfig([], { TICKWIRE_PORT: '-1' })).toThrow(/TICKWIRE_PORT/);
  });
  it('lists every setting in --help', () => {
    const help = helpText();
    for (const setting of SETTINGS) {
      expect(help).toContain(setting.flag);
      expect(help).toContain(setting.env);
    }
  });
});
