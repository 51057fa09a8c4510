// The room's roster: who is in, with names, kills and deaths, at a version. Runs once per tick
// (flush) and once per join (sendTo). A joiner gets the whole list of the current version as
// PLAYERS pages; everyone gets ROSTER_CHANGES (version + 1) after a tick that changed it, so what a
// steady player receives grows with the changes, never with changes × room size. A join or leave
// goes out on the next tick; changed scores alone wait until a second has passed since the last
// flush (the kill feed already rides in snapshots). A player whose connection dropped stays listed,
// marked reconnecting, until it resumes or its grace runs out (membership.ts).
import {
  encodeServerMessage,
  MAX_ROSTER_ITEMS,
  type RosterEntry,
  type RosterRename,
  type RosterScore,
  ServerMessageId,
} from '@tickwire/protocol';
import type { Entity } from 'ecsy';
import { Score } from '../sim/components.js';

/** What the roster needs of a client. */
export interface RosterClient {
  readonly playerId: number;
  readonly name: string;
  /** Its connection dropped and the room keeps the player for a resume (Session state 'away'). */
  readonly away: boolean;
  send(bytes: Uint8Array): void;
}

/** Ticks between two flushes caused by scores alone: one second at `tickRate`. */
export function scoreFlushIntervalTicks(tickRate: number): number {
  return Math.max(1, Math.round(tickRate));
}

/** A player as the current version lists it, and which client it was (an id is reused after a leave). */
interface Listed {
  client: RosterClient;
  name: string;
  kills: number;
  deaths: number;
  reconnecting: number;
}

/** One version's changes, before they are cut into frames of at most MAX_ROSTER_ITEMS per list. */
interface Changes {
  joined: RosterEntry[];
  left: number[];
  renamed: RosterRename[];
  scores: RosterScore[];
}

export class Roster {
  /** The version every player holds after the last flush; 0 is the empty room. */
  version = 0;
  /** Roster frames sent (PLAYERS pages and ROSTER_CHANGES), one per client per frame. */
  sent = 0;
  /** Their payload bytes, summed over the clients they went to. */
  bytes = 0;
  /** The players of `version`, by id. */
  private readonly listed = new Map<number, Listed>();
  /** The PLAYERS pages of `version`, encoded once for every joiner of that version. */
  private pages: Uint8Array[] | undefined;
  /** A join or leave since the last flush: flush on the next tick, whatever the score interval. */
  private membersChanged = false;
  private scoresDirty = false;
  private lastFlushTick = Number.NEGATIVE_INFINITY;

  constructor(private readonly scoreIntervalTicks = 1) {}

  /** Someone joined, left, dropped or resumed: the next flush sends the change. */
  changed(): void {
    this.membersChanged = true;
  }

  /** Kills or deaths changed: they go out once scoreIntervalTicks have passed since the last flush. */
  scoresChanged(): void {
    this.scoresDirty = true;
  }

  /**
   * Send `client` the whole roster of the current version, as PLAYERS pages back to back. A player
   * who joined since the last flush is not in it yet: the next flush's ROSTER_CHANGES, which goes to
   * this client too, adds it (and the joiner itself).
   */
  sendTo(client: RosterClient): void {
    this.pages ??= this.encodePages();
    for (const page of this.pages) this.sendFrame(client, page);
  }

  /** Send what changed since the last flush to every player (call once per tick, after the systems). */
  flush(players: Map<RosterClient, Entity>, tick: number): void {
    if (!this.membersChanged && !(this.scoresDirty && tick - this.lastFlushTick >= this.scoreIntervalTicks)) return;
    const changes = this.diff(players);
    this.membersChanged = false;
    this.scoresDirty = false;
    this.lastFlushTick = tick;
    if (changes === undefined) return;
    // Each list is cut at MAX_ROSTER_ITEMS; no id is in two lists, so the frames apply in any cut.
    const frames = Math.ceil(
      Math.max(changes.joined.length, changes.left.length, changes.renamed.length, changes.scores.length) /
        MAX_ROSTER_ITEMS,
    );
    for (let i = 0; i < frames; i++) {
      const cut = <T>(list: T[]) => list.slice(i * MAX_ROSTER_ITEMS, (i + 1) * MAX_ROSTER_ITEMS);
      this.version++;
      const frame = encodeServerMessage({
        id: ServerMessageId.ROSTER_CHANGES,
        version: this.version,
        joined: cut(changes.joined),
        left: cut(changes.left),
        renamed: cut(changes.renamed),
        scores: cut(changes.scores),
      });
      for (const client of players.keys()) this.sendFrame(client, frame);
    }
    this.pages = undefined;
  }

  /**
   * The players now against the version listed, bringing `listed` up to date: one pass over each
   * (only on a tick that flushes). A new client on a listed id joined (a whole entry, replacing the
   * old one), never "left and joined", so no id is in two lists; so did a player whose reconnecting
   * flag changed (it dropped, or resumed on a new connection). Undefined when nothing changed.
   */
  private diff(players: Map<RosterClient, Entity>): Changes | undefined {
    const changes: Changes = { joined: [], left: [], renamed: [], scores: [] };
    const present = new Set<number>();
    for (const [client, entity] of players) {
      const id = client.playerId;
      present.add(id);
      const { kills, deaths } = entity.getComponent(Score)!;
      const reconnecting = client.away ? 1 : 0;
      const was = this.listed.get(id);
      if (was === undefined || was.client !== client || was.reconnecting !== reconnecting) {
        changes.joined.push({ id, name: client.name, kills, deaths, reconnecting });
        this.listed.set(id, { client, name: client.name, kills, deaths, reconnecting });
        continue;
      }
      if (was.name !== client.name) {
        changes.renamed.push({ id, name: client.name });
        was.name = client.name;
      }
      if (was.kills !== kills || was.deaths !== deaths) {
        changes.scores.push({ id, kills, deaths });
        was.kills = kills;
        was.deaths = deaths;
      }
    }
    for (const id of this.listed.keys()) {
      if (present.has(id)) continue;
      changes.left.push(id);
      this.listed.delete(id);
    }
    const { joined, left, renamed, scores } = changes;
    if (joined.length + left.length + renamed.length + scores.length === 0) return undefined;
    return changes;
  }

  /** The PLAYERS pages of the current version: ordered by id, MAX_ROSTER_ITEMS a page, at least one page. */
  private encodePages(): Uint8Array[] {
    const entries: RosterEntry[] = [...this.listed]
      .map(([id, { name, kills, deaths, reconnecting }]) => ({ id, name, kills, deaths, reconnecting }))
      .sort((a, b) => a.id - b.id);
    const pages = Math.max(1, Math.ceil(entries.length / MAX_ROSTER_ITEMS));
    const frames: Uint8Array[] = [];
    for (let page = 0; page < pages; page++) {
      frames.push(
        encodeServerMessage({
          id: ServerMessageId.PLAYERS,
          version: this.version,
          page,
          pages,
          players: entries.slice(page * MAX_ROSTER_ITEMS, (page + 1) * MAX_ROSTER_ITEMS),
        }),
      );
    }
    return frames;
  }

  private sendFrame(client: RosterClient, frame: Uint8Array): void {
    client.send(frame);
    this.sent++;
    this.bytes += frame.byteLength;
  }
}
