// The net graph's budget and deferred figures (model/budgetLine.ts, model/viewLine.ts, render/netGraph.ts)
// from a game session fed over a fake socket, its traffic rates driven by a fake clock: snapshot bytes
// per second against WELCOME's budgetBytesPerSecond, and the entities a byte budget holds deferred.
import { describe, expect, it } from 'vitest';
import { GameSession } from '../src/game/gameSession.js';
import { budgetLine } from '../src/game/model/budgetLine.js';
import { viewLine } from '../src/game/model/viewLine.js';
import { netGraphText } from '../src/game/render/netGraph.js';
import { FakeSocket } from './support/fakeSocket.js';
import { emptySnapshot, playerTuple, welcomeMessage } from './support/messages.js';

const lineOf = (text: string, start: string) => text.split('\n').find((line) => line.startsWith(start));

/** A session that joined a room with this budget and got a full snapshot of three players at tick 10. */
function joined(budgetBytesPerSecond: number) {
  const socket = new FakeSocket();
  const session = new GameSession(socket, 'me', 'seat-1');
  socket.deliver(welcomeMessage({ budgetBytesPerSecond, viewRadius: 1000 }));
  socket.deliver({
    ...emptySnapshot(10),
    created: [playerTuple(1, { x: 1000 }), playerTuple(2, { x: 2000 }), playerTuple(3, { x: 3000 })],
  });
  return { socket, session };
}

describe('budgetLine', () => {
  it('shows snapshot bytes per second against the budget with thousands separators, and marks a client over it', () => {
    expect(budgetLine(1840.4, 2000)).toBe('budget     1,840 / 2,000 B/s');
    expect(budgetLine(2000, 2000)).toBe('budget     2,000 / 2,000 B/s');
    expect(budgetLine(2301, 2000)).toBe('budget     2,301 / 2,000 B/s  over');
  });

  it('says there is no budget when WELCOME gave 0', () => {
    expect(budgetLine(12_345, 0)).toBe('budget     12,345 B/s snapshots, no budget');
  });
});

describe('the net graph on a budget', () => {
  it("shows the last second's snapshot bytes against WELCOME's budget, not counting other messages", () => {
    const { socket, session } = joined(2000);
    let now = 0;
    session.traffic.update(now, session.net.connection.stats);
    const before = session.net.connection.stats;
    const bytesBefore = before.bytesReceived;
    const snapshotBytesBefore = before.snapshotBytesReceived;
    // A second of deltas, each moving player 1, and a chat line (not a snapshot) among them.
    for (let tick = 11; tick <= 40; tick++) {
      socket.deliver({ ...emptySnapshot(tick), baseAge: 1, changed: [1, 1 << 2, 1000 + tick] });
    }
    socket.deliver({ id: 68, fromId: 1, text: 'a chat line is not a snapshot byte' });
    now += 1000;
    session.traffic.update(now, session.net.connection.stats);
    const stats = session.net.connection.stats;
    const snapshotBytes = stats.snapshotBytesReceived - snapshotBytesBefore;
    expect(snapshotBytes).toBeGreaterThan(0);
    expect(stats.bytesReceived - bytesBefore).toBeGreaterThan(snapshotBytes);
    expect(lineOf(netGraphText(session), 'budget')).toBe(`budget     ${snapshotBytes} / 2,000 B/s`);
  });

  it('shows the entities a byte budget holds deferred, until their update arrives', () => {
    const { socket, session } = joined(2000);
    expect(session.net.deferredCount).toBe(0);
    // Tick 11: players 2 and 3 are left as sent at tick 10; player 1 moved.
    socket.deliver({ ...emptySnapshot(11), baseAge: 1, changed: [1, 1 << 2, 1010], deferred: [2, 3] });
    expect(session.net.deferredCount).toBe(2);
    expect(viewLine(session.net.connection)).toBe('in view    3 entities (2 deferred)  +0 −0 last snapshot');
    expect(lineOf(netGraphText(session), 'in view')).toBe('in view    3 entities (2 deferred)  +0 −0 last snapshot');
    // Tick 12: player 2's update arrives; player 3, listed once, is still held.
    socket.deliver({ ...emptySnapshot(12), baseAge: 1, changed: [2, 1 << 2, 2020] });
    expect(session.net.deferredCount).toBe(1);
    // A full snapshot replaces everything: nothing is held any more.
    socket.deliver({
      ...emptySnapshot(13),
      created: [playerTuple(1, { x: 1000 }), playerTuple(2, { x: 2020 }), playerTuple(3, { x: 3000 })],
    });
    expect(session.net.deferredCount).toBe(0);
    expect(viewLine(session.net.connection)).toBe('in view    3 entities  +3 −0 last snapshot');
  });

  it('shows no budget in a room without one', () => {
    const { session } = joined(0);
    expect(lineOf(netGraphText(session), 'budget')).toBe('budget     0 B/s snapshots, no budget');
  });
});
