// The lobby's live room list as numbered changes (model only; the /lobby socket sends what this
// returns). Changes are recorded as they happen; `flush` runs when `dueAtMs` says, at most once per
// minIntervalMs, and `snapshot` once per lobby client connecting. Time is passed in.
//
//   client connects ─► snapshot {seq: N, rooms}      then changes {seq: N+1}, {seq: N+2}, …
//   a client that sees seq ≠ last + 1 missed one and asks for the snapshot again (protocol/src/rooms/lobby.ts, LobbyMirror)
//
// The first change after a quiet spell goes out at once; later ones at most one message per
// minIntervalMs. A message carries the difference between what was last sent ("published") and
// now, per room touched, so several changes of one room in a window send its last state only, and
// a room added and removed inside one window sends nothing. The snapshot is the published state
// with its number, never unsent changes, so snapshot N followed by changes N+1… is always exact.

import type { LobbyChange, LobbyChanges, LobbyRoom, LobbySnapshot } from '@tickwire/protocol';

/** Least time between two change messages. @default 250 ms */
export const LOBBY_MIN_INTERVAL_MS = 250;

export class LobbyFeed {
  private seq = 0;
  /** What clients have been told, as of `seq`. */
  private readonly published = new Map<string, LobbyRoom>();
  /** The rooms now (public rooms only: the caller never reports a private one). */
  private readonly current = new Map<string, LobbyRoom>();
  /** Rooms touched since the last message. */
  private readonly dirty = new Set<string>();
  private lastSentAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly minIntervalMs = LOBBY_MIN_INTERVAL_MS) {}

  roomAdded(room: LobbyRoom): void {
    this.current.set(room.id, { ...room });
    this.dirty.add(room.id);
  }

  roomRemoved(id: string): void {
    if (this.current.delete(id)) this.dirty.add(id);
  }

  playersChanged(id: string, players: number): void {
    const room = this.current.get(id);
    if (room === undefined || room.players === players) return;
    room.players = players;
    this.dirty.add(id);
  }

  /** Set the whole list at once (a resync from the cluster's directory), recorded as the changes it makes. */
  replaceAll(rooms: readonly LobbyRoom[]): void {
    const ids = new Set(rooms.map((room) => room.id));
    for (const id of [...this.current.keys()]) if (!ids.has(id)) this.roomRemoved(id);
    for (const room of rooms) {
      if (this.current.has(room.id)) this.playersChanged(room.id, room.players);
      else this.roomAdded(room);
    }
  }

  /** When `flush` should next run; undefined while nothing is waiting. */
  dueAtMs(): number | undefined {
    return this.dirty.size === 0 ? undefined : this.lastSentAtMs + this.minIntervalMs;
  }

  /** The next change message, if one is due at `nowMs` and anything changed for clients. */
  flush(nowMs: number): LobbyChanges | undefined {
    const due = this.dueAtMs();
    if (due === undefined || nowMs < due) return undefined;
    const changes: LobbyChange[] = [];
    for (const id of this.dirty) {
      const before = this.published.get(id);
      const after = this.current.get(id);
      if (after !== undefined && before === undefined) changes.push({ op: 'add', room: { ...after } });
      else if (after === undefined && before !== undefined) changes.push({ op: 'remove', id });
      else if (after !== undefined && before !== undefined && after.players !== before.players) {
        changes.push({ op: 'players', id, players: after.players });
      }
      if (after === undefined) this.published.delete(id);
      else this.published.set(id, { ...after });
    }
    this.dirty.clear();
    if (changes.length === 0) return undefined; // came back to what clients already have: nothing to say
    this.seq++;
    this.lastSentAtMs = nowMs;
    return { type: 'changes', seq: this.seq, changes };
  }

  /** The full list as clients were last told it, with its number, for a client connecting or resyncing. */
  snapshot(): LobbySnapshot {
    return { type: 'rooms', seq: this.seq, rooms: [...this.published.values()].map((room) => ({ ...room })) };
  }
}
