// A client's copy of the roster: PLAYERS pages assembled into the whole list, then ROSTER_CHANGES
// applied in version order. Runs once per roster frame received; shared by the net client, the
// test clients and the server's tests, so "every delta applied" and "the full list" are one code.
import type { PlayersMessage, RosterChangesMessage, RosterEntry } from '../messages.js';

/** A player as the roster lists it. */
export interface RosterPlayer {
  name: string;
  kills: number;
  deaths: number;
  /** Its connection dropped and the server keeps it for a resume (the roster tuple's flag). */
  reconnecting: boolean;
}

/** A PLAYERS list still arriving: its pages so far. */
interface PendingList {
  version: number;
  pages: number;
  nextPage: number;
  lastId: number;
  players: Map<number, RosterPlayer>;
}

export class RosterBook {
  /** The version held; undefined until the last page of a PLAYERS list arrived. */
  version: number | undefined;
  /** The players of `version`, by id (empty before the first whole list). Replaced by a new list, else updated in place. */
  players = new Map<number, RosterPlayer>();
  private pending: PendingList | undefined;

  /** One PLAYERS page. Returns why it does not fit (a server bug; the caller closes), or undefined. */
  applyPage(message: PlayersMessage): string | undefined {
    const { version, page, pages } = message;
    if (page >= pages) return `PLAYERS page ${page} of ${pages}`;
    if (page === 0) {
      this.pending = { version, pages, nextPage: 0, lastId: -1, players: new Map() };
    }
    const pending = this.pending;
    if (pending === undefined || pending.version !== version || pending.pages !== pages || pending.nextPage !== page) {
      return `PLAYERS page ${page}/${pages} of version ${version} out of order`;
    }
    for (const { id, name, kills, deaths, reconnecting } of message.players) {
      // Ordered by id across the pages: a repeated or backwards id is a broken list.
      if (id <= pending.lastId) return `PLAYERS version ${version}: id ${id} after ${pending.lastId}`;
      pending.lastId = id;
      pending.players.set(id, { name, kills, deaths, reconnecting: reconnecting === 1 });
    }
    pending.nextPage++;
    if (pending.nextPage === pages) {
      this.players = pending.players;
      this.version = version;
      this.pending = undefined;
    }
    return undefined;
  }

  /**
   * One ROSTER_CHANGES: applies only on top of `version − 1`, so a client that missed one (or got one
   * before its whole list) finds out here. Returns why it does not apply, or undefined.
   */
  applyChanges(message: RosterChangesMessage): string | undefined {
    if (this.pending !== undefined) return `ROSTER_CHANGES ${message.version} inside a PLAYERS list`;
    if (this.version === undefined) return `ROSTER_CHANGES ${message.version} before PLAYERS`;
    if (message.version !== this.version + 1) {
      return `ROSTER_CHANGES ${message.version} does not follow version ${this.version}`;
    }
    const players = this.players;
    for (const id of message.left) {
      if (!players.delete(id)) return `ROSTER_CHANGES ${message.version}: player ${id} left but was not listed`;
    }
    // A listed id in `joined` is that player whole again: a newcomer on a reused id, or a player whose
    // reconnecting flag changed (it dropped, or resumed).
    for (const { id, name, kills, deaths, reconnecting } of message.joined) {
      players.set(id, { name, kills, deaths, reconnecting: reconnecting === 1 });
    }
    for (const { id, name } of message.renamed) {
      const player = players.get(id);
      if (player === undefined) return `ROSTER_CHANGES ${message.version}: unknown player ${id} renamed`;
      player.name = name;
    }
    for (const { id, kills, deaths } of message.scores) {
      const player = players.get(id);
      if (player === undefined) return `ROSTER_CHANGES ${message.version}: score of unknown player ${id}`;
      player.kills = kills;
      player.deaths = deaths;
    }
    this.version = message.version;
    return undefined;
  }

  /** The players as a list ordered by id, as a full PLAYERS would list them (for comparisons). */
  list(): RosterEntry[] {
    return [...this.players]
      .sort(([a], [b]) => a - b)
      .map(([id, { name, kills, deaths, reconnecting }]) => ({
        id,
        name,
        kills,
        deaths,
        reconnecting: reconnecting ? 1 : 0,
      }));
  }
}
