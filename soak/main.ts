// The churn soak (`npm run soak -- --minutes M [--rooms R] [--bots N] [--redis] [--json]`): starts the
// compiled server under node --expose-gc (and a redis-server with --redis), a fault proxy in front of
// it, and bots that join, play, are reset, resume and leave at random (churnBot.ts) for M minutes;
// prints heap after GC and RSS every --sample-seconds, then, once everyone has left, what the server
// still holds (all must be 0) and every resume's time. Bounded: stops itself and everything it
// started, by PID. Runs once per invocation; exit 0 when every count is 0, 1 when not, 2 on bad flags.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { type FaultProxy, startFaultProxy } from '../integration/support/faultProxy.js';
import { getHealth, type ServerProcess, startServer } from '../integration/support/serverProcess.js';
import { type RedisServer, startRedis } from '../server/test/support/redisServer.js';
import { ChurnBot, newTotals } from './churnBot.js';
import { redisKeyCount } from './redisKeys.js';
import {
  formatReport,
  formatSample,
  isClean,
  type LeftCounts,
  resumeSummary,
  type Sample,
  type SoakReport,
} from './report.js';

/** The server's grace for a dropped player, ms (its default). */
const GRACE_MS = 10_000;
/** An empty room is disposed after this, ms: short, so the end's count of rooms can reach 0. */
const ROOM_IDLE_MS = 2000;
/** How long the end may wait for bots to leave and the server to empty: the grace + a seat's life + margin. */
const DRAIN_WAIT_MS = GRACE_MS + 15_000 + 20_000;
/** Most connections the proxy resets at once: a tenth of the open ones, at least one. */
const RESET_SHARE = 0.1;

const USAGE = `npm run soak -- --minutes M [--rooms R] [--bots N] [--redis] [--sample-seconds S] [--drop-every-ms D] [--json]
  --minutes M         how long bots churn (fractions allowed, at most 120)
  --rooms R           about this many rooms (bots join rooms of ceil(N / R) places) (default 4)
  --bots N            bots at once (default 32)
  --redis             run the server on a redis-server of its own (--redis-url), and count its keys at the end
  --sample-seconds S  heap and RSS every S seconds (default 60)
  --drop-every-ms D   the proxy resets a tenth of the game connections every D ms (default 2000)
  --json              the end's report as one JSON line`;

function fail(message: string): never {
  process.stderr.write(`soak: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    rooms: { type: 'string', default: '4' },
    bots: { type: 'string', default: '32' },
    redis: { type: 'boolean', default: false },
    'sample-seconds': { type: 'string', default: '60' },
    'drop-every-ms': { type: 'string', default: '2000' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const number = (name: string, text: string | undefined, min: number, max: number): number => {
  const value = Number(text);
  if (text === undefined || !Number.isFinite(value) || value < min || value > max) {
    fail(`--${name} must be a number from ${min} to ${max}`);
  }
  return value;
};
const minutes = number('minutes', values.minutes, 0.05, 120);
const roomCount = Math.round(number('rooms', values.rooms, 1, 64));
const botCount = Math.round(number('bots', values.bots, 1, 1000));
const sampleMs = number('sample-seconds', values['sample-seconds'], 1, 3600) * 1000;
const dropEveryMs = number('drop-every-ms', values['drop-every-ms'], 100, 600_000);
const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let redis: RedisServer | undefined;
let server: ServerProcess | undefined;
let proxy: FaultProxy | undefined;

/** Everything started, stopped in reverse order (each by its own PID or handle); safe to call twice. */
async function stopAll(): Promise<void> {
  await proxy?.close();
  await server?.stop();
  await redis?.stop();
}

async function live(): Promise<{ health: Record<string, unknown>; live: Record<string, number> }> {
  const health = await getHealth(server!);
  return { health, live: health.live as Record<string, number> };
}

async function sample(startMs: number): Promise<Sample> {
  const { health } = await live();
  const heap = health.heapUsedAfterGcBytes;
  if (typeof heap !== 'number')
    throw new Error('/healthz has no heapUsedAfterGcBytes: is the server under --expose-gc?');
  return {
    atS: Math.round((performance.now() - startMs) / 1000),
    heapUsedAfterGcBytes: heap,
    rssBytes: health.rssBytes as number,
    players: health.players as number,
    rooms: (health.rooms as { live: number }).live,
  };
}

async function run(): Promise<SoakReport> {
  const serverArgs = [
    '--room-idle-ms',
    String(ROOM_IDLE_MS),
    '--reconnect-grace-ms',
    String(GRACE_MS),
    // Every bot comes from 127.0.0.1: no per-address limit may refuse them.
    '--matchmake-rate',
    '0',
    '--joins-per-minute-per-ip',
    '0',
    '--max-connections-per-ip',
    '0',
    '--max-total-players',
    String(Math.max(2048, botCount * 2)),
  ];
  const env: Record<string, string> = {};
  if (values.redis) {
    redis = await startRedis();
    serverArgs.push('--redis-url', redis.url);
    // Seats and resume tokens are signed with the cluster's secret.
    env.TICKWIRE_SEAT_SECRET = randomBytes(32).toString('base64url');
  }
  server = await startServer(serverArgs, env, ['--expose-gc']);
  proxy = await startFaultProxy({ targetPort: server.port });
  const idle = await live();
  const idleTimers = idle.live.timers!;
  print(
    `soak: server pid ${server.pid} on ${server.url}, proxy ${proxy.url}${redis ? `, redis pid ${redis.pid}` : ''}`,
  );

  const totals = newTotals();
  const random = Math.random;
  const maxPlayers = Math.ceil(botCount / roomCount);
  const bots = Array.from(
    { length: botCount },
    (_, index) =>
      new ChurnBot(
        index,
        {
          url: proxy!.url,
          via: (wsUrl) => proxy!.via(wsUrl),
          maxPlayers,
          stayMs: [3000, 20_000],
          pauseMs: [0, 3000],
          random,
        },
        totals,
      ),
  );
  const startMs = performance.now();
  const samples: Sample[] = [await sample(startMs)];
  print(formatSample(samples[0]!));
  for (const bot of bots) bot.start();

  let drops = 0;
  const dropper = setInterval(() => {
    const game = proxy!.connections().filter((connection) => connection.label.startsWith('/ws/'));
    const count = Math.max(1, Math.round(game.length * RESET_SHARE * random()));
    const picked = new Set(game.sort(() => random() - 0.5).slice(0, count));
    drops += proxy!.reset((connection) => picked.has(connection)).length;
  }, dropEveryMs);

  const endMs = startMs + minutes * 60_000;
  let nextSampleMs = startMs + sampleMs;
  while (performance.now() < endMs) {
    await sleep(Math.max(0, Math.min(nextSampleMs, endMs) - performance.now()));
    if (performance.now() >= nextSampleMs) {
      const taken = await sample(startMs);
      samples.push(taken);
      print(formatSample(taken));
      nextSampleMs += sampleMs;
    }
  }
  clearInterval(dropper);
  for (const bot of bots) bot.stop();
  // Bounded: bots leave (a reconnecting one once resumed), then the server lets go of rooms and seats.
  const waitUntil = performance.now() + DRAIN_WAIT_MS;
  while (bots.some((bot) => bot.phase !== 'done') && performance.now() < waitUntil) await sleep(100);
  let end = await live();
  const emptied = () =>
    end.live.players === 0 &&
    end.live.sessions === 0 &&
    end.live.seats === 0 &&
    (end.health.rooms as { live: number }).live === 0 &&
    end.live.timers! <= idleTimers;
  while (!emptied() && performance.now() < waitUntil) {
    await sleep(250);
    end = await live();
  }
  const last = await sample(startMs);
  samples.push(last);
  print(formatSample(last));
  end = await live();
  await proxy.close();
  await server.stop();
  const redisKeys = redis === undefined ? null : await redisKeyCount(redis.port);
  const left: LeftCounts = {
    players: end.live.players!,
    away: end.live.away!,
    entities: end.live.entities!,
    sessions: end.live.sessions!,
    seats: end.live.seats!,
    rooms: (end.health.rooms as { live: number }).live,
    timers: Math.max(0, end.live.timers! - idleTimers),
    redisKeys,
  };
  return {
    minutes,
    bots: botCount,
    rooms: roomCount,
    redis: values.redis,
    samples,
    joins: totals.joins,
    leaves: totals.leaves,
    drops,
    resumes: totals.resumes,
    resumeFailures: totals.resumeFailures,
    seatRefusals: totals.seatRefusals,
    lostCloses: totals.lostCloses,
    resumeMs: resumeSummary(totals.resumeMs),
    left,
    clean: isClean(left),
  };
}

// A hard bound on the whole run: the soak, the end's wait, and start and stop.
const hardStop = setTimeout(
  () => {
    process.stderr.write('soak: over its time bound, stopping everything\n');
    void stopAll().finally(() => process.exit(1));
  },
  minutes * 60_000 + DRAIN_WAIT_MS + 120_000,
);
process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));

run()
  .then(async (report) => {
    await stopAll();
    clearTimeout(hardStop);
    print(values.json ? JSON.stringify(report) : formatReport(report));
    process.exit(report.clean ? 0 : 1);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await stopAll();
    process.exit(1);
  });
