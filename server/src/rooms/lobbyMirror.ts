// A lobby client's copy of the room list, kept from the numbered messages of lobbyFeed.ts. Runs once
// per lobby message on the client (the page will import it; it lives here until the client has the
// lobby). A message out of sequence means one was missed: the copy says so, and the client asks for
// the full list again instead of guessing.
import type { LobbyMessage, LobbyRoom } from './lobbyFeed.js';

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
