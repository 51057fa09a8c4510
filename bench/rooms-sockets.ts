// Bench: rooms-R×P with real sockets (docs/scenarios.md, default rooms-32×8): the Tickwire server
// and the bare reference server (one full broadcast per room per tick) driven by the same bots
// process (`--room-size P`: create rooms of P through POST /matchmake and fill them), runs
// interleaved. Run by hand (npm run bench:rooms-sockets); prints one line per run and per figure,
// then medians of the runs that count.
//
//   npm run bench:rooms-sockets -- [--rooms 32] [--room-size 8] [--runs 3] [--window 20] [--warmup 5]
//                                  [--servers tickwire,bare] [--out FILE]
//
// A run does not count when a bot is lost, a snapshot is skipped for backpressure or sent whole after
// the join, the bots end up in another number of rooms than R, or the bots process used ≥ 0.95 of a
// core over the window: a saturated load generator sets its own input timing, so that run is
// invalid, not a figure. Lateness: the pooled p99 is the window's (the process's pooled histogram
// from /stats, read before and after); /healthz gives each room's p99 only since the room was made,
// so the worst room's p99 includes its joins and the warm-up.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { diffHistograms, type HistogramSnapshot, quantileOf } from '../server/src/stats/histogramSnapshot.js';
import {
  cpuSeconds,
  cpuSplit,
  delay,
  getJson,
  machine,
  rssMiB,
  startBots,
  startServer,
  stopProcess,
  voluntarySwitches,
} from './support.js';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '32' },
    'room-size': { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    window: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    servers: { type: 'string', default: 'tickwire,bare' },
    out: { type: 'string' },
  },
});
const rooms = Number(values.rooms);
const roomSize = Number(values['room-size']);
const players = rooms * roomSize;
const runs = Number(values.runs);
const windowS = Number(values.window);
const warmupS = Number(values.warmup);
const servers = values.servers.split(',') as ('tickwire' | 'bare')[];
const TICK_RATE = 30;
/** A bots process at or above this share of one core is saturated: its run is invalid. */
const BOTS_SATURATED = 0.95;
/** The scenario's bound on every bot's snapshot interval p99. @default 45 ms */
const INTERVAL_BOUND_MS = 45;

interface Progress {
  t: number;
  connected: number;
  disconnects: number;
  bytesReceived: number;
}
interface Summary {
  snapshotIntervalMs: { bot0: { p99: number | null }; all: { p50: number | null; p99: number | null } };
  disconnects: number;
  rooms: number;
  matchmakeMs: { p50: number | null; p99: number | null };
}
interface Health {
  ticks: { run: number; wakeUps: number; dropped: number };
  snapshots: { backpressureSkips: number; fullFallbacks: number; fullOnJoin: number };
  roomList: { id: string; players: number; latenessMs: { p99: number } }[];
}
interface Stats {
  histograms: { latenessMs: HistogramSnapshot };
}

interface RunResult {
  server: string;
  cpu: number;
  cpuUser: number;
  cpuSystem: number;
  usPerRoomTick: number;
  roomTicksPerSecond: number;
  /** Server sleeps and wake-ups per second (/proc voluntary switches). */
  wakeups: number;
  /** Tickwire: the room scheduler's timer wake-ups per second. */
  schedulerWakeups: number | null;
  latenessP99: number | null;
  worstRoomLatenessP99: number | null;
  botsCpu: number;
  rssMiB: number;
  bytesPerClientPerSecond: number;
  intervalP50All: number;
  intervalP99All: number;
  matchmakeP99: number;
  roomsJoined: number;
  problems: string[];
}

async function runOnce(server: 'tickwire' | 'bare'): Promise<RunResult> {
  const started =
    server === 'tickwire'
      ? await startServer(['--scenario', 'arena', '--max-players', String(roomSize)])
      : await startServer(['--max-players', String(roomSize)], 'bench/bareServer.ts');
  const serverPid = started.child.pid!;
  const problems: string[] = [];
  let latest: Progress | undefined;
  let summary: Summary | undefined;
  // --load-only as in `npm run bench` (bench/arena.ts says why): no prediction, snapshot headers only.
  const bots = startBots(
    [
      '--url',
      started.url,
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
    const tickwire = server === 'tickwire';
    const healthBefore = tickwire ? await getJson<Health>(`${started.url}/healthz`) : undefined;
    const statsBefore = tickwire ? await getJson<Stats>(`${started.url}/stats`) : undefined;
    const bareTicks = async () =>
      tickwire ? 0 : (await getJson<{ roomTicks: number }>(`${started.url}/healthz`)).roomTicks;
    const bareTicksBefore = await bareTicks();
    const progressBefore = { ...latest! };
    const cpuBefore = cpuSplit(serverPid);
    const switchesBefore = voluntarySwitches(serverPid);
    const botsCpuBefore = cpuSeconds(bots.pid!);
    const t0 = performance.now();
    await delay(windowS * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const cpuAfter = cpuSplit(serverPid);
    const cpuUser = (cpuAfter.user - cpuBefore.user) / elapsed;
    const cpuSystem = (cpuAfter.system - cpuBefore.system) / elapsed;
    const wakeups = (voluntarySwitches(serverPid) - switchesBefore) / elapsed;
    const botsCpu = (cpuSeconds(bots.pid!) - botsCpuBefore) / elapsed;
    const rss = rssMiB(serverPid);
    const progressAfter = { ...latest! };
    const healthAfter = tickwire ? await getJson<Health>(`${started.url}/healthz`) : undefined;
    const statsAfter = tickwire ? await getJson<Stats>(`${started.url}/stats`) : undefined;
    const bareTicksAfter = await bareTicks();
    const span = progressAfter.t - progressBefore.t;
    const bytesPerClientPerSecond = (progressAfter.bytesReceived - progressBefore.bytesReceived) / players / span;
    if (progressAfter.connected !== players || progressAfter.disconnects !== 0)
      problems.push(`bots connected ${progressAfter.connected}/${players}, disconnects ${progressAfter.disconnects}`);
    if (botsCpu >= BOTS_SATURATED)
      problems.push(`INVALID: bots process at ${botsCpu.toFixed(2)} of a core (load generator saturated)`);
    let roomTicks = bareTicksAfter - bareTicksBefore;
    let schedulerWakeups: number | null = null;
    let latenessP99: number | null = null;
    let worstRoomLatenessP99: number | null = null;
    if (healthBefore && healthAfter && statsBefore && statsAfter) {
      roomTicks = healthAfter.ticks.run - healthBefore.ticks.run;
      schedulerWakeups = (healthAfter.ticks.wakeUps - healthBefore.ticks.wakeUps) / elapsed;
      const d = (k: keyof Health['snapshots']) => healthAfter.snapshots[k] - healthBefore.snapshots[k];
      if (d('backpressureSkips') !== 0) problems.push(`${d('backpressureSkips')} backpressure skips`);
      if (d('fullFallbacks') !== 0 || d('fullOnJoin') !== 0) problems.push('full snapshots after join');
      const dropped = healthAfter.ticks.dropped - healthBefore.ticks.dropped;
      if (dropped !== 0) problems.push(`${dropped} room ticks dropped`);
      latenessP99 = quantileOf(
        diffHistograms(statsAfter.histograms.latenessMs, statsBefore.histograms.latenessMs),
        0.99,
      );
      const played = healthAfter.roomList.filter((room) => room.players > 0);
      worstRoomLatenessP99 = Math.max(...played.map((room) => room.latenessMs.p99));
      if (played.length !== rooms) problems.push(`${played.length} rooms with players, not ${rooms}`);
    }
    await stopProcess(bots);
    if (!summary) throw new Error('bots printed no summary');
    const s: Summary = summary;
    const intervalP99All = s.snapshotIntervalMs.all.p99 ?? Number.NaN;
    if (!(intervalP99All <= INTERVAL_BOUND_MS))
      problems.push(`every bot's interval p99 ${intervalP99All} ms > ${INTERVAL_BOUND_MS}`);
    if (s.rooms !== rooms) problems.push(`bots played in ${s.rooms} rooms, not ${rooms}`);
    const cpu = cpuUser + cpuSystem;
    return {
      server,
      cpu,
      cpuUser,
      cpuSystem,
      usPerRoomTick: ((cpu * elapsed) / roomTicks) * 1e6,
      roomTicksPerSecond: roomTicks / elapsed,
      wakeups,
      schedulerWakeups,
      latenessP99,
      worstRoomLatenessP99,
      botsCpu,
      rssMiB: rss,
      bytesPerClientPerSecond,
      intervalP50All: s.snapshotIntervalMs.all.p50 ?? Number.NaN,
      intervalP99All,
      matchmakeP99: s.matchmakeMs.p99 ?? Number.NaN,
      roomsJoined: s.rooms,
      problems,
    };
  } finally {
    await stopProcess(bots);
    await stopProcess(started.child);
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (v: number | null) => (v === null ? '—' : v.toFixed(2));

function line(r: RunResult, label: string): string {
  return [
    label.padEnd(26),
    `cpu ${r.cpu.toFixed(3)} s/s (user ${r.cpuUser.toFixed(3)}, sys ${r.cpuSystem.toFixed(3)})`,
    `${r.usPerRoomTick.toFixed(1)} µs/room-tick`,
    `${r.roomTicksPerSecond.toFixed(0)} room-ticks/s`,
    `wake-ups ${r.wakeups.toFixed(0)}/s`,
    r.schedulerWakeups === null ? '' : `scheduler ${r.schedulerWakeups.toFixed(0)}/s`,
    `lateness p99 pooled ${ms(r.latenessP99)} / worst room ${ms(r.worstRoomLatenessP99)} ms`,
    `bots cpu ${r.botsCpu.toFixed(2)}`,
    `rss ${r.rssMiB.toFixed(0)} MiB`,
    `${r.bytesPerClientPerSecond.toFixed(0)} B/client/s`,
    `interval (every bot) p50/p99 ${r.intervalP50All}/${r.intervalP99All} ms`,
    `matchmake p99 ${r.matchmakeP99} ms`,
    `rooms ${r.roomsJoined}`,
  ]
    .filter((part) => part !== '')
    .join('  ');
}

console.log(
  `machine: ${machine()}; load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
console.log(
  `rooms-${rooms}×${roomSize} (${players} arena bots, one bots process, --room-size ${roomSize}) at ${TICK_RATE} Hz; warm-up ${warmupS} s after the last join, window ${windowS} s, ${runs} runs, servers interleaved`,
);
const all: RunResult[] = [];
for (let run = 1; run <= runs; run++) {
  for (const server of servers) {
    const result = await runOnce(server);
    all.push(result);
    console.log(
      line(result, `${server} rooms-${rooms}×${roomSize} #${run}`) +
        (result.problems.length ? `  DOES NOT COUNT: ${result.problems.join('; ')}` : ''),
    );
  }
}
console.log(
  `load average at the end ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
console.log('');
console.log('medians of the runs that count:');
const medians: Record<string, unknown>[] = [];
const cpuOf: Record<string, number> = {};
for (const server of servers) {
  const counted = all.filter((r) => r.server === server && r.problems.length === 0);
  if (counted.length === 0) {
    console.log(`${server}: no run counts`);
    continue;
  }
  const m = (k: keyof RunResult) => median(counted.map((r) => r[k] as number));
  const nullable = (k: keyof RunResult) => (counted[0]![k] === null ? null : m(k));
  const med: RunResult = {
    server,
    cpu: m('cpu'),
    cpuUser: m('cpuUser'),
    cpuSystem: m('cpuSystem'),
    usPerRoomTick: m('usPerRoomTick'),
    roomTicksPerSecond: m('roomTicksPerSecond'),
    wakeups: m('wakeups'),
    schedulerWakeups: nullable('schedulerWakeups'),
    latenessP99: nullable('latenessP99'),
    worstRoomLatenessP99: nullable('worstRoomLatenessP99'),
    botsCpu: m('botsCpu'),
    rssMiB: m('rssMiB'),
    bytesPerClientPerSecond: m('bytesPerClientPerSecond'),
    intervalP50All: m('intervalP50All'),
    intervalP99All: m('intervalP99All'),
    matchmakeP99: m('matchmakeP99'),
    roomsJoined: m('roomsJoined'),
    problems: [],
  };
  cpuOf[server] = med.cpu;
  medians.push({ ...med, runsCounted: counted.length });
  console.log(line(med, `${server} (${counted.length} runs)`));
}
if (cpuOf.tickwire !== undefined && cpuOf.bare !== undefined) {
  console.log(`rooms-${rooms}×${roomSize}: Tickwire/bare server CPU ratio ${(cpuOf.tickwire / cpuOf.bare).toFixed(2)}`);
  const pairs: string[] = [];
  const tickwireRuns = all.filter((r) => r.server === 'tickwire');
  const bareRuns = all.filter((r) => r.server === 'bare');
  for (let i = 0; i < Math.min(tickwireRuns.length, bareRuns.length); i++) {
    const [t, b] = [tickwireRuns[i]!, bareRuns[i]!];
    if (t.problems.length === 0 && b.problems.length === 0) pairs.push((t.cpu / b.cpu).toFixed(2));
  }
  if (pairs.length > 0) console.log(`rooms-${rooms}×${roomSize}: CPU ratio of each run pair ${pairs.join(', ')}`);
}
if (values.out) writeFileSync(values.out, `${JSON.stringify({ machine: machine(), runs: all, medians }, null, 2)}\n`);
