// The profiler's flags: a run, a compare, a capacity search, and the errors people make.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.js';

describe('parseArgs', () => {
  it('defaults to game (docs/scenarios.md: the profiler default), 200 bots, 30 Hz, a 20 s window after 5 s warm-up', () => {
    expect(parseArgs([])).toEqual({
      kind: 'run',
      args: {
        scenario: 'game',
        bots: 200,
        rooms: undefined,
        roomSize: undefined,
        tickRate: 30,
        snapshotRate: 30,
        viewRadius: undefined,
        seconds: 20,
        warmup: 5,
        joinTimeout: 60,
        predict: false,
        out: undefined,
      },
    });
  });

  it('reads the issue example and passes any scenario name through', () => {
    const parsed = parseArgs([
      '--scenario',
      'game',
      '--bots',
      '50',
      '--tick-rate',
      '60',
      '--seconds',
      '3',
      '--warmup',
      '1',
    ]);
    expect(parsed).toMatchObject({
      kind: 'run',
      args: { scenario: 'game', bots: 50, tickRate: 60, snapshotRate: 60, seconds: 3, warmup: 1 },
    });
  });

  it('reads world-N with the view radius it passes to the server', () => {
    expect(parseArgs(['--scenario', 'world', '--bots', '400', '--view-radius', '1000'])).toMatchObject({
      kind: 'run',
      args: { scenario: 'world', bots: 400, viewRadius: 1000 },
    });
    expect(parseArgs(['--scenario', 'world', '--view-radius', '4001']).kind).toBe('error');
  });

  it('reads --rooms R --room-size P as R·P bots in R rooms', () => {
    expect(parseArgs(['--scenario', 'arena', '--rooms', '32', '--room-size', '8'])).toMatchObject({
      kind: 'run',
      args: { scenario: 'arena', bots: 256, rooms: 32, roomSize: 8 },
    });
  });

  it.each([
    [['--rooms', '2'], '--rooms and --room-size go together'],
    [['--room-size', '2'], '--rooms and --room-size go together'],
    [['--rooms', '2', '--room-size', '2', '--bots', '4'], '--bots is --rooms × --room-size with --rooms'],
    [['--rooms', '0', '--room-size', '2'], '--rooms must be a whole number from 1 to 256, got "0"'],
    [['--rooms', '200', '--room-size', '8'], '--rooms × --room-size must be at most 1024 bots'],
    [
      ['--find-capacity', '--rooms', '2', '--room-size', '2'],
      '--rooms and --room-size have no meaning with --find-capacity',
    ],
  ])('rejects %j', (argv, message) => {
    expect(parseArgs(argv)).toEqual({ kind: 'error', message });
  });

  it('reads a compare of two files', () => {
    expect(parseArgs(['--compare', 'a.json', 'b.json'])).toEqual({
      kind: 'compare',
      before: 'a.json',
      after: 'b.json',
    });
    expect(parseArgs(['--compare', 'a.json'])).toMatchObject({ kind: 'error' });
  });

  it('reads a capacity search with 10 s steps by default', () => {
    expect(parseArgs(['--find-capacity', '--tick-rate', '30'])).toMatchObject({
      kind: 'capacity',
      args: { scenario: 'game', tickRate: 30, seconds: 10, maxSteps: 12, maxMinutes: 20, maxBots: 1024 },
    });
    expect(parseArgs(['--find-capacity', '--bots', '10'])).toEqual({
      kind: 'error',
      message: '--bots has no meaning with --find-capacity',
    });
  });

  it('refuses bad numbers, unknown flags and a snapshot rate above the tick rate', () => {
    expect(parseArgs(['--bots', '0'])).toEqual({
      kind: 'error',
      message: '--bots must be a whole number from 1 to 1024, got "0"',
    });
    expect(parseArgs(['--seconds', '2.5'])).toMatchObject({ kind: 'error' });
    expect(parseArgs(['--tick-rate', '30', '--snapshot-rate', '60'])).toMatchObject({ kind: 'error' });
    expect(parseArgs(['--frobnicate'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/frobnicate/) });
    expect(parseArgs(['--scenario', '../x'])).toMatchObject({ kind: 'error' });
    expect(parseArgs(['--max-steps', '3'])).toEqual({
      kind: 'error',
      message: '--max-steps only goes with --find-capacity',
    });
  });

  it('asks for help', () => {
    expect(parseArgs(['-h'])).toEqual({ kind: 'help' });
  });
});
