// Bench: arena-N (docs/scenarios.md) against the real Tickwire server and the bare reference server in
// one invocation, same bots, same machine; or world-N (--scenario world) on the Tickwire server (the
// bare server knows only the arena); or both scenarios interleaved (--scenario world,arena: world-N
// with interest management against arena-N without, issue 16). Run by hand (npm run bench); prints
// one line per figure and per run, then medians of the runs, and says when a run does not count.
//
//   npm run bench -- [--players 50,200] [--runs 3] [--window 20] [--warmup 5] [--servers tickwire,bare]
//                    [--scenario arena|world|world,arena] [--view-radius U] [--budget B/s] [--tick-timing]
//                    [--decode]
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ARENA_RULES, POSITION_SCALE } from '@tickwire/protocol';
import { loadAverage } from './clusterSupport.js';
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
    // The server's --client-budget-bytes-per-s for every room (0: none).
    budget: { type: 'string' },
    // The server times its tick's phases (--tick-timing): the interest grid and views as a share of the tick.
    'tick-timing': { type: 'boolean', default: false },
    // Bots decode every snapshot (not --load-only): entities in view and the deferral figures.
    decode: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const scenarios = values.scenario.split(',') as ('arena' | 'world')[];
if (scenarios.length === 0 || scenarios.some((s) => s !== 'arena' && s !== 'world')) {
  throw new Error(`--scenario must be arena, world or both (world,arena), got "${values.scenario}"`);
}
// world-N: the rooms' viewRadius, world units (the server's --view-radius); unset: the scenario's (1,000).
const viewRadius = values['view-radius'];
if (viewRadius !== undefined && !/^\d+$/.test(viewRadius))
  throw new Error(`--view-radius must be an integer, got "${viewRadius}"`);
const budget = values.budget;
if (budget !== undefined && !/^\d+$/.test(budget)) throw new Error(`--budget must be an integer, got "${budget}"`);
const playerCounts = values.players.split(',').map(Number);
// One bots process saturates near 500 bots on this machine (issue 16): a run whose load generator
// used this much of a core measured the bots, not the server, and does not count.
const BOTS_SATURATED = 0.95;
/**
 * The 1-minute load average under which an invocation may start and its runs count (other work shares
 * the 2 cores). Read once before the first run: the bench's own runs raise it (to about 2.4 at 400 bots).
 */
const MAX_LOAD = 1.5;
const loadAtStart = loadavg()[0]!;
const runs = Number(values.runs);
const windowS = Number(values.window);
const warmupS = Number(values.warmup);
const servers = (values.servers ?? (values.scenario === 'arena' ? 'tickwire,bare' : 'tickwire')).split(',') as (
  | 'tickwire'
  | 'bare'
)[];
/** Every (server, scenario) pair of a run, in the order they run; the bare server knows only the arena. */
const cases = scenarios.flatMap((scenario) =>
  servers.filter((server) => server === 'tickwire' || scenario === 'arena').map((server) => ({ server, scenario })),
);
if (scenarios.includes('world') && servers.includes('bare') && !scenarios.includes('arena'))
  throw new Error('the bare server runs only the arena');
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
  snapshotBytesPerClientPerSecond: { mean: number | null; p99: number | null };
  entitiesInViewMean: number | null;
  deferredMean: number | null;
  maxDeferredMs: number | null;
}
interface Health {
  ticks: { run: number };
  snapshots: {
    snapshotTicks: number;
    bodyEncodes: number;
    fullOnJoin: number;
    fullFallbacks: number;
    backpressureSkips: number;
    bytesSent: number;
    entityBytesSent: number;
  };
}
/** /stats's pooled histograms (with --tick-timing): their sums, and the budget wait's max. */
interface Stats {
  histograms: Record<string, { sumMs: number; count: number; maxMs?: number } | undefined>;
}

interface RunResult {
  server: string;
  scenario: 'arena' | 'world';
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
  /**
   * Of the bytes the server sent per client per second, the created, changed and removed arrays
   * (/healthz snapshots.entityBytesSent); the rest of bytesPerClientPerSecond is header, baseAge,
   * shots, kills, the deferred list and the roster. Tickwire only.
   */
  entityBytesPerClientPerSecond: number | null;
  /** The bots' per-client SNAPSHOT bytes/s: the mean and p99 over clients (the byte budget's figure). */
  snapshotBytesMean: number | null;
  snapshotBytesP99: number | null;
  /** The interest grid and views phases' share of the tick time (sums over the window); --tick-timing only. */
  interestShare: number | null;
  /** Decoding bots (--decode) only: entities in view, held deferred, the longest unsent while deferred. */
  entitiesInView: number | null;
  deferredMean: number | null;
  maxDeferredMs: number | null;
  /**
   * With a budget and --tick-timing: the server's longest wait of any entity it sent (to enter a
   * view, or with a change), ms, from /stats's budgetWaitMs (since the server started).
   */
  budgetWaitMaxMs: number | null;
  problems: string[];
}

async function runOnce(server: 'tickwire' | 'bare', scenario: 'arena' | 'world', players: number): Promise<RunResult> {
  // The view radius and the budget are the world's: arena-N runs without interest management.
  const world = scenario === 'world';
  const started =
    server === 'tickwire'
      ? await startServer([
          '--scenario',
          scenario,
          '--max-players',
          String(players + 8),
          ...(world && viewRadius !== undefined ? ['--view-radius', viewRadius] : []),
          ...(world && budget !== undefined ? ['--client-budget-bytes-per-s', budget] : []),
          ...(values['tick-timing'] ? ['--tick-timing'] : []),
        ])
      : await startServer([], 'bench/bareServer.ts');
  const serverPid = started.child.pid!;
  const problems: string[] = [];
  if (loadAtStart >= MAX_LOAD)
    problems.push(`machine busy: load ${loadAtStart.toFixed(2)} ≥ ${MAX_LOAD} when the invocation started`);
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
      // --decode: bots decode every snapshot (no prediction) to see their world and what it holds deferred.
      ...(values.decode ? ['--no-predict'] : ['--load-only']),
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
    const stats = async () =>
      server === 'tickwire' && values['tick-timing'] ? await getJson<Stats>(`${started.url}/stats`) : undefined;
    const healthBefore = await health();
    const statsBefore = await stats();
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
    const statsAfter = await stats();
    // Progress lines come once a second: rates over the span between the two lines read.
    const span = progressAfter.t - progressBefore.t;
    const bytesPerClientPerSecond = (progressAfter.bytesReceived - progressBefore.bytesReceived) / players / span;
    const messagesPerClientPerSecond =
      (progressAfter.messagesReceived - progressBefore.messagesReceived) / players / span;
    if (progressAfter.connected !== players || progressAfter.disconnects !== 0) {
      problems.push(`bots connected ${progressAfter.connected}/${players}, disconnects ${progressAfter.disconnects}`);
    }
    let bodyEncodesPerTick: number | null = null;
    let entityBytesPerClientPerSecond: number | null = null;
    if (healthBefore && healthAfter) {
      const d = (k: keyof Health['snapshots']) => healthAfter.snapshots[k] - healthBefore.snapshots[k];
      if (d('backpressureSkips') !== 0) problems.push(`${d('backpressureSkips')} backpressure skips`);
      if (d('fullFallbacks') !== 0 || d('fullOnJoin') !== 0) problems.push('full snapshots after join');
      bodyEncodesPerTick = d('bodyEncodes') / Math.max(1, d('snapshotTicks'));
      entityBytesPerClientPerSecond = d('entityBytesSent') / players / elapsed;
    }
    let interestShare: number | null = null;
    const budgetWaitMaxMs = statsAfter?.histograms.budgetWaitMs?.maxMs ?? null;
    if (statsBefore && statsAfter && world) {
      const sum = (name: string) =>
        (statsAfter.histograms[name]?.sumMs ?? 0) - (statsBefore.histograms[name]?.sumMs ?? 0);
      interestShare = (sum('interestGridMs') + sum('interestViewsMs')) / Math.max(1e-9, sum('tickMs'));
    }
    if (botsCpu >= BOTS_SATURATED)
      problems.push(`INVALID: bots process at ${botsCpu.toFixed(2)} of a core (load generator saturated)`);
    await stopProcess(bots);
    if (!summary) throw new Error('bots printed no summary');
    const s: Summary = summary;
    if (s.snapshotIntervalMs.bot0.p99 > 45)
      problems.push(`bot 0 interval p99 ${s.snapshotIntervalMs.bot0.p99} ms > 45`);
    return {
      server,
      scenario,
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
      entityBytesPerClientPerSecond,
      snapshotBytesMean: s.snapshotBytesPerClientPerSecond.mean,
      snapshotBytesP99: s.snapshotBytesPerClientPerSecond.p99,
      interestShare,
      entitiesInView: s.entitiesInViewMean,
      deferredMean: s.deferredMean,
      maxDeferredMs: s.maxDeferredMs,
      budgetWaitMaxMs,
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
    all
      .filter((r) => r.server === server && r.scenario === 'arena' && r.players === players)
      .map((r) => (r.problems.length === 0 ? r : null));
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
    r.entityBytesPerClientPerSecond === null
      ? ''
      : `entities ${r.entityBytesPerClientPerSecond.toFixed(0)} B/client/s, the rest ${(r.bytesPerClientPerSecond - r.entityBytesPerClientPerSecond).toFixed(0)}`,
    r.snapshotBytesMean === null
      ? ''
      : `snapshot B/client/s mean/p99 ${fixed(r.snapshotBytesMean, 0)}/${fixed(r.snapshotBytesP99, 0)}`,
    r.interestShare === null ? '' : `grid+views ${(r.interestShare * 100).toFixed(1)} % of the tick`,
    r.entitiesInView === null
      ? ''
      : `in view ${r.entitiesInView.toFixed(1)}, deferred ${fixed(r.deferredMean, 2)}, longest deferred ${fixed(r.maxDeferredMs, 0)} ms`,
    r.budgetWaitMaxMs === null ? '' : `longest wait to be sent (server) ${r.budgetWaitMaxMs.toFixed(0)} ms`,
  ]
    .filter((part) => part !== '')
    .join('  ');
}

function fixed(x: number | null, digits: number): string {
  return x === null ? '–' : x.toFixed(digits);
}

console.log(`machine: ${machine()}`);
for (const scenario of scenarios) {
  console.log(
    `${scenario}-N at ${TICK_RATE} Hz${scenario === 'world' ? ` (16,384-unit square, viewRadius ${viewRadius ?? 'the default, 1000'}${budget === undefined ? '' : `, budget ${budget} B/s per client`})` : ' (no interest management)'}`,
  );
}
console.log(
  `Tickwire positions on a 1/${POSITION_SCALE}-unit grid: straight ${Math.round((ARENA_RULES.speed * POSITION_SCALE) / TICK_RATE)} quanta/tick (${((Math.round((ARENA_RULES.speed * POSITION_SCALE) / TICK_RATE) * TICK_RATE) / POSITION_SCALE).toFixed(2)} u/s), diagonal ${Math.round(((ARENA_RULES.speed * POSITION_SCALE) / TICK_RATE) * Math.SQRT1_2)} per axis (${((Math.hypot(75, 75) * TICK_RATE) / POSITION_SCALE).toFixed(2)} u/s)`,
);
console.log(
  `warm-up ${warmupS} s after the last join, window ${windowS} s, ${runs} runs per case, cases interleaved: ${cases.map((c) => `${c.server} ${c.scenario}`).join(', ')}; load ${loadAverage()}; bots ${values.decode ? 'decode every snapshot' : 'read headers only'}${values['tick-timing'] ? '; server --tick-timing' : ''}`,
);
const all: RunResult[] = [];
for (const players of playerCounts) {
  for (let run = 1; run <= runs; run++) {
    for (const { server, scenario } of cases) {
      const result = await runOnce(server, scenario, players);
      all.push(result);
      console.log(
        line(result, `${server} ${scenario}-${players} #${run}`) +
          (result.problems.length ? `  DOES NOT COUNT: ${result.problems.join('; ')}` : ''),
      );
    }
  }
}
console.log('');
console.log(`medians of the runs that count (load now ${loadAverage()}):`);
const medians: Record<string, unknown>[] = [];
for (const players of playerCounts) {
  const byCase: Record<string, RunResult> = {};
  for (const { server, scenario } of cases) {
    const counted = all.filter(
      (r) => r.server === server && r.scenario === scenario && r.players === players && r.problems.length === 0,
    );
    if (counted.length === 0) {
      console.log(`${server} ${scenario}-${players}: no run counts`);
      continue;
    }
    const m = (k: keyof RunResult) => median(counted.map((r) => r[k] as number));
    /** The median of a figure some runs lack (null), over the runs that have it. */
    const mn = (k: keyof RunResult) => {
      const xs = counted.map((r) => r[k]).filter((x): x is number => typeof x === 'number');
      return xs.length === 0 ? null : median(xs);
    };
    const med: RunResult = {
      server,
      scenario,
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
      bodyEncodesPerTick: mn('bodyEncodesPerTick'),
      entityBytesPerClientPerSecond: mn('entityBytesPerClientPerSecond'),
      snapshotBytesMean: mn('snapshotBytesMean'),
      snapshotBytesP99: mn('snapshotBytesP99'),
      interestShare: mn('interestShare'),
      entitiesInView: mn('entitiesInView'),
      deferredMean: mn('deferredMean'),
      maxDeferredMs: mn('maxDeferredMs'),
      budgetWaitMaxMs: mn('budgetWaitMaxMs'),
      problems: [],
    };
    byCase[`${server} ${scenario}`] = med;
    medians.push({ ...med, runsCounted: counted.length });
    console.log(line(med, `${server} ${scenario}-${players} (${counted.length})`));
  }
  const tickwireArena = byCase['tickwire arena'];
  const bare = byCase['bare arena'];
  if (tickwireArena && bare) {
    console.log(
      `arena-${players}: Tickwire/bare server CPU ratio ${(tickwireArena.cpu / bare.cpu).toFixed(2)}, bytes ratio ${(tickwireArena.bytesPerClientPerSecond / bare.bytesPerClientPerSecond).toFixed(3)}`,
    );
    // Each Tickwire run against the bare run right after it: how far the ratio moves run to run.
    const pairs = pairedRatios(players);
    if (pairs.length > 0)
      console.log(`arena-${players}: CPU ratio of each run pair ${pairs.map((r) => r.toFixed(2)).join(', ')}`);
  }
  const tickwireWorld = byCase['tickwire world'];
  if (tickwireWorld) console.log(worldVerdict(tickwireWorld, tickwireArena));
}
if (values.out) writeFileSync(values.out, `${JSON.stringify({ machine: machine(), runs: all, medians }, null, 2)}\n`);

/**
 * Issue 16's targets for world-N against arena-N in the same run: total bytes/client/s ≤ 500, server
 * CPU ≤ 1.0 × arena's, grid + views ≤ 10 % of the tick; with a budget, each client's snapshot bytes/s
 * within it (p99 over clients) and nothing deferred longer than 1 s. Each is met, missed, or unknown.
 */
function worldVerdict(world: RunResult, arena: RunResult | undefined): string {
  const n = world.players;
  const verdict = (ok: boolean | null) => (ok === null ? 'unknown' : ok ? 'met' : 'MISSED');
  const parts = [
    `world-${n}: ${world.bytesPerClientPerSecond.toFixed(0)} B/client/s (≤ 500: ${verdict(world.bytesPerClientPerSecond <= 500)})`,
  ];
  if (arena) {
    const ratio = world.cpu / arena.cpu;
    parts.push(`CPU ${ratio.toFixed(2)} × arena-${n} (≤ 1.0: ${verdict(ratio <= 1)})`);
    parts.push(`arena-${n} ${arena.bytesPerClientPerSecond.toFixed(0)} B/client/s`);
  }
  parts.push(
    world.interestShare === null
      ? 'grid+views share unknown (run with --tick-timing)'
      : `grid+views ${(world.interestShare * 100).toFixed(1)} % of the tick (≤ 10 %: ${verdict(world.interestShare <= 0.1)})`,
  );
  if (budget !== undefined) {
    const within = world.snapshotBytesP99 === null ? null : world.snapshotBytesP99 <= Number(budget);
    const fresh = world.maxDeferredMs === null ? null : world.maxDeferredMs <= 1000;
    parts.push(`budget ${budget}: snapshot p99 ${fixed(world.snapshotBytesP99, 0)} B/s (${verdict(within)})`);
    parts.push(
      `longest deferred ${fixed(world.maxDeferredMs, 0)} ms (≤ 1,000: ${verdict(fresh)}${world.maxDeferredMs === null ? '; run with --decode' : ''})`,
    );
    const sentInTime = world.budgetWaitMaxMs === null ? null : world.budgetWaitMaxMs <= 1000;
    parts.push(
      `longest wait to be sent, entering or changed (server) ${fixed(world.budgetWaitMaxMs, 0)} ms (≤ 1,000: ${verdict(sentInTime)}${world.budgetWaitMaxMs === null ? '; run with --tick-timing' : ''})`,
    );
  }
  return parts.join('; ');
}
