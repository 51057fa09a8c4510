// Delta snapshots through a room: shared bodies, zero bytes for predictable movers, backpressure
// skips that keep the next delta applicable, SLOW_CLIENT, ring fallbacks, acks and the debug state.
import { ClientMessageId, CloseCode, encodeClientMessage, ServerMessageId } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { makeRoom } from './support/fakeRoom.js';

/** The server's own state of every player, sorted by id, for comparing with a client's. */
function serverPlayers(t: ReturnType<typeof makeRoom>) {
  const state = t.room.snapshots.ring.get(t.room.tick)!;
  return Object.entries(state.toObject()).map(([id, fields]) => ({ id: Number(id), ...fields }));
}

describe('Room snapshots', () => {
  it('encodes one body per snapshot tick for clients that share a baseline', () => {
    const t = makeRoom();
    const clients = [t.connect('a'), t.connect('b'), t.connect('c')];
    t.ticks(1); // everyone's first snapshot: one full body
    const before = t.room.snapshots.counters.bodyEncodes;
    for (const [i, c] of clients.entries()) t.input(c.session, 1, i === 0 ? 1 : 0, i === 1 ? 1 : 0);
    t.ticks(10);
    expect(t.room.snapshots.counters.bodyEncodes - before).toBe(10);
    expect(t.room.snapshots.counters.framesSent).toBe(33);
  });

  it('sends a steady mover as zero bytes: after its turn, its entity is in no list', () => {
    const t = makeRoom();
    const { socket, session } = t.connect();
    t.ticks(1);
    t.input(session, 1, 1, 0);
    t.ticks(1);
    const turn = socket.lastSnapshot();
    expect(turn.changed.length).toBeGreaterThan(0);
    t.ticks(5); // the latest input repeats: the same velocity every tick
    for (const snapshot of socket.snapshots().slice(-5)) {
      expect([snapshot.created, snapshot.changed, snapshot.removed]).toEqual([[], [], []]);
    }
    expect(socket.lastSnapshot().players).toEqual(serverPlayers(t));
  });

  it('gives every client the server state after each snapshot while players move, join and leave', () => {
    const t = makeRoom();
    const a = t.connect('a');
    const b = t.connect('b');
    let seq = 0;
    for (let tick = 1; tick <= 60; tick++) {
      seq++;
      t.input(a.session, seq, Math.cos(tick / 5), Math.sin(tick / 7));
      t.input(b.session, seq, tick % 20 < 10 ? 1 : -1, 0);
      if (tick === 20) t.connect('late');
      t.ticks(1);
      expect(a.socket.lastSnapshot().players).toEqual(serverPlayers(t));
      expect(b.socket.lastSnapshot().players).toEqual(serverPlayers(t));
    }
  });

  it('skips a backed-up client, keeps its baseline, and its next delta still applies', () => {
    const t = makeRoom();
    const slow = t.connect('slow');
    const other = t.connect('other');
    t.ticks(2);
    slow.socket.queuedBytes = 1_000_000;
    t.input(other.session, 1, 1, 0);
    t.ticks(5);
    expect(slow.socket.snapshots()).toHaveLength(2);
    expect(t.room.snapshots.counters.backpressureSkips).toBe(5);
    slow.socket.queuedBytes = 0;
    t.ticks(1);
    const caughtUp = slow.socket.lastSnapshot();
    expect(caughtUp.baseAge).toBe(6);
    expect(caughtUp.players).toEqual(serverPlayers(t));
    expect(t.room.snapshots.counters.fullFallbacks).toBe(0);
  });

  it('sends a full snapshot, counted, when the baseline has left the ring', () => {
    const t = makeRoom({ snapshotRate: 10, tickRate: 30 });
    const slow = t.connect('slow');
    t.ticks(3);
    slow.socket.queuedBytes = 1_000_000;
    t.ticks(3 * 12); // 12 snapshot ticks skipped: more than the ring's 11
    slow.socket.queuedBytes = 0;
    t.ticks(3);
    expect(slow.socket.lastSnapshot().baseAge).toBe(0);
    expect(t.room.snapshots.counters.fullFallbacks).toBe(1);
    expect(slow.socket.lastSnapshot().players).toEqual(serverPlayers(t));
  });

  it(`closes a client backed up past the limit with ${CloseCode.SLOW_CLIENT} SLOW_CLIENT and removes its player`, () => {
    const t = makeRoom({ backpressureTimeoutMs: 1000 });
    const slow = t.connect('slow');
    const other = t.connect('other');
    t.ticks(1);
    slow.socket.queuedBytes = 1_000_000;
    t.ticks(30); // one second: still within the limit
    expect(slow.socket.closed).toBeUndefined();
    t.ticks(2);
    expect(slow.socket.closed?.code).toBe(CloseCode.SLOW_CLIENT);
    t.ticks(1);
    expect(other.socket.lastSnapshot().players.map((p) => p.id)).toEqual([other.session.playerId]);
    expect(t.room.counters.closes[CloseCode.SLOW_CLIENT]).toBe(1);
  });

  it('allocates frame buffers per body, not per client, while sockets keep up', () => {
    const few = makeRoom();
    const many = makeRoom();
    few.connect('a');
    for (let i = 0; i < 12; i++) many.connect(`p${i}`);
    few.ticks(60);
    many.ticks(60);
    // One staging buffer per snapshot tick whatever the number of clients sharing its body.
    expect(many.room.snapshots.counters.frameBufferAllocations).toBe(
      few.room.snapshots.counters.frameBufferAllocations,
    );
    expect(many.room.snapshots.counters.frameBufferAllocations).toBeLessThanOrEqual(61);
  });

  it('estimates the round trip from acks of snapshots it sent', () => {
    const t = makeRoom();
    const { session } = t.connect();
    t.ticks(3);
    t.now += 40;
    t.input(session, 1, 0, 0, 3);
    expect(session.rttMs).toBeCloseTo(40, 6);
    expect(t.room.ackTotals().meanRttMs).toBeCloseTo(40, 2);
  });

  it('refuses the debug state request unless the server allows it', () => {
    const t = makeRoom();
    const { socket, session } = t.connect();
    t.send(session, encodeClientMessage({ id: ClientMessageId.DEBUG_STATE_REQUEST }));
    expect(socket.closed?.code).toBe(CloseCode.UNEXPECTED_MESSAGE);
  });

  it('answers the debug state request with the state of the newest snapshot when allowed', () => {
    const t = makeRoom({ debugState: true });
    const a = t.connect('a');
    t.connect('b');
    t.input(a.session, 1, 1, 1);
    t.ticks(4);
    t.send(a.session, encodeClientMessage({ id: ClientMessageId.DEBUG_STATE_REQUEST }));
    const reply = a.socket.received.at(-1)!;
    expect(reply.id).toBe(ServerMessageId.DEBUG_STATE);
    if (reply.id !== ServerMessageId.DEBUG_STATE) return;
    expect([reply.tick, reply.page, reply.pages]).toEqual([4, 0, 1]);
    expect(reply.entities).toEqual(a.socket.lastSnapshot().players);
    // No view radius: the view is the whole room.
    expect(reply.interest).toEqual(reply.entities.map((entity) => entity.id));
  });
});

describe('Room snapshot bookkeeping', () => {
  it.each([
    [30, 30],
    [30, 7],
    [60, 20],
    [128, 33],
  ])('keeps send times only for ticks still in the ring (tick rate %i, snapshot rate %i)', (tickRate, snapshotRate) => {
    const t = makeRoom({ tickRate, snapshotRate });
    t.connect();
    t.ticks(tickRate * 60);
    // A send time is known exactly for the snapshots the ring still holds (an older ack is no
    // baseline and gives no round-trip sample); memory is the SendTimes arrays, fixed at creation.
    const sendTimes = t.room.sendTimes;
    const ring = t.room.snapshots.ring;
    let held = 0;
    for (let tick = 1; tick <= tickRate * 60; tick++) {
      expect(sendTimes.sentAt(tick) !== undefined, `tick ${tick}`).toBe(ring.get(tick) !== undefined);
      if (ring.get(tick) !== undefined) held++;
    }
    expect(held).toBe(ring.size);
  });
});
