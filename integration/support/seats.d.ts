import type { MatchmakeBody } from '@tickwire/protocol';
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
export declare function joinSeat(serverUrl: string, body?: MatchmakeBody): Promise<Ticket>;
/** The first seat of a new public room (create): for a test whose players must be alone together. */
export declare function createRoom(
  serverUrl: string,
  settings?: Pick<MatchmakeBody, 'scenario' | 'maxPlayers' | 'private'>,
): Promise<Ticket>;
/** Another seat in room `roomId` (join by id). */
export declare function seatIn(serverUrl: string, roomId: string): Promise<Ticket>;
