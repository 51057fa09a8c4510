// What a room counts for telemetry: bytes and messages both ways, each player's clock offset from
// its INPUT.tick stamps, and the per-client figures /metrics spreads across players.
import { ClientMessageId, encodeClientMessage } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import type { Session } from '../src/session/session.js';
import { makeRoom, type RoomHarness } from './support/fakeRoom.js';

function stampedInput(t: RoomHarness, session: Session, seq: number, tick: number): void {
  t.send(
    session,
    encodeClientMessage({
      id: ClientMessageId.INPUT,
      seq,
      ackTick: 0,
      tick,
      moveX: 0,
      moveY: 0,
      buttons: 0,
      aimAngle: 0,
      viewTick: 0,
    }),
  );
}

describe('Room telemetry', () => {
  it('counts every frame in and every message out with their bytes', () => {
    const t = makeRoom();
    const { session } = t.connect('ann');
    t.input(session, 1, 1, 0);
    t.ticks(2);
    expect(t.room.counters.messagesIn).toBe(2); // HELLO, INPUT
    expect(t.room.counters.bytesIn).toBe(session.bytesIn);
    // WELCOME, PLAYERS, and the ROSTER_CHANGES with ann's join after tick 1; snapshots are counted by the sender.
    expect(t.room.counters.messagesOut).toBe(3);
    expect(t.room.counters.bytesOut).toBeGreaterThan(0);
    expect(t.room.snapshots.counters.framesSent).toBe(2);
  });

  it("measures a client's clock offset as INPUT.tick minus the tick the input will be applied at", () => {
    const t = makeRoom({ tickRate: 30 });
    const { session } = t.connect();
    t.ticks(10); // last tick run: 10, queue empty: the next input is applied at tick 11
    stampedInput(t, session, 1, 11);
    expect(session.clockOffsetMs).toBe(0);
    t.ticks(1); // the queue is empty again after tick 11: the next input lands on tick 12
    stampedInput(t, session, 2, 12 + 3);
    // Smoothed: the first sample is taken whole, later ones move it by 1/8.
    expect(session.clockOffsetMs).toBeCloseTo((3 * 1000) / 30 / 8, 9);
    expect(t.room.clientFigures().clockOffsetMs).toEqual([session.clockOffsetMs]);
  });

  it('takes no clock offset sample from an input stamped 0 (no estimate yet)', () => {
    const t = makeRoom();
    const { session } = t.connect();
    t.ticks(3);
    stampedInput(t, session, 1, 0);
    expect(session.clockOffsetMs).toBeUndefined();
    expect(t.room.clientFigures()).toEqual({ inputQueueDepth: [1], rttMs: [], clockOffsetMs: [] });
  });

  it('lists each player’s input queue depth and round trip', () => {
    const t = makeRoom();
    const a = t.connect('a');
    const b = t.connect('b');
    t.ticks(1);
    t.now += 40;
    t.input(a.session, 1, 0, 0, 1); // acks tick 1, sent 40 ms ago
    t.input(b.session, 1, 0, 0);
    t.input(b.session, 2, 0, 0);
    const figures = t.room.clientFigures();
    expect(figures.inputQueueDepth).toEqual([1, 2]);
    expect(figures.rttMs).toHaveLength(1);
    expect(figures.rttMs[0]).toBeCloseTo(40, 9);
  });
});
