// Acknowledgements through a room: ACK (id 7) is checked like INPUT's ackTick and is not an input;
// a client whose acks lag the snapshots sent to it is skipped, resumes once they catch up, and is
// closed with SLOW_CLIENT after --backpressure-timeout-ms, timed on the room's fake clock.
import { ClientMessageId, CloseCode, encodeClientMessage } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import type { Session } from '../src/session/session.js';
import { ackLagLimitTicks } from '../src/snapshot/ackLag.js';
import { makeRoom, type RoomHarness } from './support/fakeRoom.js';

/** The tick rate of these tests (the default): the ack lag limit is 60 ticks, two seconds. */
const TICK_RATE = 30;
const LIMIT = ackLagLimitTicks(TICK_RATE);

function ack(t: RoomHarness, session: Session, ackTick: number): void {
  t.send(session, encodeClientMessage({ id: ClientMessageId.ACK, ackTick }));
}

/** Run `n` ticks; `keeper` acks the newest snapshot sent to it after each. */
function ticksWithAcks(t: RoomHarness, n: number, keeper: Session): void {
  for (let i = 0; i < n; i++) {
    t.ticks(1);
    ack(t, keeper, keeper.baselineTick);
  }
}

describe('Room acknowledgements', () => {
  it('skips a client whose acks lag more than the limit though its socket shows nothing queued, counting from its join', () => {
    expect(LIMIT).toBe(60); // the ring's tickRate ticks, plus a second's allowance
    const t = makeRoom({ tickRate: TICK_RATE });
    t.ticks(500); // a late joiner: its lag counts from its join, not from tick 0
    const stale = t.connect('stale');
    const keeper = t.connect('keeper');
    ticksWithAcks(t, LIMIT + 1, keeper.session);
    expect(stale.socket.snapshots()).toHaveLength(LIMIT + 1);
    expect(t.room.snapshots.counters.backpressureSkips).toBe(0);
    ticksWithAcks(t, 10, keeper.session);
    expect(stale.socket.snapshots()).toHaveLength(LIMIT + 1);
    expect(keeper.socket.snapshots()).toHaveLength(LIMIT + 11);
    expect(t.room.snapshots.counters.backpressureSkips).toBe(10);
    expect(stale.socket.queuedBytes).toBe(0);
  });

  it('sends again once the acks catch up: a delta from the last snapshot sent, equal to the server state', () => {
    const t = makeRoom({ tickRate: TICK_RATE });
    const lagging = t.connect('lagging');
    const mover = t.connect('mover');
    t.input(mover.session, 1, 1, 0);
    ticksWithAcks(t, LIMIT + 5, mover.session);
    const lastSent = lagging.session.baselineTick;
    expect(lagging.socket.lastSnapshot().tick).toBe(lastSent);
    expect(t.room.snapshots.counters.backpressureSkips).toBe(4);
    ack(t, lagging.session, lastSent);
    t.ticks(1);
    const next = lagging.socket.lastSnapshot();
    expect(next.tick).toBe(t.room.tick);
    expect(next.baseAge).toBe(t.room.tick - lastSent);
    expect(next.players).toEqual(mover.socket.lastSnapshot().players);
    expect(lagging.socket.closed).toBeUndefined();
  });

  it(`closes a client whose acks lag past --backpressure-timeout-ms with ${CloseCode.SLOW_CLIENT}, timed from its first skip`, () => {
    const t = makeRoom({ tickRate: TICK_RATE, backpressureTimeoutMs: 1000 });
    const stale = t.connect('stale');
    const keeper = t.connect('keeper');
    ticksWithAcks(t, 5, keeper.session);
    // The paused reader: it read up to tick 5, and its INPUTs keep acknowledging that forever.
    let seq = 1;
    const staleTick = () => {
      t.input(stale.session, seq++, 0, 0, 5);
      ticksWithAcks(t, 1, keeper.session);
    };
    // Bounded: a server that never skips it fails here instead of looping.
    for (let i = 0; i < 10 * LIMIT && t.room.snapshots.counters.backpressureSkips === 0; i++) staleTick();
    expect(stale.session.baselineTick - 5).toBe(LIMIT + 1);
    const firstSkipMs = t.now;
    while (t.now - firstSkipMs <= 1000) {
      expect(stale.socket.closed).toBeUndefined();
      staleTick();
    }
    expect(stale.socket.closed?.code).toBe(CloseCode.SLOW_CLIENT);
    expect(t.room.counters.closes[CloseCode.SLOW_CLIENT]).toBe(1);
    expect(keeper.socket.closed).toBeUndefined();
    t.ticks(1);
    expect(keeper.socket.lastSnapshot().players.map((p) => p.id)).toEqual([keeper.session.playerId]);
  });

  it('keeps a client that sends only ACKs, four a second, for ten minutes: never skipped, its input queue untouched', () => {
    const t = makeRoom({ tickRate: TICK_RATE });
    const hidden = t.connect('hidden');
    for (let tick = 1; tick <= 10 * 60 * TICK_RATE; tick++) {
      t.ticks(1);
      // The net client's cadence: an ACK when a snapshot arrives and 250 ms have passed since the last.
      if (tick % 8 === 0) ack(t, hidden.session, hidden.session.baselineTick);
    }
    expect(hidden.socket.closed).toBeUndefined();
    expect(t.room.snapshots.counters.backpressureSkips).toBe(0);
    expect(hidden.socket.snapshots()).toHaveLength(10 * 60 * TICK_RATE);
    expect(hidden.session.inputs.length).toBe(0);
    expect(hidden.session.lastReceivedSeq).toBe(0);
    expect(hidden.session.ackTick).toBe(10 * 60 * TICK_RATE);
    expect(hidden.session.rttMs).toBeDefined();
  });

  it('takes a round-trip sample from an ACK, as from an INPUT, and ignores an older ack', () => {
    const t = makeRoom({ tickRate: TICK_RATE });
    const { session } = t.connect();
    t.ticks(3);
    t.now += 40;
    ack(t, session, 3);
    expect(session.rttMs).toBeCloseTo(40, 6);
    expect(session.ackTick).toBe(3);
    ack(t, session, 2);
    expect(session.ackTick).toBe(3);
    expect(session.rttMs).toBeCloseTo(40, 6);
  });

  it(`closes an ACK before WELCOME with ${CloseCode.UNEXPECTED_MESSAGE} and one ahead of the newest tick sent with ${CloseCode.INVALID_MESSAGE}`, () => {
    const t = makeRoom({ tickRate: TICK_RATE });
    const early = t.openOnly();
    ack(t, early.session, 0);
    expect(early.socket.closed?.code).toBe(CloseCode.UNEXPECTED_MESSAGE);
    const ahead = t.connect('ahead');
    t.ticks(2);
    ack(t, ahead.session, 3);
    expect(ahead.socket.closed?.code).toBe(CloseCode.INVALID_MESSAGE);
    expect(ahead.socket.closed?.reason).toBe('ACK.ackTick 3 was never sent');
  });

  it(`charges each ACK a flood token: a burst within the bucket acknowledges, one beyond it is ${CloseCode.INPUT_FLOOD}`, () => {
    const t = makeRoom({ tickRate: TICK_RATE });
    const { socket, session } = t.connect();
    t.ticks(1);
    for (let i = 0; i < TICK_RATE; i++) ack(t, session, 1);
    expect(socket.closed).toBeUndefined();
    expect(session.ackTick).toBe(1);
    for (let i = 0; i < 2 * TICK_RATE && socket.closed === undefined; i++) ack(t, session, 1);
    expect(socket.closed?.code).toBe(CloseCode.INPUT_FLOOD);
  });
});
