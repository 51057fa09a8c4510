// Bench: rooms-R×P on a cluster of 3 processes and one redis-server on this machine (default
// rooms-24×8: 192 load-only arena bots in one bots process, every seat asked of process 0's
// matchmaker, which places rooms over the three), then the same bots on one process without Redis
// (the baseline, same run). Run by hand (npm run bench:cluster); prints one line per figure.
//
//   npm run bench:cluster -- [--processes 3] [--rooms 24] [--room-size 8] [--window 20] [--warmup 5]
//                            [--baseline true]
//
// Figures: players and rooms per process (each process's /healthz), the max/min players ratio,
// the bots' disconnects, tick-start lateness p99 per process: /healthz's ticks.latenessMs (pooled
// over its rooms since the process started, joins included) and the window's (the pooled histogram
// from /stats, read before and after the window), each process's CPU, and every bot's snapshot
// interval p99. Stops every process it started by PID, redis-server too.
import { parseArgs } from 'node:util';
import { diffHistograms, type HistogramSnapshot, quantileOf } from '../server/src/stats/histogramSnapshot.js';
import { loadAverage, type Member, startMembers, stopMembers } from './clusterSupport.js';
import { startRedis } from './redisServer.js';
import { cpuSeconds, delay, getJson, machine, startBots, startServer, stopProcess } from './support.js';

const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '3' },
    rooms: { type: 'string', default: '24' },
    'room-size': { type: 'string', default: '8' },
    window: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    baseline: { type: 'string', default: 'true' },
  },
});
const processCount = Number(values.processes);
const rooms = Number(values.rooms);
const roomSize = Number(values['room-size']);
const players = rooms * roomSize;
const windowS = Number(values.window);
const warmupS = Number(values.warmup);
/** Targets from issue 14, printed beside the figures (never used to tune anything). */
const TARGET_RATIO = 1.25;
const TARGET_LATENESS_P99_MS = 2;
const SERVER_ARGS = ['--scenario', 'arena', '--max-players', String(roomSize), '--max-total-players', '4096'];

interface Health {
  players: number;
  ticks: { run: number; dropped: number; latenessMs: { p99: number; count: number } };
  roomList: { id: string; players: number }[];
}
interface Stats {
  histograms: { latenessMs: HistogramSnapshot };
}
interface Progress {
  connected: number;
  disconnects: number;
}
interface Summary {
  snapshotIntervalMs: { all: { p50: number | null; p99: number | null } };
  disconnects: number;
  /** Drops the bots reconnected after (the CLI resumes a dropped link): a drop is a drop even then. */
  reconnects?: number;
  closeCodes: Record<string, number>;
  rooms: number;
  matchmakeMs: { p50: number | null; p99: number | null; failures: number };
}

/** Bots at `url` until every one joined, then warm-up and the window; per-process figures printed. */
async function measure(label: string, members: readonly Member[]): Promise<void> {
  let latest: Progress | undefined;
  let summary: Summary | undefined;
  const bots = startBots(
    [
      '--url',
      members[0]!.url,
      '--count',
      String(players),
      '--room-size',
      String(roomSize),
      '--seconds',
      String(warmupS + windowS + 60),
      '--scenario',
      'arena',
      '--load-only',
    ],
    (record) => {
      if (record.type === 'progress') latest = record as unknown as Progress;
      if (record.type === 'summary') summary = record as unknown as Summary;
    },
  );
  try {
    const joinDeadline = performance.now() + 60_000;
    while ((latest?.connected ?? 0) < players) {
      if (performance.now() > joinDeadline) throw new Error(`only ${latest?.connected ?? 0} of ${players} bots joined`);
      if (bots.exitCode !== null) throw new Error(`the bots exited (${bots.exitCode}) before all joined`);
      await delay(100);
    }
    await delay(warmupS * 1000);
    const statsBefore = await Promise.all(members.map((m) => getJson<Stats>(`${m.url}/stats`)));
    const cpuBefore = members.map((m) => cpuSeconds(m.child.pid!));
    const botsCpuBefore = cpuSeconds(bots.pid!);
    const t0 = performance.now();
    await delay(windowS * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = members.map((m, i) => (cpuSeconds(m.child.pid!) - cpuBefore[i]!) / elapsed);
    const botsCpu = (cpuSeconds(bots.pid!) - botsCpuBefore) / elapsed;
    const health = await Promise.all(members.map((m) => getJson<Health>(`${m.url}/healthz`)));
    const statsAfter = await Promise.all(members.map((m) => getJson<Stats>(`${m.url}/stats`)));
    const disconnectsInRun = latest!.disconnects;
    await stopProcess(bots);
    const perProcess = members.map((m, i) => {
      const h = health[i]!;
      const played = h.roomList.filter((r) => r.players > 0).length;
      const windowP99 = quantileOf(
        diffHistograms(statsAfter[i]!.histograms.latenessMs, statsBefore[i]!.histograms.latenessMs),
        0.99,
      );
      return {
        id: m.id,
        players: h.players,
        rooms: played,
        sinceStartP99: h.ticks.latenessMs.p99,
        windowP99,
        cpu: cpu[i]!,
      };
    });
    for (const p of perProcess) {
      console.log(
        `${label} ${p.id}: players ${p.players}  rooms with players ${p.rooms}  tick-start lateness p99 since start ${p.sinceStartP99.toFixed(2)} ms (target ≤ ${TARGET_LATENESS_P99_MS}), over the ${windowS} s window ${p.windowP99?.toFixed(2) ?? '—'} ms  cpu ${p.cpu.toFixed(3)} s/s`,
      );
    }
    const counts = perProcess.map((p) => p.players);
    const ratio = Math.max(...counts) / Math.min(...counts);
    if (members.length > 1) {
      console.log(
        `${label}: players per process ${counts.join(' / ')}  max/min ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO})`,
      );
    }
    const s = summary as Summary | undefined;
    console.log(
      `${label}: bots disconnects ${disconnectsInRun} during the run (target 0)${s === undefined ? '' : `, ${s.disconnects} in the summary ${JSON.stringify(s.closeCodes)}, reconnects ${s.reconnects ?? '—'}`}  bots in ${s?.rooms ?? '?'} rooms  every bot's snapshot interval p50/p99 ${s?.snapshotIntervalMs.all.p50 ?? '—'}/${s?.snapshotIntervalMs.all.p99 ?? '—'} ms  matchmake p50/p99 ${s?.matchmakeMs.p50 ?? '—'}/${s?.matchmakeMs.p99 ?? '—'} ms (${s?.matchmakeMs.failures ?? '?'} failed)  bots cpu ${botsCpu.toFixed(2)}`,
    );
  } finally {
    await stopProcess(bots);
  }
}

console.log(`machine: ${machine()}; load average ${loadAverage()}`);
console.log(
  `rooms-${rooms}×${roomSize} (${players} load-only arena bots in one bots process, --room-size ${roomSize}, every seat from p0's matchmaker) on ${processCount} processes + redis-server; warm-up ${warmupS} s after the last join, window ${windowS} s`,
);
const redis = await startRedis();
let members: Member[] = [];
try {
  members = await startMembers(redis.url, processCount, SERVER_ARGS);
  await measure(`cluster(${processCount})`, members);
} finally {
  await stopMembers(members);
  await redis.stop();
}
if (values.baseline === 'true') {
  const single = await startServer(SERVER_ARGS);
  try {
    const member: Member = {
      id: 'alone',
      child: single.child,
      url: single.url,
      port: Number(new URL(single.url).port),
    };
    await measure('one process, no Redis', [member]);
  } finally {
    await stopProcess(single.child);
  }
}
console.log(`load average at the end ${loadAverage()}`);
