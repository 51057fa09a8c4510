// Bench: the room scheduler (K phase slots, one timer per wake-up) against one timer per room (a
// TickScheduler each, the way the server ticked its one room before rooms), in one process and one run. Run by hand
// (npm run bench:scheduler); prints one line per figure: wake-ups/s, tick-start lateness, CPU.
//
//   npm run bench:scheduler -- [--rooms 64,256] [--slots 1,8,16] [--seconds 5] [--work-us 50] [--rate 30]
//
// Every room spins for --work-us of busy work per tick (a stand-in for a small room's tick). The
// per-room baseline starts its rooms at random phases over one period (its best case: rooms created
// at one instant would all wake together). Wake-ups are timer callbacks fired, counted the same way
// for both by wrapping the global setTimeout; lateness is each room tick's start minus its due time.
import { parseArgs } from 'node:util';
import { realTimers } from '../server/src/rooms/realTimers.js';
import { RoomScheduler } from '../server/src/rooms/roomScheduler.js';
import { countTimerCallbacks, machine } from './support.js';
import { startTimerPerRoom } from './timerPerRoom.js';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '64,256' },
    slots: { type: 'string', default: '1,8,16' },
    seconds: { type: 'string', default: '5' },
    'work-us': { type: 'string', default: '50' },
    rate: { type: 'string', default: '30' },
  },
});
const roomCounts = values.rooms.split(',').map(Number);
const slotCounts = values.slots.split(',').map(Number);
const seconds = Number(values.seconds);
const workMs = Number(values['work-us']) / 1000;
const rateHz = Number(values.rate);
const WARMUP_MS = 1000;

const { fired, realSetTimeout, sleep } = countTimerCallbacks();

function busy(): void {
  const end = performance.now() + workMs;
  while (performance.now() < end) {
    // spin: the room's tick
  }
}

interface Figures {
  wakeUpsPerSecond: number;
  ticksPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  cpu: number;
}

/** Run `start` (which begins ticking and records lateness through `record`), measure after the warm-up. */
async function measure(start: (record: (latenessMs: number) => void) => () => void): Promise<Figures> {
  const lateness: number[] = [];
  let measuring = false;
  const stop = start((ms) => {
    if (measuring) lateness.push(ms);
  });
  await sleep(WARMUP_MS);
  measuring = true;
  const firedBefore = fired();
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const wakeUps = fired() - firedBefore;
  measuring = false;
  stop();
  lateness.sort((a, b) => a - b);
  const at = (q: number) => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))] ?? Number.NaN;
  return {
    wakeUpsPerSecond: wakeUps / elapsedS,
    ticksPerSecond: lateness.length / elapsedS,
    p50: at(0.5),
    p99: at(0.99),
    max: lateness.at(-1) ?? Number.NaN,
    cpu: (cpu.user + cpu.system) / 1e6 / elapsedS,
  };
}

function perRoomTimers(rooms: number) {
  return (record: (latenessMs: number) => void) =>
    startTimerPerRoom(rooms, rateHz, realSetTimeout, (_room, _tick, startMs, dueMs) => {
      record(startMs - dueMs);
      busy();
    });
}

function slotted(rooms: number, slots: number) {
  return (record: (latenessMs: number) => void) => {
    const scheduler = new RoomScheduler({
      timers: realTimers,
      slots,
      onError: (id, error) => console.error(`room ${id} threw`, error),
    });
    for (let i = 0; i < rooms; i++) {
      scheduler.add(
        {
          id: `r${i}`,
          tick(_tick, startMs, dueMs) {
            record(startMs - dueMs);
            busy();
          },
        },
        rateHz,
      );
    }
    scheduler.start();
    return () => scheduler.stop();
  };
}

function print(label: string, f: Figures): void {
  console.log(`${label}: wake-ups ${f.wakeUpsPerSecond.toFixed(0)}/s`);
  console.log(
    `${label}: tick-start lateness p99 ${f.p99.toFixed(2)} ms (p50 ${f.p50.toFixed(2)}, max ${f.max.toFixed(2)})`,
  );
  console.log(`${label}: room ticks ${f.ticksPerSecond.toFixed(0)}/s, CPU ${f.cpu.toFixed(3)} s/s`);
}

console.log(`machine: ${machine()}`);
console.log(
  `settings: ${rateHz} Hz, ${values['work-us']} µs of work per room tick, ${seconds} s per case after ${WARMUP_MS} ms`,
);
for (const rooms of roomCounts) {
  print(`${rooms} rooms, one timer per room`, await measure(perRoomTimers(rooms)));
  for (const slots of slotCounts) {
    print(`${rooms} rooms, scheduler K=${slots}`, await measure(slotted(rooms, slots)));
  }
}
