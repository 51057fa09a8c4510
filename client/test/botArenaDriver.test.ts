// Tests for the arena scenario's bot driver (client/src/bot/arenaDriver.ts): seats, joins, input
// timing, directions and stats, on a fake clock with fake seats and sockets; nothing here waits on a
// real timer.
import {
  ArenaSchedule,
  type ClientMessage,
  ClientMessageId,
  decodeClientFrame,
  encodeServerMessage,
  encodeSnapshotMessage,
  type InputMessage,
  mulberry32,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  type ServerMessage,
  ServerMessageId,
} from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { ARENA_MAX_CATCH_UP_INPUTS, ArenaDriver, type ArenaDriverOptions } from '../src/bot/arenaDriver.js';
import { BotStats } from '../src/bot/stats.js';
import type { MatchmakeOutcome } from '../src/net/matchmake.js';
import type { SocketCloseEvent, SocketLike, SocketMessageEvent } from '../src/net/socketLike.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

const INTERVAL = 33;

/** A socket that records every frame the client sends, decoded, with the fake clock's time. */
class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  readonly sent: { message: ClientMessage; atMs: number }[] = [];
  closedWith: number | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: SocketMessageEvent) => void) | null = null;
  onclose: ((event: SocketCloseEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(private readonly clock: FakeClock) {}

  send(data: Uint8Array): void {
    const decoded = decodeClientFrame(data);
    if (!decoded.ok) throw new Error(`client sent an undecodable frame: ${decoded.reason}`);
    this.sent.push({ message: decoded.message, atMs: this.clock.ms });
  }

  /** The client closing: the close event follows at once, with the client's code. */
  close(code = 1005, reason = ''): void {
    if (this.readyState === 3) return;
    this.closedWith = code;
    this.serverClose(code, reason);
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  private readonly headerSent = newSnapshotHeaderState();

  deliver(message: ServerMessage): void {
    // A copy: the encoder returns a Buffer, whose slice() would share its whole pool.
    this.onmessage?.({ data: new Uint8Array(this.encode(message)).buffer });
  }
  /** SNAPSHOTs are encoded against what this fake server connection sent before (PROTOCOL.md, SNAPSHOT header). */
  private encode(message: ServerMessage): Uint8Array {
    return message.id === ServerMessageId.SNAPSHOT
      ? encodeSnapshotMessage(message, this.headerSent)
      : encodeServerMessage(message);
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  get inputs(): { message: InputMessage; atMs: number }[] {
    return this.sent.filter(
      (s): s is { message: InputMessage; atMs: number } => s.message.id === ClientMessageId.INPUT,
    );
  }
}

class FakeClock {
  ms = 0;
  readonly now = (): number => this.ms;
}

function welcome(playerId: number): ServerMessage {
  return welcomeMessage({ playerId });
}

/** Bot 0's WELCOME on the wire: the bytes it received before any SNAPSHOT. */
function welcomeBytes(): number {
  return encodeServerMessage(welcomeMessage({ playerId: 1 })).byteLength;
}

function snapshot(tick: number): ServerMessage {
  return emptySnapshot(tick);
}

/** Bot i's seat in room `roomId`, answered at once. */
function seatIn(roomId: string, botIndex: number): MatchmakeOutcome {
  return { ok: true, roomId, wsUrl: `ws://test/ws/${roomId}`, seat: `seat-${botIndex}`, expiresAt: 15_000 };
}

/** A seat answered later: resolve() it, then let its promise's callbacks run. */
interface LateSeat {
  botIndex: number;
  resolve(outcome: MatchmakeOutcome): void;
}

/** Runs the callbacks of promises already settled (a fake seat's answer), with no timer. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

interface Harness {
  clock: FakeClock;
  stats: BotStats;
  driver: ArenaDriver;
  sockets: FakeSocket[];
  /** The wsUrl each socket was opened at, in opening order. */
  urls: string[];
  wakes: number[];
}

function harness(options: Partial<ArenaDriverOptions> & { count: number }): Harness {
  const clock = new FakeClock();
  const stats = new BotStats(0);
  const sockets: FakeSocket[] = [];
  const urls: string[] = [];
  const wakes: number[] = [];
  const driver = new ArenaDriver({
    seat: (botIndex) => seatIn('room', botIndex),
    openSocket: (_botIndex, wsUrl) => {
      const socket = new FakeSocket(clock);
      sockets.push(socket);
      urls.push(wsUrl);
      return socket;
    },
    now: clock.now,
    stats,
    wake: (dueMs) => wakes.push(dueMs),
    ...options,
  });
  return { clock, stats, driver, sockets, urls, wakes };
}

/** Opens bot i's socket and delivers its WELCOME at the clock's time. */
function join(h: Harness, i: number): void {
  const socket = h.sockets[i]!;
  socket.open();
  socket.deliver(welcome(i + 1));
}

/**
 * Plays the timer loop: run tick() at each due time it returns, plus `lateMs()` (0 for a
 * punctual loop), until `untilMs`; the clock ends at `untilMs` with a last tick.
 */
function runLoop(h: Harness, untilMs: number, lateMs: () => number = () => 0): void {
  let next = h.driver.tick(h.clock.ms);
  while (next <= untilMs) {
    h.clock.ms = Math.min(untilMs, Math.max(h.clock.ms, next + lateMs()));
    next = h.driver.tick(h.clock.ms);
  }
  h.clock.ms = untilMs;
  h.driver.tick(untilMs);
}

/** Every bot's inputs carry seq 1, 2, 3… and the directions of its schedule at k × 33 ms. */
function expectScheduleFollowed(inputs: { message: InputMessage }[], scheduleSeed: number, dueIndices: number[]): void {
  const schedule = new ArenaSchedule(scheduleSeed);
  expect(inputs.map((s) => s.message.seq)).toEqual(inputs.map((_, i) => i + 1));
  inputs.forEach((s, i) => {
    const [x, y] = schedule.directionAt(dueIndices[i]! * INTERVAL);
    expect([s.message.moveX, s.message.moveY]).toEqual([x, y]);
  });
}

describe('ArenaDriver joins', () => {
  it('keeps at most 10 joins in flight and opens the next as each WELCOME or failure frees a slot', () => {
    const h = harness({ count: 25 });
    h.driver.start();
    expect(h.sockets).toHaveLength(10);

    const welcomed = new Set<number>();
    const joinsInFlight = () => h.sockets.filter((s, i) => !welcomed.has(i) && s.readyState !== 3).length;
    for (let i = 0; i < 3; i++) {
      join(h, i);
      welcomed.add(i);
      expect(joinsInFlight()).toBeLessThanOrEqual(10);
    }
    expect(h.sockets).toHaveLength(13);

    h.sockets[5]!.serverClose(4006, 'room full'); // a join that failed frees its slot too
    expect(h.sockets).toHaveLength(14);
    expect(h.stats.disconnects).toBe(1);
    expect(Object.fromEntries(h.stats.closeCodes)).toEqual({ 4006: 1 });

    for (let i = 3; i < h.sockets.length; i++) {
      if (i === 5) continue;
      join(h, i);
      welcomed.add(i);
      expect(joinsInFlight()).toBeLessThanOrEqual(10);
    }
    expect(h.sockets).toHaveLength(25);
    expect(h.stats.joins).toBe(24);
    expect(h.stats.connected).toBe(24);
    expect(h.driver.pendingJoins).toBe(0);
    expect(h.driver.openSockets).toBe(24);
  });

  it("opens the seat's wsUrl and sends HELLO with the bot name and the seat on open, no input before WELCOME", () => {
    const h = harness({ count: 1, namePrefix: 'b' });
    h.driver.start();
    const socket = h.sockets[0]!;
    socket.open();
    for (const t of [0, 33, 66, 1000]) {
      h.clock.ms = t;
      expect(h.driver.tick(t)).toBe(Number.POSITIVE_INFINITY);
    }
    expect(socket.sent.map((s) => s.message)).toEqual([
      { id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name: 'b0', seat: 'seat-0', resumeToken: '' },
    ]);
    expect(h.urls).toEqual(['ws://test/ws/room']);

    h.clock.ms = 1234.5;
    socket.deliver(welcome(1));
    expect(socket.inputs.map((s) => [s.message.seq, s.atMs])).toEqual([[1, 1234.5]]);
    expect(h.wakes).toEqual([1234.5 + INTERVAL]);
  });

  it('counts a socket that cannot be opened as a disconnect (1006) and moves on', () => {
    let opened = 0;
    const clock = new FakeClock();
    const stats = new BotStats(0);
    const logs: string[] = [];
    const driver = new ArenaDriver({
      count: 3,
      now: clock.now,
      stats,
      log: (line) => logs.push(line),
      seat: (botIndex) => seatIn('room', botIndex),
      openSocket: () => {
        if (opened++ === 0) throw new Error('bad url');
        return new FakeSocket(clock);
      },
    });
    driver.start();
    expect(opened).toBe(3);
    expect(stats.disconnects).toBe(1);
    expect(Object.fromEntries(stats.closeCodes)).toEqual({ 1006: 1 });
    expect(driver.openSockets).toBe(2);
    expect(logs).toEqual(['bot 0: disconnected, close code 1006 "cannot open socket" (bad url)']);
  });
});

describe('ArenaDriver seats', () => {
  function lateHarness(count: number, logs: string[] = []): Harness & { late: LateSeat[] } {
    const late: LateSeat[] = [];
    const h = harness({
      count,
      log: (line) => logs.push(line),
      seat: (botIndex) => new Promise<MatchmakeOutcome>((resolve) => late.push({ botIndex, resolve })),
    });
    return { ...h, late };
  }

  it('counts a matchmaking call as a join in flight and opens the socket only when it answers', async () => {
    const h = lateHarness(12);
    h.driver.start();
    expect(h.late.map((l) => l.botIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.sockets).toHaveLength(0);
    expect(h.driver.pendingJoins).toBe(12);

    h.late[3]!.resolve(seatIn('r3', 3));
    await settle();
    expect(h.urls).toEqual(['ws://test/ws/r3']);
    // Still 10 in flight (9 calls and a socket without WELCOME): no new call yet.
    expect(h.late).toHaveLength(10);
    join(h, 0);
    expect(h.late.map((l) => l.botIndex).slice(10)).toEqual([10]);
  });

  it('counts a refused seat as a disconnect with its error code, logs it and starts the next bot', async () => {
    const logs: string[] = [];
    const h = lateHarness(11, logs);
    h.driver.start();
    h.late[0]!.resolve({ ok: false, status: 409, error: 'room-full', message: 'room r is full' });
    h.late[1]!.resolve({ ok: false, status: 0, error: 'network', message: 'connect ECONNREFUSED' });
    await settle();
    expect(h.stats.disconnects).toBe(2);
    expect(Object.fromEntries(h.stats.matchmakeErrors)).toEqual({ 'room-full': 1, network: 1 });
    expect(Object.fromEntries(h.stats.closeCodes)).toEqual({});
    expect(h.sockets).toHaveLength(0);
    expect(h.late.map((l) => l.botIndex).slice(10)).toEqual([10]);
    expect(h.driver.openSockets).toBe(9);
    expect(logs).toEqual([
      'bot 0: no seat, HTTP 409 room-full "room r is full"',
      'bot 1: no seat, no answer network "connect ECONNREFUSED"',
    ]);
  });

  it('counts a seat call that throws or rejects as a failed seat (network)', async () => {
    let calls = 0;
    const h = harness({
      count: 2,
      seat: (botIndex) => {
        calls++;
        if (botIndex === 0) throw new Error('boom');
        return Promise.reject(new Error('aborted'));
      },
    });
    h.driver.start();
    await settle();
    expect(calls).toBe(2);
    expect(Object.fromEntries(h.stats.matchmakeErrors)).toEqual({ network: 2 });
    expect(h.driver.pendingJoins).toBe(0);
    expect(h.driver.openSockets).toBe(0);
  });

  it('opens no socket for a seat that answers after stop, and counts no disconnect', async () => {
    const h = lateHarness(3);
    h.driver.start();
    h.driver.stop();
    for (const l of h.late) l.resolve(seatIn('r', l.botIndex));
    await settle();
    expect(h.sockets).toHaveLength(0);
    expect(h.stats.disconnects).toBe(0);
    expect(h.driver.openSockets).toBe(0);
    expect(h.driver.pendingJoins).toBe(0);
  });

  it('records the distinct rooms the bots joined', () => {
    const h = harness({ count: 5, seat: (botIndex) => seatIn(botIndex < 2 ? 'a' : 'b', botIndex) });
    h.driver.start();
    for (let i = 0; i < 5; i++) join(h, i);
    expect([...h.stats.rooms].sort()).toEqual(['a', 'b']);
    expect(h.urls).toEqual(['a', 'a', 'b', 'b', 'b'].map((r) => `ws://test/ws/${r}`));
  });
});

describe('ArenaDriver inputs', () => {
  it('sends one input every 33 ms for 10 s of a jittery loop without drift', () => {
    const h = harness({ count: 1 });
    h.driver.start();
    h.clock.ms = 1000.25;
    join(h, 0);
    const joinMs = 1000.25;
    const random = mulberry32(3);
    runLoop(h, joinMs + 10_000, () => random() * 2); // each wake-up 0–2 ms late, as setTimeout is

    const inputs = h.sockets[0]!.inputs;
    expect(inputs).toHaveLength(Math.floor(10_000 / INTERVAL) + 1);
    inputs.forEach((s, k) => {
      expect(s.atMs).toBeGreaterThanOrEqual(joinMs + k * INTERVAL);
      expect(s.atMs).toBeLessThanOrEqual(joinMs + k * INTERVAL + 2);
    });
    expectScheduleFollowed(
      inputs,
      0,
      inputs.map((_, k) => k),
    );
    expect(h.stats.inputsSent).toBe(inputs.length);
    expect(h.stats.inputsCaughtUp).toBe(0);
    expect(h.stats.inputsSkipped).toBe(0);
  });

  it('catches up on inputs that fell due while the process was busy, counted, and keeps the grid', () => {
    const h = harness({ count: 1 });
    h.driver.start();
    join(h, 0); // join at 0
    runLoop(h, 330); // k = 0..10 on time
    h.clock.ms = 330 + 100; // 100 ms stall: k = 11, 12, 13 are due (363, 396, 429)
    expect(h.driver.tick(h.clock.ms)).toBe(14 * INTERVAL);
    expect(h.stats.inputsCaughtUp).toBe(2);
    expect(h.stats.inputsSkipped).toBe(0);
    const inputs = h.sockets[0]!.inputs;
    expect(inputs).toHaveLength(14);
    expectScheduleFollowed(
      inputs,
      0,
      inputs.map((_, k) => k),
    );
  });

  it('skips the oldest inputs beyond the catch-up bound, counted, and never shifts the schedule', () => {
    const h = harness({ count: 1 });
    h.driver.start();
    join(h, 0);
    h.clock.ms = 1000; // k = 1..30 fell due during a one-second stall
    expect(h.driver.tick(1000)).toBe(31 * INTERVAL);
    const inputs = h.sockets[0]!.inputs;
    expect(inputs).toHaveLength(1 + ARENA_MAX_CATCH_UP_INPUTS);
    expect(h.stats.inputsSkipped).toBe(30 - ARENA_MAX_CATCH_UP_INPUTS);
    expect(h.stats.inputsCaughtUp).toBe(ARENA_MAX_CATCH_UP_INPUTS - 1);
    // seq stays contiguous (it numbers messages); directions are those of k = 0, 27, 28, 29, 30.
    expectScheduleFollowed(inputs, 0, [0, 27, 28, 29, 30]);
  });

  it('seeds bot i with i + seed − 1 and keeps each bot on its own join time', () => {
    const h = harness({ count: 3, seed: 5 });
    h.driver.start();
    const joins = [10, 17.5, 40.125];
    joins.forEach((t, i) => {
      h.clock.ms = t;
      join(h, i);
    });
    const random = mulberry32(11);
    runLoop(h, 5000, () => random() * 5);
    joins.forEach((joinMs, i) => {
      const inputs = h.sockets[i]!.inputs;
      expect(inputs).toHaveLength(Math.floor((5000 - joinMs) / INTERVAL) + 1);
      inputs.forEach((s, k) => {
        expect(s.atMs).toBeGreaterThanOrEqual(joinMs + k * INTERVAL);
        expect(s.atMs).toBeLessThanOrEqual(joinMs + k * INTERVAL + 5);
      });
      expectScheduleFollowed(
        inputs,
        i + 4,
        inputs.map((_, k) => k),
      );
    });
  });

  it('makes seed 1 exactly the scenario: bot i follows ArenaSchedule(i)', () => {
    const h = harness({ count: 2 });
    h.driver.start();
    join(h, 0);
    join(h, 1);
    runLoop(h, 3000);
    expectScheduleFollowed(
      h.sockets[1]!.inputs,
      1,
      h.sockets[1]!.inputs.map((_, k) => k),
    );
  });
});

describe('ArenaDriver stats and stop', () => {
  it('records snapshot intervals at bot 0 and across all bots, from the last join on', () => {
    const h = harness({ count: 2 });
    h.driver.start();
    join(h, 0);
    h.clock.ms = 5;
    join(h, 1);
    for (let i = 1; i <= 30; i++) {
      h.clock.ms = 5 + i * 33.3;
      h.sockets[0]!.deliver(snapshot(i));
      h.clock.ms += 0.5;
      h.sockets[1]!.deliver(snapshot(i));
    }
    expect(h.stats.bot0Intervals.count).toBe(29);
    expect(h.stats.allIntervals.count).toBe(58);
    expect(Math.abs(h.stats.bot0Intervals.percentile(50)! - 33.3)).toBeLessThanOrEqual(0.05);
    expect(h.driver.totals().snapshotsApplied).toBe(60);
    expect(h.driver.totals().messagesReceived).toBe(62);
  });

  it('records the entities in each bot world per decoded snapshot, and none for bots that read headers only', () => {
    const player = (id: number) => ({ id, vx: 0, vy: 0, x: 1600, y: 1600, angle: 0, hp: 100, kind: 0 });
    for (const loadOnly of [false, true]) {
      const h = harness({ count: 1, loadOnly });
      h.driver.start();
      join(h, 0);
      h.sockets[0]!.deliver({ ...emptySnapshot(1), created: [player(1), player(2), player(3)] });
      // One leaves the view, two enter.
      h.sockets[0]!.deliver({ ...emptySnapshot(2), baseAge: 1, created: [player(4), player(5)], removed: [2] });
      expect([h.stats.worldsInView, h.stats.entitiesInView]).toEqual(loadOnly ? [0, 0] : [2, 3 + 4]);
    }
  });

  it('records the entities held deferred and how many ticks the oldest has gone unsent, none for header-only bots', () => {
    const player = (id: number) => ({ id, vx: 0, vy: 0, x: 1600, y: 1600, angle: 0, hp: 100, kind: 0 });
    for (const loadOnly of [false, true]) {
      const h = harness({ count: 1, loadOnly });
      h.driver.start();
      join(h, 0);
      const socket = h.sockets[0]!;
      socket.deliver({ ...emptySnapshot(1), created: [player(2), player(3)] });
      // Tick 2 defers entity 2 (held at tick 1's state), tick 4 entity 3 too; tick 5 sends 2 again.
      socket.deliver({ ...emptySnapshot(2), baseAge: 1, deferred: [2] });
      socket.deliver({ ...emptySnapshot(3), baseAge: 1 });
      socket.deliver({ ...emptySnapshot(4), baseAge: 1, deferred: [3] });
      socket.deliver({ ...emptySnapshot(5), baseAge: 1, changed: [2, 1, 1600] });
      if (loadOnly) {
        expect([h.stats.worldsInView, h.stats.deferredInView, h.stats.maxDeferredMs]).toEqual([0, 0, 0]);
        continue;
      }
      // Held: 0, 1, 1, 2, 1 entities; the oldest at tick 4 was tick 1's state: 3 ticks at 30 Hz.
      expect([h.stats.worldsInView, h.stats.deferredInView]).toEqual([5, 5]);
      expect(h.stats.maxDeferredMs).toBeCloseTo(100, 6);
    }
  });

  it("counts each bot's snapshot bytes, header-only bots too, and none before its WELCOME", () => {
    for (const loadOnly of [false, true]) {
      const h = harness({ count: 2, loadOnly });
      h.driver.start();
      join(h, 0);
      expect(h.driver.totals().snapshotBytesByBot).toEqual([0, null]);
      h.sockets[0]!.deliver(emptySnapshot(1));
      h.sockets[0]!.deliver({ ...emptySnapshot(2), baseAge: 1 });
      const bytes = h.driver.totals().snapshotBytesByBot[0]!;
      const stats = h.driver.totals();
      // Every byte received after WELCOME was a SNAPSHOT's.
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBe(stats.bytesReceived - welcomeBytes());
    }
  });

  it('closes every socket with 1000 on stop without counting disconnects', () => {
    const h = harness({ count: 12 });
    h.driver.start();
    for (let i = 0; i < 10; i++) join(h, i);
    h.driver.stop();
    expect(h.sockets.map((s) => s.closedWith)).toEqual(h.sockets.map(() => 1000));
    expect(h.stats.disconnects).toBe(0);
    expect(h.stats.connected).toBe(0);
    expect(h.driver.openSockets).toBe(0);
    expect(h.sockets).toHaveLength(12); // no new joins open after stop
  });

  it('counts a server close of a playing bot as a disconnect and stops its inputs', () => {
    const logs: string[] = [];
    const h = harness({ count: 2, log: (line) => logs.push(line) });
    h.driver.start();
    join(h, 0);
    join(h, 1);
    runLoop(h, 100);
    h.sockets[1]!.serverClose(4007, 'flood');
    runLoop(h, 1000);
    expect(h.sockets[1]!.inputs).toHaveLength(4);
    expect(h.sockets[0]!.inputs).toHaveLength(Math.floor(1000 / INTERVAL) + 1);
    expect(h.stats.disconnects).toBe(1);
    expect(h.stats.connected).toBe(1);
    expect(logs).toEqual(['bot 1: disconnected, close code 4007 INPUT_FLOOD "flood"']);
  });

  it('counts a frame it cannot decode as a protocol error and a disconnect (1002)', () => {
    const h = harness({ count: 1 });
    h.driver.start();
    join(h, 0);
    h.sockets[0]!.onmessage?.({ data: 'text' });
    expect(h.stats.protocolErrors).toBe(1);
    expect(h.stats.disconnects).toBe(1);
    expect(Object.fromEntries(h.stats.closeCodes)).toEqual({ 1002: 1 });
  });
});

describe('ArenaDriver with a pilot (game-N)', () => {
  it("sends the pilot's movement, aim and buttons on the same 33 ms schedule, and runs the bot's clocks", () => {
    const asked: number[] = [];
    const h = harness({
      count: 1,
      pilot: (botIndex, welcomeMessage) => {
        expect([botIndex, welcomeMessage.playerId]).toEqual([0, 1]);
        return {
          next: (elapsedMs) => {
            asked.push(elapsedMs);
            return { input: { moveX: 0, moveY: 1, aimAngle: 0.5 }, buttons: 3 };
          },
        };
      },
    });
    h.driver.start();
    join(h, 0);
    runLoop(h, 200);
    const socket = h.sockets[0]!;
    expect(asked).toEqual([0, 33, 66, 99, 132, 165, 198]);
    expect(socket.inputs.map((s) => s.message)).toEqual(
      asked.map((_, i) =>
        expect.objectContaining({ seq: i + 1, moveX: 0, moveY: 1, buttons: 3, aimAngle: 0.5, viewTick: 0 }),
      ),
    );
    // update() ran: the ping schedule's first PINGs went out (an arena bot sends none).
    expect(socket.sent.some((s) => s.message.id === ClientMessageId.PING)).toBe(true);
  });

  it('arena bots send no PING and no buttons', () => {
    const h = harness({ count: 1 });
    h.driver.start();
    join(h, 0);
    runLoop(h, 200);
    const socket = h.sockets[0]!;
    expect(socket.sent.some((s) => s.message.id === ClientMessageId.PING)).toBe(false);
    expect(socket.inputs.every((s) => s.message.buttons === 0 && s.message.viewTick === 0)).toBe(true);
  });
});
