// The /lobby socket's messages (text JSON frames, server → client) and a client's copy of the room
// list kept from them. Types are read per message; LobbyMirror.apply runs once per lobby message on
// a client (the page, a bot, a test). PROTOCOL.md "Lobby" is the prose of this file.
//
//   client connects ─► {type:"rooms", seq:N, rooms}   then {type:"changes", seq:N+1}, {seq:N+2}, …
//   a client that sees seq ≠ last + 1 missed one: it sends the text "resync" (or reconnects) and
//   gets a fresh {type:"rooms"} list.

/** A public room as the lobby lists it (the same fields as GET /rooms). */
export interface LobbyRoom {
  id: string;
  scenario: string;
  players: number;
  maxPlayers: number;
  tickRate: number;
  /** When the room was made, ms since the epoch. */
  createdAt: number;
}

export type LobbyChange =
  | { op: 'add'; room: LobbyRoom }
  | { op: 'remove'; id: string }
  | { op: 'players'; id: string; players: number };

/** The whole list, as of `seq`: sent on connect and on every "resync". */
export interface LobbySnapshot {
  type: 'rooms';
  seq: number;
  rooms: LobbyRoom[];
}

/** What changed since message `seq − 1`. */
export interface LobbyChanges {
  type: 'changes';
  seq: number;
  changes: LobbyChange[];
}

export type LobbyMessage = LobbySnapshot | LobbyChanges;

/** The one text frame a lobby client may send: ask for the whole list again. */
export const LOBBY_RESYNC = 'resync';

export class LobbyMirror {
  /** The sequence number of the last message applied; undefined until the first full list. */
  seq: number | undefined;
  readonly rooms = new Map<string, LobbyRoom>();

  /** Apply a message: 'ok', or 'resync' when a change message is not the next one (ignored then). */
  apply(message: LobbyMessage): 'ok' | 'resync' {
    if (message.type === 'rooms') {
      this.rooms.clear();
      for (const room of message.rooms) this.rooms.set(room.id, { ...room });
      this.seq = message.seq;
      return 'ok';
    }
    if (this.seq === undefined || message.seq !== this.seq + 1) return 'resync';
    for (const change of message.changes) {
      if (change.op === 'add') this.rooms.set(change.room.id, { ...change.room });
      else if (change.op === 'remove') this.rooms.delete(change.id);
      else {
        const room = this.rooms.get(change.id);
        if (room !== undefined) room.players = change.players;
      }
    }
    this.seq = message.seq;
    return 'ok';
  }
}
