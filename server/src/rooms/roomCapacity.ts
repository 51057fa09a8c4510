// The fill rule, in one place: players + pending seats ≤ maxPlayers. Asked by the matchmaker (per
// seat reserved), by the directory (per joinable-room search) and by the room (per admission).
//
// A reservation needs a free place: players + pending < maxPlayers. Admitting a seat holder turns
// their pending place into a player, so the sum does not change; the room still checks players <
// maxPlayers as a hard cap of its own, whatever the matchmaker believed (a stale count, another
// process, a bug), so a room never holds more than maxPlayers.

export interface Occupancy {
  players: number;
  /** Seats issued and neither used nor expired. */
  pending: number;
  maxPlayers: number;
}

/** Places nobody holds: what a reservation may take. Never negative. */
export function freeSeats(room: Occupancy): number {
  return Math.max(0, room.maxPlayers - room.players - room.pending);
}

/** The matchmaker's (and directory's) question: may one more seat be issued for this room? */
export function canReserveSeat(room: Occupancy): boolean {
  return freeSeats(room) >= 1;
}

/** The room's hard cap, asked when a seat holder arrives: may one more player be seated? */
export function canSeatPlayer(players: number, maxPlayers: number): boolean {
  return players < maxPlayers;
}

export interface ProcessLoad {
  rooms: number;
  maxRooms: number;
  draining: boolean;
}

/** Whether the process may create one more room, and if not, why (both answer 503 to a client). */
export function roomCreationRefusal(load: ProcessLoad): 'draining' | 'at-capacity' | undefined {
  if (load.draining) return 'draining';
  if (load.rooms >= load.maxRooms) return 'at-capacity';
  return undefined;
}
