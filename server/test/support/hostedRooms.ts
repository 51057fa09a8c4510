// Test helper: a RoomHost on a fake clock with its scheduler and matchmaker, as gameServer.ts wires
// them, for tests that need real rooms coming and going (lifecycle, seats, telemetry; fake sockets).
import { ClientMessageId, encodeClientMessage, PROTOCOL_VERSION } from '@tickwire/protocol';
import { defaultConfig, roomOptionsOf, viewRadiusOf } from '../../src/config.js';
import { Faults } from '../../src/faults.js';
import { silentLogger } from '../../src/log.js';
import type { TickCounts } from '../../src/metrics/roomFigureSource.js';
import { InMemoryDirectory } from '../../src/rooms/directory.js';
import { GuessLimiter } from '../../src/rooms/guessLimiter.js';
import { type MatchmakeResult, Matchmaker } from '../../src/rooms/matchmaker.js';
import { inMemoryBook } from '../../src/rooms/roomBook.js';
import { RoomHost } from '../../src/rooms/roomHost.js';
import { roomsSource } from '../../src/rooms/roomReport.js';
import { RoomScheduler } from '../../src/rooms/roomScheduler.js';
import { TickTimings } from '../../src/stats/tickTimings.js';
import { FakeSocket } from './fakeRoom.js';
import { FakeTimers } from './fakeTimers.js';

/** The seat key the helper's rooms check (tests forge seats with another). */
export const SECRET = new Uint8Array(32).fill(9);
/** Wall-clock ms at fake time 0. */
export const EPOCH = 1_800_000_000_000;

export function makeHostedRooms(options: { maxRooms?: number; roomIdleMs?: number } = {}) {
  const maxRooms = options.maxRooms ?? 8;
  const timers = new FakeTimers();
  const epochNow = () => EPOCH + timers.nowMs;
  const directory = new InMemoryDirectory();
  const faults = new Faults(silentLogger);
  const scheduler = new RoomScheduler({ timers, onError: (roomId, error) => host.failRoom(roomId, error), earlyMs: 0 });
  // These fake clients never acknowledge: no SLOW_CLIENT close within a test's minutes.
  const config = { ...defaultConfig(), scenario: 'arena' as const, backpressureTimeoutMs: 3_600_000 };
  const pooledTimings = new TickTimings(config.tickTiming, 1000 / config.tickRate);
  const host = new RoomHost({
    base: roomOptionsOf(config),
    seed: 1,
    maxRooms,
    roomIdleMs: options.roomIdleMs ?? 5000,
    book: inMemoryBook(directory),
    scheduler,
    secret: SECRET,
    pooledTimings,
    admitJoin: () => true,
    faults,
    log: silentLogger,
    now: timers.now,
    epochNow,
  });
  const matchmaker = new Matchmaker({
    directory,
    createRoom: (settings) => host.createRoom(settings),
    secret: SECRET,
    rules: {
      scenarios: ['arena', 'game'],
      defaultScenario: 'arena',
      defaultMaxPlayers: 8,
      maxPlayersCeiling: 64,
      defaultTickRate: config.tickRate,
      defaultSnapshotRate: config.snapshotRate,
      defaultViewRadius: (scenario) => viewRadiusOf(config, scenario),
      maxViewRadius: config.maxViewRadius,
    },
    guesses: new GuessLimiter(),
  });
  scheduler.start();
  const clock: TickCounts = scheduler.counts;
  const ask = async (body: unknown): Promise<Extract<MatchmakeResult, { ok: true }>> => {
    const answer = await matchmaker.matchmake(body, undefined, epochNow());
    if (!answer.ok) throw new Error(`matchmake refused: ${answer.error}`);
    return answer;
  };
  /** Open a fake socket in live room `roomId` and say HELLO with `seat`. */
  const hello = (roomId: string, seat: string, name = 'p') => {
    const found = host.lookup(roomId);
    if (found.state !== 'live') throw new Error(`room ${roomId} is ${found.state}`);
    const socket = new FakeSocket();
    const session = found.room.open(socket, timers.nowMs);
    const frame = encodeClientMessage({ id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name, seat });
    found.room.receive(session, frame, true, timers.nowMs);
    return { roomId, room: found.room, session, socket };
  };
  /** Take a seat with `body` and say HELLO with it on a fake socket. */
  const join = async (body: unknown, name = 'p') => {
    const { roomId, seat } = await ask(body);
    return hello(roomId, seat, name);
  };
  /** Advance the fake clock to `ms`, running the per-second check on every whole second passed. */
  const advanceTo = (ms: number) => {
    while (timers.nowMs < ms) {
      const next = Math.min(ms, (Math.floor(timers.nowMs / 1000) + 1) * 1000);
      timers.advanceTo(next);
      if (next % 1000 === 0) host.check();
    }
  };
  return {
    config,
    host,
    scheduler,
    clock,
    timers,
    rooms: roomsSource(host, maxRooms),
    directory,
    matchmaker,
    faults,
    ask,
    hello,
    join,
    advanceTo,
  };
}

export type HostedRooms = ReturnType<typeof makeHostedRooms>;
