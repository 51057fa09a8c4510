// Bench: memory of an empty room. Run by hand (npm run bench:room-memory, node --expose-gc via tsx);
// forces GC and prints one line per figure: bytes per room (heapUsed + arrayBuffers, after GC, over
// the figure before the rooms were built), two ways:
// - Room objects alone: N Rooms built in-process and held in an array (no process, nothing ticks);
// - hosted: a real server started in this process, N rooms made through its matchmaker
//   (`create`, as POST /matchmake does), so each room is what RoomHost builds and keeps: the Room,
//   its seat door, its directory entry and pending seat, its scheduler entry and lifecycle. The rooms
//   then tick for --settle seconds (empty rooms tick too) before the reading; --room-idle-ms and
//   --max-rooms are raised so none is disposed.
//
//   npm run bench:room-memory -- [--rooms 1000] [--max-players 16] [--big-rooms 20] [--settle 3] [--before 0]
//
// --before: the bytes per room measured the same way on the commit before lazy allocation (this
// bench cannot build rooms the old way any more), printed beside the figure for comparison.
import { parseArgs } from 'node:util';
import { defaultConfig, roomOptionsOf } from '../server/src/config.js';
import { startGameServer } from '../server/src/gameServer.js';
import { silentLogger } from '../server/src/log.js';
import { Room } from '../server/src/room/room.js';
import { machine } from './support.js';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '1000' },
    'max-players': { type: 'string', default: '16' },
    'big-rooms': { type: 'string', default: '20' },
    settle: { type: 'string', default: '3' },
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

/**
 * Bytes per room over `count` empty rooms of `maxPlayers` made by a running server's matchmaker,
 * read after they ticked for `settleMs` (each holds one pending seat, never used).
 */
async function bytesPerHostedRoom(
  count: number,
  maxPlayers: number,
  settleMs: number,
): Promise<{ bytes: number; histogramBytes: number; worstLateMs: number }> {
  const server = await startGameServer(
    {
      ...defaultConfig(),
      port: 0,
      host: '127.0.0.1',
      scenario: 'arena',
      maxPlayers,
      maxRooms: count + 1,
      maxTotalPlayers: (count + 1) * maxPlayers,
      roomIdleMs: 86_400_000,
    },
    silentLogger,
  );
  try {
    const create = async () => {
      const made = await server.matchmaker.matchmake(
        { mode: 'create', scenario: 'arena', maxPlayers },
        undefined,
        Date.now(),
      );
      if (!made.ok) throw new Error(`create refused: ${made.error} ${made.message}`);
    };
    // One room first (module state, JIT code, the scheduler's first entry), ticked like the rest.
    await create();
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const base = used();
    // One room per turn of the event loop, as rooms made over HTTP arrive: a loop of 1,000 creates
    // without yielding stalls every room's first ticks, and each room's lateness histogram then
    // grows to its worst lateness (0.01 ms buckets, 4 B each: 400 B per ms late; see below).
    for (let i = 0; i < count; i++) {
      await create();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const after = used();
    if (server.host.size !== count + 1) throw new Error(`${server.host.size} rooms hosted, expected ${count + 1}`);
    let buckets = 0;
    let worstLateMs = 0;
    for (const { room } of server.host.hosted()) {
      buckets += room.timings.latenessMs.allocatedBuckets + room.timings.tickMs.allocatedBuckets;
      worstLateMs = Math.max(worstLateMs, room.timings.latenessMs.max);
    }
    return { bytes: (after - base) / count, histogramBytes: (buckets * 4) / server.host.size, worstLateMs };
  } finally {
    await server.stop();
  }
}

const count = Number(values.rooms);
const settleMs = Number(values.settle) * 1000;
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
const hosted = await bytesPerHostedRoom(count, maxPlayers, settleMs);
console.log(
  `hosted empty room (matchmaker create, ticked ${values.settle} s), maxPlayers ${maxPlayers}, over ${count} rooms: ${Math.round(hosted.bytes)} B (${kib(hosted.bytes)}) per room`,
);
console.log(
  `  of which whole-tick histogram buckets (tickMs + latenessMs): ${Math.round(hosted.histogramBytes)} B per room; worst tick-start lateness of any room ${hosted.worstLateMs.toFixed(2)} ms`,
);
