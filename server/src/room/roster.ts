// The room's roster (PLAYERS): who is in, with kills and deaths. Built and encoded once per change,
// then sent to every client that has not had that version, and to each joiner right after its
// WELCOME. A join or leave goes out on the next tick; changed scores alone wait until a second has
// passed since the last flush (the kill feed already rides in snapshots): with 200 players a PLAYERS
// is about 3 KB, and busy rooms have kills on most ticks. Runs once per tick (flush).
import { encodeServerMessage, type RosterEntry, ServerMessageId } from '@tickwire/protocol';
import type { Entity } from 'ecsy';
import { Score } from '../sim/components.js';

/** What the roster needs of a client. */
export interface RosterClient {
  readonly playerId: number;
  readonly name: string;
  /** The roster version this client was last sent, 0 for none. */
  rosterVersion: number;
  send(bytes: Uint8Array): void;
}

/** Ticks between two flushes caused by scores alone: one second at `tickRate`. */
export function scoreFlushIntervalTicks(tickRate: number): number {
  return Math.max(1, Math.round(tickRate));
}

export class Roster {
  /** Bumped by every change; a client holds version `rosterVersion`. */
  version = 1;
  /** PLAYERS messages sent. */
  sent = 0;
  private frame: Uint8Array | undefined;
  private frameVersion = 0;
  /** The version every client had after the last flush. */
  private flushedVersion = 0;
  /** A join or leave since the last flush: send on the next tick, whatever the score interval. */
  private membersChanged = false;
  private lastFlushTick = Number.NEGATIVE_INFINITY;

  constructor(private readonly scoreIntervalTicks = 1) {}

  /** Someone joined or left: the next flush sends the new roster. */
  changed(): void {
    this.version++;
    this.membersChanged = true;
  }

  /** Kills or deaths changed: the new roster goes out once scoreIntervalTicks have passed since the last flush. */
  scoresChanged(): void {
    this.version++;
  }

  /** Send the current roster to `client` unless it has it already. */
  sendTo(client: RosterClient, players: Iterable<[RosterClient, Entity]>): void {
    if (client.rosterVersion === this.version) return;
    client.send(this.encoded(players));
    client.rosterVersion = this.version;
    this.sent++;
  }

  /** Send the current roster to every client not holding it (call once per tick, after the systems). */
  flush(players: Map<RosterClient, Entity>, tick: number): void {
    if (this.flushedVersion === this.version) return;
    if (!this.membersChanged && tick - this.lastFlushTick < this.scoreIntervalTicks) return;
    for (const client of players.keys()) this.sendTo(client, players);
    this.flushedVersion = this.version;
    this.membersChanged = false;
    this.lastFlushTick = tick;
  }

  /** The PLAYERS frame of the current version, encoded once. */
  private encoded(players: Iterable<[RosterClient, Entity]>): Uint8Array {
    if (this.frame === undefined || this.frameVersion !== this.version) {
      const entries: RosterEntry[] = [];
      for (const [client, entity] of players) {
        const score = entity.getComponent(Score)!;
        entries.push({ id: client.playerId, name: client.name, kills: score.kills, deaths: score.deaths });
      }
      entries.sort((a, b) => a.id - b.id);
      this.frame = encodeServerMessage({ id: ServerMessageId.PLAYERS, players: entries });
      this.frameVersion = this.version;
    }
    return this.frame;
  }
}
