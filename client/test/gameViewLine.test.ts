// The net graph's line on the entities in view (client/src/game/model/viewLine.ts) from a game session
// fed over a fake socket: the client's world at the latest snapshot, with what that snapshot changed.
import { describe, expect, it } from 'vitest';
import { GameSession } from '../src/game/gameSession.js';
import { viewLine as lineOf } from '../src/game/model/viewLine.js';
import { FakeSocket } from './support/fakeSocket.js';
import { emptySnapshot, playerTuple, welcomeMessage } from './support/messages.js';

const viewLine = (session: GameSession) => lineOf(session.net.connection);

describe('viewLine', () => {
  it('shows the entities in view at the latest snapshot, and how many it created and removed', () => {
    const socket = new FakeSocket();
    const session = new GameSession(socket, 'me', 'seat-1');
    socket.deliver(welcomeMessage());
    expect(viewLine(session)).toBe('in view    –');
    socket.deliver({
      ...emptySnapshot(10),
      created: [playerTuple(1, { x: 1000 }), playerTuple(2, { x: 2000 }), playerTuple(3, { x: 3000 })],
    });
    expect(viewLine(session)).toBe('in view    3 entities  +3 −0 last snapshot');
    // Two leave the view and one enters.
    socket.deliver({ ...emptySnapshot(11), baseAge: 1, created: [playerTuple(4, { x: 4000 })], removed: [2, 3] });
    expect(viewLine(session)).toBe('in view    2 entities  +1 −2 last snapshot');
  });
});
