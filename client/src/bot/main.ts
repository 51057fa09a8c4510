// The bot CLI's entry point (`npm run bots -- …`): wires flags, the matchmaker's seats, ws sockets,
// the shared timer loop and stdout together; runs once per process, its loop step once per due
// input or progress line.
import { performance } from 'node:perf_hooks';
import { worldOfMapHash } from '@tickwire/protocol';
import { matchmake } from '../net/matchmake.js';
import { realTimeScheduler, SimulatedSocket } from '../net/networkSimulator.js';
import type { SocketLike } from '../net/socketLike.js';
import { ArenaDriver } from './arenaDriver.js';
import { botLinkOptions, parseArgs, USAGE } from './args.js';
import { BotSeats } from './botSeats.js';
import { GamePilot } from './gamePilot.js';
import { formatProgress, formatSummary } from './report.js';
import { seatPlanOf } from './seatPlan.js';
import { BotStats } from './stats.js';
import { exitCode, progressRecord, summaryRecord } from './summary.js';
import { TimerLoop } from './timerLoop.js';
import { openWsSocket } from './wsSocket.js';

/** How long closing handshakes may take after the summary before the process exits anyway. @default 2000 ms */
const CLOSE_GRACE_MS = 2000;
const PROGRESS_INTERVAL_MS = 1000;

const parsed = parseArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (parsed.kind === 'error') {
  process.stderr.write(`bots: ${parsed.message}\nRun with --help for the flags.\n`);
  process.exit(2);
}
const args = parsed.args;

const now = (): number => performance.now();
const startMs = now();
const endMs = startMs + args.seconds * 1000;
let nextProgressMs = startMs + PROGRESS_INTERVAL_MS;
let finished = false;

/** Every bot's simulated link (if any) times its frames on the loop's performance.now() clock. */
const linkScheduler = realTimeScheduler();

const stats = new BotStats(startMs);
const seats = new BotSeats({ httpUrl: args.url, plan: seatPlanOf(args), now, stats });
const loop = new TimerLoop(now, step);
const driver = new ArenaDriver({
  count: args.count,
  seed: args.seed,
  namePrefix: args.namePrefix,
  predict: args.predict,
  loadOnly: args.loadOnly,
  seat: (botIndex) => seats.seat(botIndex),
  openSocket,
  now,
  stats,
  wake: (dueMs) => loop.wakeAt(dueMs),
  // Reconnect tries and silence checks: the next due time is the timer's; the loop's clock stamps events.
  schedule: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
  // After 4019 MOVED: where the room is now, from the matchmaker (any process of the cluster knows).
  locate: async (resumeToken) => {
    const answer = await matchmake(args.url, { mode: 'resume', resumeToken });
    return answer.ok ? answer.wsUrl : undefined;
  },
  log: (line) => process.stderr.write(`bots: ${line}\n`),
  // game-N: bot i wanders and fights on the map of the world WELCOME names (seeded like the arena's).
  ...(args.scenario === 'game'
    ? {
        pilot: (botIndex: number, welcome: { mapHash: number }) =>
          new GamePilot(botIndex + args.seed - 1, worldOfMapHash(welcome.mapHash)?.rules.map),
      }
    : {}),
});

/** Bot i's socket at its seat's room, behind its simulated link when a link flag is set (seeded with --link-seed + i). */
function openSocket(botIndex: number, wsUrl: string): SocketLike {
  const socket = openWsSocket(wsUrl);
  const link = botLinkOptions(args, botIndex);
  return link === undefined ? socket : new SimulatedSocket(socket, link, linkScheduler);
}

function step(nowMs: number): number {
  const nextInputMs = driver.tick(nowMs);
  if (nowMs >= nextProgressMs) {
    print(formatProgress(progressRecord(stats, driver.totals(), nowMs), args.json, args.count));
    // The next line keeps the one-second grid; a late one does not shift the rest.
    while (nextProgressMs <= nowMs) nextProgressMs += PROGRESS_INTERVAL_MS;
  }
  // Every bot's socket closed (a server that went away): nothing is left to measure.
  const allGone = driver.openSockets === 0 && driver.pendingJoins === 0;
  if (nowMs >= endMs || allGone) {
    finish();
    return Number.POSITIVE_INFINITY;
  }
  return Math.min(nextInputMs, nextProgressMs, endMs);
}

function finish(): void {
  if (finished) return;
  finished = true;
  loop.stop();
  const summary = summaryRecord(stats, driver.totals(), now(), args.count);
  print(formatSummary(summary, args.json));
  process.exitCode = exitCode(summary);
  driver.stop();
  const deadline = setTimeout(() => process.exit(), CLOSE_GRACE_MS);
  const poll = setInterval(() => {
    if (driver.openSockets > 0) return;
    clearInterval(poll);
    clearTimeout(deadline);
    process.exit();
  }, 10);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

process.once('SIGINT', finish);
process.once('SIGTERM', finish);
driver.start();
loop.start();
