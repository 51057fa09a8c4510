// What the Agones driver learns of the process, built once a second, and the one rule over it: whether
// the process can take another room or player (the `gs-session-ready` label of the high-density pattern).

export interface ProcessLoad {
  /** Players connected over all rooms. */
  players: number;
  /** Rooms hosted. */
  rooms: number;
  /** --max-rooms */
  maxRooms: number;
  /** Players and seats handed out but not yet used, over all rooms: what --max-total-players counts. */
  totalPlayers: number;
  /** --max-total-players */
  maxTotalPlayers: number;
  /** No new rooms or seats: the process is on its way out. */
  draining: boolean;
}

/**
 * True while matchmaking here could still succeed for a new room: not draining, below --max-rooms and
 * below --max-total-players (the same limits POST /matchmake answers 503 at-capacity by).
 */
export function hasFreeCapacity(load: ProcessLoad): boolean {
  return !load.draining && load.rooms < load.maxRooms && load.totalPlayers < load.maxTotalPlayers;
}
