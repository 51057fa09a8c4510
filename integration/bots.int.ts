// Integration: the bot CLI (client/src/bot/main.ts) as a child process against the real server, every
// bot seated by POST /matchmake: 20 bots for 4 s (joinOrCreate, one room), its JSON lines, its summary
// and its exit code; then 8 bots with --room-size 4 (two rooms of four).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from './support/events.js';
import { startScript } from './support/scriptProcess.js';
import { getHealth, type ServerProcess, startServer } from './support/serverProcess.js';

const BOTS = 20;
const SECONDS = 4;
/** The run takes SECONDS plus start-up and the close grace; past this the bot process is killed. @default 30 000 ms */
const RUN_TIMEOUT_MS = 30_000;

interface BotRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdoutLines: string[];
  stderr: string;
}

/** Run client/src/bot/main.ts ...args under tsx (startScript) to completion (SIGKILL after RUN_TIMEOUT_MS). */
function runBots(args: readonly string[]): Promise<BotRun> {
  const run = startScript('client/src/bot/main.ts', args);
  const exited = run.exited.then(({ code, signal }) => ({
    code,
    signal,
    stdoutLines: run.stdout.split('\n').filter((line) => line !== ''),
    stderr: run.stderr,
  }));
  return withTimeout(exited, RUN_TIMEOUT_MS, 'the bot process to exit').catch((error: Error) => {
    run.child.kill('SIGKILL');
    throw new Error(`${error.message}; stdout so far:\n${run.stdout}\nstderr:\n${run.stderr}`);
  });
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { type: 'not JSON', line };
  }
}

describe(`the bot CLI with ${BOTS} bots for ${SECONDS} s`, () => {
  let server: ServerProcess;
  let run: BotRun;
  let records: Record<string, unknown>[];

  beforeAll(async () => {
    server = await startServer();
    run = await runBots(['--url', server.url, '--count', String(BOTS), '--seconds', String(SECONDS), '--json']);
    records = run.stdoutLines.map(parseLine);
  });

  afterAll(() => server?.stop());

  it('exits with code 0', () => {
    expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toMatchObject({ code: 0, signal: null });
  });

  it('prints only JSON lines: progress lines, then one summary last', () => {
    expect(records.length).toBeGreaterThan(1);
    expect(records.slice(0, -1).every((record) => record.type === 'progress')).toBe(true);
    expect(records[records.length - 1]!.type).toBe('summary');
  });

  it(`the summary reports ${BOTS} bots joined, no disconnect and messages flowing to every client`, () => {
    const summary = records[records.length - 1]!;
    expect(summary).toMatchObject({ type: 'summary', bots: BOTS, joins: BOTS, disconnects: 0, protocolErrors: 0 });
    expect(summary.closeCodes).toEqual({});
    expect(summary.messagesPerClientPerSecond).toBeGreaterThan(0);
    expect(summary.bytesPerClientPerSecond).toBeGreaterThan(0);
    expect(summary.inputsSent).toBeGreaterThan(0);
  });

  it('seated every bot through the matchmaker, each call timed, all in one room (joinOrCreate fills it first)', () => {
    const summary = records[records.length - 1]!;
    expect(summary).toMatchObject({ rooms: 1, matchmakeErrors: {}, matchmakeMs: { count: BOTS, failures: 0 } });
    const { p50, p99 } = summary.matchmakeMs as { p50: number; p99: number };
    expect(p50).toBeGreaterThan(0);
    expect(p99).toBeGreaterThanOrEqual(p50);
  });

  it('the server saw every bot join and closed none of them', async () => {
    const health = await getHealth(server);
    expect(health.joins).toBe(BOTS);
    expect(health.closes).toEqual({});
    // Each bot got one full snapshot, on joining, and applied deltas from then on (protocolErrors 0 above).
    expect(health.snapshots).toMatchObject({ fullOnJoin: BOTS, fullFallbacks: 0, backpressureSkips: 0 });
  });
});

/** How a room row of /healthz reads here. */
interface RoomRow {
  id: string;
  players: number;
  maxPlayers: number;
}

describe('the bot CLI with --room-size 4 --count 8', () => {
  let server: ServerProcess;
  let run: BotRun;
  let summary: Record<string, unknown>;
  let roomsWhilePlaying: RoomRow[] = [];

  beforeAll(async () => {
    server = await startServer(['--scenario', 'arena']);
    const bots = startScript('client/src/bot/main.ts', [
      ...['--url', server.url, '--scenario', 'arena', '--room-size', '4', '--count', '8'],
      ...['--seconds', String(SECONDS), '--json'],
    ]);
    // While the bots play: poll /healthz until its rooms hold all 8 (or the bots are done).
    let done = false;
    void bots.exited.then(() => {
      done = true;
    });
    while (!done) {
      // /healthz: `roomList` has a row per room (`rooms` is the process's totals).
      const rooms = ((await getHealth(server)).roomList ?? []) as RoomRow[];
      if (rooms.reduce((sum, room) => sum + room.players, 0) === 8) {
        roomsWhilePlaying = rooms;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const exited = await withTimeout(bots.exited, RUN_TIMEOUT_MS, 'the bot process to exit').catch((error: Error) => {
      bots.child.kill('SIGKILL');
      throw new Error(`${error.message}; stderr:\n${bots.stderr}`);
    });
    run = { ...exited, stdoutLines: bots.stdout.split('\n').filter((line) => line !== ''), stderr: bots.stderr };
    summary = parseLine(run.stdoutLines.at(-1) ?? '');
  });

  afterAll(() => server?.stop());

  it('makes two rooms of four, every bot joined, and says so in its summary', () => {
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    expect(summary).toMatchObject({
      type: 'summary',
      bots: 8,
      joins: 8,
      disconnects: 0,
      rooms: 2,
      matchmakeMs: { count: 8, failures: 0 },
    });
  });

  it('the server held those two rooms, each full at maxPlayers 4', () => {
    expect(roomsWhilePlaying.map((room) => [room.players, room.maxPlayers])).toEqual([
      [4, 4],
      [4, 4],
    ]);
  });
});
