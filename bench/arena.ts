// Bench: arena-N (docs/scenarios.md) against the real Tickwire server and the bare reference server in
// one invocation, same bots, same machine; or world-N (--scenario world) on the Tickwire server (the
// bare server knows only the arena). Run by hand (npm run bench); prints one line per figure and per
// run, then medians of the runs, and says when a run does not count.
//
//   npm run bench -- [--players 50,200] [--runs 3] [--window 20] [--warmup 5] [--servers tickwire,bare]
//                    [--scenario arena|world] [--view-radius U]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ARENA_RULES, POSITION_SCALE } from '@tickwire/protocol';
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
    players: { type: 'string', default: '50,200' },
    runs: { type: 'string', default: '3' },
    window: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    servers: { type: 'string' },
    scenario: { type: 'string', default: 'arena' },
    'view-radius': { type: 'string' },
    out: { type: 'string' },
  },
});
if (values.scenario !== 'arena' && values.scenario !== 'world') {
  throw new Error(`--scenario must be arena or world, got "${values.scenario}"`);
}
const scenario = values.scenario;
// world-N: the rooms' viewRadius, world units (the server's --view-radius); unset: the scenario's (1,000).
const viewRadius = values['view-radius'];
if (viewRadius !== undefined && !/^\d+$/.test(viewRadius))
  throw new Error(`--view-radius must be an integer, got "${viewRadius}"`);
const playerCounts = values.players.split(',').map(Number);
const runs = Number(values.runs);
const windowS = Number(values.window);
const warmupS = Number(values.warmup);
const servers = (values.servers ?? (scenario === 'arena' ? 'tickwire,bare' : 'tickwire')).split(',') as (
  | 'tickwire'
  | 'bare'
)[];
if (scenario === 'world' && servers.includes('bare')) throw new Error('the bare server runs only the arena');
const TICK_RATE = 30;

interface Progress {
  t: number;
  connected: number;
  disconnects: number;
  bytesReceived: number;
  messagesReceived: number;
}
interface Summary {
  snapshotIntervalMs: { bot0: { p50: number; p99: number } };
  disconnects: number;
}
interface Health {
  ticks: { run: number };
  snapshots: {
    snapshotTicks: number;
    bodyEncodes: number;
    fullOnJoin: number;
    fullFallbacks: number;
    backpressureSkips: number;
  };
}

interface RunResult {
  server: string;
  players: number;
  cpu: number;
  /** The same CPU split into user space and the kernel (its socket writes and reads). */
  cpuUser: number;
  cpuSystem: number;
  /** Server sleeps and wake-ups per second: on loopback, set mostly by how the bots' inputs arrive. */
  wakeups: number;
  botsCpu: number;
  rssMiB: number;
  bytesPerClientPerSecond: number;
  messagesPerClientPerSecond: number;
  bytesPerPlayerPerUpdate: number;
  intervalP50: number;
  intervalP99: number;
  bodyEncodesPerTick: number | null;
  problems: string[];
}

async function runOnce(server: 'tickwire' | 'bare', players: number): Promise<RunResult> {
  const started =
    server === 'tickwire'
      ? await startServer([
          '--scenario',
          scenario,
          '--max-players',
          String(players + 8),
          ...(viewRadius === undefined ? [] : ['--view-radius', viewRadius]),
        ])
      : await startServer([], 'bench/bareServer.ts');
  const serverPid = started.child.pid!;
  const problems: string[] = [];
  let latest: Progress | undefined;
  let summary: Summary | undefined;
  const bots = startBots(
    // --load-only: pure load, as docs/scenarios.md's bots, with no prediction (the bare server never
    // acknowledges inputs, so predicting bots would replay a long pending list against it alone) and
    // snapshot bodies left undecoded. Decoding the bare server's full snapshots kept the bots' process
    // busy enough to send its inputs in clumps, which halved the bare server's wake-ups and so its CPU:
    // the load generator, not the server, set the figure. Header-only bots behave the same for both.
    [
      // The server's http URL: the bots seat themselves with POST /matchmake (joinOrCreate), one room
      // of --max-players for them all on Tickwire.
      '--url',
      started.url,
      '--count',
      String(players),
      '--seconds',
      String(warmupS + windowS + 60),
      '--scenario',
      scenario,
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
      await delay(100);
    }
    await delay(warmupS * 1000);
    const health = async () => (server === 'tickwire' ? await getJson<Health>(`${started.url}/healthz`) : undefined);
    const healthBefore = await health();
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
    const cpu = cpuUser + cpuSystem;
    const wakeups = (voluntarySwitches(serverPid) - switchesBefore) / elapsed;
    const botsCpu = (cpuSeconds(bots.pid!) - botsCpuBefore) / elapsed;
    const rss = rssMiB(serverPid);
    const progressAfter = { ...latest! };
    const healthAfter = await health();
    // Progress lines come once a second: rates over the span between the two lines read.
    const span = progressAfter.t - progressBefore.t;
    const bytesPerClientPerSecond = (progressAfter.bytesReceived - progressBefore.bytesReceived) / players / span;
    const messagesPerClientPerSecond =
      (progressAfter.messagesReceived - progressBefore.messagesReceived) / players / span;
    if (progressAfter.connected !== players || progressAfter.disconnects !== 0) {
      problems.push(`bots connected ${progressAfter.connected}/${players}, disconnects ${progressAfter.disconnects}`);
    }
    let bodyEncodesPerTick: number | null = null;
    if (healthBefore && healthAfter) {
      const d = (k: keyof Health['snapshots']) => healthAfter.snapshots[k] - healthBefore.snapshots[k];
      if (d('backpressureSkips') !== 0) problems.push(`${d('backpressureSkips')} backpressure skips`);
      if (d('fullFallbacks') !== 0 || d('fullOnJoin') !== 0) problems.push('full snapshots after join');
      bodyEncodesPerTick = d('bodyEncodes') / Math.max(1, d('snapshotTicks'));
    }
    await stopProcess(bots);
    if (!summary) throw new Error('bots printed no summary');
    const s: Summary = summary;
    if (s.snapshotIntervalMs.bot0.p99 > 45)
      problems.push(`bot 0 interval p99 ${s.snapshotIntervalMs.bot0.p99} ms > 45`);
    return {
      server,
      players,
      cpu,
      cpuUser,
      cpuSystem,
      wakeups,
      botsCpu,
      rssMiB: rss,
      bytesPerClientPerSecond,
      messagesPerClientPerSecond,
      bytesPerPlayerPerUpdate: bytesPerClientPerSecond / TICK_RATE / players,
      intervalP50: s.snapshotIntervalMs.bot0.p50,
      intervalP99: s.snapshotIntervalMs.bot0.p99,
      bodyEncodesPerTick,
      problems,
    };
  } finally {
    await stopProcess(bots);
    await stopProcess(started.child);
  }
}

/** Tickwire CPU ÷ bare CPU for each run number where both runs count. */
function pairedRatios(players: number): number[] {
  const counted = (server: string) =>
    all.filter((r) => r.server === server && r.players === players).map((r) => (r.problems.length === 0 ? r : null));
  const tickwire = counted('tickwire');
  const bare = counted('bare');
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(tickwire.length, bare.length); i++) {
    const t = tickwire[i];
    const b = bare[i];
    if (t && b) ratios.push(t.cpu / b.cpu);
  }
  return ratios;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function line(r: RunResult, label: string): string {
  return [
    label.padEnd(22),
    `cpu ${r.cpu.toFixed(3)} s/s (user ${r.cpuUser.toFixed(3)}, sys ${r.cpuSystem.toFixed(3)})`,
    `wake-ups ${r.wakeups.toFixed(0)}/s`,
    `bots cpu ${r.botsCpu.toFixed(2)}`,
    `rss ${r.rssMiB.toFixed(0)} MiB`,
    `${r.bytesPerClientPerSecond.toFixed(0).padStart(6)} B/client/s`,
    `${r.messagesPerClientPerSecond.toFixed(1)} msg/client/s`,
    `${r.bytesPerPlayerPerUpdate.toFixed(2)} B/player/update`,
    `interval p50/p99 ${r.intervalP50}/${r.intervalP99} ms`,
    r.bodyEncodesPerTick === null ? '' : `body encodes/tick ${r.bodyEncodesPerTick.toFixed(2)}`,
  ].join('  ');
}

console.log(`machine: ${machine()}`);
console.log(
  `${scenario}-N at ${TICK_RATE} Hz${scenario === 'world' ? ` (16,384-unit square, viewRadius ${viewRadius ?? 'the default, 1000'})` : ''}; Tickwire positions on a 1/${POSITION_SCALE}-unit grid: straight ${Math.round((ARENA_RULES.speed * POSITION_SCALE) / TICK_RATE)} quanta/tick (${((Math.round((ARENA_RULES.speed * POSITION_SCALE) / TICK_RATE) * TICK_RATE) / POSITION_SCALE).toFixed(2)} u/s), diagonal ${Math.round(((ARENA_RULES.speed * POSITION_SCALE) / TICK_RATE) * Math.SQRT1_2)} per axis (${((Math.hypot(75, 75) * TICK_RATE) / POSITION_SCALE).toFixed(2)} u/s)`,
);
console.log(
  `warm-up ${warmupS} s after the last join, window ${windowS} s, ${runs} runs per case, servers interleaved`,
);
const all: RunResult[] = [];
for (const players of playerCounts) {
  for (let run = 1; run <= runs; run++) {
    for (const server of servers) {
      const result = await runOnce(server, players);
      all.push(result);
      console.log(
        line(result, `${server} ${scenario}-${players} #${run}`) +
          (result.problems.length ? `  DOES NOT COUNT: ${result.problems.join('; ')}` : ''),
      );
    }
  }
}
console.log('');
console.log('medians of the runs that count:');
const medians: Record<string, unknown>[] = [];
for (const players of playerCounts) {
  const byServer: Record<string, RunResult> = {};
  for (const server of servers) {
    const counted = all.filter((r) => r.server === server && r.players === players && r.problems.length === 0);
    if (counted.length === 0) {
      console.log(`${server} ${scenario}-${players}: no run counts`);
      continue;
    }
    const m = (k: keyof RunResult) => median(counted.map((r) => r[k] as number));
    const med: RunResult = {
      server,
      players,
      cpu: m('cpu'),
      cpuUser: m('cpuUser'),
      cpuSystem: m('cpuSystem'),
      wakeups: m('wakeups'),
      botsCpu: m('botsCpu'),
      rssMiB: m('rssMiB'),
      bytesPerClientPerSecond: m('bytesPerClientPerSecond'),
      messagesPerClientPerSecond: m('messagesPerClientPerSecond'),
      bytesPerPlayerPerUpdate: m('bytesPerPlayerPerUpdate'),
      intervalP50: m('intervalP50'),
      intervalP99: m('intervalP99'),
      bodyEncodesPerTick: server === 'tickwire' ? m('bodyEncodesPerTick') : null,
      problems: [],
    };
    byServer[server] = med;
    medians.push({ ...med, runsCounted: counted.length });
    console.log(line(med, `${server} ${scenario}-${players} (${counted.length})`));
  }
  if (byServer.tickwire && byServer.bare) {
    console.log(
      `arena-${players}: Tickwire/bare server CPU ratio ${(byServer.tickwire.cpu / byServer.bare.cpu).toFixed(2)}, bytes ratio ${(byServer.tickwire.bytesPerClientPerSecond / byServer.bare.bytesPerClientPerSecond).toFixed(3)}`,
    );
    // Each Tickwire run against the bare run right after it: how far the ratio moves run to run.
    const pairs = pairedRatios(players);
    if (pairs.length > 0)
      console.log(`arena-${players}: CPU ratio of each run pair ${pairs.map((r) => r.toFixed(2)).join(', ')}`);
  }
}
if (values.out) writeFileSync(values.out, `${JSON.stringify({ machine: machine(), runs: all, medians }, null, 2)}\n`);
