// Bench: rooms-R×P in process (docs/scenarios.md): R real arena Rooms of P virtual clients each, driven
// by the RoomScheduler, against the same rooms on one timer each, in one run. Run by hand
// (npm run bench:rooms); prints one line per figure. Socket writes are NOT in these figures.
//
//   npm run bench:rooms -- [--rooms R --room-size P] [--warmup 5] [--window 20] [--slots 8] [--rate 30]
//
// Without --rooms: the cases 64×16 and 256×8. A virtual client is a session whose socket counts the
// bytes of each frame and drops it; it joins with HELLO through room.receive, then sends one INPUT
// every 33 ms on absolute due times with the arena bots' directions (ArenaSchedule, client i of the
// process seeded i, as one bots process of R·P bots), acknowledging the newest snapshot it was sent.
// Inputs come from one shared loop on the unwrapped setTimeout, as one bots process would send them;
// wake-ups count only the rooms' timers (the scheduler's, or the rooms' own), by wrapping setTimeout.
import { parseArgs } from 'node:util';
import {
  ARENA_INPUT_INTERVAL_MS,
  ArenaSchedule,
  ClientMessageId,
  encodeClientMessage,
  PROTOCOL_VERSION,
  peekSnapshotTick,
} from '@tickwire/protocol';
import { defaultConfig, roomOptionsOf } from '../server/src/config.js';
import { silentLogger } from '../server/src/log.js';
import { Room } from '../server/src/room/room.js';
import { realTimers } from '../server/src/rooms/realTimers.js';
import { DEFAULT_PHASE_SLOTS, RoomScheduler } from '../server/src/rooms/roomScheduler.js';
import type { ClientSocket, Session } from '../server/src/session/session.js';
import { moveInput } from '../server/test/support/crowdRoom.js';
import { countTimerCallbacks, machine } from './support.js';
import { startTimerPerRoom } from './timerPerRoom.js';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string' },
    'room-size': { type: 'string' },
    warmup: { type: 'string', default: '5' },
    window: { type: 'string', default: '20' },
    slots: { type: 'string', default: String(DEFAULT_PHASE_SLOTS) },
    rate: { type: 'string', default: '30' },
  },
});
if ((values.rooms === undefined) !== (values['room-size'] === undefined))
  throw new Error('give both --rooms R and --room-size P, or neither (the cases 64×16 and 256×8)');
const cases: [number, number][] =
  values.rooms === undefined
    ? [
        [64, 16],
        [256, 8],
      ]
    : [[Number(values.rooms), Number(values['room-size'])]];
const warmupMs = Number(values.warmup) * 1000;
const windowMs = Number(values.window) * 1000;
const slots = Number(values.slots);
const rateHz = Number(values.rate);
/** Input phases of the virtual clients: room r's clients send at (r mod 11) × 3 ms into each 33 ms. */
const INPUT_PHASES = 11;

// Count the rooms' timer callbacks: the scheduler's (realTimers calls the global setTimeout) or the
// TickSchedulers'. The input loop keeps the unwrapped one, so it is not counted.
const { fired, realSetTimeout, sleep } = countTimerCallbacks();

/** A socket that counts what the room sends and drops it; remembers the newest snapshot tick to ack. */
class CountingSocket implements ClientSocket {
  bytes = 0;
  frames = 0;
  ackTick = 0;
  /** The tick of the last SNAPSHOT counted: a delta's tick is this plus its baseAge. */
  private heldTick = 0;
  readonly queuedBytes = 0;
  send(bytes: Uint8Array): void {
    this.count(bytes);
  }
  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void {
    this.count(buffer.subarray(start, end));
  }
  close(): void {}
  private count(frame: Uint8Array): void {
    this.bytes += frame.byteLength;
    this.frames++;
    const tick = peekSnapshotTick(frame, this.heldTick);
    if (tick !== undefined) this.heldTick = tick;
    if (tick !== undefined && tick > this.ackTick) this.ackTick = tick;
  }
}

interface VirtualClient {
  readonly room: Room;
  readonly session: Session;
  readonly socket: CountingSocket;
  readonly schedule: ArenaSchedule;
  readonly joinMs: number;
  /** k of the next input (due at joinMs + k × 33 ms); seq = k + 1. */
  next: number;
}

interface RoomRun {
  readonly rooms: Room[];
  readonly clients: VirtualClient[];
  /** Lateness samples per room while measuring. */
  readonly lateness: number[][];
  measuring: boolean;
}

function buildRooms(roomCount: number, roomSize: number): RoomRun {
  const options = { ...roomOptionsOf(defaultConfig()), scenario: 'arena' as const, maxPlayers: roomSize };
  const run: RoomRun = { rooms: [], clients: [], lateness: [], measuring: false };
  const now = performance.now();
  for (let r = 0; r < roomCount; r++) {
    const room = new Room({ ...options, tickRate: rateHz, snapshotRate: rateHz, seed: r + 1 }, silentLogger);
    run.rooms.push(room);
    run.lateness.push([]);
    const joinMs = now + (r % INPUT_PHASES) * (ARENA_INPUT_INTERVAL_MS / INPUT_PHASES);
    for (let i = 0; i < roomSize; i++) {
      const socket = new CountingSocket();
      const session = room.open(socket, now);
      const name = `bot${r * roomSize + i}`;
      room.receive(
        session,
        encodeClientMessage({ id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name, seat: '' }),
        true,
        now,
      );
      const schedule = new ArenaSchedule(r * roomSize + i);
      run.clients.push({ room, session, socket, schedule, joinMs, next: 0 });
    }
    if (room.playerCount !== roomSize) throw new Error(`room ${r}: ${room.playerCount} of ${roomSize} joined`);
  }
  return run;
}

/** The shared input loop (one bots process): every client's inputs due now, then sleep to the next due. */
function startInputs(run: RoomRun): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (stopped) return;
    const now = performance.now();
    let nextDue = Number.POSITIVE_INFINITY;
    for (const c of run.clients) {
      // At most the newest input when late, as the bots' catch-up keeps the schedule (no burst here).
      const last = Math.floor((now - c.joinMs) / ARENA_INPUT_INTERVAL_MS);
      if (last >= c.next) {
        const [moveX, moveY] = c.schedule.directionAt(last * ARENA_INPUT_INTERVAL_MS);
        const frame = moveInput(last + 1, c.socket.ackTick, moveX, moveY);
        c.room.receive(c.session, frame, true, now);
        c.next = last + 1;
      }
      const due = c.joinMs + c.next * ARENA_INPUT_INTERVAL_MS;
      if (due < nextDue) nextDue = due;
    }
    timer = realSetTimeout(loop, Math.max(0, nextDue - performance.now()));
  };
  loop();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function tickRoom(run: RoomRun, index: number, tick: number, startMs: number, dueMs: number): void {
  if (run.measuring) run.lateness[index]!.push(startMs - dueMs);
  run.rooms[index]!.runTick(tick, startMs, dueMs);
}

function startScheduler(run: RoomRun): () => void {
  const scheduler = new RoomScheduler({
    timers: realTimers,
    slots,
    onError: (id, error) => console.error(`room ${id} threw`, error),
  });
  run.rooms.forEach((_room, index) => {
    scheduler.add(
      { id: `r${index}`, tick: (tick, startMs, dueMs) => tickRoom(run, index, tick, startMs, dueMs) },
      rateHz,
    );
  });
  scheduler.start();
  return () => scheduler.stop();
}

/** The naive baseline: one timer loop per room, started at random phases over one period. */
function startPerRoomTimers(run: RoomRun): () => void {
  return startTimerPerRoom(run.rooms.length, rateHz, realSetTimeout, (index, tick, startMs, dueMs) =>
    tickRoom(run, index, tick, startMs, dueMs),
  );
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? Number.NaN;
}

async function measure(roomCount: number, roomSize: number, label: string, start: (run: RoomRun) => () => void) {
  const run = buildRooms(roomCount, roomSize);
  const stopInputs = startInputs(run);
  const stopTicks = start(run);
  await sleep(warmupMs);
  const bytesBefore = run.clients.reduce((sum, c) => sum + c.socket.bytes, 0);
  const firedBefore = fired();
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  run.measuring = true;
  await sleep(windowMs);
  run.measuring = false;
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const wakeUps = fired() - firedBefore;
  stopTicks();
  stopInputs();
  const bytes = run.clients.reduce((sum, c) => sum + c.socket.bytes, 0) - bytesBefore;
  const roomTicks = run.lateness.reduce((sum, l) => sum + l.length, 0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const perRoomP99 = run.lateness.map(p99);
  const failed = run.rooms.filter((r) => r.failed).length;
  const left = run.rooms.reduce((sum, r) => sum + r.playerCount, 0);
  const name = `${roomCount}×${roomSize} ${label}`;
  console.log(
    `${name}: CPU ${((cpuS * 1e6) / roomTicks).toFixed(1)} µs per room-tick (${cpuS.toFixed(2)} s over ${roomTicks} room-ticks, ${(cpuS / elapsedS).toFixed(3)} s/s)`,
  );
  console.log(
    `${name}: room-ticks ${(roomTicks / elapsedS).toFixed(0)}/s (due ${roomCount * rateHz}/s), wake-ups ${(wakeUps / elapsedS).toFixed(0)}/s`,
  );
  console.log(
    `${name}: tick-start lateness p99 pooled ${p99(run.lateness.flat()).toFixed(2)} ms, worst room's p99 ${Math.max(...perRoomP99).toFixed(2)} ms`,
  );
  console.log(
    `${name}: ${(bytes / run.clients.length / elapsedS).toFixed(0)} B per client per s (encoded, dropped), players at end ${left}/${roomCount * roomSize}, failed rooms ${failed}`,
  );
}

console.log(`machine: ${machine()}`);
console.log(
  `settings: arena, ${rateHz} Hz ticks and snapshots, scheduler K=${slots}, warm-up ${warmupMs / 1000} s, window ${windowMs / 1000} s`,
);
console.log('socket writes are NOT in these figures: every frame is encoded, counted and dropped');
for (const [roomCount, roomSize] of cases) {
  await measure(roomCount, roomSize, `scheduler K=${slots}`, startScheduler);
  await measure(roomCount, roomSize, 'one timer per room', startPerRoomTimers);
}
