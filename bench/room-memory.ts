// Bench: memory of an empty room. Run by hand (npm run bench:room-memory, node --expose-gc via tsx);
// builds N Room objects in-process, forces GC, and prints one line per figure: bytes per room
// (heapUsed + arrayBuffers, after GC, over the figure before the rooms were built).
//
//   npm run bench:room-memory -- [--rooms 1000] [--max-players 16] [--big-rooms 20] [--before 0]
//
// The rooms are held in an array until measured (no process, no idle disposal: they stay alive).
// --before: the bytes per room measured the same way on the commit before lazy allocation (this
// bench cannot build rooms the old way any more), printed beside the figure for comparison.
import { parseArgs } from 'node:util';
import { defaultConfig, roomOptionsOf } from '../server/src/config.js';
import { silentLogger } from '../server/src/log.js';
import { Room } from '../server/src/room/room.js';
import { machine } from './support.js';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '1000' },
    'max-players': { type: 'string', default: '16' },
    'big-rooms': { type: 'string', default: '20' },
    before: { type: 'string', default: '0' },
  },
});

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench:room-memory does)');
const collect = gc;

function used(): number {
  // Twice: a weak or finalized object may need a second pass to be freed.
  collect();
  collect();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
}

/** Bytes per room over `count` empty arena rooms of `maxPlayers`, kept alive while measured. */
function bytesPerRoom(count: number, maxPlayers: number): number {
  const options = { ...roomOptionsOf(defaultConfig()), scenario: 'arena' as const, maxPlayers };
  // One room first, so module-level state and JIT code are not charged to the rooms measured.
  new Room(options, silentLogger);
  const base = used();
  const rooms: Room[] = [];
  for (let i = 0; i < count; i++) rooms.push(new Room({ ...options, seed: i + 1 }, silentLogger));
  const after = used();
  if (rooms.length !== count) throw new Error('unreachable: keeps the rooms alive until measured');
  return (after - base) / count;
}

const count = Number(values.rooms);
const maxPlayers = Number(values['max-players']);
const bigRooms = Number(values['big-rooms']);
const before = Number(values.before);
console.log(`machine: ${machine()}`);
const small = bytesPerRoom(count, maxPlayers);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(
  `empty room, maxPlayers ${maxPlayers}, over ${count} rooms: ${Math.round(small)} B (${kib(small)}) per room`,
);
if (before > 0)
  console.log(`  before lazy allocation (measured on the old commit): ${before} B (${kib(before)}) per room`);
const big = bytesPerRoom(bigRooms, 256);
console.log(`empty room, maxPlayers 256, over ${bigRooms} rooms: ${Math.round(big)} B (${kib(big)}) per room`);
