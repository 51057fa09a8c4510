// Integration: the bot CLI (client/src/bot/main.ts) as a child process against the real server:
// 20 bots for 4 s, its JSON lines, its summary and its exit code.
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

/** Run `node --import tsx client/src/bot/main.ts ...args` to completion (SIGKILL after RUN_TIMEOUT_MS). */
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
    run = await runBots(['--url', server.wsUrl, '--count', String(BOTS), '--seconds', String(SECONDS), '--json']);
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

  it('the server saw every bot join and closed none of them', async () => {
    const health = await getHealth(server);
    expect(health.joins).toBe(BOTS);
    expect(health.closes).toEqual({});
    // Each bot got one full snapshot, on joining, and applied deltas from then on (protocolErrors 0 above).
    expect(health.snapshots).toMatchObject({ fullOnJoin: BOTS, fullFallbacks: 0, backpressureSkips: 0 });
  });
});
