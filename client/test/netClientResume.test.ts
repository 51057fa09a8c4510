// NetClient's reconnect and resume on a fake clock and fake sockets, named after the link's states:
// playing → reconnecting → playing (resumed), reconnecting → closed (grace over, refused), and the
// closes that never reconnect.
import { ClientMessageId, CloseCode } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { NetClient, type NetClientOptions } from '../src/net/netClient.js';
import { RECONNECT_BASE_MS } from '../src/net/reconnectPolicy.js';
import { FakeSocket } from './support/fakeSocket.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

/** Timers on a clock the test moves. */
class FakeTimers {
  ms = 0;
  private timers: { at: number; fn: () => void; live: boolean }[] = [];

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

function harness(overrides: Partial<NetClientOptions> = {}, random = () => 0.5) {
  const timers = new FakeTimers();
  const sockets = [new FakeSocket()];
  const log: string[] = [];
  let openFails = false;
  const client = new NetClient({
    socket: sockets[0]!,
    name: 'ann',
    seat: 'seat-1',
    now: () => timers.ms,
    interpolate: true,
    reconnect: {
      openSocket: () => {
        if (openFails) throw new Error('no network');
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      schedule: timers.schedule,
      random,
    },
    onReconnecting: (status) => log.push(`reconnecting ${status.code} try ${status.attempts} at ${status.elapsedMs}`),
    onResumed: (welcome, pauseMs) => log.push(`resumed ${welcome.playerId} after ${pauseMs}`),
    onResumeFailed: (code) => log.push(`resume failed ${code}`),
    onClose: (event) => log.push(`closed ${event.code}`),
    onResumeToken: (token, graceMs) => log.push(`token ${token} ${graceMs}`),
    ...overrides,
  });
  return {
    timers,
    sockets,
    log,
    client,
    failOpens: () => {
      openFails = true;
    },
    last: () => sockets.at(-1)!,
  };
}

function playing(h: ReturnType<typeof harness>, token = 'tok-1', graceMs = 10_000): void {
  h.last().deliver(welcomeMessage({ playerId: 3, resumeToken: token, reconnectGraceMs: graceMs }));
  h.last().deliver(emptySnapshot(10));
}

describe('NetClient playing → reconnecting → playing', () => {
  it('keeps the token of the latest WELCOME and hands it on for sessionStorage', () => {
    const h = harness();
    playing(h, 'tok-1', 8000);
    expect(h.client.resumeToken).toBe('tok-1');
    expect(h.client.reconnectGraceMs).toBe(8000);
    expect(h.log).toEqual(['token tok-1 8000']);
  });

  it('after a 1006 tries within 250 ms on a new socket whose HELLO carries the token instead of the seat', () => {
    const h = harness({}, () => 1 - Number.EPSILON);
    playing(h);
    h.timers.advanceTo(1000);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    expect(h.client.link).toBe('reconnecting');
    expect(h.sockets).toHaveLength(1);
    h.timers.advanceTo(1000 + RECONNECT_BASE_MS - 1);
    expect(h.sockets).toHaveLength(2);
    expect(h.last().last(ClientMessageId.HELLO)).toMatchObject({ name: 'ann', seat: '', resumeToken: 'tok-1' });
    expect(h.log).toContain('reconnecting 1006 try 0 at 0');
  });

  it('is back to playing at the WELCOME: same player, new token, clock sync and prediction made new, counters kept', () => {
    const h = harness();
    playing(h);
    const oldClock = h.client.clock;
    const oldBuffer = h.client.buffer;
    h.client.prediction!.stats.mispredictions = 2;
    const receivedBefore = h.client.connection.stats.messagesReceived;
    h.timers.advanceTo(3000);
    h.sockets[0]!.onclose?.({ code: 1001, reason: 'draining' });
    h.timers.advanceTo(3200);
    expect(h.sockets).toHaveLength(2);
    // While reconnecting the dropped game stays on screen.
    expect(h.client.connection.latestSnapshot?.tick).toBe(10);
    expect(h.client.playerId).toBe(3);
    h.timers.advanceTo(3300);
    h.last().deliver(welcomeMessage({ playerId: 3, resumeToken: 'tok-2', reconnectGraceMs: 10_000 }));
    expect(h.client.link).toBe('playing');
    expect(h.client.resumeToken).toBe('tok-2');
    expect(h.client.clock).not.toBe(oldClock);
    expect(h.client.buffer).not.toBe(oldBuffer);
    expect(h.client.prediction!.state).toBeUndefined();
    expect(h.client.prediction!.stats.mispredictions).toBe(2);
    expect(h.client.connection.stats.messagesReceived).toBe(receivedBefore + 1);
    expect(h.log).toContain('resumed 3 after 300');
    // Inputs restart at seq 1 on the new connection.
    expect(h.client.sendInput({ moveX: 1, moveY: 0 })).toBe(1);
  });

  it('waits for a whole new roster (PLAYERS) after a resume', () => {
    const h = harness();
    playing(h);
    h.last().deliver({
      id: 67,
      version: 4,
      page: 0,
      pages: 1,
      players: [{ id: 3, name: 'ann', kills: 1, deaths: 0, reconnecting: 0 }],
    });
    expect(h.client.rosterVersion).toBe(4);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    h.timers.advanceTo(300);
    h.last().deliver(welcomeMessage({ playerId: 3, resumeToken: 'tok-2' }));
    expect(h.client.rosterVersion).toBeUndefined();
    h.last().deliver({
      id: 67,
      version: 9,
      page: 0,
      pages: 1,
      players: [{ id: 3, name: 'ann', kills: 1, deaths: 0, reconnecting: 0 }],
    });
    expect(h.client.rosterVersion).toBe(9);
  });

  it('tries again with a growing wait after tries that fail on the way', () => {
    const h = harness({}, () => 1 - Number.EPSILON);
    playing(h);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    const triedAt: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = h.sockets.length;
      while (h.sockets.length === before) h.timers.advanceTo(h.timers.ms + 1);
      triedAt.push(h.timers.ms);
      h.last().onclose?.({ code: 1006, reason: '' });
    }
    expect(triedAt).toEqual([249, 249 + 499, 249 + 499 + 999, 249 + 499 + 999 + 1999]);
  });
});

describe('NetClient reconnecting → closed', () => {
  it('gives up once the grace has passed since the drop, and says so', () => {
    const h = harness({}, () => 1 - Number.EPSILON);
    playing(h, 'tok-1', 3000);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    h.failOpens();
    h.timers.advanceTo(60_000);
    expect(h.client.link).toBe('closed');
    expect(h.log.slice(-2)).toEqual(['resume failed 1006', 'closed 1006']);
    const tries = h.log.filter((line) => line.startsWith('reconnecting')).length;
    expect(tries).toBeGreaterThanOrEqual(3);
  });

  it(`ends at ${CloseCode.SESSION_EXPIRED} SESSION_EXPIRED so the caller joins afresh`, () => {
    const h = harness();
    playing(h);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    h.timers.advanceTo(300);
    h.last().onclose?.({ code: CloseCode.SESSION_EXPIRED, reason: 'session expired' });
    expect(h.client.link).toBe('closed');
    expect(h.log.slice(-2)).toEqual([
      `resume failed ${CloseCode.SESSION_EXPIRED}`,
      `closed ${CloseCode.SESSION_EXPIRED}`,
    ]);
    h.timers.advanceTo(60_000);
    expect(h.sockets).toHaveLength(2);
  });

  it('stops trying when the caller leaves while reconnecting', () => {
    const h = harness();
    playing(h);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    h.timers.advanceTo(300);
    h.client.close();
    expect(h.log.at(-1)).toBe('closed 1000');
    h.timers.advanceTo(60_000);
    expect(h.sockets).toHaveLength(2);
  });
});

describe('NetClient closes that never reconnect', () => {
  for (const code of [1000, CloseCode.IDLE_KICK, CloseCode.REPLACED, CloseCode.ROOM_FULL, CloseCode.RESUME_REFUSED]) {
    it(`closes for good at ${code}`, () => {
      const h = harness();
      playing(h);
      h.sockets[0]!.onclose?.({ code, reason: '' });
      h.timers.advanceTo(60_000);
      expect(h.client.link).toBe('closed');
      expect(h.sockets).toHaveLength(1);
      expect(h.log.at(-1)).toBe(`closed ${code}`);
    });
  }

  it('does not reconnect when the server keeps no player (grace 0) or sent no token', () => {
    for (const [token, grace] of [
      ['tok', 0],
      ['', 10_000],
    ] as const) {
      const h = harness();
      playing(h, token, grace);
      h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
      h.timers.advanceTo(60_000);
      expect(h.client.link).toBe('closed');
      expect(h.sockets).toHaveLength(1);
    }
  });

  it('does not reconnect a first join that never got its WELCOME', () => {
    const h = harness();
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    expect(h.client.link).toBe('closed');
  });
});

describe('NetClient silence timeout', () => {
  it('gives up a link silent for 4 s without a leave (no 1000) and reconnects', () => {
    const h = harness();
    playing(h);
    h.timers.advanceTo(3999);
    expect(h.client.link).toBe('playing');
    h.timers.advanceTo(4000);
    expect(h.client.link).toBe('reconnecting');
    expect(h.sockets[0]!.readyState).toBe(3);
    expect(h.sockets[0]!.closedWith).toBeUndefined();
    expect(h.log).toContain('reconnecting 1006 try 0 at 0');
  });

  it('keeps a link whose frames keep coming', () => {
    const h = harness();
    playing(h);
    for (let t = 1000; t <= 20_000; t += 1000) {
      h.timers.advanceTo(t);
      h.last().deliver(emptySnapshot(10 + t / 100));
    }
    expect(h.client.link).toBe('playing');
    expect(h.sockets).toHaveLength(1);
  });

  it('gives up a try that hangs without a WELCOME and makes another', () => {
    const h = harness();
    playing(h);
    h.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    h.timers.advanceTo(200);
    expect(h.sockets).toHaveLength(2);
    h.timers.advanceTo(200 + 4000 + 500);
    expect(h.sockets.length).toBeGreaterThanOrEqual(3);
    expect(h.sockets[1]!.readyState).toBe(3);
  });
});

describe('NetClient after 4019 MOVED', () => {
  /** A playing client whose 4019 tries are recorded: where each opened and what was located. */
  function moved(locate: (token: string) => Promise<string | undefined>) {
    const opened: (string | undefined)[] = [];
    const located: string[] = [];
    const timers = new FakeTimers();
    const first = new FakeSocket();
    const sockets: FakeSocket[] = [];
    const client = new NetClient({
      socket: first,
      name: 'ann',
      seat: 'seat-1',
      now: () => timers.ms,
      reconnect: {
        openSocket: (movedTo) => {
          opened.push(movedTo);
          const socket = new FakeSocket();
          sockets.push(socket);
          return socket;
        },
        locate: (token) => {
          located.push(token);
          return locate(token);
        },
        schedule: timers.schedule,
        random: () => 0.5,
      },
    });
    first.deliver(welcomeMessage({ playerId: 3, resumeToken: 'tok-1', reconnectGraceMs: 10_000 }));
    return { client, first, opened, located, timers, sockets };
  }
  const settle = async () => {
    for (let i = 0; i < 4; i++) await Promise.resolve();
  };

  it("locates the token's room through the matchmaker, then resumes at its new address", async () => {
    const m = moved(async () => 'ws://other:8081/ws/room');
    m.first.onclose?.({ code: CloseCode.MOVED, reason: 'moved' });
    expect(m.client.link).toBe('reconnecting');
    m.timers.advanceTo(1000);
    await settle();
    expect(m.located).toEqual(['tok-1']);
    expect(m.opened).toEqual(['ws://other:8081/ws/room']);
  });

  it('goes straight to the socket its reason names, asking no matchmaker on that first try', async () => {
    const m = moved(async () => 'ws://elsewhere:9/ws/room');
    m.first.onclose?.({ code: CloseCode.MOVED, reason: 'ws://other:8081/ws/room' });
    m.timers.advanceTo(1000);
    await settle();
    expect(m.located).toEqual([]);
    expect(m.opened).toEqual(['ws://other:8081/ws/room']);
    // That try failed: the next one asks where the room is now.
    m.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    m.timers.advanceTo(5000);
    await settle();
    expect(m.located).toEqual(['tok-1']);
    expect(m.opened).toEqual(['ws://other:8081/ws/room', 'ws://elsewhere:9/ws/room']);
  });

  it('tries the last address when the matchmaker cannot be reached (it may have drained away)', async () => {
    const m = moved(() => Promise.reject(new Error('connection refused')));
    m.first.onclose?.({ code: CloseCode.MOVED, reason: 'ws://other:8081/ws/room' });
    m.timers.advanceTo(1000);
    await settle();
    m.sockets[0]!.onclose?.({ code: 1006, reason: '' });
    m.timers.advanceTo(5000);
    await settle();
    expect(m.located).toEqual(['tok-1']);
    expect(m.opened).toEqual(['ws://other:8081/ws/room', 'ws://other:8081/ws/room']);
  });
});
