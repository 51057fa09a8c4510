// What a process still holds for players, for /healthz `live` (a churn soak reads it after everyone
// has left, when every count but `timers` must be 0) and, only under `node --expose-gc`, the heap
// after a forced GC. Read per /healthz request: one pass over the rooms, O(rooms).
import type { RoomHost } from '../rooms/roomHost.js';

export interface Leftovers {
  /** Players in every room, away ones included. */
  players: number;
  /** Players away (dropped, kept for a resume) and their grace not yet over. */
  away: number;
  /** Open room connections (awaiting HELLO or playing). */
  sessions: number;
  /** Player entities the rooms' game contexts still hold by id. */
  entities: number;
  /** Seats issued and neither used nor expired. */
  seats: number;
  /**
   * Node's active (ref'd) timers over the whole process: the server's own fixed ones (the second's
   * timer, the tick scheduler's, the transport's heartbeat, HTTP's request check) are in it, so it is
   * never 0; a soak compares it with the idle server's before the first player came.
   */
  timers: number;
}

export function leftovers(host: RoomHost): Leftovers {
  let players = 0;
  let away = 0;
  let sessions = 0;
  let entities = 0;
  for (const { room } of host.hosted()) {
    players += room.playerCount;
    away += room.awayCount;
    sessions += room.sessionCount;
    entities += room.game.players.size;
  }
  return { players, away, sessions, entities, seats: host.seatsOutstanding(), timers: activeTimers() };
}

/** Active ref'd timers (setTimeout and setInterval) of this process, as Node lists its resources. */
function activeTimers(): number {
  let timers = 0;
  for (const resource of process.getActiveResourcesInfo()) if (resource === 'Timeout') timers++;
  return timers;
}

/**
 * `heapUsed` right after a full GC, when the process runs under `node --expose-gc` (else undefined:
 * a forced GC pauses every room's tick, so a production server never pays it per /healthz).
 */
export function heapUsedAfterGc(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return undefined;
  gc();
  return process.memoryUsage().heapUsed;
}
