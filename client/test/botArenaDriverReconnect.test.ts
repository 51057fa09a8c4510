// Tests for the bots' reconnect (client/src/bot/arenaDriver.ts with `schedule`), on a fake clock with
// fake timers, seats and sockets, named after the bot's link: playing → reconnecting → playing
// (resumed, same schedule), reconnecting → joining afresh (4017), reconnecting → closed (grace over,
// or stopped), and no reconnect without timers.
import { ClientMessageId, CloseCode, type InputMessage } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { ArenaDriver } from '../src/bot/arenaDriver.js';
import { BotStats } from '../src/bot/stats.js';
import type { MatchmakeOutcome } from '../src/net/matchmake.js';
import { FakeSocket } from './support/fakeSocket.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

const INTERVAL = 33;
const GRACE_MS = 10_000;

/** Timers on a clock the test moves; the driver's `now` reads the same clock. */
class FakeTimers {
  ms = 0;
  private timers: { at: number; fn: () => void; live: boolean }[] = [];

  readonly now = (): number => this.ms;

  schedule = (fn: () => void, delayMs: number): (() => void) => {
    const timer = { at: this.ms + Math.max(0, delayMs), fn, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  };

  /** Move the clock to `ms`, running every timer due on the way, in time order. */
  advanceTo(ms: number): void {
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= ms).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.live = false;
      this.ms = due.at;
      due.fn();
    }
    this.ms = ms;
  }
}

function harness(withTimers = true) {
  const timers = new FakeTimers();
  const stats = new BotStats(0);
  const sockets: FakeSocket[] = [];
  const urls: string[] = [];
  const seats: number[] = [];
  const log: string[] = [];
  const driver = new ArenaDriver({
    count: 1,
    seat: (botIndex): MatchmakeOutcome => {
      seats.push(botIndex);
      const n = seats.length;
      return { ok: true, roomId: 'room', wsUrl: `ws://test/ws/room?n=${n}`, seat: `seat-${n}`, expiresAt: 15_000 };
    },
    openSocket: (_botIndex, wsUrl) => {
      const socket = new FakeSocket();
      sockets.push(socket);
      urls.push(wsUrl);
      return socket;
    },
    now: timers.now,
    stats,
    log: (line) => log.push(line),
    ...(withTimers ? { schedule: timers.schedule } : {}),
  });
  const last = () => sockets.at(-1)!;
  return { timers, stats, driver, sockets, urls, seats, log, last };
}

type Harness = ReturnType<typeof harness>;

/** The bot's first join: WELCOME with a token and a grace, then a snapshot. */
function joined(h: Harness): void {
  h.driver.start();
  h.last().deliver(welcomeMessage({ playerId: 7, resumeToken: 'tok-1', reconnectGraceMs: GRACE_MS }));
  h.last().deliver(emptySnapshot(1));
}

/** The timer loop's part: tick() at every due time it returns and run the timers, up to `untilMs`. */
function play(h: Harness, untilMs: number): void {
  let next = h.driver.tick(h.timers.ms);
  while (next <= untilMs) {
    h.timers.advanceTo(Math.max(h.timers.ms, next));
    next = h.driver.tick(h.timers.ms);
  }
  h.timers.advanceTo(untilMs);
}

function inputsOf(socket: FakeSocket): InputMessage[] {
  return socket.sent.filter((m): m is InputMessage => m.id === ClientMessageId.INPUT);
}

describe('ArenaDriver reconnecting', () => {
  it('playing → reconnecting → playing: resumes with the token on the same room URL, keeps its input schedule, counts it', () => {
    const h = harness();
    joined(h);
    play(h, 100);
    expect(inputsOf(h.sockets[0]!).map((m) => m.seq)).toEqual([1, 2, 3, 4]);

    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    expect(h.stats.reconnects).toBe(1);
    expect(h.log).toEqual(['bot 0: link dropped (1006), reconnecting']);
    // The first try within 250 ms of the drop, at the seat's URL, with the token instead of the seat.
    play(h, 350);
    expect(h.sockets).toHaveLength(2);
    expect(h.urls).toEqual(['ws://test/ws/room?n=1', 'ws://test/ws/room?n=1']);
    expect(h.seats).toEqual([0]);
    expect(h.last().sent[0]).toMatchObject({ id: ClientMessageId.HELLO, seat: '', resumeToken: 'tok-1' });

    play(h, 400);
    h.last().deliver(welcomeMessage({ playerId: 7, resumeToken: 'tok-2', reconnectGraceMs: GRACE_MS }));
    expect(h.stats.resumes).toBe(1);
    expect(h.stats.maxResumeMs).toBe(300);
    expect(h.stats.joins).toBe(1);
    expect(h.stats.connected).toBe(1);
    expect(h.stats.disconnects).toBe(0);
    // The inputs due while away were let go, not sent in a burst now; the schedule did not move: the
    // input due at 429 (k = 13) is the next sent, with seq 1 on the new link.
    expect(h.driver.tick(400)).toBe(13 * INTERVAL);
    expect(inputsOf(h.last())).toEqual([]);
    expect(h.stats.inputsSkipped).toBe(0);
    play(h, 13 * INTERVAL);
    expect(inputsOf(h.last()).map((m) => m.seq)).toEqual([1]);
    expect(h.driver.openSockets).toBe(1);
  });

  it(`reconnecting → joining afresh: ${CloseCode.SESSION_EXPIRED} SESSION_EXPIRED takes a new seat and says so`, () => {
    const h = harness();
    joined(h);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    h.timers.advanceTo(250);
    h.last().onclose?.({ code: CloseCode.SESSION_EXPIRED, reason: 'session expired' });
    expect(h.stats.resumeFailures).toBe(1);
    expect(h.stats.disconnects).toBe(0);
    expect(h.seats).toEqual([0, 0]);
    expect(h.urls.at(-1)).toBe('ws://test/ws/room?n=2');
    expect(h.last().sent[0]).toMatchObject({ id: ClientMessageId.HELLO, seat: 'seat-2', resumeToken: '' });
    h.last().deliver(welcomeMessage({ playerId: 9, resumeToken: 'tok-9', reconnectGraceMs: GRACE_MS }));
    expect(h.stats.joins).toBe(2);
    expect(h.stats.connected).toBe(1);
    expect(h.driver.openSockets).toBe(1);
    expect(h.log).toEqual([
      'bot 0: link dropped (1006), reconnecting',
      `bot 0: resume failed, close code ${CloseCode.SESSION_EXPIRED}`,
      'bot 0: session expired, joining afresh',
    ]);
  });

  it('reconnecting → closed: tries that fail until the grace is over end in one disconnect, no new join', () => {
    const h = harness();
    joined(h);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    for (let ms = 0; ms <= GRACE_MS + 1000; ms += 50) {
      h.timers.advanceTo(ms);
      const socket = h.last();
      if (socket !== h.sockets[0] && socket.readyState !== 3) socket.close(1006);
    }
    expect(h.sockets.length).toBeGreaterThan(2);
    expect(h.stats.reconnects).toBe(1);
    expect(h.stats.resumeFailures).toBe(1);
    expect(h.stats.disconnects).toBe(1);
    expect(Object.fromEntries(h.stats.closeCodes)).toEqual({ 1006: 1 });
    expect(h.seats).toEqual([0]);
    expect(h.driver.openSockets).toBe(0);
  });

  it('reconnecting → closed by stop(): no more tries, an expected close', () => {
    const h = harness();
    joined(h);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    h.driver.stop();
    h.timers.advanceTo(GRACE_MS);
    expect(h.sockets).toHaveLength(1);
    expect(h.stats.disconnects).toBe(0);
    expect(h.driver.openSockets).toBe(0);
  });

  it('without timers a drop is final: a disconnect, no reconnect', () => {
    const h = harness(false);
    joined(h);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    expect(h.stats.reconnects).toBe(0);
    expect(h.stats.disconnects).toBe(1);
    expect(h.sockets).toHaveLength(1);
  });
});
