// Bench: what tick timing costs. Drives two Rooms in one process, --tick-timing true and false,
// with the same N players and inputs, in alternating blocks of ticks, and prints the per-tick cost
// of each and the difference. Run by hand (npm run bench:timing); one line per figure.
//
//   npm run bench:timing -- [--players 200] [--blocks 200] [--ticks 50] [--tick-rate 30]
//
// "off" still times the whole tick and its lateness (/healthz needs them): two clock reads and two
// histogram records per tick, printed separately below as the cost of a clock read and a record.
import { parseArgs } from 'node:util';
import type { Room } from '../server/src/room/room.js';
import type { Session } from '../server/src/session/session.js';
import { MsHistogram } from '../server/src/stats/histogram.js';
import { crowdInputs, makeCrowdRoom } from '../server/test/support/crowdRoom.js';
import { machine, quantile } from './support.js';

const { values } = parseArgs({
  options: {
    players: { type: 'string', default: '200' },
    blocks: { type: 'string', default: '200' },
    ticks: { type: 'string', default: '50' },
    'tick-rate': { type: 'string', default: '30' },
  },
});
const players = Number(values.players);
const blocks = Number(values.blocks);
const ticksPerBlock = Number(values.ticks);
const tickRate = Number(values['tick-rate']);

interface Driven {
  room: Room;
  sessions: Session[];
  /** Time spent inside each runTick, µs, in tick order (blocks concatenated). */
  tickUs: number[];
}

/**
 * The tests' crowd room (arena, every player joined, sockets that drop what they are sent: this
 * measures the server's work, not a network); its ticks are driven below, timed one by one.
 */
function drivenRoom(tickTiming: boolean): Driven {
  const { room, sessions } = makeCrowdRoom(players, { tickRate, snapshotRate: tickRate, tickTiming });
  return { room, sessions, tickUs: [] };
}

function runBlock(driven: Driven, frames: Uint8Array[][], firstTick: number): void {
  const periodMs = 1000 / tickRate;
  for (let k = 0; k < frames.length; k++) {
    const tick = firstTick + k;
    const nowMs = tick * periodMs;
    for (let i = 0; i < players; i++) driven.room.receive(driven.sessions[i]!, frames[k]![i]!, true, nowMs);
    const started = performance.now();
    driven.room.runTick(tick, nowMs, nowMs);
    driven.tickUs.push((performance.now() - started) * 1000);
  }
}

const median = (xs: number[]) => quantile(xs, 0.5);

const on = drivenRoom(true);
const off = drivenRoom(false);
// Warm-up: JIT both paths before anything counts.
let tick = 1;
for (let w = 0; w < 2; w++) {
  const frames = crowdInputs(players, tick, ticksPerBlock, { tickRate, snapshotRate: tickRate });
  runBlock(on, frames, tick);
  runBlock(off, frames, tick);
  tick += ticksPerBlock;
}
on.tickUs.length = 0;
off.tickUs.length = 0;
for (let b = 0; b < blocks; b++) {
  const frames = crowdInputs(players, tick, ticksPerBlock, { tickRate, snapshotRate: tickRate });
  // Alternate which room goes first, so drift (heat, a neighbour's load) falls on both alike.
  const order = b % 2 === 0 ? [on, off] : [off, on];
  for (const driven of order) runBlock(driven, frames, tick);
  tick += ticksPerBlock;
}

const onUs = median(on.tickUs);
const offUs = median(off.tickUs);
// Tick k of both rooms ran the same inputs on the same world, moments apart: the median of these
// paired differences shrugs off a preemption or a GC pause that hits one side.
const paired = on.tickUs.map((us, k) => us - off.tickUs[k]!);
const pairedUs = median(paired);

// The primitives timing is made of.
const reads = 1_000_000;
let sink = 0;
let t0 = performance.now();
for (let i = 0; i < reads; i++) sink += performance.now();
const clockNs = ((performance.now() - t0) / reads) * 1e6;
const histogram = new MsHistogram();
t0 = performance.now();
for (let i = 0; i < reads; i++) histogram.record((i % 5000) / 100);
const recordNs = ((performance.now() - t0) / reads) * 1e6;
if (sink === 0) console.log(''); // keep the loop

const systems = on.room.timings.systems.size;
console.log(`machine: ${machine()}`);
console.log(
  `driven room: ${players} players, ${tickRate} Hz, snapshot every tick, ${blocks} blocks of ${ticksPerBlock} ticks per setting, alternating`,
);
console.log(`per tick, --tick-timing false (tick + lateness only): ${offUs.toFixed(1)} µs (median tick)`);
console.log(
  `per tick, --tick-timing true (+ world, ${systems} systems, snapshot phases): ${onUs.toFixed(1)} µs (median tick)`,
);
console.log(
  `overhead of phase timing: ${pairedUs.toFixed(2)} µs per tick (median of ticks paired across the two rooms; p25 ${quantile(paired, 0.25).toFixed(2)}, p75 ${quantile(paired, 0.75).toFixed(2)}), ${((pairedUs / offUs) * 100).toFixed(1)} % of the tick, ${((pairedUs * tickRate) / 1000).toFixed(3)} ms per second of one core at ${tickRate} Hz`,
);
console.log(
  `primitives: performance.now() ${clockNs.toFixed(0)} ns, MsHistogram.record ${recordNs.toFixed(0)} ns; phase timing adds ${1 + 2 * systems} clock reads and ${1 + systems} records per tick, and 4 reads + 2 per body encode and 3 records per snapshot tick`,
);
