// Bench: the reconnect storm (issue 15's figure). N bots in R rooms play through the fault proxy
// (integration/support/faultProxy.ts) on the real server; the proxy resets every room socket at
// once; each bot's own NetClient reconnects and resumes. Run by hand, once per figure:
//
//   npm run bench:reconnect-storm -- [--bots 300] [--rooms 10] [--settle 3] [--timeout 30]
//                                    [--max-load 1.5] [--load-wait 300]
//
// Prints: resumed N of N, players lost (bots that did not get their own player back, and the
// server's player count after), resume time p50/p99/max (drop → resumed WELCOME, on the bots' clock),
// and the server's tick duration and lateness during the storm: the pooled /stats histograms diffed
// from just before the reset to `--settle` s after the last resume, plus the worst 1 s /healthz
// overload window seen while polling. Before starting it waits (up to --load-wait s) for the 1-minute
// load average to fall below --max-load, and prints the load it started at. The bots and the proxy
// share this process; the server is its own (compiled if server/dist exists, else tsx). Bounded: a
// hard deadline ends everything; every child is stopped by its PID.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CloseCode } from '@tickwire/protocol';
import { ArenaDriver } from '../client/src/bot/arenaDriver.js';
import { BotStats } from '../client/src/bot/stats.js';
import { TimerLoop } from '../client/src/bot/timerLoop.js';
import { openWsSocket } from '../client/src/bot/wsSocket.js';
import { matchmake } from '../client/src/net/matchmake.js';
import { type FaultProxy, startFaultProxy } from '../integration/support/faultProxy.js';
import { diffHistograms, type HistogramSnapshot, quantileOf } from '../server/src/stats/histogramSnapshot.js';
import { delay, getJson, machine, repoRoot, startServer, stopProcess, waitForQuietMachine } from './support.js';

const { values } = parseArgs({
  options: {
    bots: { type: 'string', default: '300' },
    rooms: { type: 'string', default: '10' },
    settle: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '30' },
    'max-load': { type: 'string', default: '1.5' },
    'load-wait': { type: 'string', default: '300' },
  },
});
const botCount = Number(values.bots);
const roomCount = Number(values.rooms);
const settleMs = Number(values.settle) * 1000;
const stormTimeoutMs = Number(values.timeout) * 1000;
const maxLoad = Number(values['max-load']);
const loadWaitMs = Number(values['load-wait']) * 1000;
const roomSize = Math.ceil(botCount / roomCount);
/** Joins, the storm and the stop together never take longer than this after the load wait. @default 180 s */
const HARD_DEADLINE_MS = 180_000;

interface Stats {
  histograms: { tickMs: HistogramSnapshot; latenessMs: HistogramSnapshot };
  ticks: { run: number; dropped: number; overruns: number };
}
interface Health {
  overload: { status: string; periodMs: number; tickP99Ms: number; latenessP99Ms: number };
  players: number;
  closes: Record<string, number>;
  roomList?: { id: string; players: number }[];
}

/** BotStats that also keeps every resume's pause, for the quantiles. */
class StormStats extends BotStats {
  readonly pausesMs: number[] = [];
  override recordResume(pauseMs: number): void {
    super.recordResume(pauseMs);
    this.pausesMs.push(pauseMs);
  }
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');

async function until(what: string, deadlineMs: number, condition: () => boolean): Promise<boolean> {
  while (!condition()) {
    if (performance.now() > deadlineMs) {
      console.log(`gave up waiting for ${what}`);
      return false;
    }
    await delay(20);
  }
  return true;
}

async function main(): Promise<void> {
  const loadAtStart = await waitForQuietMachine(maxLoad, loadWaitMs);
  const deadline = setTimeout(() => {
    console.log(`hard deadline of ${HARD_DEADLINE_MS / 1000} s reached: stopping`);
    void cleanup().finally(() => process.exit(1));
  }, HARD_DEADLINE_MS);
  const compiled = existsSync(join(repoRoot, 'server/dist/main.js'));
  const server = await startServer(
    [
      '--scenario',
      'arena',
      '--max-players',
      String(roomSize),
      '--max-connections-per-ip',
      '0',
      '--joins-per-minute-per-ip',
      '0',
      '--matchmake-rate',
      '0',
    ],
    compiled ? 'server/dist/main.js' : 'server/src/main.ts',
  );
  // Whatever ends this process (a crash included) ends the server by its PID.
  process.once('exit', () => server.child.kill('SIGKILL'));
  let proxy: FaultProxy | undefined;
  let driver: ArenaDriver | undefined;
  let loop: TimerLoop | undefined;
  const cleanup = async () => {
    loop?.stop();
    driver?.stop();
    if (driver !== undefined)
      await until('the bots to close', performance.now() + 5000, () => driver!.openSockets === 0);
    await proxy?.close();
    await stopProcess(server.child);
  };
  try {
    proxy = await startFaultProxy({ targetPort: Number(new URL(server.url).port) });
    const through = proxy.url;
    const stats = new StormStats(performance.now());
    const logs: string[] = [];
    // Bot i plays in room i mod R: bots 0..R-1 create the rooms, the others join them by id.
    const roomIds: Promise<string>[] = [];
    const created: ((roomId: string) => void)[] = [];
    for (let r = 0; r < roomCount; r++) roomIds.push(new Promise((resolve) => created.push(resolve)));
    const now = () => performance.now();
    const bots = new ArenaDriver({
      count: botCount,
      loadOnly: true,
      seat: async (botIndex) => {
        const room = botIndex % roomCount;
        if (botIndex < roomCount) {
          const answer = await matchmake(through, { mode: 'create', scenario: 'arena', maxPlayers: roomSize });
          if (answer.ok) created[room]!(answer.roomId);
          return answer;
        }
        return matchmake(through, { mode: 'join', roomId: await roomIds[room]! });
      },
      openSocket: (_botIndex, wsUrl) => openWsSocket(wsUrl),
      now,
      stats,
      wake: (dueMs) => loop?.wakeAt(dueMs),
      log: (line) => logs.push(line),
      schedule: (fn, waitMs) => {
        const timer = setTimeout(fn, waitMs);
        return () => clearTimeout(timer);
      },
    });
    driver = bots;
    loop = new TimerLoop(now, (nowMs) => bots.tick(nowMs));
    bots.start();
    loop.start();
    const joinedAll = await until(`${botCount} joins`, performance.now() + 90_000, () => stats.joins >= botCount);
    if (!joinedAll) throw new Error(`only ${stats.joins} of ${botCount} bots joined; ${logs.slice(0, 5).join('; ')}`);
    console.log(`${botCount} bots in ${stats.rooms.size} rooms through the proxy; settling ${settleMs / 1000} s`);
    await delay(settleMs);

    const statsBefore = await getJson<Stats>(`${server.url}/stats`);
    const healthBefore = await getJson<Health>(`${server.url}/healthz`);
    const loadAtStorm = loadavg()[0]!;
    const worst = { tickP99Ms: 0, latenessP99Ms: 0, overloaded: 0 };
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const health = await getJson<Health>(`${server.url}/healthz`).catch(() => undefined);
        if (health !== undefined) {
          worst.tickP99Ms = Math.max(worst.tickP99Ms, health.overload.tickP99Ms);
          worst.latenessP99Ms = Math.max(worst.latenessP99Ms, health.overload.latenessP99Ms);
          if (health.overload.status !== 'ok') worst.overloaded++;
        }
        await delay(250);
      }
    })();

    const cpuBefore = process.cpuUsage();
    const stormAt = performance.now();
    const reset = proxy.reset((connection) => connection.label.startsWith('/ws/'));
    console.log(`reset ${reset.length} room sockets at once`);
    const settled = () => stats.resumes + stats.resumeFailures + stats.disconnects >= botCount;
    await until('every bot to resume or fail', stormAt + stormTimeoutMs, settled);
    const stormEndedMs = performance.now() - stormAt;
    const cpu = process.cpuUsage(cpuBefore);
    // The bots and the proxy share this process: near a whole core, their own queueing is in the resume times.
    const benchCores = (cpu.user + cpu.system) / 1000 / stormEndedMs;
    await delay(settleMs);
    polling = false;
    await poll;
    const statsAfter = await getJson<Stats>(`${server.url}/stats`);
    const healthAfter = await getJson<Health>(`${server.url}/healthz`);

    const pauses = [...stats.pausesMs].sort((a, b) => a - b);
    const tick = diffHistograms(statsAfter.histograms.tickMs, statsBefore.histograms.tickMs);
    const lateness = diffHistograms(statsAfter.histograms.latenessMs, statsBefore.histograms.latenessMs);
    const replaced = (healthAfter.closes[CloseCode.REPLACED] ?? 0) - (healthBefore.closes[CloseCode.REPLACED] ?? 0);
    const lost = botCount - stats.resumes;
    console.log(
      `machine: ${machine()}; load average (1 min) ${loadAtStart.toFixed(2)} at start, ${loadAtStorm.toFixed(2)} at the storm`,
    );
    console.log(
      `load average (1 min) after the storm ${loadavg()[0]!.toFixed(2)}; this process (bots and proxy) used ${benchCores.toFixed(2)} of a core until the last resume`,
    );
    console.log(`server: ${compiled ? 'compiled (server/dist/main.js)' : 'tsx'}; bots and proxy in this process`);
    console.log(
      `resumed ${stats.resumes} of ${botCount}; players lost ${lost} (resume failures ${stats.resumeFailures}, disconnects ${stats.disconnects}, joins afresh ${stats.joins - botCount})`,
    );
    console.log(
      `server players: ${healthBefore.players} before, ${healthAfter.players} after; 4018 REPLACED during the storm: ${replaced}`,
    );
    console.log(
      `resume time: p50 ${ms(quantile(pauses, 0.5))}, p99 ${ms(quantile(pauses, 0.99))}, max ${ms(pauses.at(-1) ?? Number.NaN)}; last resume ${ms(stormEndedMs)} after the reset`,
    );
    console.log(
      `server ticks from the reset to ${settleMs / 1000} s after the last resume (${tick.count} ticks, budget ${healthAfter.overload.periodMs} ms): duration p99 ${ms(quantileOf(tick, 0.99))} max ${ms(tick.maxMs)}; lateness p99 ${ms(quantileOf(lateness, 0.99))} max ${ms(lateness.maxMs)}; dropped ${statsAfter.ticks.dropped - statsBefore.ticks.dropped}, overruns ${statsAfter.ticks.overruns - statsBefore.ticks.overruns}`,
    );
    console.log(
      `worst 1 s /healthz window during it: tick p99 ${ms(worst.tickP99Ms)}, lateness p99 ${ms(worst.latenessP99Ms)}, overloaded readings ${worst.overloaded}`,
    );
    for (const line of logs.filter((l) => !l.includes('reconnecting')).slice(0, 5)) console.log(`bots: ${line}`);
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
