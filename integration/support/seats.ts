// Seats for integration tests' clients: POST /matchmake on the real server through the client's own
// matchmake() (client/src/net/matchmake.ts), as the page and the bots do. Runs once per joining client.
import type { MatchmakeBody } from '@tickwire/protocol';
import { matchmake } from '../../client/src/net/matchmake.js';

/** What a client needs to join a room: its socket's URL and the seat to send in HELLO. */
export interface Ticket {
  roomId: string;
  /** ws://127.0.0.1:<port>/ws/<roomId>, as POST /matchmake answered it. */
  wsUrl: string;
  seat: string;
}

/**
 * A seat from POST /matchmake on `serverUrl` (the server's http URL); throws with the status and
 * error code on any refusal. By default joinOrCreate: it fills the fullest public room of the
 * server's scenario first, so clients that each call it land together while that room has room.
 */
export async function joinSeat(serverUrl: string, body: MatchmakeBody = { mode: 'joinOrCreate' }): Promise<Ticket> {
  const answer = await matchmake(serverUrl, body);
  if (!answer.ok) {
    throw new Error(`POST /matchmake ${JSON.stringify(body)}: ${answer.status} ${answer.error} (${answer.message})`);
  }
  return { roomId: answer.roomId, wsUrl: answer.wsUrl, seat: answer.seat };
}

/** The first seat of a new public room (create): for a test whose players must be alone together. */
export function createRoom(
  serverUrl: string,
  settings: Pick<MatchmakeBody, 'scenario' | 'maxPlayers' | 'private'> = {},
): Promise<Ticket> {
  return joinSeat(serverUrl, { mode: 'create', ...settings });
}

/** Another seat in room `roomId` (join by id). */
export function seatIn(serverUrl: string, roomId: string): Promise<Ticket> {
  return joinSeat(serverUrl, { mode: 'join', roomId });
}
