// Integration: the profiler (profile/src/main.ts) as a child process, as `npm run profile` runs it:
// a real server and a real bots process, 3 bots, 1 s warm-up, a 3 s window; its JSON and HTML. Then
// --rooms 2 --room-size 2: two rooms of two, with per-room figures.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileResult } from '../profile/src/result.js';
import { startScript } from './support/scriptProcess.js';

const BOTS = 3;
const WINDOW_S = 3;
const TICK_RATE = 30;
/** Start-up, joins, 1 s warm-up, the window and stopping take ~10 s; past this the profiler is stopped. @default 60 000 ms */
const RUN_TIMEOUT_MS = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the profiler to completion; SIGTERM (it then stops its server and bots) after RUN_TIMEOUT_MS, SIGKILL 5 s later. */
async function runProfiler(args: readonly string[]): Promise<Run> {
  const run = startScript('profile/src/main.ts', args);
  const term = setTimeout(() => run.child.kill('SIGTERM'), RUN_TIMEOUT_MS);
  const kill = setTimeout(() => run.child.kill('SIGKILL'), RUN_TIMEOUT_MS + 5000);
  const { code } = await run.exited;
  clearTimeout(term);
  clearTimeout(kill);
  return { code, stdout: run.stdout, stderr: run.stderr };
}

describe(`npm run profile with ${BOTS} bots, a ${WINDOW_S} s window at ${TICK_RATE} Hz`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickwire-profile-'));
  let run: Run;
  let result: ProfileResult;

  beforeAll(async () => {
    run = await runProfiler([
      '--scenario',
      'arena',
      '--bots',
      String(BOTS),
      '--tick-rate',
      String(TICK_RATE),
      '--seconds',
      String(WINDOW_S),
      '--warmup',
      '1',
      '--out',
      join(dir, 'short.json'),
    ]);
    if (run.code === 0) result = JSON.parse(readFileSync(join(dir, 'short.json'), 'utf8')) as ProfileResult;
  }, RUN_TIMEOUT_MS + 10_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0, printing a progress line a second and the summary table', () => {
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const progress = run.stderr.split('\n').filter((line) => /^\s+\d+ s {2}/.test(line));
    expect(progress.length).toBeGreaterThanOrEqual(WINDOW_S + 1);
    // The last line ends the window: WINDOW_S seconds in, or a little past on a loaded machine.
    expect(progress.at(-1)).toMatch(new RegExp(`window \\d+/${WINDOW_S} s +players ${BOTS}/${BOTS}`));
    expect(run.stdout).toMatch(/^profile: arena, 3 bots, 30 Hz tick/);
    expect(run.stdout).toContain('where the tick goes');
    expect(run.stdout).toContain(`result: ${join(dir, 'short.json')}`);
  });

  it('ran (or dropped) rate × window ticks in the window, each run counted in the tick histograms', () => {
    expect(result).toMatchObject({
      schema: 1,
      kind: 'profile',
      settings: { scenario: 'arena', bots: BOTS, tickRate: TICK_RATE },
    });
    // The window ends on the first sample at least WINDOW_S after its start (a sample comes late,
    // never early, on a loaded machine), measured by the server's clock.
    expect(result.window.seconds).toBeGreaterThan(WINDOW_S - 0.25);
    expect(result.window.seconds).toBeLessThan(WINDOW_S + 1.5);
    // expected is rate × the printed seconds, rounded to 0.1 tick: off by at most half of that.
    expect(Math.abs(result.ticks.expected - TICK_RATE * result.window.seconds)).toBeLessThanOrEqual(0.05 + 1e-9);
    // The server drops ticks only after a stall (a loaded machine) and then skips its schedule past them.
    expect(Math.abs(result.ticks.run + result.ticks.dropped - result.ticks.expected)).toBeLessThanOrEqual(2);
    expect(result.tickMs.count).toBe(result.ticks.run);
    expect(result.latenessMs.count).toBe(result.ticks.run);
    expect(result.histograms.tickMs!.count).toBe(result.ticks.run);
    expect(result.tickMs.p50).toBeGreaterThan(0);
    expect(result.tickMs.p50).toBeLessThanOrEqual(result.tickMs.p99);
    expect(result.tickMs.p99).toBeLessThanOrEqual(result.tickMs.maxMs);
  });

  it('breaks the tick down per ecsy system, every tick timed, shares summing to 1', () => {
    expect(Object.keys(result.histograms)).toEqual(
      expect.arrayContaining(['tickMs', 'latenessMs', 'worldExecuteMs', 'system.InputSystem', 'system.MovementSystem']),
    );
    const systems = result.breakdown.filter((p) => p.kind === 'system');
    expect(systems.map((p) => p.name)).toEqual(expect.arrayContaining(['InputSystem', 'MovementSystem']));
    for (const part of systems) expect(part.summary.count).toBe(result.ticks.run);
    expect(result.breakdown.reduce((sum, p) => sum + p.share, 0)).toBeCloseTo(1, 2);
  });

  it('measured the server and the bots: CPU from /proc agreeing with the server, RSS, bytes both ways', () => {
    expect(result.server.cpuSecondsPerSecond).toBeGreaterThan(0);
    // /proc counts in 10 ms clock ticks: over 3 s the two readings agree to a few hundredths.
    expect(Math.abs(result.server.cpuSecondsPerSecond - result.server.reportedCpuSecondsPerSecond)).toBeLessThan(0.05);
    expect(result.bots.cpuSecondsPerSecond).toBeGreaterThan(0);
    expect(result.server.rssMiB).toBeGreaterThan(10);
    expect(result.server.players).toBe(BOTS);
    expect(result.bots).toMatchObject({ connectedAtEnd: BOTS, disconnects: 0, rooms: 1 });
    expect(result.bots.matchmakeMs).toMatchObject({ count: BOTS, failures: 0 });
    const { traffic } = result;
    expect(traffic.serverMessagesPerClientPerSecond).toBeGreaterThan(TICK_RATE * 0.9);
    const sent = traffic.serverBytesPerClientPerSecond;
    expect(sent).toBeGreaterThan(0);
    expect(traffic.clientBytesPerClientPerSecond! / sent).toBeGreaterThan(0.8);
    expect(traffic.clientBytesPerClientPerSecond! / sent).toBeLessThan(1.25);
    expect(traffic.snapshotIntervalMs.p50).toBeGreaterThan(25);
    expect(traffic.snapshotIntervalMs.p50).toBeLessThan(42);
  });

  it('has a series point about a second, the window ones adding up to the window', () => {
    const window = result.series.filter((p) => p.phase === 'window');
    expect(window.length).toBeGreaterThanOrEqual(WINDOW_S - 1);
    expect(window.length).toBeLessThanOrEqual(WINDOW_S + 1);
    expect(window.reduce((sum, p) => sum + p.ticks, 0)).toBe(result.ticks.run);
    let previousT = result.window.startT;
    for (const point of window) {
      const seconds = point.t - previousT;
      expect(point.ticks).toBeLessThanOrEqual(TICK_RATE * seconds + 3);
      expect(point.players).toBe(BOTS);
      previousT = point.t;
    }
    expect(result.series.at(-1)!.t).toBe(result.window.endT);
  });

  it('wrote the HTML report beside the JSON', () => {
    const html = readFileSync(join(dir, 'short.html'), 'utf8');
    for (const id of ['chart-tick-time', 'chart-tick-histogram', 'chart-tick-breakdown', 'chart-bytes']) {
      expect(html).toContain(`<svg id="${id}"`);
    }
    expect(existsSync(join(dir, 'short.json'))).toBe(true);
  });
});

describe('npm run profile with --rooms 2 --room-size 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickwire-profile-rooms-'));
  let run: Run;
  let result: ProfileResult;

  beforeAll(async () => {
    run = await runProfiler([
      ...['--scenario', 'arena', '--rooms', '2', '--room-size', '2', '--tick-rate', String(TICK_RATE)],
      ...['--seconds', '2', '--warmup', '1', '--out', join(dir, 'rooms.json')],
    ]);
    if (run.code === 0) result = JSON.parse(readFileSync(join(dir, 'rooms.json'), 'utf8')) as ProfileResult;
  }, RUN_TIMEOUT_MS + 10_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs 4 bots that end in 2 rooms, and prints the rooms in its table', () => {
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^profile: arena, 4 bots in 2 rooms of 2, 30 Hz tick/);
    expect(run.stdout).toContain('per room');
    expect(result.settings).toMatchObject({ bots: 4, rooms: 2, roomSize: 2 });
    expect(result.bots).toMatchObject({ connectedAtEnd: 4, disconnects: 0, rooms: 2 });
    expect(result.problems.filter((p) => p.includes('rooms'))).toEqual([]);
  });

  it("keeps each room's figures from /healthz, every room ticking through the window", () => {
    expect(result.rooms?.count).toBe(2);
    for (const room of result.rooms!.figures) {
      expect(room).toMatchObject({ scenario: 'arena', players: 2, maxPlayers: 2, tickRate: TICK_RATE });
      expect(room.windowTicks).toBeGreaterThan(0);
      expect(room.latenessMs.p99).not.toBeNull();
    }
    expect(result.rooms!.worstLatenessP99).not.toBeNull();
    expect(readFileSync(join(dir, 'rooms.html'), 'utf8')).toContain('<h2>Rooms</h2>');
  });
});
