// Bench: thousands of players in one `world` room, in process (issue 16, "Thousands without sockets").
// Run by hand (npm run bench:world-thousands); bounded, exits by itself; one line per figure.
// Socket writes are NOT in these figures: every client's frame is built, counted and dropped.
//
//   npm run bench:world-thousands -- [--players 2000,4000] [--warmup 300] [--ticks 300] [--view-radius 1000]
//                                    [--max-load 1.5] [--load-wait 300]
//
// Before starting it waits (up to --load-wait s) for the 1-minute load average to fall below
// --max-load; a run that starts above it says so on its first lines, and is not a figure.
//
// Per size: a world room (--tick-timing on, view radius 1,000, 30 Hz ticks and snapshots) of N virtual
// clients (server/test/support/worldCrowd.ts: arena bot i's schedule, one INPUT per tick acknowledging
// the newest snapshot sent), ticked back to back on a driven clock. Printed: tick p50/p99/max against
// the 33.3 ms budget, every phase's mean and p99, entities in view per client, pieces and bytes per
// tick. Then the naive baseline on the same ticks, outside the room's tick: each client's frame body
// encoded on its own (one SnapshotEncoder pass per client over its view-restricted world against the
// view it held, "one encode per distinct view"), next to the shared pieces' encode time.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { MsgpackWriter, POSITION_SCALE, SnapshotEncoder, WorldState } from '@tickwire/protocol';
import type { MsHistogram } from '../server/src/stats/histogram.js';
import { makeWorldCrowd, restrictTo, type WorldCrowd } from '../server/test/support/worldCrowd.js';
import { machine, quantile, waitForQuietMachine } from './support.js';

const { values } = parseArgs({
  options: {
    players: { type: 'string', default: '2000,4000' },
    warmup: { type: 'string', default: '300' },
    ticks: { type: 'string', default: '300' },
    'view-radius': { type: 'string', default: '1000' },
    'max-load': { type: 'string', default: '1.5' },
    'load-wait': { type: 'string', default: '300' },
  },
});
const sizes = values.players.split(',').map(Number);
const warmupTicks = Number(values.warmup);
const measuredTicks = Number(values.ticks);
const viewRadius = Number(values['view-radius']);
const maxLoad = Number(values['max-load']);
const loadWaitMs = Number(values['load-wait']) * 1000;
for (const [name, value] of [
  ...sizes.map((size) => ['--players', size] as const),
  ['--warmup', warmupTicks],
  ['--ticks', measuredTicks],
  ['--view-radius', viewRadius],
] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes whole numbers ≥ 1, got ${value}`);
}
const TICK_RATE = 30;
const BUDGET_MS = 1000 / TICK_RATE;

const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
const ms = (x: number) => x.toFixed(2);
const perTick = (x: number) => (x / measuredTicks).toFixed(0);

/** The naive baseline's scratch: two view-restricted worlds and one encoder, reused for every client. */
class NaiveEncodes {
  private readonly base: WorldState;
  private readonly current: WorldState;
  private readonly encoder: SnapshotEncoder;
  private readonly out = new MsgpackWriter(1 << 14);
  /** Each client's view as of the last tick (the world it holds): its baseline's ids. */
  private readonly held = new Map<number, number[]>();
  encodeMs: number[] = [];
  restrictMs: number[] = [];
  bytes = 0;
  encodes = 0;

  constructor(private readonly crowd: WorldCrowd) {
    const { ring } = crowd.room.snapshots;
    const state = ring.get(crowd.tick)!;
    this.base = new WorldState(state.capacity, state.maxId);
    this.current = new WorldState(state.capacity, state.maxId);
    const bounds = {
      maxX: crowd.room.scenario.rules.width * POSITION_SCALE,
      maxY: crowd.room.scenario.rules.height * POSITION_SCALE,
    };
    this.encoder = new SnapshotEncoder(state.capacity, bounds);
  }

  /** Remember every client's view after the tick just run (the next tick's baselines). */
  remember(): void {
    for (const client of this.crowd.clients) {
      this.held.set(client.index, this.crowd.room.snapshots.interestOf(client.session) ?? []);
    }
  }

  /**
   * Encode every client's body of the tick just run against the view it held at the tick before;
   * the views of this tick become the held ones. One interestOf per client (it allocates): the
   * garbage made between ticks is collected inside them too. Returns the entities in view, summed.
   */
  encodeTick(): number {
    const { room, clients, tick } = this.crowd;
    const now = room.snapshots.ring.get(tick)!;
    const before = room.snapshots.ring.get(tick - 1)!;
    let encodeMs = 0;
    let restrictMs = 0;
    let inView = 0;
    for (const client of clients) {
      const t0 = performance.now();
      const ids = room.snapshots.interestOf(client.session) ?? [];
      restrictTo(before, this.held.get(client.index)!, this.base);
      restrictTo(now, ids, this.current);
      const t1 = performance.now();
      this.encoder.encode(this.base, this.current, this.out);
      const t2 = performance.now();
      restrictMs += t1 - t0;
      encodeMs += t2 - t1;
      this.bytes += this.out.length;
      this.encodes++;
      this.held.set(client.index, ids);
      inView += ids.length;
    }
    this.encodeMs.push(encodeMs);
    this.restrictMs.push(restrictMs);
    return inView;
  }
}

function runSize(players: number): void {
  const setupStarted = performance.now();
  const crowd = makeWorldCrowd(players, {
    tickRate: TICK_RATE,
    snapshotRate: TICK_RATE,
    tickTiming: true,
    viewRadius,
  });
  const { room, clients } = crowd;
  const label = `world-${players}`;
  console.log(
    `${label}: load (1-minute) ${loadavg()[0]!.toFixed(2)}, ${players} joined in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
  );
  for (let t = 0; t < warmupTicks; t++) crowd.step();
  const timings = room.timings;
  const phases: [string, MsHistogram][] = [
    ['worldExecute', timings.worldExecuteMs],
    ...[...timings.systems].map(([name, h]): [string, MsHistogram] => [`  system.${name}`, h]),
    ['snapshotCapture', timings.snapshotCaptureMs],
    ['interestGrid', timings.interestGridMs],
    ['interestViews', timings.interestViewsMs],
    ['snapshotEncode', timings.snapshotEncodeMs],
    ['snapshotSend', timings.snapshotSendMs],
  ];
  for (const [, h] of phases) h.reset();
  const counters = room.snapshots.counters;
  const before = { ...counters };
  const socketBytesBefore = clients.reduce((sum, c) => sum + c.socket.snapshotBytes, 0);
  const naive = new NaiveEncodes(crowd);
  naive.remember();
  const tickSamples: number[] = [];
  const inputSamples: number[] = [];
  const cpuSamples: number[] = [];
  let inView = 0;
  for (let t = 0; t < measuredTicks; t++) {
    const { tickMs, tickCpuMs, inputMs } = crowd.step();
    tickSamples.push(tickMs);
    cpuSamples.push(tickCpuMs);
    inputSamples.push(inputMs);
    // Outside the timed tick: the naive baseline on the views this tick chose, and their sizes.
    inView += naive.encodeTick();
  }
  const sent = clients.reduce((sum, c) => sum + c.socket.snapshotBytes, 0) - socketBytesBefore;
  const delta = (key: keyof typeof counters) => counters[key] - before[key];
  const closed = clients.filter((c) => c.socket.closed !== undefined).length;

  const p99 = quantile(tickSamples, 0.99);
  console.log(
    `${label}: tick p50 ${ms(quantile(tickSamples, 0.5))} / p99 ${ms(p99)} / max ${ms(Math.max(...tickSamples))} ms over ${measuredTicks} ticks; budget ${ms(BUDGET_MS)} ms, p99 = ${((p99 / BUDGET_MS) * 100).toFixed(0)} % (target ≤ 50 %)`,
  );
  console.log(
    `${label}: tick CPU time (this process, user + system) mean ${ms(mean(cpuSamples))} / p99 ${ms(quantile(cpuSamples, 0.99))} ms: a busy machine stretches the wall clock above more than this`,
  );
  for (const [name, h] of phases) {
    console.log(`${label}:   ${name.padEnd(28)} mean ${ms(h.mean())} ms, p99 ${ms(h.quantile(0.99))} ms`);
  }
  console.log(
    `${label}: inputs delivered (room.receive, outside the tick) mean ${ms(mean(inputSamples))} ms per tick for ${players} INPUT frames`,
  );
  console.log(`${label}: entities in view per client, mean ${(inView / measuredTicks / players).toFixed(1)}`);
  console.log(
    `${label}: per tick: pieces encoded ${perTick(delta('piecesEncoded'))}, bytes encoded ${perTick(delta('pieceBytesEncoded'))}, SNAPSHOT bytes "sent" (built and dropped) ${perTick(sent)} (${delta('framesSent')} frames over ${measuredTicks} ticks); laggingPieces ${delta('laggingPieces')}, backpressure skips ${delta('backpressureSkips')}, full fallbacks ${delta('fullFallbacks')}, closed ${closed}`,
  );
  const sharedEncode = timings.snapshotEncodeMs;
  console.log(
    `${label}: encode per tick: shared pieces (snapshotEncode) mean ${ms(sharedEncode.mean())} / p99 ${ms(sharedEncode.quantile(0.99))} ms; naive one encode per view mean ${ms(mean(naive.encodeMs))} / p99 ${ms(quantile(naive.encodeMs, 0.99))} ms (${(mean(naive.encodeMs) / sharedEncode.mean()).toFixed(1)}×), plus ${ms(mean(naive.restrictMs))} ms building the ${players} restricted worlds; naive bodies ${perTick(naive.bytes)} bytes per tick (${naive.encodes} encodes)`,
  );
}

console.log(`machine: ${machine()}`);
const startLoad = await waitForQuietMachine(maxLoad, loadWaitMs);
console.log(
  startLoad < maxLoad
    ? `load at start (1-minute): ${startLoad.toFixed(2)}`
    : `load at start (1-minute): ${startLoad.toFixed(2)} ≥ ${maxLoad}: the machine is busy, these are NOT figures`,
);
console.log(
  `settings: world 16,384², view radius ${viewRadius}, ${TICK_RATE} Hz ticks and snapshots, --tick-timing on, ${warmupTicks} warm-up ticks + ${measuredTicks} measured per size, driven clock (ticks back to back)`,
);
console.log(
  'socket writes are NOT in these figures (at scale they dominate): every frame is built, counted and dropped',
);
for (const players of sizes) runSize(players);
