// Bench: SNAPSHOT header bytes, protocol 9 (head mask, only what changed: snapshotFrame.ts) against
// protocol 8's positional header written out by hand (the naive baseline), in one process and one run.
// Run by hand (npm run bench:header); prints one line per figure: bytes of an empty snapshot, and the
// mean header bytes per frame and per second (at 30 Hz) of a simulated client over 30 s.
//
//   npm run bench:header -- [--seconds 30] [--seed 1]
//
// No sockets and no server: the byte counts are exact and do not depend on the machine's load. The
// simulated client sends one input per tick (seq + 1 per snapshot, as arena bots do), its queue depth
// moves between 0 and 2 (each frame: stays with 80 %, else one up or down), a tick finds its queue
// empty with 2 % chance (starvedInputs + 1), and it PINGs every 2 s (a pong rides in the next frame,
// with fractional times as float 64). Bodies are not counted: both protocols share them byte for byte.
import { parseArgs } from 'node:util';
import {
  mulberry32,
  newSnapshotHeaderState,
  type Pong,
  packr,
  SNAPSHOT_HEADER_MAX_BYTES,
  type SnapshotClientPart,
  writeSnapshotFrame,
} from '@tickwire/protocol';
import { machine } from './support.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
  },
});
const TICK_RATE = 30;
const frames = Number(values.seconds) * TICK_RATE;

/** An empty delta body: baseAge 1 and five empty lists (6 bytes), shared by both protocols. */
const EMPTY_DELTA_BODY = Uint8Array.from([0x01, 0x90, 0x90, 0x90, 0x90, 0x90]);
/** The same, full (baseAge 0): a connection's first frame. */
const FULL_EMPTY_BODY = Uint8Array.from([0x00, 0x90, 0x90, 0x90, 0x90, 0x90]);
const target = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES + EMPTY_DELTA_BODY.length);

/** Protocol 8: [65, tick, lastInputSeq, inputBuffer, starvedInputs, droppedInputs, [pong?], body…]. */
function protocol8Bytes(tick: number, part: SnapshotClientPart): number {
  const pong = part.pong === undefined ? [] : [pongTuple(part.pong)];
  const header = [65, tick, part.lastInputSeq, part.inputBuffer, part.starvedInputs, part.droppedInputs, pong];
  // The same array with the body's six elements appended, as one MessagePack value.
  return packr.pack([...header, 1, [], [], [], [], []]).length;
}

function pongTuple(pong: Pong): number[] {
  return [pong.pingId, pong.clientTimeMs, pong.serverReceiveTick, pong.serverSendTick];
}

const state = newSnapshotHeaderState();
function protocol9Bytes(tick: number, part: SnapshotClientPart, full: boolean): number {
  return writeSnapshotFrame(target, tick, part, state, full ? FULL_EMPTY_BODY : EMPTY_DELTA_BODY);
}

const idle = (seq: number): SnapshotClientPart => ({
  lastInputSeq: seq,
  inputBuffer: 0,
  starvedInputs: 0,
  droppedInputs: 0,
  pong: undefined,
});

console.log(`machine: ${machine()}`);
console.log('empty delta SNAPSHOT, a client whose input figures did not change since its previous frame:');
for (const [tick, seq] of [
  [100, 90],
  [40_000, 39_000],
  [100_000, 99_000],
] as const) {
  Object.assign(state, { tick: tick - 1, lastInputSeq: seq, inputBuffer: 0, starvedInputs: 0, droppedInputs: 0 });
  const before = protocol8Bytes(tick, idle(seq));
  const after = protocol9Bytes(tick, idle(seq), false);
  console.log(
    `  tick ${tick}, lastInputSeq ${seq}: protocol 8 ${before} B, protocol 9 ${after} B; ` +
      `${before * TICK_RATE} → ${after * TICK_RATE} B/s at ${TICK_RATE} Hz`,
  );
}

for (const startTick of [1_000, 100_000]) {
  const random = mulberry32(Number(values.seed));
  Object.assign(state, newSnapshotHeaderState());
  const part = idle(0);
  let bytes8 = 0;
  let bytes9 = 0;
  for (let frame = 0; frame < frames; frame++) {
    const tick = startTick + frame;
    part.lastInputSeq++;
    const move = random();
    if (move > 0.9 && part.inputBuffer < 2) part.inputBuffer++;
    else if (move > 0.8 && part.inputBuffer > 0) part.inputBuffer--;
    if (random() < 0.02) part.starvedInputs++;
    part.pong =
      frame % (2 * TICK_RATE) === 1
        ? {
            pingId: frame,
            clientTimeMs: 1_700_000_000_000 + frame * 33.3,
            serverReceiveTick: tick - 0.4,
            serverSendTick: tick + 0.05,
          }
        : undefined;
    // The first frame of a connection is full (it sends its tick); the header bytes are what is compared.
    bytes8 += protocol8Bytes(tick, part) - EMPTY_DELTA_BODY.length;
    bytes9 += protocol9Bytes(tick, part, frame === 0) - EMPTY_DELTA_BODY.length;
  }
  const mean8 = bytes8 / frames;
  const mean9 = bytes9 / frames;
  console.log(
    `playing client from tick ${startTick}, ${frames} frames: header protocol 8 ${mean8.toFixed(2)} B/frame ` +
      `(${Math.round(mean8 * TICK_RATE)} B/s), protocol 9 ${mean9.toFixed(2)} B/frame (${Math.round(mean9 * TICK_RATE)} B/s); ` +
      `saves ${Math.round((mean8 - mean9) * TICK_RATE)} B/s`,
  );
}
