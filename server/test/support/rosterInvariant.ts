// The roster invariant every room test can check (STYLE 12): a client that applied every
// ROSTER_CHANGES holds exactly what a client joining now receives as the whole PLAYERS list.
import { decodeServerFrame, newSnapshotHeaderState, RosterBook, ServerMessageId } from '@tickwire/protocol';
import { expect } from 'vitest';
import type { Room } from '../../src/room/room.js';
import type { FakeSocket } from './fakeRoom.js';

/** The roster a client joining `room` now would hold after its PLAYERS pages: its version and list. */
export function fullRoster(room: Room): { version: number | undefined; players: ReturnType<RosterBook['list']> } {
  const book = new RosterBook();
  room.roster.sendTo({
    playerId: 0,
    name: '',
    away: false,
    send(bytes) {
      const decoded = decodeServerFrame(bytes, newSnapshotHeaderState());
      if (!decoded.ok || decoded.message.id !== ServerMessageId.PLAYERS) throw new Error('not a PLAYERS page');
      const problem = book.applyPage(decoded.message);
      if (problem !== undefined) throw new Error(problem);
    },
  });
  return { version: book.version, players: book.list() };
}

/** Every socket's roster, built from deltas, equals the full list of the room's current version. */
export function expectRostersMatchFullList(room: Room, sockets: readonly FakeSocket[]): void {
  const full = fullRoster(room);
  for (const socket of sockets) {
    expect({ version: socket.roster.version, players: socket.roster.list() }).toEqual(full);
  }
}
