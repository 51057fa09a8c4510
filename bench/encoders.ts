// Bench: the snapshot encoders alone on a recorded arena-N history. Run by hand (npm run
// bench:encode); prints bytes per client per tick and µs per encode for full MessagePack, plain
// JSON and the delta encoder, side by side.
//
//   npm run bench:encode -- [--players 200] [--ticks 900]
import { parseArgs } from 'node:util';
import {
  ARENA_RULES,
  MsgpackWriter,
  POSITION_SCALE,
  packr,
  SnapshotEncoder,
  type WorldState,
} from '@tickwire/protocol';
import { recordArenaHistory } from './arenaHistory.js';
import { machine } from './support.js';

const { values } = parseArgs({
  options: { players: { type: 'string', default: '200' }, ticks: { type: 'string', default: '900' } },
});
const players = Number(values.players);
const ticks = Number(values.ticks);
const history = recordArenaHistory(players, ticks);

/**
 * A SNAPSHOT's typical per-client part, the same for every encoder: fixarray, id, tick and
 * lastInputSeq (uint16 each), inputBuffer, starvedInputs, droppedInputs (small), an empty pong.
 */
const HEADER_BYTES = 1 + 1 + 3 + 3 + 1 + 1 + 1 + 1;

function asObjects(state: WorldState) {
  const list: { id: number; vx: number; vy: number; x: number; y: number; angle: number; hp: number }[] = [];
  for (let row = 0; row < state.count; row++) list.push({ id: state.ids[row]!, ...state.entity(state.ids[row]!)! });
  return list;
}

interface Result {
  name: string;
  bytesPerTick: number;
  microsPerEncode: number;
}

function measure(name: string, encode: (state: WorldState, previous: WorldState | undefined) => number): Result {
  // Warm up the JIT on the first 100 ticks, then time every tick once.
  for (let i = 0; i < Math.min(100, history.states.length); i++) encode(history.states[i]!, history.states[i - 1]);
  let bytes = 0;
  const started = performance.now();
  for (let i = 1; i < history.states.length; i++) bytes += encode(history.states[i]!, history.states[i - 1]);
  const elapsed = performance.now() - started;
  const n = history.states.length - 1;
  return { name, bytesPerTick: bytes / n + HEADER_BYTES, microsPerEncode: (elapsed * 1000) / n };
}

const writer = new MsgpackWriter();
const encoder = new SnapshotEncoder(players, {
  maxX: ARENA_RULES.width * POSITION_SCALE,
  maxY: ARENA_RULES.height * POSITION_SCALE,
});
const results = [
  measure(
    'full msgpack (tuples)',
    (state) => packr.pack(asObjects(state).map((p) => [p.id, p.vx, p.vy, p.x, p.y, p.angle, p.hp])).byteLength,
  ),
  measure('plain JSON (objects)', (state) => Buffer.byteLength(JSON.stringify(asObjects(state)))),
  measure('full, delta encoder, no baseline', (state) => {
    encoder.encode(undefined, state, writer);
    return writer.length;
  }),
  measure('delta from previous tick', (state, previous) => {
    encoder.encode(previous, state, writer);
    return writer.length;
  }),
];

console.log(`machine: ${machine()}`);
console.log(`history: arena-${players}, ${ticks} ticks at 30 Hz, one input per tick per player`);
for (const r of results) {
  console.log(
    `${r.name.padEnd(34)} ${r.bytesPerTick.toFixed(1).padStart(9)} bytes/client/tick  ${(r.bytesPerTick * 30).toFixed(0).padStart(7)} bytes/client/s  ${r.microsPerEncode.toFixed(1).padStart(8)} µs/encode`,
  );
}
