// Names and scores of the players in the room, as the net client holds them (the PLAYERS list with
// every ROSTER_CHANGES since applied); read per frame by the HUD. Structural, so it accepts the net
// client's roster map as is.

export interface RosterEntry {
  name: string;
  kills: number;
  deaths: number;
}

export type Roster = ReadonlyMap<number, RosterEntry>;

/** A player's display name: its roster name, or "player N" when it has none (yet). */
export function displayName(roster: Roster, id: number): string {
  const name = roster.get(id)?.name;
  return name !== undefined && name.length > 0 ? name : `player ${id}`;
}
