// One socket-fuzzer run: starts the real server and the honest bot CLI as child processes, fuzzes
// beside them (fuzzer.ts), then reads /healthz, stops the bots for their summary and says whether
// the server survived and the bots saw nothing. Once per `npm run fuzz` and per integration test.
import type { ChildProcess } from 'node:child_process';
import { delay, getJson, startBots, startServer, stopProcess } from '../../bench/support.js';
import { type FuzzTally, fuzz } from './fuzzer.js';
import { matchmakeOpening, type Opening } from './opening.js';

export interface RunOptions {
  frames: number;
  seed: number;
  /** Honest bots playing beside the fuzzer (the bot CLI, arena scenario). */
  bots: number;
  /** Fuzzing connections open at once. */
  connections: number;
  /** @default matchmakeOpening on the server started: a seat from POST /matchmake, then HELLO with it */
  opening?: Opening;
  /** Extra server flags. */
  serverArgs?: readonly string[];
  /** Progress lines (bots joined, fuzzing started). */
  log?(line: string): void;
}

/** What the bot CLI's summary says (client/src/bot/summary.ts), the figures read here. */
interface BotSummary {
  joins: number;
  disconnects: number;
  protocolErrors: number;
  closeCodes: Record<string, number>;
  snapshotIntervalMs: { all: { p50: number | null; p99: number | null } };
}

export interface RunSummary {
  seed: number;
  tally: FuzzTally;
  /** The server process exited during the run (0 expected), with how. */
  crashes: number;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  /** The server's last stderr lines (empty unless something went wrong). */
  serverStderr: string[];
  /** /healthz answered at the end. */
  healthAnswered: boolean;
  /** From /healthz at the end: tick duration and lateness p99 (ms) since start, and the server's closes by code. */
  server: { tickP99Ms: number; latenessP99Ms: number; tickPeriodMs: number; closes: Record<string, number> } | null;
  bots: { count: number; summary: BotSummary | null };
  /** Bots all joined, none disconnected, no protocol error. */
  botsUndisturbed: boolean;
  /** The bots' snapshot-interval p99 is within 2 × the tick period. */
  botsOnTime: boolean;
}

/** Last lines of the server's stderr kept for the report (a crash's stack trace). */
const STDERR_LINES = 20;

/** How long the bots may take to join before fuzzing starts anyway. @default 30 000 ms */
const BOTS_JOIN_TIMEOUT_MS = 30_000;

export async function runFuzz(options: RunOptions): Promise<RunSummary> {
  const log = options.log ?? (() => {});
  const stderr: string[] = [];
  const server = await startServer(
    ['--scenario', 'arena', ...(options.serverArgs ?? [])],
    undefined,
    undefined,
    (line) => {
      stderr.push(line);
      if (stderr.length > STDERR_LINES) stderr.shift();
    },
  );
  let exit: RunSummary['exit'] = null;
  server.child.once('exit', (code, signal) => {
    exit = { code, signal };
  });
  const port = Number(new URL(server.url).port);
  let botSummary: BotSummary | null = null;
  let botsJoined = 0;
  let bots: ChildProcess | undefined;
  try {
    if (options.bots > 0) {
      bots = startBots(
        ['--url', server.url, '--count', String(options.bots), '--seconds', '3600', '--seed', String(options.seed)],
        (record) => {
          if (record.type === 'progress') botsJoined = Number(record.joins);
          if (record.type === 'summary') botSummary = record as unknown as BotSummary;
        },
      );
      const deadline = performance.now() + BOTS_JOIN_TIMEOUT_MS;
      while (botsJoined < options.bots && performance.now() < deadline && exit === null) await delay(100);
      log(`${botsJoined} of ${options.bots} bots joined; fuzzing`);
    }
    const tally = await fuzz({
      port,
      frames: options.frames,
      seed: options.seed,
      connections: options.connections,
      opening: options.opening ?? matchmakeOpening(server.url),
      serverAlive: () => exit === null,
    });
    const health = exit === null ? await getJson<Health>(`${server.url}/healthz`).catch(() => null) : null;
    if (bots !== undefined) await stopProcess(bots);
    const summary = botSummary as BotSummary | null;
    const tickPeriodMs = health === null ? 0 : 1000 / health.tickRate;
    const p99 = summary?.snapshotIntervalMs.all.p99 ?? null;
    return {
      seed: options.seed,
      tally,
      crashes: exit === null ? 0 : 1,
      exit,
      serverStderr: stderr,
      healthAnswered: health !== null,
      server:
        health === null
          ? null
          : {
              tickP99Ms: health.ticks.durationMs.p99,
              latenessP99Ms: health.ticks.latenessMs.p99,
              tickPeriodMs,
              closes: health.closes,
            },
      bots: { count: options.bots, summary },
      botsUndisturbed:
        options.bots === 0 ||
        (summary !== null &&
          summary.joins === options.bots &&
          summary.disconnects === 0 &&
          summary.protocolErrors === 0),
      botsOnTime: options.bots === 0 || (p99 !== null && tickPeriodMs > 0 && p99 <= 2 * tickPeriodMs),
    };
  } finally {
    if (bots !== undefined) await stopProcess(bots);
    await stopProcess(server.child);
  }
}

/** The parts of GET /healthz read here. */
interface Health {
  tickRate: number;
  ticks: { durationMs: { p99: number }; latenessMs: { p99: number } };
  closes: Record<string, number>;
}
