// Tests for the bot CLI's flag parsing (client/src/bot/args.ts).
import { describe, expect, it } from 'vitest';
import { type BotArgs, botLinkOptions, DEFAULT_ARGS, parseArgs, USAGE } from '../src/bot/args.js';

function run(argv: string[]): BotArgs {
  const result = parseArgs(argv);
  if (result.kind !== 'run') throw new Error(`expected a run, got ${JSON.stringify(result)}`);
  return result.args;
}

function errorOf(argv: string[]): string {
  const result = parseArgs(argv);
  if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.message;
}

describe('parseArgs', () => {
  it('gives the defaults without flags', () => {
    expect(run([])).toEqual(DEFAULT_ARGS);
    expect(DEFAULT_ARGS).toEqual({
      url: 'http://127.0.0.1:8080',
      count: 50,
      seconds: 30,
      seed: 1,
      scenario: 'arena',
      json: false,
      predict: true,
      loadOnly: false,
      namePrefix: 'bot',
      latencyMs: 0,
      jitterMs: 0,
      bandwidthBytesPerSecond: Number.POSITIVE_INFINITY,
      linkSeed: 1,
      roomSize: undefined,
      room: undefined,
      viewRadius: undefined,
    });
  });

  it('reads every flag, as `--flag value` or `--flag=value`', () => {
    expect(
      run([
        '--url',
        'ws://127.0.0.1:9000/ws',
        '--count=200',
        '--seconds',
        '2.5',
        '--seed',
        '7',
        '--scenario',
        'arena',
        '--json',
        '--no-predict',
        '--name-prefix=x',
        '--latency',
        '150',
        '--jitter=30.5',
        '--bandwidth',
        '64000',
        '--link-seed',
        '0',
        '--matchmake',
        '--room-size',
        '8',
        '--view-radius',
        '1500',
      ]),
    ).toEqual({
      url: 'http://127.0.0.1:9000',
      count: 200,
      seconds: 2.5,
      seed: 7,
      scenario: 'arena',
      json: true,
      predict: false,
      loadOnly: false,
      namePrefix: 'x',
      latencyMs: 150,
      jitterMs: 30.5,
      bandwidthBytesPerSecond: 64000,
      linkSeed: 0,
      roomSize: 8,
      room: undefined,
      viewRadius: 1500,
    });
  });

  it('answers help for --help and -h, wherever they are', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['--count', '3', '-h'])).toEqual({ kind: 'help' });
  });

  it('rejects an unknown scenario, naming the known ones', () => {
    expect(errorOf(['--scenario', 'soak'])).toBe('unknown --scenario "soak"; known: arena, game, world');
  });

  it.each([
    [['--bogus'], 'unknown flag --bogus'],
    [['count'], 'unexpected argument "count"'],
    [['--count'], '--count needs a value'],
    [['--count', '--json'], '--count needs a value'],
    [['--count', '0'], '--count must be an integer from 1 to 1024, got "0"'],
    [['--count', '2.5'], '--count must be an integer from 1 to 1024, got "2.5"'],
    [['--count', '5000'], '--count must be an integer from 1 to 1024, got "5000"'],
    [['--count', '3', '--count', '4'], '--count given twice'],
    [['--seconds', '0'], '--seconds must be a number above 0 and at most 3600, got "0"'],
    [['--seconds', 'ten'], '--seconds must be a number above 0 and at most 3600, got "ten"'],
    [['--seconds='], '--seconds must be a number above 0 and at most 3600, got ""'],
    [['--seed', '0'], '--seed must be an integer from 1 to 2147483647, got "0"'],
    [['--seed', '-1'], '--seed must be an integer from 1 to 2147483647, got "-1"'],
    [['--url', 'ftp://127.0.0.1/ws'], '--url must be http(s):// or ws(s)://, got "ftp://127.0.0.1/ws"'],
    [['--matchmake=no'], '--matchmake takes no value'],
    [['--room-size', '0'], '--room-size must be an integer from 1 to 1024, got "0"'],
    [['--room-size', '4', '--count', '10'], '--count 10 is not a multiple of --room-size 4'],
    [['--room-size', '3'], '--count 50 is not a multiple of --room-size 3'],
    [['--room-size', '5', '--room', 'ABC234'], '--room-size and --room are exclusive'],
    [['--room', 'a/b'], '--room must be a room id or code (letters, digits, - or _), got "a/b"'],
    [['--url', 'nope'], '--url "nope" is not a URL'],
    [['--json=yes'], '--json takes no value'],
    [['--latency', '-1'], '--latency must be a number of ms from 0 to 60000, got "-1"'],
    [['--latency='], '--latency must be a number of ms from 0 to 60000, got ""'],
    [['--jitter', '60001'], '--jitter must be a number of ms from 0 to 60000, got "60001"'],
    [['--jitter', 'NaN'], '--jitter must be a number of ms from 0 to 60000, got "NaN"'],
    [['--bandwidth', '0'], '--bandwidth must be a number of bytes per second above 0, got "0"'],
    [['--bandwidth', 'fast'], '--bandwidth must be a number of bytes per second above 0, got "fast"'],
    [['--link-seed', '-3'], '--link-seed must be an integer from 0 to 2147483647, got "-3"'],
    [['--link-seed', '2147483648'], '--link-seed must be an integer from 0 to 2147483647, got "2147483648"'],
    [
      ['--name-prefix', 'averyveryverylongprefix'],
      '--name-prefix "averyveryverylongprefix" makes names of 25 chars; at most 16',
    ],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(errorOf(argv)).toBe(message);
  });

  it('takes the http base of any server URL: http(s) as given, ws(s) with its scheme swapped and path dropped', () => {
    expect(run(['--url', 'http://127.0.0.1:9000']).url).toBe('http://127.0.0.1:9000');
    expect(run(['--url', 'https://example.com/']).url).toBe('https://example.com');
    expect(run(['--url', 'ws://127.0.0.1:9000/ws']).url).toBe('http://127.0.0.1:9000');
    expect(run(['--url', 'wss://example.com:8443/ws']).url).toBe('https://example.com:8443');
  });

  it('reads --room as a room id or code, and --room-size with a --count that is a multiple of it', () => {
    expect(run(['--room', 'ABC234'])).toMatchObject({ room: 'ABC234', roomSize: undefined });
    expect(run(['--room', 'a_b-C0123456789x'])).toMatchObject({ room: 'a_b-C0123456789x' });
    expect(run(['--room-size', '4', '--count', '8'])).toMatchObject({ roomSize: 4, count: 8, room: undefined });
    expect(run(['--count=8', '--room-size=8'])).toMatchObject({ roomSize: 8 });
  });

  it('reads --scenario world, and --view-radius only with --room-size (only a create names it)', () => {
    expect(run(['--scenario', 'world']).scenario).toBe('world');
    expect(run(['--scenario', 'world', '--room-size', '2', '--count', '4', '--view-radius', '0'])).toMatchObject({
      viewRadius: 0,
    });
    expect(errorOf(['--view-radius', '1000'])).toBe('--view-radius needs --room-size (only a create names it)');
    for (const bad of ['-1', '2.5', '16385', 'far']) {
      expect(errorOf(['--room-size', '1', '--view-radius', bad])).toContain('--view-radius must be an integer');
    }
  });

  it('checks the name length against the largest bot index', () => {
    // 15 chars + "9" fits in 16; 15 chars + "10" does not.
    expect(run(['--name-prefix', 'abcdefghijklmno', '--count', '10']).namePrefix).toBe('abcdefghijklmno');
    expect(errorOf(['--name-prefix', 'abcdefghijklmno', '--count', '11'])).toContain('makes names of 17 chars');
  });

  it('documents every flag with its default in the usage text', () => {
    for (const flag of [
      '--url',
      '--count',
      '--seconds',
      '--seed',
      '--scenario',
      '--name-prefix',
      '--latency MS',
      '--jitter MS',
      '--bandwidth BYTES_PER_S',
      '--link-seed N',
      '--matchmake',
      '--room-size P',
      '--room ID',
      '--view-radius U',
      '--json',
      '--help',
    ]) {
      expect(USAGE).toContain(flag);
    }
    for (const value of [DEFAULT_ARGS.url, `${DEFAULT_ARGS.count}`, `${DEFAULT_ARGS.seconds} s`]) {
      expect(USAGE).toContain(value);
    }
    expect(USAGE).toMatch(/--latency MS .* default 0 ms/);
    expect(USAGE).toMatch(/--bandwidth BYTES_PER_S .* default unlimited/);
    expect(USAGE).toContain('The modes are exclusive');
  });
});

describe('botLinkOptions', () => {
  it('gives no link without link flags, so sockets are used bare', () => {
    expect(botLinkOptions(run([]), 0)).toBeUndefined();
    expect(botLinkOptions(run(['--link-seed', '5']), 0)).toBeUndefined();
  });

  it('seeds bot i with --link-seed + i', () => {
    const args = run(['--latency', '100', '--jitter', '20', '--link-seed', '10']);
    expect(botLinkOptions(args, 0)).toEqual({
      latencyMs: 100,
      jitterMs: 20,
      bandwidthBytesPerSecond: Number.POSITIVE_INFINITY,
      seed: 10,
    });
    expect(botLinkOptions(args, 3)?.seed).toBe(13);
    expect(botLinkOptions(run(['--bandwidth', '1000']), 0)).toMatchObject({ bandwidthBytesPerSecond: 1000, seed: 1 });
  });
});

describe('--load-only', () => {
  it('reads snapshot headers only and turns prediction off', () => {
    const on = parseArgs(['--load-only']);
    expect(on.kind === 'run' && on.args.loadOnly).toBe(true);
    expect(on.kind === 'run' && on.args.predict).toBe(false);
    const off = parseArgs([]);
    expect(off.kind === 'run' && off.args.loadOnly).toBe(false);
    expect(parseArgs(['--load-only=1']).kind).toBe('error');
  });
});

describe('--no-predict', () => {
  it('turns prediction off, which is on by default', () => {
    const on = parseArgs([]);
    const off = parseArgs(['--no-predict']);
    expect(on.kind === 'run' && on.args.predict).toBe(true);
    expect(off.kind === 'run' && off.args.predict).toBe(false);
    expect(parseArgs(['--no-predict=1']).kind).toBe('error');
  });
});
