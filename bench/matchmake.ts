// Bench: matchmaking on one process (issue 13): POST /matchmake joinOrCreate from C concurrent callers
// over HTTP against a fresh Tickwire server, beside a POST /matchmake the server refuses at once (an
// empty JSON object: 400 after the same HTTP, size, rate and JSON steps, no room work: the floor) at
// the same concurrency, and whether any room ever held more seats or players than its maxPlayers. Run by hand
// (npm run bench:matchmake); prints one line per figure.
//
//   npm run bench:matchmake -- [--calls 2000] [--concurrency 20] [--throughput-calls 4000]
//                              [--throughput-concurrency 100] [--room-size 16] [--warmup 200]
//
// Two phases, each on its own fresh server (so the second does not run beside the first's rooms):
// latency (--calls at --concurrency) and throughput (--throughput-calls at --throughput-concurrency).
// In each: --warmup calls of both kinds first, then the floor, then joinOrCreate, each kind with the
// same count and callers. The load generator is this process (node:http, a keep-alive agent with one
// socket per caller: cheaper per call than fetch, so more of the 2 cores are left to the server),
// on the same 2 cores as the server; its CPU is printed beside the server's. Seats are never used,
// so each holds its room's place for its 15 s (pending seats count against maxPlayers): every room
// fills with seats. "Never over": the answers name the room of every seat, and /healthz's roomList
// is polled every 100 ms during the phase and read once after it.
import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import type { MatchmakeAnswer } from '@tickwire/protocol';
import { type Answer, post } from './httpPost.js';
import { cpuSeconds, getJson, machine, startServer, stopProcess } from './support.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '20' },
    'throughput-calls': { type: 'string', default: '4000' },
    'throughput-concurrency': { type: 'string', default: '100' },
    'room-size': { type: 'string', default: '16' },
    warmup: { type: 'string', default: '200' },
  },
});
const roomSize = Number(values['room-size']);
const warmup = Number(values.warmup);
/** How often /healthz's roomList is read while calls run. @default 100 ms */
const POLL_MS = 100;

interface RoomRow {
  id: string;
  players: number;
  maxPlayers: number;
}
interface Health {
  roomList: RoomRow[];
}

interface PhaseResult {
  ms: number[];
  seconds: number;
  statuses: Map<number, number>;
}
/** The expiresAt of every seat answered, per room, over a whole phase (warm-up included). */
type SeatsByRoom = Map<string, number[]>;
/** How long a seat is pending (server/src/rooms/matchmaker.ts SEAT_TTL_MS): issued at expiresAt − this. @default 15 000 ms */
const SEAT_TTL_MS = 15_000;

/**
 * The most seats of one room pending at once: seat i was issued at expiresAt_i − TTL, and seat j was
 * still pending then when expiresAt_j > expiresAt_i − TTL (the server's own clock on both sides).
 */
function mostPendingAtOnce(expiries: number[]): number {
  const sorted = [...expiries].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[first]! <= sorted[i]! - SEAT_TTL_MS) first++;
    most = Math.max(most, i - first + 1);
  }
  return most;
}

/** `calls` requests from `concurrency` callers, each starting its next as its last is answered. */
async function run(
  concurrency: number,
  calls: number,
  call: () => Promise<Answer>,
  seatsByRoom: SeatsByRoom,
): Promise<PhaseResult> {
  const result: PhaseResult = { ms: [], seconds: 0, statuses: new Map() };
  let issued = 0;
  const t0 = performance.now();
  const caller = async () => {
    while (issued < calls) {
      issued++;
      const start = performance.now();
      const response = await call();
      result.ms.push(performance.now() - start);
      result.statuses.set(response.status, (result.statuses.get(response.status) ?? 0) + 1);
      if (response.status === 200 && response.seat) {
        const answer = JSON.parse(response.body) as MatchmakeAnswer;
        const seats = seatsByRoom.get(answer.roomId) ?? [];
        seats.push(answer.expiresAt);
        seatsByRoom.set(answer.roomId, seats);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function describe(label: string, r: PhaseResult, serverCpu: number, loadCpu: number): string {
  const statuses = [...r.statuses].map(([status, n]) => `${status}: ${n}`).join(', ');
  return [
    label.padEnd(34),
    `p50 ${percentile(r.ms, 50).toFixed(2)} ms`,
    `p99 ${percentile(r.ms, 99).toFixed(2)} ms`,
    `max ${Math.max(...r.ms).toFixed(2)} ms`,
    `${(r.ms.length / r.seconds).toFixed(0)} calls/s`,
    `server cpu ${serverCpu.toFixed(2)} s/s`,
    `load generator cpu ${loadCpu.toFixed(2)} s/s`,
    `statuses ${statuses}`,
  ].join('  ');
}

async function phase(name: string, concurrency: number, calls: number): Promise<void> {
  const server = await startServer([
    '--scenario',
    'arena',
    '--max-players',
    String(roomSize),
    '--max-rooms',
    '10000',
    '--max-total-players',
    '1000000',
  ]);
  const pid = server.child.pid!;
  const port = Number(new URL(server.url).port);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const joinOrCreate = JSON.stringify({ mode: 'joinOrCreate', scenario: 'arena', maxPlayers: roomSize });
  const matchmake = () => post(agent, port, joinOrCreate, true);
  const floorCall = () => post(agent, port, '{}', false);
  // Over maxPlayers at any poll: room id → the most players seen.
  const overfull = new Map<string, number>();
  let polls = 0;
  const check = (rows: RoomRow[]) => {
    for (const row of rows) if (row.players > row.maxPlayers) overfull.set(row.id, row.players);
  };
  const seatsByRoom: SeatsByRoom = new Map();
  try {
    await run(concurrency, warmup, matchmake, seatsByRoom);
    await run(concurrency, warmup, floorCall, seatsByRoom);
    const measure = async (call: () => Promise<Answer>) => {
      let polling = true;
      const poller = (async () => {
        while (polling) {
          check((await getJson<Health>(`${server.url}/healthz`)).roomList);
          polls++;
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      })();
      const serverBefore = cpuSeconds(pid);
      const loadBefore = process.cpuUsage();
      const t0 = performance.now();
      const result = await run(concurrency, calls, call, seatsByRoom);
      const elapsed = (performance.now() - t0) / 1000;
      const load = process.cpuUsage(loadBefore);
      const serverCpu = (cpuSeconds(pid) - serverBefore) / elapsed;
      polling = false;
      await poller;
      return { result, serverCpu, loadCpu: (load.user + load.system) / 1e6 / elapsed };
    };
    const floor = await measure(floorCall);
    console.log(
      describe(`${name}: floor (400) ×${calls} @${concurrency}`, floor.result, floor.serverCpu, floor.loadCpu),
    );
    const mm = await measure(matchmake);
    console.log(describe(`${name}: POST /matchmake ×${calls} @${concurrency}`, mm.result, mm.serverCpu, mm.loadCpu));
    check((await getJson<Health>(`${server.url}/healthz`)).roomList);
    // A room's places taken at once are its pending seats (never used, so no players): never more
    // than its maxPlayers at any instant, whatever expired in between.
    let seatsOver = 0;
    let most = 0;
    let seats = 0;
    for (const expiries of seatsByRoom.values()) {
      seats += expiries.length;
      const pending = mostPendingAtOnce(expiries);
      most = Math.max(most, pending);
      if (pending > roomSize) seatsOver++;
    }
    const rooms = seatsByRoom.size;
    console.log(
      `${name}: ${seats} seats in ${rooms} rooms of ${roomSize} (fewest possible while no seat expires ${Math.ceil(seats / roomSize)}); most seats pending at once in one room ${most}, rooms ever over maxPlayers by their seats: ${seatsOver}; rooms over maxPlayers in /healthz: ${overfull.size} over ${polls} polls and once after`,
    );
  } finally {
    agent.destroy();
    await stopProcess(server.child);
  }
}

console.log(`machine: ${machine()}`);
console.log(
  `joinOrCreate {scenario: 'arena', maxPlayers: ${roomSize}} over HTTP/1.1 keep-alive (node:http, one socket per caller) from this process; warm-up ${warmup} calls of each kind; a fresh server per phase`,
);
await phase('latency', Number(values.concurrency), Number(values.calls));
await phase('throughput', Number(values['throughput-concurrency']), Number(values['throughput-calls']));
